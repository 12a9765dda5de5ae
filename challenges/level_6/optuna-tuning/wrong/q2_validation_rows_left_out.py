# targets: q2
# expect: all of `X`
# %% q2
final_model = RandomForestClassifier(**study.best_params, random_state=0)
final_model.fit(X_train, y_train)
