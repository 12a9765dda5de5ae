# targets: q4
# expect: predict_proba
# %% q4
auc = roc_auc_score(y_test, model.predict(X_test))
