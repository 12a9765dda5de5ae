# %% [markdown]
# # Capstone: a checked churn pipeline, end to end
#
# You have learned each tool on its own. Real work strings them together, and every link can
# break without anyone noticing: a new export with a misspelled plan, a feature computed from
# the wrong column, a tuned model trained with the default settings, a metric measured on the
# training rows. A pipeline you can trust **checks each stage** and leaves a record.
#
# In this capstone you build one for the churn table, from raw rows to an explained model:
#
# 1. **validate** the raw data with a Pandera schema;
# 2. build the **features in SQL** with DuckDB;
# 3. **tune** a forest with Optuna, stored in study `capstone-tuning`;
# 4. train the final model and **track** it with MLflow, in experiment `capstone`;
# 5. **explain** it with SHAP.
#
# The grader checks every stage: the schema against broken copies of the data, the feature
# table against the reference query, your Optuna study and your MLflow run in your own stores,
# the final model on 500 customers the notebook never loads, and your SHAP ranking against the
# model you trained.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("capstone-churn-pipeline")

# %% [markdown]
# ## Worked example: the same pipeline in miniature, on wine
#
# A quick run through every stage on the wine set (13 measurements of wines from three
# cultivars), with a yes/no question to match the task: is a wine from cultivar 0?
#
# **Validate.** A `pandera` schema says what every column must look like; `validate(frame,
# lazy=True)` returns the frame when it passes and raises `SchemaErrors` listing every failing
# cell when it does not.

# %%
import duckdb
import numpy as np
import optuna
import pandas as pd
import pandera.pandas as pa
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score, train_test_split

from sandbox.integrations import explain, tracking, tuning

wine = datasets.load("wine")
wine_schema = pa.DataFrameSchema(
    {
        "alcohol": pa.Column(float, pa.Check.in_range(8, 20)),
        "malic_acid": pa.Column(float, pa.Check.ge(0)),
        "proline": pa.Column(float, pa.Check.gt(0)),
        "target": pa.Column(int, pa.Check.isin([0, 1, 2])),
    }
)  # not strict: columns the schema does not name are allowed
wine_checked = wine_schema.validate(wine, lazy=True)

broken = wine.assign(target=wine["target"].replace({2: 3}))
try:
    wine_schema.validate(broken, lazy=True)
except pa.errors.SchemaErrors as err:
    print(f"{len(err.failure_cases)} failing cells, e.g.:")
    print(err.failure_cases[["column", "check", "failure_case"]].head(3))

# %% [markdown]
# **Features in SQL.** DuckDB queries a DataFrame by its variable name. `CASE` and `CAST` turn
# values into numbers, and arithmetic makes ratios. (Add `ORDER BY` whenever the order of the
# rows matters: SQL promises none without it.)

# %%
wine_features = duckdb.sql(
    """
    SELECT alcohol,
           color_intensity,
           hue,
           flavanoids / total_phenols AS flavanoid_share,
           CASE WHEN proline >= 1000 THEN 1 ELSE 0 END AS high_proline,
           CAST(target = 0 AS INTEGER) AS cultivar_0
    FROM wine_checked
    """
).df()
wine_features.head(3)

# %% [markdown]
# **Tune.** Split first, so the test rows play no part in the search. An Optuna objective builds
# a model from the trial's suggestions and returns the score to maximize, here the
# cross-validated ROC AUC on the training rows. (This warm-up study lives in memory only; the
# task's study goes to your data home with `tuning.create_study`.)

# %%
optuna.logging.set_verbosity(optuna.logging.WARNING)  # one line per trial is noise here

Xw = wine_features.drop(columns="cultivar_0")
yw = wine_features["cultivar_0"]
Xw_train, Xw_test, yw_train, yw_test = train_test_split(
    Xw, yw, test_size=0.3, random_state=0, stratify=yw
)


def wine_objective(trial):
    model = RandomForestClassifier(
        n_estimators=30,
        max_depth=trial.suggest_int("max_depth", 1, 6),
        min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, 20),
        random_state=0,
        n_jobs=1,
    )
    return cross_val_score(model, Xw_train, yw_train, cv=3, scoring="roc_auc").mean()


warmup = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
warmup.optimize(wine_objective, n_trials=5)
print(warmup.best_params, round(warmup.best_value, 3))

# %% [markdown]
# **Train, score, explain.** The final model gets the best parameters with `**`, is trained on
# the training rows and scored once on the test rows. Then SHAP says what it leans on.

# %%
wine_model = RandomForestClassifier(n_estimators=30, random_state=0, n_jobs=1, **warmup.best_params)
wine_model.fit(Xw_train, yw_train)
print(f"test ROC AUC: {roc_auc_score(yw_test, wine_model.predict_proba(Xw_test)[:, 1]):.3f}")

wine_expl = explain.shap_explanation(wine_model, Xw_test)
pd.Series(np.abs(wine_expl.values).mean(axis=0), index=wine_expl.feature_names).sort_values(
    ascending=False
)

