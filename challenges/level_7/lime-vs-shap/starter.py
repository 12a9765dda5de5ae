# %% [markdown]
# # LIME, SHAP and where they disagree
#
# SHAP is not the only way to explain one prediction. **LIME** (Local Interpretable
# Model-agnostic Explanations) takes a more direct route: it makes thousands of slightly changed
# copies of the row, asks the model about each one, and fits a small linear model that imitates
# the big one *around that row*. The linear model's weights are the explanation.
#
# That recipe works for any model, but it has two consequences you need to know:
#
# - the copies are drawn **at random**, so two runs can give different weights, and even
#   different features, unless you fix the random seed;
# - the weights describe a simple imitation of the model, not the model itself, so LIME and
#   SHAP can tell different stories about the same prediction.
#
# In this challenge you explain one customer of a subscription business with LIME, line the
# result up against SHAP, and measure how much of LIME's answer survives a change of seed.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("lime-vs-shap")

# %% [markdown]
# ## Worked example: one biopsy
#
# The biopsy forest from the SHAP challenge again (`target` 0 is malignant, 1 benign).

# %%
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from sandbox.integrations import explain

cancer = datasets.load("breast_cancer")
Xb = cancer.drop(columns="target")
yb = cancer["target"]
Xb_train, Xb_test, yb_train, yb_test = train_test_split(
    Xb, yb, test_size=0.25, random_state=0, stratify=yb
)
bc_forest = RandomForestClassifier(n_estimators=100, max_depth=5, random_state=0, n_jobs=1)
bc_forest.fit(Xb_train, yb_train)
print(
    f"P(malignant) of the first test biopsy: {bc_forest.predict_proba(Xb_test.iloc[[0]])[0, 0]:.3f}"
)

# %% [markdown]
# ### LIME by hand, and its randomness
#
# The `lime` package does the work in two steps: a `LimeTabularExplainer` learns the range of
# every feature from the training rows, then `explain_instance(row, predict_proba)` perturbs the
# row and fits the local model. LIME cuts each feature into quartiles, so its answers read like
# rules, such as `worst texture <= 20.98`, each with a weight: how much being in that range
# moves the probability of the class. `labels=(0,)` asks about class 0, malignant.
#
# Run the same explanation twice without a seed:

# %%
from lime.lime_tabular import LimeTabularExplainer


def bc_predict(rows):
    """predict_proba for the plain arrays LIME passes in (the forest was fitted on a DataFrame)."""
    return bc_forest.predict_proba(pd.DataFrame(rows, columns=Xb.columns))


lime_explainer = LimeTabularExplainer(
    Xb_train.to_numpy(), feature_names=list(Xb.columns), mode="classification"
)
for attempt in (1, 2):
    run = lime_explainer.explain_instance(
        Xb_test.iloc[0].to_numpy(), bc_predict, labels=(0,), num_features=4
    )
    print(f"run {attempt}:", [(rule, round(weight, 3)) for rule, weight in run.as_list(label=0)])

# %% [markdown]
# The weights move from run to run, and with weaker features even the list can change. An
# explanation that changes every time you ask cannot be reported, reviewed or tested. Pass
# `random_state` to the explainer and the neighbours are drawn the same way every time.
#
# ### The sandbox helper
#
# `explain.lime_explanation(model, X_train, row, ...)` wraps those steps: it follows the same
# class rule as `shap_explanation` (class 1 for a binary model unless `class_index` says
# otherwise), takes `random_state` (write it out, so a reader sees the explanation is seeded),
# and returns `(feature, weight)` pairs with plain feature names, largest effect first.
# `row` is a position in `X_train` or the feature values of any row, such as
# `X_test.iloc[i]`.

# %%
bc_lime = explain.lime_explanation(
    bc_forest, Xb_train, Xb_test.iloc[0], class_index=0, num_features=4, random_state=0
)
again = explain.lime_explanation(
    bc_forest, Xb_train, Xb_test.iloc[0], class_index=0, num_features=4, random_state=0
)
print(bc_lime == again)
bc_lime

# %% [markdown]
# ### LIME next to SHAP
#
# `explain.compare_local(shap_row, lime_weights)` lines up one row's SHAP values with LIME's
# weights. With LIME's `k` features, it covers those `k` features and SHAP's top `k`, ordered
# by SHAP rank. Each entry is a `FeatureAgreement`: `feature`, `shap_value`, `shap_rank`,
# `lime_weight`, `lime_rank`, `same_sign` and `disagreement`, a sentence saying why the two
# disagree, or `None` when they agree. They disagree on a feature when they push the prediction
# in opposite directions, or when only one of them counts it among the `k` most important.

