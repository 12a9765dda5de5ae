# %% q1
cm_figure = diagnostics.confusion_matrix(
    model, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
# The bottom-left cell (true "churns", predicted "stays") and the top-right cell (true
# "stays", predicted "churns"); confusion_matrix gives the same counts.
tn, fp, fn, tp = confusion_matrix(y_test, model.predict(X_test)).ravel()
missed_churners = int(fn)
false_alarms = int(fp)
cm_figure

# %% q2
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)
baseline_accuracy = (y_test == 0).mean()
balanced_accuracy = balanced_accuracy_score(y_test, y_pred)

# %% q3
proba = model.predict_proba(X_test)[:, 1]
flagged = (proba >= threshold).astype(int)
precision = precision_score(y_test, flagged)
recall = recall_score(y_test, flagged)
f1 = f1_score(y_test, flagged)

# %% q4
auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
