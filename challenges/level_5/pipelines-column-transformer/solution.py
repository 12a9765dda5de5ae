# %% q1
numeric_features = [
    "age",
    "autopay",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls_90d",
    "avg_weekly_logins",
    "days_since_last_login",
]
categorical_features = ["region", "plan", "contract", "payment_method"]

# %% q2
preprocess = ColumnTransformer(
    [
        ("num", StandardScaler(), numeric_features),
        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical_features),
    ]
)

# %% q3
model = Pipeline(
    [
        ("preprocess", preprocess),
        ("classifier", LogisticRegression(max_iter=1000)),
    ]
)
model.fit(X_train, y_train)

# %% q4
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
cv_scores = cross_val_score(model, X_train, y_train, cv=folds, scoring="roc_auc")
print(f"ROC AUC {cv_scores.mean():.3f} ± {cv_scores.std():.3f}")
