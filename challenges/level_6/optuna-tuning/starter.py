# %% [markdown]
# # Tune a forest with Optuna
#
# A random forest has settings that training does not learn: how many trees, how deep, how
# many customers a leaf must hold at least. These **hyperparameters** decide whether the
# forest memorises noise or finds the signal, and the best values depend on the data. Trying a
# few by hand works for one setting; for three that interact, let a search do it.
#
# **Optuna** runs that search. You write an **objective**: a function that receives a `trial`,
# asks it for values (`trial.suggest_int("max_depth", 2, 12)`), trains and returns a score. A
# **study** calls the objective again and again. Its **sampler** (TPE by default) starts with
# random values, then proposes values near the ones that scored well. A **pruner** stops
# trials early when their first results are already worse than most earlier trials.
#
# In this challenge you tune a forest for the churn data, train the final model with the best
# settings, and speed the search up with pruning. Studies are stored in your data home, so the
# dashboard can chart them.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("optuna-tuning")

# %% [markdown]
# ## Studies live in your storage
#
# `tuning.create_study(name, seed=0)` creates a study in the Optuna database of your data home,
# set to **maximise** (a ROC AUC is better when higher) and with a TPE sampler **seeded** with
# 0: the same objective over the same search space then proposes the same trials on every run.
# Plain `optuna.create_study()` would keep the study in memory only, minimise, and draw
# different trials each time.
#
# A stored study outlives the notebook, and `create_study` reopens it when the name exists, so
# running the notebook again would add trials to the old ones. The next cell deletes this
# challenge's studies first, so every run of the notebook starts from scratch.

# %%
import contextlib

import numpy as np
import optuna
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sandbox.integrations import tuning


def start_fresh(name):
    """Delete the study `name` from the Optuna storage of your data home, if it is there."""
    with contextlib.suppress(KeyError):  # KeyError: there is no such study yet
        optuna.delete_study(study_name=name, storage=tuning.storage_url())


for name in ["knn-example", "knn-pruned-example", "rf-tuning", "rf-pruned"]:
    start_fresh(name)

# %% [markdown]
# ## Worked example: neighbours for the breast cancer data
#
# A k-nearest-neighbours classifier has two settings worth tuning: how many neighbours vote,
# and whether nearer neighbours weigh more. The objective suggests both, trains on the training
# rows and returns the ROC AUC on the **validation** rows. The search never looks at rows it
# will be judged on later.

# %%
cancer = datasets.load("breast_cancer")
Xc = cancer.drop(columns="target")
yc = cancer["target"]
Xc_train, Xc_valid, yc_train, yc_valid = train_test_split(
    Xc, yc, test_size=0.25, random_state=0, stratify=yc
)


def knn_objective(trial):
    n_neighbors = trial.suggest_int("n_neighbors", 1, 50)
    weights = trial.suggest_categorical("weights", ["uniform", "distance"])
    model = make_pipeline(
        StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights)
    )
    model.fit(Xc_train, yc_train)
    return roc_auc_score(yc_valid, model.predict_proba(Xc_valid)[:, 1])


knn_study = tuning.create_study("knn-example", seed=0)
knn_study.optimize(knn_objective, n_trials=10)
print(knn_study.best_value, knn_study.best_params)
knn_study.trials_dataframe()[["number", "value", "params_n_neighbors", "params_weights"]].head()

# %% [markdown]
# ## The churn data
#
# The grader keeps every fifth customer aside (those whose `customer_id` is a multiple of 5)
# to score your final model on rows that neither you nor the search ever saw. You work with the
# other 2,000 customers: `X`, `y`, split into training rows for fitting and validation rows for
# the search to score each trial. As before, the identifier and the leaky
# `days_since_cancellation_request` are dropped and the categories become 0/1 columns. A forest
# with scikit-learn's default settings gives the score to beat.

# %%
churn = datasets.load("churn")
work = churn[churn["customer_id"] % 5 != 0]
X = pd.get_dummies(
    work.drop(columns=["customer_id", "churned", "days_since_cancellation_request"]), dtype=int
)
y = work["churned"]
X_train, X_valid, y_train, y_valid = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
print(X_train.shape, X_valid.shape)

untuned = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print("untuned forest:", roc_auc_score(y_valid, untuned.predict_proba(X_valid)[:, 1]))

