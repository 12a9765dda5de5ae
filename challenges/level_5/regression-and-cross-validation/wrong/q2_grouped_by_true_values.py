# targets: q2
# expect: predictions
# %% q2
y_pred = model.predict(X_test)
residuals = y_test - y_pred
residual_spread = residuals.groupby(pd.qcut(y_test, 3, labels=["low", "mid", "high"])).std()
