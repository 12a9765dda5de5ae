# targets: q1, q2, q3, q4
# Counts from a crosstab; a DummyClassifier baseline; precision and recall counted by hand;
# the area under the ROC curve from roc_curve and metrics.auc.
# %% q1
import pandas as pd

cm_figure = diagnostics.confusion_matrix(
    model, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
table = pd.crosstab(y_test, model.predict(X_test))
missed_churners = table.loc[1, 0]
false_alarms = table.loc[0, 1]

# %% q2
from sklearn.dummy import DummyClassifier

predicted = model.predict(X_test)
accuracy = (predicted == y_test).mean()
always_stays = DummyClassifier(strategy="constant", constant=0).fit(X_train, y_train)
baseline_accuracy = always_stays.score(X_test, y_test)
balanced_accuracy = balanced_accuracy_score(y_test, predicted)

# %% q3
churn_probability = model.predict_proba(X_test)[:, 1]
flagged = churn_probability >= threshold
truly = y_test.to_numpy() == 1
tp = (flagged & truly).sum()
precision = tp / flagged.sum()
recall = tp / truly.sum()
f1 = 2 * precision * recall / (precision + recall)

# %% q4
from sklearn import metrics

fpr, tpr, _ = metrics.roc_curve(y_test, model.predict_proba(X_test)[:, 1])
auc = metrics.auc(fpr, tpr)
