# %% [markdown]
# # Track experiments with MLflow
#
# After a few hours of modelling, the question is always the same: *which* settings gave that
# good score yesterday, on which data, and where is the model? A notebook forgets; an
# **experiment tracker** remembers. MLflow records every training **run** with its
# **parameters** (the settings you chose), its **metrics** (the scores you measured) and its
# **artifacts** (files, such as the fitted model), in a store you can query and browse later.
#
# Your store lives in your data home, next to your progress: `tracking.configure(...)` points
# MLflow at it, so this notebook, `sandbox mlflow` (the MLflow web UI) and the dashboard all see
# the same runs. In this challenge you log runs for the churn model: first by hand, then with
# the model attached, then with MLflow's autolog.
#
# Work through the tasks in order and run each check cell; `ch.q1.hint()` helps when you are
# stuck. `ch.submit()` at the end re-runs the notebook in a fresh kernel and awards the XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("mlflow-tracking")

# %% [markdown]
# ## Runs, parameters and metrics
#
# An **experiment** is a named folder of runs about one question ("which forest predicts churn
# best?"). A **run** is one training attempt. Inside `with mlflow.start_run() as run:` every
# `mlflow.log_param` / `mlflow.log_params` and `mlflow.log_metric` call is filed under that run,
# and the run is closed (status `FINISHED`) when the block ends. `run.info.run_id` is its id.
#
# Two habits make runs worth comparing later:
#
# - log the metric on the **test** rows, which the model never trained on. A score on the
#   training rows mostly measures how well the model memorised them;
# - ROC AUC ranks customers by risk, so it needs the predicted **probabilities**
#   (`predict_proba(...)[:, 1]`), not the 0/1 labels of `predict`.
#
# Pick the experiment with `tracking.configure(experiment="...")`, which creates it inside your
# data home if needed. (`mlflow.set_experiment("new-name")` would put the new experiment's files
# in the notebook's folder instead.) Make it the first line of every cell that logs: the cell
# then logs to the right place even when cells run out of order. The worked examples use the
# breast cancer data and an experiment of their own:

# %%
import mlflow
import mlflow.sklearn
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from sandbox.integrations import tracking

tracking.configure(experiment="cancer-example")

cancer = datasets.load("breast_cancer")
Xc = cancer.drop(columns="target")
yc = cancer["target"]
Xc_train, Xc_test, yc_train, yc_test = train_test_split(
    Xc, yc, test_size=0.25, random_state=0, stratify=yc
)

with mlflow.start_run(run_name="forest-depth-3") as run:
    params = {"n_estimators": 50, "max_depth": 3}
    forest = RandomForestClassifier(**params, random_state=0).fit(Xc_train, yc_train)
    mlflow.log_params(params)
    mlflow.log_metric("roc_auc", roc_auc_score(yc_test, forest.predict_proba(Xc_test)[:, 1]))

example_run_id = run.info.run_id
stored = mlflow.get_run(example_run_id)
print(stored.info.status)
print(stored.data.params)  # parameters come back as strings
print(stored.data.metrics)

# %% [markdown]
# ## The churn data
#
# The tasks use the subscription customers. The customer number is an identifier, not a
# feature, and `days_since_cancellation_request` is only filled in for customers who already
# left, so both are dropped before training. The categorical columns become 0/1 columns with
# `pd.get_dummies`. This cell is ready to run:

