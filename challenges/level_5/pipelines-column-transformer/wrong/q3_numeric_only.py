# targets: q3
# expect: held-out rows
# %% q3
model = Pipeline(
    [
        ("preprocess", ColumnTransformer([("num", StandardScaler(), numeric_features)])),
        ("classifier", LogisticRegression(max_iter=1000)),
    ]
)
model.fit(X_train, y_train)
