# targets: q1
# expect: another model
# The same pipeline refitted on every customer draws a confusion matrix with flattering cells.
# %% q1
from sklearn.base import clone

everything = clone(model).fit(X, y)
cm_figure = diagnostics.confusion_matrix(
    everything, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
tn, fp, fn, tp = confusion_matrix(y_test, everything.predict(X_test)).ravel()
missed_churners = int(fn)
false_alarms = int(fp)
