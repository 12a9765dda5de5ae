# %% [markdown]
# # Pipelines: numbers and categories in one model
#
# Real tables mix kinds of columns. Numbers such as a monthly bill need scaling; categories such
# as a contract type (`"one-year"`) must be turned into numbers before any model can use them;
# identifiers must not be used at all. Doing each step by hand, as in the previous challenge,
# works for one split, but it is easy to forget a step for the test rows, or to let a step learn
# from rows it should not see.
#
# scikit-learn solves this with two tools:
#
# - a **ColumnTransformer** sends each group of columns through its own preparation
#   (scale these, one-hot encode those) and drops every column you did not name;
# - a **Pipeline** chains that preparation and a model into **one estimator**. `fit` learns
#   every step from the training rows only; `predict` applies the same steps to new rows.
#   Cross-validation refits the whole chain in every fold, so nothing leaks.
#
# In this challenge you build such a pipeline for the churn data, with the text columns the
# previous challenge left out, and the grader scores it on customers you never get to see.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("pipelines-column-transformer")

# %% [markdown]
# ## Worked example: flats to let
#
# A letting agency records its listings (size, floor, district, heating and rent) and whether
# each flat was let within two weeks. The data is generated here, from a fixed seed, so it is
# the same every time.

# %%
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

rng = np.random.default_rng(7)
n = 400
flats = pd.DataFrame(
    {
        "listing_id": np.arange(5001, 5001 + n),
        "size_m2": rng.integers(25, 120, n),
        "floor": rng.integers(0, 8, n),
        "district": rng.choice(["centre", "north", "riverside"], n),
        "heating": rng.choice(["gas", "electric", "heat pump"], n),
    }
)
fair_rent = 12 * flats["size_m2"] + flats["district"].map(
    {"centre": 350, "north": 0, "riverside": 150}
)
flats["rent"] = (fair_rent * rng.normal(1.0, 0.1, n)).round()
flats["let_quickly"] = (flats["rent"] < fair_rent * rng.normal(1.0, 0.04, n)).astype(int)
flats.head()

# %% [markdown]
# Keep every column in the features for now, identifier included: the ColumnTransformer will
# choose. Split as usual.

# %%
listings = flats.drop(columns=["let_quickly"])
let_quickly = flats["let_quickly"]
l_train, l_test, q_train, q_test = train_test_split(
    listings, let_quickly, test_size=0.25, stratify=let_quickly, random_state=0
)

# %% [markdown]
# ### The ColumnTransformer
#
# It takes a list of `(name, transformer, columns)` triples. Here the numeric columns go
# through a `StandardScaler`, and the text columns through a `OneHotEncoder`, which makes one
# 0/1 column per category (`district_centre`, `district_north`, …). Two details matter:
#
# - columns you do not list are **dropped** (the default `remainder="drop"`), which is how
#   `listing_id` never reaches the model;
# - `handle_unknown="ignore"` lets the encoder meet a category it never saw in training (a new
#   district) and encode it as all zeros, instead of raising an error on the day you predict.

# %%
flat_numeric = ["size_m2", "floor", "rent"]
flat_categorical = ["district", "heating"]

flat_preprocess = ColumnTransformer(
    [
        ("num", StandardScaler(), flat_numeric),
        ("cat", OneHotEncoder(handle_unknown="ignore"), flat_categorical),
    ]
)
prepared = flat_preprocess.fit_transform(l_train)
pd.DataFrame(prepared, columns=flat_preprocess.get_feature_names_out()).head(3).round(2)

# %% [markdown]
# Three scaled numbers, three district columns and three heating columns: nine model inputs,
# and no `listing_id`.
#
# ### The Pipeline
#
# A `Pipeline` is a list of `(name, step)` pairs; the last step is the model. Fit it on the raw
# training rows; it fits the ColumnTransformer (scaler and encoder learn from these rows only),
# transforms them, and fits the model on the result.

# %%
flat_model = Pipeline(
    [
        ("preprocess", flat_preprocess),
        ("classifier", LogisticRegression(max_iter=1000)),
    ]
)
flat_model.fit(l_train, q_train)

# %% [markdown]
# The fitted pipeline takes raw rows, as they come. `predict_proba` gives, for each row, the
# probability of each class; column 1 is the probability of a 1 (let quickly). Even a flat in a
# district the model never saw, `"harbour"`, gets a prediction:

