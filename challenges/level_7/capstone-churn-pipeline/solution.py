# %% q1
churn_schema = pa.DataFrameSchema(
    {
        "customer_id": pa.Column(int, unique=True),
        "age": pa.Column(int, pa.Check.in_range(18, 100)),
        "region": pa.Column(str, pa.Check.isin(["north", "south", "east", "west"])),
        "plan": pa.Column(str, pa.Check.isin(["basic", "standard", "premium"])),
        "contract": pa.Column(str, pa.Check.isin(["month-to-month", "one-year", "two-year"])),
        "payment_method": pa.Column(
            str, pa.Check.isin(["card", "bank transfer", "paypal", "invoice"])
        ),
        "autopay": pa.Column(int, pa.Check.isin([0, 1])),
        "tenure_months": pa.Column(int, pa.Check.ge(1)),
        "monthly_charges": pa.Column(float, pa.Check.ge(0)),
        "total_charges": pa.Column(float, pa.Check.ge(0)),
        "support_calls_90d": pa.Column(int, pa.Check.ge(0)),
        "avg_weekly_logins": pa.Column(float, pa.Check.ge(0)),
        "days_since_last_login": pa.Column(int, pa.Check.ge(0)),
        "days_since_cancellation_request": pa.Column(float, nullable=True),
        "churned": pa.Column(int, pa.Check.isin([0, 1])),
    }
)
validated = churn_schema.validate(raw, lazy=True)

# %% q2
feature_sql = """
SELECT customer_id,
       age,
       tenure_months,
       monthly_charges,
       total_charges / tenure_months AS avg_monthly_billed,
       CASE contract
           WHEN 'month-to-month' THEN 1
           WHEN 'one-year' THEN 12
           WHEN 'two-year' THEN 24
       END AS contract_months,
       CAST(payment_method = 'invoice' AS INTEGER) AS pays_by_invoice,
       autopay,
       support_calls_90d,
       avg_weekly_logins,
       days_since_last_login,
       churned
FROM validated
ORDER BY customer_id
"""
features = duckdb.sql(feature_sql).df()

# %% q3
X = features.drop(columns=["customer_id", "churned"])
y = features["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)


def objective(trial):
    forest = RandomForestClassifier(
        n_estimators=50,
        max_depth=trial.suggest_int("max_depth", 2, 10),
        min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, 50),
        max_features=trial.suggest_float("max_features", 0.2, 1.0),
        random_state=0,
        n_jobs=1,
    )
    return cross_val_score(forest, X_train, y_train, cv=3, scoring="roc_auc").mean()


study = tuning.create_study("capstone-tuning", seed=0)
study.optimize(objective, n_trials=10)
best_params = study.best_params

# %% q4
import mlflow

model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, **best_params)
model.fit(X_train, y_train)
test_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])

tracking.configure(experiment="capstone")
with mlflow.start_run(run_name="tuned-forest") as run:
    mlflow.log_params(best_params)
    mlflow.log_metric("test_roc_auc", test_auc)
run_id = run.info.run_id

# %% q5
final_expl = explain.shap_explanation(model, X_test)
final_importance = pd.Series(
    np.abs(final_expl.values).mean(axis=0), index=final_expl.feature_names
).sort_values(ascending=False)
top_features = list(final_importance.index[:3])
