# targets: q4
# expect: training rows
# %% q4
auc = roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])
