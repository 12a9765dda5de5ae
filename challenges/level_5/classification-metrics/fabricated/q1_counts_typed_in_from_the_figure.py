# targets: q1
# expect: typing in a number read off the figure
# The two counts typed in as read off the figure drawn on the shipped data: on fresh data the
# figure holds other counts.
# %% q1
cm_figure = diagnostics.confusion_matrix(
    model, X_train, y_train, X_test, y_test, classes=["stays", "churns"]
)
missed_churners = 79  # bottom-left cell: true "churns", predicted "stays"
false_alarms = 32  # top-right cell: true "stays", predicted "churns"
cm_figure
