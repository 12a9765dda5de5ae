# targets: q3
# expect: days_since_cancellation_request
# %% q3
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline

with_leak = [*numeric_features, "days_since_cancellation_request"]
model = Pipeline(
    [
        (
            "preprocess",
            ColumnTransformer(
                [
                    (
                        "num",
                        make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                        with_leak,
                    ),
                    ("cat", OneHotEncoder(handle_unknown="ignore"), categorical_features),
                ]
            ),
        ),
        ("classifier", LogisticRegression(max_iter=1000)),
    ]
)
model.fit(X_train, y_train)