# %% [markdown]
# **Track.** You know the MLflow pattern from the previous level: point MLflow at your store
# with `tracking.configure(experiment=...)` (never `mlflow.set_experiment`, which would file
# the artifacts next to the notebook), then log inside a run:
#
# ```python
# import mlflow
#
# tracking.configure(experiment="my-experiment")
# with mlflow.start_run(run_name="tuned-forest") as run:
#     mlflow.log_params(params)
#     mlflow.log_metric("test_roc_auc", score)
# run.info.run_id   # the run's id, to find it again
# ```
#
# Your runs live in one store in your data home, which the dashboard and `mlflow ui` read too:

# %%
print(tracking.tracking_uri())

# %% [markdown]
# ## Your turn: the churn pipeline
#
# The first 2,000 customers are yours; the grader keeps the last 500 back to test your final
# model. Run the cell.

# %%
raw = datasets.load("churn").query("customer_id <= 2000").reset_index(drop=True)
print(raw.shape)
raw.head(3)

# %% [markdown]
# ## Task 1 — validate the raw rows
#
# Store in `churn_schema` a `pandera.pandas` `DataFrameSchema` for the 15 columns of `raw` with
# these rules, then store the validated table (`churn_schema.validate(raw, lazy=True)`) in
# `validated`:
#
# - `customer_id` is unique;
# - `age` is between 18 and 100;
# - `region` is north, south, east or west; `plan` is basic, standard or premium; `contract`
#   is month-to-month, one-year or two-year; `payment_method` is card, bank transfer, paypal
#   or invoice;
# - `autopay` and `churned` are 0 or 1;
# - `tenure_months` is at least 1;
# - `monthly_charges`, `total_charges`, `support_calls_90d`, `avg_weekly_logins` and
#   `days_since_last_login` are never negative;
# - `days_since_cancellation_request` may be missing (it is the leak from the previous
#   challenge: it stays in the raw table, and stays out of the features).
#
# `raw.dtypes` tells you each column's type.

# %% task:q1
churn_schema = ____
validated = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — features in SQL
#
# Store in `feature_sql` a DuckDB query over `validated`, and in `features` its result as a
# pandas DataFrame, with one row per customer ordered by `customer_id` and these columns, in
# this order:
#
# | column | value |
# |---|---|
# | `customer_id` | as is |
# | `age`, `tenure_months`, `monthly_charges` | as is |
# | `avg_monthly_billed` | `total_charges` divided by `tenure_months` |
# | `contract_months` | 1 for month-to-month, 12 for one-year, 24 for two-year |
# | `pays_by_invoice` | 1 when `payment_method` is invoice, else 0 (an integer) |
# | `autopay`, `support_calls_90d`, `avg_weekly_logins`, `days_since_last_login` | as is |
# | `churned` | as is (the target) |
#
# No leak: `days_since_cancellation_request` does not belong here.

# %% task:q2
feature_sql = ____
features = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — tune with Optuna
#
# First split the features: `X` is every column of `features` except `customer_id` and
# `churned`, `y` is `churned`, and
# `train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)` gives `X_train`,
# `X_test`, `y_train` and `y_test`.
#
# Then create the study with `tuning.create_study("capstone-tuning", seed=0)` and run **at
# least 10 trials** of an objective that returns the mean 3-fold cross-validated ROC AUC on the
# **training rows** of a
# `RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, ...)` with:
#
# - `max_depth` an integer from 2 to 10,
# - `min_samples_leaf` an integer from 1 to 50,
# - `max_features` a float from 0.2 to 1.0.
#
# Store the study's best parameters (a dict) in `best_params`. The cell below empties the
# study first, so that every run of this notebook starts the search afresh and gives the same
# trials.

# %%
import contextlib

with contextlib.suppress(KeyError):  # KeyError: there is no such study yet
    optuna.delete_study(study_name="capstone-tuning", storage=tuning.storage_url())

# %% task:q3
best_params = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — train the final model and track it
#
# Fit `model`, a `RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)` with the
# tuned `best_params`, on the training rows. Then, in MLflow experiment `capstone`, start a run,
# log the tuned parameters and the model's ROC AUC **on the test rows** as metric
# `test_roc_auc`, and store the run's id in `run_id`.

# %% task:q4
model = ____
run_id = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Task 5 — explain the final model
#
# Store in `top_features` the names of the three features with the largest mean |SHAP| of
# `model` on `X_test` (churn class), as a list, largest first. Draw
# `explain.beeswarm_figure(...)` too: do the drivers make sense for a subscription business?

# %% task:q5
top_features = ____

# %% check:q5
ch.q5.check()

# %% [markdown]
# ## What you built
#
# Raw rows checked against a schema, features from one reviewed query, a search you can re-run
# and inspect (`sandbox` and the dashboard list study `capstone-tuning`), a tracked run that
# says which settings produced which score, and an explanation of the final model. Each stage
# would have caught a mistake that the stages after it would have hidden.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
