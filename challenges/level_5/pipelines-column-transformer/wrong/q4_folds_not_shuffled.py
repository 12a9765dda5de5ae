# targets: q4
# expect: not shuffled
# %% q4
cv_scores = cross_val_score(model, X_train, y_train, cv=5, scoring="roc_auc")
