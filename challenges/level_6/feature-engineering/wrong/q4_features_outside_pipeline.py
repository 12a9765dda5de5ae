# targets: q4
# expect: raw columns
# %% q4
features = add_features(X).select_dtypes("number")
final_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(features, y)
