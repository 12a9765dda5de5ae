# %% [markdown]
# # Compare runs and register the winner
#
# A tracker earns its keep when there are many runs: a sweep over a setting, a week of ideas,
# a colleague's attempts. Then you stop scrolling and start **asking**: which runs scored above
# the bar, which one is best? MLflow answers with a query, `mlflow.search_runs`, that filters
# and sorts runs like a small database.
#
# The winner then goes to the **model registry**: a catalogue of named models, each with
# numbered **versions**, where every version remembers the run it came from. Code that uses the
# model asks for it by name and **alias** (`models:/churn-classifier@champion`), so promoting a
# better version later is one alias change, not a code change.
#
# In this challenge you sweep a forest's depth on the churn data, query the runs, register the
# best model and make it the champion. Everything goes to the tracking store in your data home;
# `sandbox mlflow` shows it in MLflow's web UI.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("compare-and-register")

# %% [markdown]
# ## A sweep, on another dataset first
#
# A **sweep** trains the same model several times, changing one setting, and logs one run per
# value. Logging each model too means the winner can be registered later without training it
# again. The two extra arguments of `log_model` are the ones from the tracking challenge:
# `pip_requirements` spares MLflow several seconds per model of guessing which packages the
# model needs, and `skops_trusted_types` vouches for a forest's tree objects, which MLflow's
# safe skops format refuses to save otherwise.

# %%
import mlflow
import mlflow.sklearn
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from sandbox.integrations import tracking

tracking.configure(experiment="cancer-sweep")

cancer = datasets.load("breast_cancer")
Xc = cancer.drop(columns="target")
yc = cancer["target"]
Xc_train, Xc_test, yc_train, yc_test = train_test_split(
    Xc, yc, test_size=0.25, random_state=0, stratify=yc
)

example_ids = []
for leaf in [1, 20, 80]:
    with mlflow.start_run(run_name=f"leaf-{leaf}") as run:
        forest = RandomForestClassifier(n_estimators=30, min_samples_leaf=leaf, random_state=0)
        forest.fit(Xc_train, yc_train)
        mlflow.log_param("min_samples_leaf", leaf)
        mlflow.log_metric("roc_auc", roc_auc_score(yc_test, forest.predict_proba(Xc_test)[:, 1]))
        mlflow.sklearn.log_model(
            forest,
            name="model",
            pip_requirements=["scikit-learn"],
            skops_trusted_types=["sklearn.tree._tree.Tree"],
        )
    example_ids.append(run.info.run_id)

# %% [markdown]
# ## Asking questions with `search_runs`
#
# `mlflow.search_runs(experiment_names=[...])` returns a DataFrame with one row per run and
# columns `run_id`, `params.<name>`, `metrics.<name>`, `tags.<name>`, …
#
# - `filter_string` keeps the runs that match, in a small SQL-like language:
#   `"metrics.roc_auc > 0.9"`, `"params.min_samples_leaf = '10'"`, joined with `and`. A bar
#   computed in the notebook goes in with an f-string: `f"metrics.roc_auc > {bar}"`.
#   Parameters are stored as **text**: compare them with quoted values (`'10'`) using `=`,
#   `!=` or `IN`. "Greater than" does not apply to them (as text, `'10'` sorts before `'4'`).
# - `order_by` sorts: `["metrics.roc_auc DESC"]` puts the highest score first. Without `DESC`
#   the order is ascending, and the first row is the *worst* run.
# - `max_results=1` keeps only the first row.
#
# Here the bar is the mean score of the sweep's runs, so the query keeps the runs that beat
# their average, whatever scores the data gave.

# %%
mean_auc = mlflow.search_runs(experiment_names=["cancer-sweep"])["metrics.roc_auc"].mean()
shortlist = mlflow.search_runs(
    experiment_names=["cancer-sweep"],
    filter_string=f"metrics.roc_auc > {mean_auc}",
    order_by=["metrics.roc_auc DESC"],
)
shortlist[["run_id", "params.min_samples_leaf", "metrics.roc_auc"]]

# %% [markdown]
# The runs at or below the mean were left out; the first row is the best run.

# %%
example_best_id = shortlist.loc[0, "run_id"]
example_best_id

