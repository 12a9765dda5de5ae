# targets: q1
# expect: another model
# The figure drawn for a stand-in classifier on the test rows (so its cells add up to the test
# set), next to the real model's counts.
# %% q1
from sklearn.dummy import DummyClassifier

stand_in = DummyClassifier(strategy="stratified", random_state=0).fit(X_train, y_train)
cm_figure = diagnostics.confusion_matrix(
    stand_in, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
tn, fp, fn, tp = confusion_matrix(y_test, model.predict(X_test)).ravel()
missed_churners = int(fn)
false_alarms = int(fp)
