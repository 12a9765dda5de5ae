# %% [markdown]
# # Find the leak
#
# A model that scores a perfect 1.0 is rarely a triumph. Far more often it has been handed the
# answer: a feature that is only known **after** the outcome, or only **because** of it. This
# is called **target leakage**. The model looks brilliant in testing, because the test rows
# carry the leaky column too, and is useless the day it is deployed, because then the column is
# empty.
#
# Leaks hide well: the column has an innocent name and came with the data. Three habits catch
# them:
#
# 1. **Distrust a score that is too good** for the problem. Predicting human behaviour from a
#    handful of account fields does not give a ROC AUC of 1.0.
# 2. **Explain the model.** If one feature dominates the SHAP ranking, ask why.
# 3. **Ask when each feature is known.** Would you have this value at the moment you need the
#    prediction? If not, drop it, and measure again.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("find-the-leak")

# %% [markdown]
# ## Worked example: a follow-up visit
#
# The diabetes set records ten baseline measurements of a few hundred patients (scaled by
# scikit-learn) and how far their disease progressed one year later. We turn it into a yes/no
# question, "will this patient progress more than the median?", and add a column that a
# hospital export could easily contain: `followup_score`, a score recorded **at the one-year
# follow-up visit**.

# %%
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from sandbox.integrations import explain

diabetes = datasets.load("diabetes")
rng = np.random.default_rng(0)
patients = diabetes.drop(columns="target").assign(
    followup_score=(diabetes["target"] + rng.normal(0, 25, len(diabetes))).round(0),
    high_progression=(diabetes["target"] > diabetes["target"].median()).astype(int),
)
Xd = patients.drop(columns="high_progression")
yd = patients["high_progression"]
Xd_train, Xd_test, yd_train, yd_test = train_test_split(
    Xd, yd, test_size=0.3, random_state=0, stratify=yd
)
patient_model = RandomForestClassifier(n_estimators=100, max_depth=5, random_state=0, n_jobs=1)
patient_model.fit(Xd_train, yd_train)
print(f"ROC AUC: {roc_auc_score(yd_test, patient_model.predict_proba(Xd_test)[:, 1]):.3f}")

# %% [markdown]
# A score that close to 1.0 from ten routine measurements is suspicious. The explanation says why: one feature
# carries most of the model.

# %%
patient_expl = explain.shap_explanation(patient_model, Xd_test)
patient_importance = pd.Series(
    np.abs(patient_expl.values).mean(axis=0), index=patient_expl.feature_names
).sort_values(ascending=False)
print(f"share of the top feature: {patient_importance.iloc[0] / patient_importance.sum():.0%}")
patient_importance.head()

# %% [markdown]
# Ask the question of the top feature: **when is `followup_score` known?** A year after the
# prediction is needed, at the very visit that measures the outcome. It is the answer written
# in another column. Drop it and measure again:

# %%
honest_patient_model = RandomForestClassifier(
    n_estimators=100, max_depth=5, random_state=0, n_jobs=1
)
honest_patient_model.fit(Xd_train.drop(columns="followup_score"), yd_train)
honest_patient_auc = roc_auc_score(
    yd_test, honest_patient_model.predict_proba(Xd_test.drop(columns="followup_score"))[:, 1]
)
print(f"ROC AUC without the leak: {honest_patient_auc:.3f}")

# %% [markdown]
# The score is lower, and it is **true**: it is what the model will do for the next patient
# who walks in. The near-perfect score was never available.
#
# ## Your turn: the churn table
#
# The `churn` set describes subscription customers and whether they cancelled (`churned` = 1).
# Somewhere among its columns is a leak. The cell below keeps the first 2,000 customers: the
# grader holds the last 500 back, to test your final model on customers it has never seen.
# `prepare` turns a churn table into model features: it drops the identifier and the target
# and one-hot encodes the four text columns. Missing values stay missing; scikit-learn's
# forests handle them.

# %%
churn = datasets.load("churn").query("customer_id <= 2000")


def prepare(frame):
    """Model features of a churn table: everything except the id and the target, one-hot encoded."""
    features = frame.drop(columns=["customer_id", "churned"])
    return pd.get_dummies(
        features, columns=["region", "plan", "contract", "payment_method"], dtype=float
    )


X = prepare(churn)
y = churn["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
print(X.shape)
X.head()

# %% [markdown]
# ## Task 1 — a suspiciously perfect model
#
# Fit `leaky_model`, a `RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0,
# n_jobs=1)`, on **all** the columns of `X_train`. Store its ROC AUC on the test rows in
# `leaky_auc`.

# %% task:q1
leaky_model = ____
leaky_auc = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — the explanation points at a suspect
#
# Explain `leaky_model` on `X_test` with SHAP (churn class). Store in `suspect` the name of the
# feature with the largest mean |SHAP|, and in `suspect_share` its share of the total: its mean
# |SHAP| divided by the sum of every feature's mean |SHAP| (a number between 0 and 1).
#
# Then read the description of that column in the dataset registry,
# `datasets.info("churn").columns[suspect]`.

# %% task:q2
suspect = ____
suspect_share = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — the day it goes live
#
# A customer who is still with you has not asked to cancel, so on the day you use the model the
# column is **empty** for everyone you score. Score the test customers as the model would see
# them then: a copy of `X_test` whose `days_since_cancellation_request` is missing (`np.nan`)
# for every row. Store in `deployed_recall` the share of the real churners among them that
# `leaky_model.predict` flags: the model's **recall** (`sklearn.metrics.recall_score`).

# %% task:q3
deployed_recall = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — drop it and measure honestly
#
# Fit `honest_model`, the same kind of forest with the same settings, on `X_train` **without**
# the leaky column, and store its ROC AUC on the test rows (without that column too) in
# `honest_auc`. The grader also scores `honest_model` on the 500 customers it held back.

# %% task:q4
honest_model = ____
honest_auc = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# The perfect score came from one column recorded after the outcome. The explanation pointed at
# it, the question "when is this known?" convicted it, and the honest model's ROC AUC, about
# 0.8, is the one to report. Keep the habit: explain every model that looks too good, and
# check each dominant feature's timing before you trust it.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
