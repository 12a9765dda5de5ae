# targets: q1, q2, q3, q4, q5
# A class-based Pandera model turned into a schema; SQL with `::` casts and a CASE WHEN read
# through an explicit DuckDB connection; an objective scored with cross_validate on
# StratifiedKFold(3) and a callback; the run written with the MlflowClient; the ranking read
# from shap.TreeExplainer with numpy.
# %% q1
from pandera.typing import Series


class RawChurn(pa.DataFrameModel):
    customer_id: Series[int] = pa.Field(unique=True)
    age: Series[int] = pa.Field(ge=18, le=100)
    region: Series[str] = pa.Field(isin=["north", "south", "east", "west"])
    plan: Series[str] = pa.Field(isin=["basic", "standard", "premium"])
    contract: Series[str] = pa.Field(isin=["month-to-month", "one-year", "two-year"])
    payment_method: Series[str] = pa.Field(isin=["card", "bank transfer", "paypal", "invoice"])
    autopay: Series[int] = pa.Field(isin=[0, 1])
    tenure_months: Series[int] = pa.Field(ge=1)
    monthly_charges: Series[float] = pa.Field(ge=0)
    total_charges: Series[float] = pa.Field(ge=0)
    support_calls_90d: Series[int] = pa.Field(ge=0)
    avg_weekly_logins: Series[float] = pa.Field(ge=0)
    days_since_last_login: Series[int] = pa.Field(ge=0)
    days_since_cancellation_request: Series[float] = pa.Field(nullable=True)
    churned: Series[int] = pa.Field(isin=[0, 1])


churn_schema = RawChurn.to_schema()
validated = churn_schema.validate(raw, lazy=True)

# %% q2
feature_sql = """
select customer_id,
       age,
       tenure_months,
       monthly_charges,
       total_charges::double / tenure_months as avg_monthly_billed,
       case when contract = 'month-to-month' then 1
            when contract = 'one-year' then 12
            when contract = 'two-year' then 24 end as contract_months,
       (payment_method = 'invoice')::integer as pays_by_invoice,
       autopay,
       support_calls_90d,
       avg_weekly_logins,
       days_since_last_login,
       churned
from validated
order by customer_id
"""
connection = duckdb.connect()
connection.register("validated", validated)
features = connection.execute(feature_sql).df()

# %% q3
from sklearn.model_selection import StratifiedKFold, cross_validate

X = features.drop(columns=["customer_id", "churned"])
y = features["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)


def churn_objective(trial):
    forest = RandomForestClassifier(
        n_estimators=50,
        max_depth=trial.suggest_int("max_depth", 2, 10),
        min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, 50),
        max_features=trial.suggest_float("max_features", 0.2, 1.0),
        random_state=0,
        n_jobs=1,
    )
    scores = cross_validate(
        forest, X_train, y_train, cv=StratifiedKFold(n_splits=3), scoring="roc_auc"
    )
    return float(np.mean(scores["test_score"]))


seen = []
study = tuning.create_study("capstone-tuning", seed=0)
study.optimize(churn_objective, n_trials=10, callbacks=[lambda s, t: seen.append(t.value)])
best_params = dict(study.best_trial.params)

# %% q4
from mlflow import MlflowClient

model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)
model.set_params(**best_params)
model.fit(X_train, y_train)
test_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])

tracking.configure(experiment="capstone")
client = MlflowClient()
capstone = client.get_experiment_by_name("capstone")
created = client.create_run(capstone.experiment_id, run_name="tuned-forest")
for name, value in best_params.items():
    client.log_param(created.info.run_id, name, value)
client.log_metric(created.info.run_id, "test_roc_auc", test_auc)
client.set_terminated(created.info.run_id)
run_id = created.info.run_id

# %% q5
import shap

churn_values = shap.TreeExplainer(model)(X_test).values[:, :, 1]
order = np.argsort(-np.abs(churn_values).mean(axis=0))
top_features = [X_test.columns[i] for i in order[:3]]
