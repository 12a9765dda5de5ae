# targets: q3
# expect: typing in a number read off the figure
# The two R² typed in as the legend drawn on the shipped data shows them: on fresh data the
# legend shows other numbers.
# %% q3
residuals_figure = diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)
train_r2_shown = 0.519  # "Train R² = 0.519" in the legend
test_r2_shown = 0.485  # "Test R² = 0.485"
residuals_figure
