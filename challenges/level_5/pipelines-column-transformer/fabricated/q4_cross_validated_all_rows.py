# targets: q4
# expect: all 2,500 rows
# Cross-validating the pipeline on every customer, test rows included.
# %% q4
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
cv_scores = cross_val_score(model, X, y, cv=folds, scoring="roc_auc")