# %%
bc_expl = explain.shap_explanation(bc_forest, Xb_test, class_index=0)
bc_agreement = explain.compare_local(bc_expl[0], bc_lime)
with pd.option_context("display.max_colwidth", None):
    display(pd.DataFrame(bc_agreement))

# %% [markdown]
# Why would two honest methods disagree? SHAP, for a tree model, is computed exactly from the
# trees: it shares out this row's prediction among the features, and the shares add up to it.
# LIME fits a straight-line imitation of the model over random neighbours, reading each feature
# as "which quartile is it in", and it changes each feature on its own. With correlated
# features that matters: `worst perimeter`, `worst radius` and `worst area` measure almost the
# same thing, so LIME's neighbours include shapes that never occur (a large radius with a small
# perimeter), and the credit can end up spread thinly over the group. Look in the table for
# those three: the two methods rarely credit the group the same way. Where the two agree, you can
# speak with some confidence; where they disagree, look closer before you explain anything to
# anyone.
#
# ## Your turn: a customer who may leave
#
# The `churn` set describes subscription customers and whether they cancelled (`churned` = 1).
# The cell below turns a few columns into numeric features (the contract length in months,
# whether the customer pays by invoice), leaves out the identifier, and trains a forest.
# `customer` is the position in `X_test` of the test customer whose predicted chance of
# leaving is closest to two in three: likely to go, but not a certainty, the kind of case
# someone will ask you to explain. `customer` is a **position**, which is what
# `X_test.iloc[...]` and `expl[...]` use, not the row's label in the table. Run it.

# %%
churn = datasets.load("churn")
X = pd.DataFrame(
    {
        "age": churn["age"],
        "tenure_months": churn["tenure_months"],
        "contract_months": churn["contract"].map(
            {"month-to-month": 1, "one-year": 12, "two-year": 24}
        ),
        "monthly_charges": churn["monthly_charges"],
        "total_charges": churn["total_charges"],
        "autopay": churn["autopay"],
        "pays_by_invoice": (churn["payment_method"] == "invoice").astype(int),
        "support_calls_90d": churn["support_calls_90d"],
        "avg_weekly_logins": churn["avg_weekly_logins"],
        "days_since_last_login": churn["days_since_last_login"],
    }
).astype(float)
y = churn["churned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
forest = RandomForestClassifier(
    n_estimators=100, max_depth=6, min_samples_leaf=5, random_state=0, n_jobs=1
)
forest.fit(X_train, y_train)

p_churn = forest.predict_proba(X_test)[:, 1]
customer = int(np.argmin(np.abs(p_churn - 2 / 3)))
print(f"customer at position {customer}: P(churn) = {p_churn[customer]:.3f}")
X_test.iloc[customer]

# %% [markdown]
# ## Task 1 — LIME for one customer
#
# Store in `lime_weights` LIME's explanation of the probability of **churning** (class 1) for
# the customer at position `customer` of `X_test`: its 5 most important features, with plain
# feature names, seeded with `random_state=0`.

# %% task:q1
lime_weights = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — where LIME and SHAP part ways
#
# Store in `expl` the SHAP explanation of `forest` on `X_test` (churn class). Then compare the
# customer's SHAP values with `lime_weights` and store in `disagreements` the names of the
# features on which the two disagree, as a list. Display the whole comparison as a table, as in
# the worked example, and read the reasons.

# %% task:q2
expl = ____
disagreements = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — what survives a change of seed
#
# A fixed seed makes LIME repeatable, not right: another seed is just as valid. Run the same
# explanation (same customer, class and 5 features) with each seed from 0 to 9, and store in
# `stable_features` the set of features that appear in **all ten** results.

# %% task:q3
stable_features = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## What you did
#
# Where LIME and SHAP name the same features with the same direction, you can speak about this
# customer with some confidence; where they part ways, one method's straight-line imitation and
# the other's exact split of the trees tell different stories, and the features that drop out
# when the seed changes were never firm. That is the honest summary of a local explanation:
# report the features that every method and every seed agree on, seed whatever you publish,
# and treat the rest as uncertain.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