# %%
churn = datasets.load("churn")
X = pd.get_dummies(
    churn.drop(columns=["customer_id", "churned", "days_since_cancellation_request"]), dtype=int
)
y = churn["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
print(X_train.shape, X_test.shape)

# %% [markdown]
# ## Task 1 — log a first run
#
# Make `churn` the active experiment. Then, in one run, train
# `RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0)` on the training rows,
# log the parameters `n_estimators` and `max_depth`, and log the metric `roc_auc`: the ROC AUC
# of the predicted probabilities on the **test** rows. Store the run's id in `first_run_id`.

# %% task:q1
first_run_id = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Logging the model itself
#
# Parameters tell you how a model was made; logging the fitted model means you never have to
# make it again. `mlflow.sklearn.log_model(model, name="model")`, called inside the run, saves
# it. MLflow 3 files it as a **LoggedModel** with an id of its own (`m-…`), linked to the run,
# and returns a `ModelInfo` whose `model_uri` (`models:/m-…`) loads it back anywhere with
# `mlflow.sklearn.load_model(uri)`.
#
# Two arguments are worth knowing:
#
# - `skops_trusted_types`: MLflow saves scikit-learn models in the **skops** format, which,
#   unlike pickle, refuses to load object types nobody vouched for. A forest is built from
#   `sklearn.tree._tree.Tree` objects, so name that type once when you log it; without it,
#   `log_model` stops with "untrusted types".
# - `pip_requirements`: MLflow records which packages the model needs. Left to itself, it finds
#   out by loading the model in a separate Python process, which takes several seconds per
#   model. Saying it yourself (`["scikit-learn"]`) is instant.

# %%
tracking.configure(experiment="cancer-example")

with mlflow.start_run(run_name="forest-with-model") as run:
    forest = RandomForestClassifier(n_estimators=50, max_depth=5, random_state=0)
    forest.fit(Xc_train, yc_train)
    mlflow.log_params({"n_estimators": 50, "max_depth": 5})
    mlflow.log_metric("roc_auc", roc_auc_score(yc_test, forest.predict_proba(Xc_test)[:, 1]))
    info = mlflow.sklearn.log_model(
        forest,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )

print(info.model_uri)
reloaded = mlflow.sklearn.load_model(info.model_uri)
print(reloaded)
print(mlflow.get_logged_model(info.model_id).source_run_id == run.info.run_id)

# %% [markdown]
# ## Task 2 — log the model with its run
#
# Make `churn` the active experiment again (the example above switched to `cancer-example`)
# and log a second run for `RandomForestClassifier(n_estimators=100, max_depth=8,
# random_state=0)`: the same two parameters, its test `roc_auc`, and the fitted model itself,
# logged **inside** the run with `name="model"`. Store the model's URI (the `model_uri` of what
# `log_model` returns, `models:/m-…`) in `model_uri`.

# %% task:q2
model_uri = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Autolog
#
# Typing `log_param` for every setting gets old. `mlflow.sklearn.autolog()` patches
# scikit-learn so that every `.fit(...)` inside a run logs **all** of the estimator's
# parameters, a few metrics and, unless you pass `log_models=False`, the model
# (`log_datasets=False` also skips recording a description of the training table). Two things
# to know:
#
# - autolog must be on **before** `.fit(...)`: it records fits, not models that already exist;
# - its metrics (`training_roc_auc`, `training_accuracy_score`, …) are computed on the
#   **training** rows. They are there to spot problems, not to compare models: log the test
#   score yourself.
#
# `mlflow.sklearn.autolog(disable=True)` turns it off again, so later fits are not logged by
# surprise.

# %%
import warnings

# MLflow 3.17's autolog passes scikit-learn an argument name that scikit-learn 1.9 renamed;
# the warning it triggers says nothing about your code.
warnings.filterwarnings("ignore", message=r".*`y_pred` was renamed", category=FutureWarning)

tracking.configure(experiment="cancer-example")

mlflow.sklearn.autolog(log_models=False, log_datasets=False)
with mlflow.start_run(run_name="autologged") as run:
    forest = RandomForestClassifier(n_estimators=50, max_depth=4, random_state=0)
    forest.fit(Xc_train, yc_train)
    mlflow.log_metric("roc_auc", roc_auc_score(yc_test, forest.predict_proba(Xc_test)[:, 1]))
mlflow.sklearn.autolog(disable=True)

stored = mlflow.get_run(run.info.run_id)
print(len(stored.data.params), "parameters, for example", stored.data.params["min_samples_leaf"])
print(stored.data.metrics)

# %% [markdown]
# ## Task 3 — let autolog do the bookkeeping
#
# Make `churn` the active experiment again and turn on
# `mlflow.sklearn.autolog(log_models=False, log_datasets=False)`. Then, in a third run, fit
# `RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)` on the training rows
# and log its test `roc_auc` yourself. Turn autolog off afterwards and store the run's id in
# `autolog_run_id`.

# %% task:q3
autolog_run_id = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Look at your runs
#
# Your runs are now in the store of your data home. `mlflow.search_runs` returns them as a
# DataFrame, with one `params.*` and one `metrics.*` column per name you logged; in a terminal,
# `sandbox mlflow` opens the same runs in MLflow's web UI.

# %%
runs = mlflow.search_runs(experiment_names=["churn"])
runs.filter(regex=r"^(run_id|params\.max_depth|metrics\.(roc_auc|training_roc_auc))$")

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.
# Every run of the notebook logs new runs; that is normal, and the checks look at the runs whose
# ids you stored.

# %% submit
ch.submit()
