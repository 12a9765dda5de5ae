# targets: q2
# expect: opposite sign
# %% q2
y_pred = model.predict(X_test)
residuals = y_pred - y_test
residual_spread = residuals.groupby(pd.qcut(y_pred, 3, labels=["low", "mid", "high"])).std()
