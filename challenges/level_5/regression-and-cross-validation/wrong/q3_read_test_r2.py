# targets: q3
# expect: test R²
# %% q3
residuals_figure = diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)
train_r2_shown = round(model.score(X_test, y_test), 3)
test_r2_shown = round(model.score(X_test, y_test), 3)
