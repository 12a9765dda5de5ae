# targets: q2
# expect: too high
# %% q2
baseline_auc = cross_val_score(numeric_model(no_features), X, y, cv=CV, scoring="accuracy").mean()
