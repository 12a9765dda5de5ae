# targets: q1, q2, q3, q4, q5
# Column checks with a custom check and a schema-level unique rule; SQL with IF() and
# fetchdf(); an ask/tell loop whose objective suggests the three settings in another order
# and runs 12 trials; the fluent MLflow API with a run name, extra parameters and the model;
# the helper's SHAP values ranked with nlargest.
# %% q1
churn_schema = pa.DataFrameSchema(
    {
        "customer_id": pa.Column("int64"),
        "age": pa.Column("int64", [pa.Check.ge(18), pa.Check.le(100)]),
        "region": pa.Column(str, pa.Check.isin(["north", "south", "east", "west"])),
        "plan": pa.Column(str, pa.Check.isin(["basic", "standard", "premium"])),
        "contract": pa.Column(str, pa.Check.isin(["month-to-month", "one-year", "two-year"])),
        "payment_method": pa.Column(
            str, pa.Check.isin(["card", "bank transfer", "paypal", "invoice"])
        ),
        "autopay": pa.Column("int64", pa.Check(lambda s: s.isin([0, 1]), name="zero_or_one")),
        "tenure_months": pa.Column("int64", pa.Check.greater_than_or_equal_to(1)),
        "monthly_charges": pa.Column("float64", pa.Check.ge(0)),
        "total_charges": pa.Column("float64", pa.Check.ge(0)),
        "support_calls_90d": pa.Column("int64", pa.Check.ge(0)),
        "avg_weekly_logins": pa.Column("float64", pa.Check.ge(0)),
        "days_since_last_login": pa.Column("int64", pa.Check.ge(0)),
        "days_since_cancellation_request": pa.Column("float64", nullable=True),
        "churned": pa.Column("int64", pa.Check.isin([0, 1])),
    },
    unique=["customer_id"],
    strict=True,
)
validated = churn_schema.validate(raw, lazy=True)

# %% q2
feature_sql = """
SELECT
    customer_id,
    age,
    tenure_months,
    monthly_charges,
    total_charges / tenure_months AS avg_monthly_billed,
    CASE contract WHEN 'month-to-month' THEN 1 WHEN 'one-year' THEN 12 ELSE 24 END AS contract_months,
    IF(payment_method = 'invoice', 1, 0) AS pays_by_invoice,
    autopay,
    support_calls_90d,
    avg_weekly_logins,
    days_since_last_login,
    churned
FROM validated
ORDER BY customer_id ASC
"""
features = duckdb.sql(feature_sql).fetchdf()

# %% q3
X = features.drop(columns=["customer_id", "churned"])
y = features["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)

study = tuning.create_study("capstone-tuning", seed=0)
for _ in range(12):
    trial = study.ask()
    share = trial.suggest_float("max_features", 0.2, 1.0)
    depth = trial.suggest_int("max_depth", 2, 10)
    leaf = trial.suggest_int("min_samples_leaf", 1, 50)
    forest = RandomForestClassifier(
        n_estimators=50,
        random_state=0,
        n_jobs=1,
        max_depth=depth,
        min_samples_leaf=leaf,
        max_features=share,
    )
    study.tell(trial, cross_val_score(forest, X_train, y_train, cv=3, scoring="roc_auc").mean())
best_params = study.best_params

# %% q4
import mlflow
import mlflow.sklearn
from sklearn.metrics import get_scorer

model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, **best_params)
model.fit(X_train, y_train)

tracking.configure(experiment="capstone")
with mlflow.start_run(run_name="capstone-final") as final_run:
    mlflow.log_params({**best_params, "n_estimators": 50})
    mlflow.log_metric("test_roc_auc", get_scorer("roc_auc")(model, X_test, y_test))
    mlflow.sklearn.log_model(
        model,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )
run_id = final_run.info.run_id

# %% q5
final_expl = explain.shap_explanation(model, X_test, class_index=1)
mean_abs = pd.Series(np.abs(final_expl.values).mean(axis=0), index=final_expl.feature_names)
top_features = mean_abs.nlargest(3).index.tolist()
