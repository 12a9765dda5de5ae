# targets: q4
# expect: accuracies
# %% q4
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
cv_scores = cross_val_score(model, X_train, y_train, cv=folds)