# %% [markdown]
# ## The churn sweep
#
# The tasks use the subscription customers, prepared as in the tracking challenge: the
# identifier and the leaky `days_since_cancellation_request` are dropped and the categories
# become 0/1 columns. The depths to try are in `DEPTHS`.
#
# The queries below ask about *every* run of `churn-sweep`, so the cell also starts the sweep
# afresh: it deletes the runs an earlier run of this notebook logged there. (`delete_run` moves
# a run to MLflow's trash; searches leave it out, and registered models keep their files.)

# %%
churn = datasets.load("churn")
X = pd.get_dummies(
    churn.drop(columns=["customer_id", "churned", "days_since_cancellation_request"]), dtype=int
)
y = churn["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
DEPTHS = [2, 4, 6, 8, 10, 12]

tracking.configure(experiment="churn-sweep")
for old_run in mlflow.search_runs(experiment_names=["churn-sweep"], output_format="list"):
    mlflow.MlflowClient().delete_run(old_run.info.run_id)

# %% [markdown]
# ## Task 1 — sweep the depth
#
# Make `churn-sweep` the active experiment. For each `max_depth` in `DEPTHS`, log one run:
# train `RandomForestClassifier(n_estimators=100, max_depth=..., random_state=0)` on the
# training rows, log the parameter `max_depth`, the metric `roc_auc` (probabilities, on the
# **test** rows) and the fitted model with `name="model"`. Store the six run ids, in the order
# of `DEPTHS`, in a list `sweep_run_ids`.

# %% task:q1
sweep_run_ids = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — rank the runs with a query
#
# The bar is the median `roc_auc` of the runs of `churn-sweep`: compute it from those runs in
# the notebook. Then, with one `mlflow.search_runs` call, build `leaderboard`: the runs of
# `churn-sweep` whose `roc_auc` is above that median, best first. Store the `run_id` of its
# first row in `best_run_id`.

# %% task:q2
leaderboard = ____
best_run_id = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## From a run to its model, and into the registry
#
# In MLflow 3 each logged model has an id of its own and remembers the run that logged it (its
# `source_run_id`). `mlflow.search_logged_models` finds models the way `search_runs` finds runs;
# it takes experiment *ids*, which `mlflow.get_experiment_by_name` gives you.
#
# `mlflow.register_model(model_uri, "name")` then adds the model to the registry: the first
# call creates the registered model and its version 1, each later call adds version 2, 3, …
# It returns a `ModelVersion` with `.name`, `.version` and `.run_id`.

# %%
cancer_sweep = mlflow.get_experiment_by_name("cancer-sweep")
models = mlflow.search_logged_models(
    experiment_ids=[cancer_sweep.experiment_id],
    filter_string=f"source_run_id = '{example_best_id}'",
    output_format="list",
)
example_version = mlflow.register_model(models[0].model_uri, "cancer-classifier")
print(example_version.name, example_version.version, example_version.run_id == example_best_id)

# %% [markdown]
# ## Task 3 — register the best model
#
# Find the model logged by the run `best_run_id` and register it under the name
# `churn-classifier`. Store the `ModelVersion` that `mlflow.register_model` returns in
# `version`.

# %% task:q3
version = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Aliases: a stable name for "the one we use"
#
# Version numbers only grow, and "use version 7" in code means editing the code at every
# promotion. An **alias** is a movable label on one version: set it with
# `MlflowClient().set_registered_model_alias(name, alias, version)`, load with
# `models:/<name>@<alias>`. Moving the alias to a newer version changes what every user of the
# alias loads, and nothing else.

# %%
client = mlflow.MlflowClient()
client.set_registered_model_alias("cancer-classifier", "champion", example_version.version)
example_champion = mlflow.sklearn.load_model("models:/cancer-classifier@champion")
print(example_champion)

# %% [markdown]
# ## Task 4 — crown the champion
#
# Point the alias `champion` of `churn-classifier` at the version you registered in task 3.
# Then load the model **through the alias** into `champion`.

# %% task:q4
champion = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.
# Each run of the notebook replaces the sweep and registers a new version: that is normal, and
# the checks look at the ids and the version you stored.

# %% submit
ch.submit()
