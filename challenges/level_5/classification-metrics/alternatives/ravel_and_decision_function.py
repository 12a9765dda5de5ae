# targets: q1, q2, q3, q4
# Counts from confusion_matrix(...).ravel() as plain ints; accuracy from model.score; the
# baseline from a constant prediction; balanced accuracy as the mean of the two recalls;
# precision/recall/F1 in one call; ROC AUC from the decision function (same ranking).
# %% q1
cm_figure = diagnostics.confusion_matrix(
    model, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
tn, fp, fn, tp = confusion_matrix(y_test, model.predict(X_test)).ravel()
missed_churners = int(fn)
false_alarms = int(fp)

# %% q2
import numpy as np

y_pred = model.predict(X_test)
accuracy = model.score(X_test, y_test)
baseline_accuracy = accuracy_score(y_test, np.zeros(len(y_test), dtype=int))
balanced_accuracy = (recall_score(y_test, y_pred) + recall_score(y_test, y_pred, pos_label=0)) / 2

# %% q3
from sklearn.metrics import precision_recall_fscore_support

churn_column = list(model.classes_).index(1)
flags = (model.predict_proba(X_test)[:, churn_column] >= threshold).astype(int)
precision, recall, f1, _ = precision_recall_fscore_support(y_test, flags, average="binary")

# %% q4
auc = roc_auc_score(y_test, model.decision_function(X_test))