# %%
new_flats = pd.DataFrame(
    {
        "listing_id": [9001, 9002],
        "size_m2": [60, 60],
        "floor": [2, 2],
        "district": ["centre", "harbour"],
        "heating": ["gas", "gas"],
        "rent": [1000.0, 1000.0],
    }
)
flat_model.predict_proba(new_flats)[:, 1].round(2)

# %% [markdown]
# To score it, this challenge uses **ROC AUC**: the chance that the model ranks a random
# positive row above a random negative one. 0.5 is guessing, 1.0 is a perfect ranking. (The
# classification-metrics challenge explains it in detail.) It needs probabilities, not 0/1
# predictions:

# %%
roc_auc_score(q_test, flat_model.predict_proba(l_test)[:, 1])

# %% [markdown]
# ### Cross-validation with a pipeline
#
# One test set gives one number, and a different split would give a somewhat different one.
# **Cross-validation** repeats the exercise on the training rows: `StratifiedKFold` cuts them
# into 5 folds that keep the class shares; each fold in turn is held out while the pipeline is
# refitted, scaler and encoder included, on the other four, and scored on it. You get 5 scores:
# their mean estimates the skill, their spread shows how much it depends on the rows.
#
# `shuffle=True` mixes the rows before cutting (data is often sorted by date or by id, and
# unshuffled folds would then differ systematically); `random_state` fixes that shuffle, so
# the scores are the same on every run.

# %%
flat_folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
flat_scores = cross_val_score(flat_model, l_train, q_train, cv=flat_folds, scoring="roc_auc")
print(flat_scores.round(3))
print(f"ROC AUC {flat_scores.mean():.3f} ± {flat_scores.std():.3f}")

# %% [markdown]
# Because the scaler sits *inside* the pipeline, each fold's scaler learns from that fold's
# training part only. Scaling all the rows first and cross-validating the model afterwards
# would leak each held-out fold into its own preparation.
#
# ## Your turn: churn with every feature
#
# You get all 2,500 customers of `churn`. The grader scores your model on customers you never
# get to see: each time it checks your notebook, it draws new customers from the same process
# that made the `churn` data. They look like customers on the day you would predict: nobody
# has asked to cancel yet, so they have no `days_since_cancellation_request` column at all.
#
# `X` below keeps every column except the target, as in the worked example: your
# ColumnTransformer decides what the model sees.

# %%
churn = datasets.load("churn")

X = churn.drop(columns=["churned"])
y = churn["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=42
)
print(len(X_train), "training rows,", len(X_test), "test rows")
X.dtypes

# %% [markdown]
# ## Task 1 — numeric and categorical features
#
# Store the names of the numeric feature columns in a list `numeric_features` and the names of
# the text (categorical) columns in a list `categorical_features`. Leave out the identifier and
# the leaky column, which is only known after a customer churns.

# %% task:q1
numeric_features = ____
categorical_features = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — the ColumnTransformer
#
# Store in `preprocess` a `ColumnTransformer` that scales the numeric features with a
# `StandardScaler`, one-hot encodes the categorical features with a `OneHotEncoder` that
# ignores categories it never saw, and drops every other column.

# %% task:q2
preprocess = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — the pipeline
#
# Store in `model` a `Pipeline` of `preprocess` followed by `LogisticRegression(max_iter=1000)`,
# fitted on the training rows. The check scores it (ROC AUC) on new customers the grader draws.

# %% task:q3
model = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — cross-validate it
#
# Store in `cv_scores` the 5 ROC AUC scores of cross-validating `model` on the training rows,
# with stratified folds shuffled with `random_state=0`. Print their mean and standard
# deviation: how much does the score move from fold to fold?

# %% task:q4
cv_scores = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# One object, `model`, now holds every decision: which columns are features, how each is
# prepared, and the classifier. It takes raw customer rows, as the business has them, and it
# cannot leak the test set into its preparation, because every step learns inside `fit`. Adding
# the categorical columns also pays: on new customers the numeric features alone reach a
# clearly lower ROC AUC than all of them together. (`contract` is a strong signal:
# month-to-month customers leave far more often.)
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
