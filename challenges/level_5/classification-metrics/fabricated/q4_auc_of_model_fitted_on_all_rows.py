# targets: q4
# expect: all 2,500 rows
# An "honest" AUC computed from the pipeline refitted on every customer, test rows included.
# %% q4
from sklearn.base import clone

auc = roc_auc_score(y_test, clone(model).fit(X, y).predict_proba(X_test)[:, 1])
