# targets: q3
# expect: another model
# A residual plot of a model fitted on every patient (a better-looking training R²), with the
# number read off it.
# %% q3
everyone = LinearRegression().fit(X, y)
residuals_figure = diagnostics.residuals_plot(everyone, X_train, y_train, X_test, y_test)
train_r2_shown = round(everyone.score(X_train, y_train), 3)
test_r2_shown = round(everyone.score(X_test, y_test), 3)
