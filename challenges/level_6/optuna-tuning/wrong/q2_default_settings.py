# targets: q2
# expect: best_params
# %% q2
final_model = RandomForestClassifier(random_state=0)
final_model.fit(X, y)
