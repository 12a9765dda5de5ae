# targets: q4
# expect: needs at least
# %% q4
final_model = numeric_model(no_features).fit(X, y)
