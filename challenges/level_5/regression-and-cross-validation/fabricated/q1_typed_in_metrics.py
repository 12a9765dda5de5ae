# targets: q1
# expect: typing a number in
# The right model, and its scores typed in as a printout showed them.
# %% q1
model = LinearRegression().fit(X_train, y_train)
mae = 41.55
rmse = 53.37
r2 = 0.485
