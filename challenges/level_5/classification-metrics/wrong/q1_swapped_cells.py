# targets: q1
# expect: swapped
# %% q1
cm_figure = diagnostics.confusion_matrix(
    model, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
tn, fp, fn, tp = confusion_matrix(model.predict(X_test), y_test).ravel()
missed_churners = int(fn)
false_alarms = int(fp)
