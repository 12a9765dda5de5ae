# targets: q1
# expect: training rows
# %% q1
cm_figure = diagnostics.confusion_matrix(
    model, X_test, y_test, X_train, y_train, classes=["stays", "churns"]
)
tn, fp, fn, tp = confusion_matrix(y_test, model.predict(X_test)).ravel()
missed_churners = int(fn)
false_alarms = int(fp)