# %% [markdown]
# ## Task 1 — a seeded search
#
# Write an objective that suggests, **in this order**:
#
# - `n_estimators`: an integer from 10 to 50 in steps of 10 (`step=10`),
# - `max_depth`: an integer from 2 to 12,
# - `min_samples_leaf`: an integer from 1 to 40,
#
# trains `RandomForestClassifier(..., random_state=0)` with them on the training rows, and
# returns the ROC AUC of its probabilities on the validation rows. Create the study `rf-tuning`
# with `tuning.create_study("rf-tuning", seed=0)`, run at least 15 trials, and keep the study in
# `study`.

# %% task:q1
study = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## The best trial, and the final model
#
# `study.best_value` is the best score, `study.best_params` the settings that gave it (a
# dictionary, ready for `**`), and `study.trials_dataframe()` shows every trial. Compare the best
# value with the untuned forest's score above.
#
# The validation rows chose the settings, so they have done their job. The final model is
# trained with those settings on **all** your rows, training and validation together: more data,
# same recipe. How well it really does is for rows it has never seen to say, and that is what the
# grader's held-out customers are for. Expect that score to be a little lower than
# `best_value`: the best of 15 tries on the same validation rows is a slightly lucky number.

# %%
if isinstance(study, optuna.Study):
    display(study.trials_dataframe().sort_values("value", ascending=False).head())

# %% [markdown]
# ## Task 2 — train the final model
#
# Train `final_model`: a `RandomForestClassifier` with the best parameters of `study` and
# `random_state=0`, fitted on all of `X` and `y`.

# %% task:q2
final_model = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Pruning: stop the hopeless trials early
#
# Many trials are clearly worse than the rest long before they finish. If the objective reports
# a score along the way, the pruner can stop them:
#
# 1. after each step, `trial.report(score_so_far, step)`;
# 2. then ask `trial.should_prune()`: the `MedianPruner` answers yes when this trial is doing
#    worse than the median of the earlier trials at the same step (it only starts judging once
#    `n_startup_trials` trials have completed);
# 3. if so, `raise optuna.TrialPruned()`. The trial ends as PRUNED, and the study moves on.
#
# Cross-validation has natural steps: the folds. The example reports the mean ROC AUC of the
# folds done so far. Asking `should_prune()` alone changes nothing; only the `raise` stops the
# trial.

# %%
cancer_folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(Xc, yc))


def knn_cv_objective(trial):
    n_neighbors = trial.suggest_int("n_neighbors", 1, 50)
    weights = trial.suggest_categorical("weights", ["uniform", "distance"])
    scores = []
    for step, (fit_rows, score_rows) in enumerate(cancer_folds):
        model = make_pipeline(
            StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights)
        )
        model.fit(Xc.iloc[fit_rows], yc.iloc[fit_rows])
        proba = model.predict_proba(Xc.iloc[score_rows])[:, 1]
        scores.append(roc_auc_score(yc.iloc[score_rows], proba))
        trial.report(np.mean(scores), step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return np.mean(scores)


knn_pruned = tuning.create_study(
    "knn-pruned-example", seed=0, pruner=optuna.pruners.MedianPruner(n_startup_trials=5)
)
knn_pruned.optimize(knn_cv_objective, n_trials=10)
states = pd.Series([t.state.name for t in knn_pruned.trials]).value_counts()
print(states)

# %% [markdown]
# ## Task 3 — a pruned search
#
# `FOLDS` (next cell) splits `X`, `y` into 3 folds. Write an objective that suggests `max_depth`
# (2 to 12) and `min_samples_leaf` (1 to 40), then for each fold trains
# `RandomForestClassifier(n_estimators=20, ..., random_state=0)` on the other folds' rows,
# scores the ROC AUC on the fold's rows, reports the **mean of the scores so far** with the
# fold's number as the step, and prunes when the pruner says so. Create the study `rf-pruned`
# with `tuning.create_study("rf-pruned", seed=0,
# pruner=optuna.pruners.MedianPruner(n_startup_trials=5))`, run 15 trials, and keep it in
# `pruned_study`.

# %%
FOLDS = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))

# %% task:q3
pruned_study = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Look at the search
#
# `optuna.visualization` draws a study as Plotly charts: the history below shows each trial's
# score and the best so far. The dashboard can chart every study in your storage the same way.

# %%
if isinstance(study, optuna.Study):
    display(optuna.visualization.plot_optimization_history(study))

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
