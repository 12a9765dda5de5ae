# targets: q1, q2, q3, q4
# Column lists typed after reading X.dtypes, sorted by name; dense one-hot output and step
# names of my own; the folds scored in a loop, each on a fresh copy of the pipeline.
# %% q1
numeric_features = sorted(
    [
        "age",
        "autopay",
        "tenure_months",
        "monthly_charges",
        "total_charges",
        "support_calls_90d",
        "avg_weekly_logins",
        "days_since_last_login",
    ]
)
categorical_features = sorted(["region", "plan", "contract", "payment_method"])

# %% q2
preprocess = ColumnTransformer(
    transformers=[
        ("scale", StandardScaler(), numeric_features),
        (
            "onehot",
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            categorical_features,
        ),
    ],
    remainder="drop",
)

# %% q3
model = Pipeline(steps=[("prep", preprocess), ("logreg", LogisticRegression(max_iter=1000))])
model.fit(X_train, y_train)

# %% q4
from sklearn.base import clone

scores = []
for fit_rows, score_rows in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(
    X_train, y_train
):
    fold_model = clone(model).fit(X_train.iloc[fit_rows], y_train.iloc[fit_rows])
    fold_proba = fold_model.predict_proba(X_train.iloc[score_rows])[:, 1]
    scores.append(roc_auc_score(y_train.iloc[score_rows], fold_proba))
cv_scores = scores
print(f"{np.mean(cv_scores):.3f} ± {np.std(cv_scores):.3f}")
