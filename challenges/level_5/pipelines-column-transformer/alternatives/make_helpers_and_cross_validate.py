# targets: q1, q2, q3, q4
# Column lists from the dtypes; make_column_transformer and make_pipeline (their own step
# names); the fold scores through cross_validate.
# %% q1
not_features = ["customer_id", "days_since_cancellation_request"]
numeric_features = X.select_dtypes(include=np.number).columns.drop(not_features).tolist()
categorical_features = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]

# %% q2
from sklearn.compose import make_column_transformer

preprocess = make_column_transformer(
    (StandardScaler(), numeric_features),
    (OneHotEncoder(handle_unknown="ignore"), categorical_features),
    remainder="drop",
)

# %% q3
from sklearn.pipeline import make_pipeline

model = make_pipeline(preprocess, LogisticRegression(max_iter=1000)).fit(X_train, y_train)

# %% q4
from sklearn.model_selection import cross_validate

folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
cv_scores = cross_validate(model, X_train, y_train, cv=folds, scoring="roc_auc")["test_score"]
print(f"{cv_scores.mean():.3f} ± {cv_scores.std():.3f}")
