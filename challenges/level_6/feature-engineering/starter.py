# %% [markdown]
# # Features that pay off
#
# A model only knows what its input columns tell it, in the form they tell it. A linear model
# weighs each column on its own; it cannot multiply two columns, and it cannot read a column of
# text at all. **Feature engineering** rewrites what you know about the problem into columns
# the model can use: a product or a ratio of two columns, a 0/1 flag for a category, a bin for
# a threshold.
#
# Every feature is a guess, so you **measure** it: cross-validated ROC AUC without the feature,
# then with it. In this challenge you find what the churn model cannot see, build features that
# raise its score on customers the grader keeps aside, and put them into a pipeline that
# predicts for new customers.
#
# Two rules make features safe to use:
#
# - **Row by row.** A feature is computed from the customer's own columns, the same way for one
#   customer as for a thousand. A statistic of the whole table (a rank, `pd.get_dummies` over the
#   values that happen to be present) changes with the table it is computed on.
# - **Known at prediction time.** Nothing that is only known after the outcome: not the target,
#   and not `days_since_cancellation_request`, which is filled in because a customer left. A
#   feature like that makes the score look wonderful and the model useless.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("feature-engineering")

# %% [markdown]
# ## A model that shows what its features are worth
#
# `numeric_model(features)` builds a pipeline: first your feature function, then it keeps the
# **numeric** columns only (`select_dtypes("number")`), scales them and fits a logistic
# regression. Because the feature function is the pipeline's first step, the pipeline takes the
# raw columns and computes the features itself, in cross-validation and for new customers
# alike. `no_features` leaves the table as it is, for the baseline.

# %%
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler


def keep_numeric(frame):
    return frame.select_dtypes("number")


def numeric_model(features):
    """Logistic regression on the numeric columns of `features(frame)`."""
    return make_pipeline(
        FunctionTransformer(features),
        FunctionTransformer(keep_numeric),
        StandardScaler(),
        LogisticRegression(max_iter=1000),
    )


def no_features(frame):
    return frame


CV = StratifiedKFold(5, shuffle=True, random_state=0)

# %% [markdown]
# ## Worked example: which orders come back?
#
# A made-up shop records each order's unit price, quantity and sales channel, and whether the
# customer sent it back. Big orders come back more often, and so do orders placed on the web.
# "Big" is price *times* quantity, which a linear model cannot compute from the two columns;
# the channel is text, which it never sees.

# %%
rng = np.random.default_rng(0)
orders = pd.DataFrame(
    {
        "unit_price": np.exp(rng.uniform(np.log(2), np.log(400), 1000)).round(2),
        "quantity": rng.integers(1, 30, 1000),
        "channel": rng.choice(["web", "phone"], 1000),
    }
)
value = orders["unit_price"] * orders["quantity"]
web_effect = np.where(orders["channel"] == "web", 1.0, 0.0)
orders["returned"] = (np.log(value) + web_effect + rng.normal(0, 0.5, 1000) > 6.5).astype(int)
X_orders = orders.drop(columns="returned")
y_orders = orders["returned"]


def order_features(frame):
    out = frame.copy()
    out["order_value"] = out["unit_price"] * out["quantity"]  # an interaction: a product
    out["on_web"] = (out["channel"] == "web").astype(int)  # a flag for a category
    return out


for features in [no_features, order_features]:
    scores = cross_val_score(numeric_model(features), X_orders, y_orders, cv=CV, scoring="roc_auc")
    print(f"{features.__name__:15s} ROC AUC {scores.mean():.3f}")

# %% [markdown]
# Both features raise the score, and the feature function works on a single order as well as
# on all of them: `order_features(X_orders.head(1))` has the same columns as
# `order_features(X_orders)`.
#
# ## The churn data
#
# The grader keeps every fifth customer aside (those whose `customer_id` is a multiple of 5):
# it scores your features and your final model on them. You work with the other 2,000. `X`
# holds their raw columns, without the identifier, the target and the leaky column.

# %%
churn = datasets.load("churn")
work = churn[churn["customer_id"] % 5 != 0]
X = work.drop(columns=["customer_id", "churned", "days_since_cancellation_request"])
y = work["churned"]
X.head()

# %% [markdown]
# ## Task 1 — what the model cannot see
#
# Store in `unseen_columns` the names of the columns of `X` that `numeric_model` drops before
# the logistic regression, because they are not numeric.

# %% task:q1
unseen_columns = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — the baseline
#
# Store in `baseline_auc` the mean cross-validated ROC AUC of `numeric_model(no_features)` on
# `X`, `y`, with the folds `CV`. This is the number your features have to beat.

# %% task:q2
baseline_auc = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — features that pay off
#
# Write `add_features(frame)`: it takes a table with the columns of `X` and returns a copy with
# your new numeric columns added. Ratios, products, flags for categories, bins: your choice.
# The grader runs it on the customers it kept aside and compares the cross-validated ROC AUC
# of `numeric_model(add_features)` with the baseline's: it must rise by at least 0.02. The
# function must work row by row (the same columns for one customer as for many) and use only
# what is known before a customer leaves.
#
# Measure your ideas first: compare `cross_val_score(numeric_model(add_features), X, y, cv=CV,
# scoring="roc_auc").mean()` with `baseline_auc`.

# %% task:q3
add_features = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — the model for new customers
#
# Train `final_model`: `numeric_model(add_features)` fitted on all of `X`, `y`. The grader gives
# it the raw columns of customers it has never seen and scores its ROC AUC.

# %% task:q4
final_model = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
