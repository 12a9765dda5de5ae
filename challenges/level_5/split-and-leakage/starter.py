# %% [markdown]
# # Honest splits: train, test and leakage
#
# A model is only worth something on customers it has never seen. To measure that, you hide
# some rows from it: the model learns from the **training set** and is scored once on the
# **test set**, which plays the part of next month's customers.
#
# The score is honest only if nothing about the test rows reaches the model, not even
# indirectly. When it does, that is **leakage**: the score looks better than the model will
# ever be in real use. Two kinds catch almost everyone:
#
# - a **leaky feature**, a column that is only known *after* the outcome it is meant to
#   predict;
# - **leaky preprocessing**: a step such as scaling or feature selection that learns its
#   numbers from all the rows, test rows included, before the split.
#
# In this challenge you prepare the subscription-churn data for a first model: choose the
# features, split the rows without distorting the share of customers who leave, scale them
# without peeking at the test set, and score a model honestly.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every
# task passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("split-and-leakage")

# %% [markdown]
# ## Worked example: breast cancer diagnoses
#
# scikit-learn ships a small medical data set: 30 measurements of cell nuclei for each of a few
# hundred tumours, and the diagnosis in `target` (0 malignant, 1 benign). By convention the
# features are called `X` (a DataFrame) and the target `y` (a Series).

# %%
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

cancer = datasets.load("breast_cancer")
features = cancer.drop(columns=["target"])
diagnosis = cancer["target"]
print(features.shape)
diagnosis.value_counts(normalize=True)

# %% [markdown]
# ### Splitting
#
# `train_test_split` shuffles the rows and cuts them in two. Three arguments matter:
#
# - `test_size=0.25` keeps a quarter of the rows for the test set;
# - `random_state=0` fixes the shuffle, so the same rows land in the test set every time you
#   run the notebook (and on anyone else's machine);
# - `stratify=diagnosis` keeps the share of each class the same in both parts. Without it,
#   chance decides: with a rare class, the test set can end up with noticeably more or fewer
#   of them than the data, and the score measures a different problem.
#
# It returns four objects, always in this order: train features, test features, train target,
# test target.

# %%
f_train, f_test, d_train, d_test = train_test_split(
    features, diagnosis, test_size=0.25, stratify=diagnosis, random_state=0
)
print(len(f_train), "training rows,", len(f_test), "test rows")
print(
    f"benign: {diagnosis.mean():.3f} overall, {d_train.mean():.3f} train, {d_test.mean():.3f} test"
)

# %% [markdown]
# The rows keep their original index labels, so you can always tell which customer (or tumour)
# went where: `f_test.index` lists the test rows, and `f_test.index` and `d_test.index` match.
#
# ### Scaling without peeking
#
# Many models (logistic regression among them) work best when every feature is on the same
# scale. `StandardScaler` subtracts each column's mean and divides by its standard deviation.
# Those two numbers per column are **learned**: `fit` computes them, `transform` applies them.
# Learn them from the training rows only, then apply the *same* numbers to the test rows, just
# as you would to next month's customers, whose mean you cannot know in advance.

# %%
scaler_example = StandardScaler()
scaler_example.fit(f_train)  # learns mean_ and scale_ from the training rows
f_train_scaled = scaler_example.transform(f_train)
f_test_scaled = scaler_example.transform(f_test)  # the training rows' numbers, applied to new rows

print("rows the scaler learned from:", int(scaler_example.n_samples_seen_))
for part, scaled in (("training", f_train_scaled), ("test", f_test_scaled)):
    means, stds = scaled[:, :3].mean(axis=0), scaled[:, :3].std(axis=0)
    print(f"{part:>8} rows, first three columns: mean {means.round(3) + 0}, std {stds.round(3)}")

# %% [markdown]
# The training columns now have mean 0 and standard deviation 1 exactly; the test columns are
# close but not exactly, and that is how it should be. (`fit_transform(f_train)` is a shortcut
# for `fit` then `transform` on the same rows. Never call it on the test rows: that would
# learn new numbers from them.)
#
# ### Why it matters: leakage can invent a signal
#
# With a scaler the damage of fitting on all rows is usually small. With steps that *choose*
# things, it is not. Here are 200 "patients" with 2,000 columns of pure random noise and a
# random label: there is nothing to learn, so an honest score is a coin flip, about 0.5. First
# the leaky way: pick the 20 columns most related to the label using **all** rows, then split.

# %%
from sklearn.feature_selection import SelectKBest, f_classif

rng = np.random.default_rng(1)
noise = rng.normal(size=(200, 2000))
labels = rng.integers(0, 2, size=200)

selected = SelectKBest(f_classif, k=20).fit(noise, labels).transform(noise)  # saw every row
a_train, a_test, b_train, b_test = train_test_split(
    selected, labels, test_size=0.3, stratify=labels, random_state=0
)
leaky_score = LogisticRegression().fit(a_train, b_train).score(a_test, b_test)

a_train, a_test, b_train, b_test = train_test_split(
    noise, labels, test_size=0.3, stratify=labels, random_state=0
)
selector = SelectKBest(f_classif, k=20).fit(a_train, b_train)  # training rows only
honest_score = (
    LogisticRegression()
    .fit(selector.transform(a_train), b_train)
    .score(selector.transform(a_test), b_test)
)
print(f"accuracy on pure noise: leaky {leaky_score:.2f}, honest {honest_score:.2f}")

# %% [markdown]
# The leaky version "finds" columns that happen to match the labels of the test rows too, and
# reports a skill that does not exist. The rule that prevents it: **split first; every step
# that learns anything learns it from the training rows only.**
#
# Finally, train a model on the scaled training rows and score it on the scaled test rows.
# `score` gives the accuracy, the share of rows predicted correctly.

# %%
example_model = LogisticRegression().fit(f_train_scaled, d_train)
print(f"test accuracy: {example_model.score(f_test_scaled, d_test):.3f}")

# %% [markdown]
# ## Your turn: which customers will cancel?
#
# The `churn` data describes 2,500 subscription customers and whether they cancelled
# (`churned` = 1). About a quarter of them did.

# %%
churn = datasets.load("churn")
print(churn.shape)
churn.head()

# %% [markdown]
# Not every column is a feature:
#
# - `customer_id` is an identifier: a customer number says nothing about whether someone
#   leaves, and a model would only memorise it.
# - `churned` is the target, the answer itself.
# - `days_since_cancellation_request` is a **leaky feature**: it is filled in only when a
#   customer has asked to cancel, that is, once they are already leaving. On the day you would
#   use the model to find customers at risk, nobody has that value yet. The data's own
#   description says so:

# %%
print(datasets.info("churn").columns["days_since_cancellation_request"])
churn["days_since_cancellation_request"].notna().groupby(churn["churned"]).mean()

# %% [markdown]
# Every churner has the value and no one else does, so a model could predict perfectly from
# whether it is filled in, and be useless in practice.
#
# ## Task 1 — features and target
#
# Store the **numeric** feature columns in a DataFrame `X`: every numeric column of `churn`
# except the identifier, the target and the leaky column (eight columns). Store the target
# column `churned` in a Series `y`. (The text columns such as `plan` and `contract` need
# encoding first; the next challenge adds them.)

# %% task:q1
X = ____
y = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — a stratified split
#
# Split `X` and `y` into `X_train`, `X_test`, `y_train`, `y_test` with a quarter of the rows
# in the test set, the same share of churners in both parts, and `random_state=42`.

# %% task:q2
X_train = ____
X_test = ____
y_train = ____
y_test = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — scale without peeking
#
# Create a `StandardScaler` called `scaler` that learns from the training rows only. Store the
# scaled training features in `X_train_scaled` and the scaled test features in
# `X_test_scaled`.

# %% task:q3
scaler = ____
X_train_scaled = ____
X_test_scaled = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — an honest score
#
# Train a `LogisticRegression()` (default settings) on the scaled training rows and store it in
# `model`. Then store its accuracy on the test rows in `test_accuracy`.

# %% task:q4
model = ____
test_accuracy = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# Your score comes from 625 customers the model never saw, prepared with numbers learned from
# the other 1,875 only: it estimates how the model will do on next month's customers. Is an
# accuracy of about 0.8 good? Not very: about three test customers in four stay, so a "model"
# that predicts *stays* for everyone already reaches about 0.75. The classification-metrics
# challenge shows better ways to judge it, and the next challenge puts the scaler and the
# model into one **pipeline**, so that the right rows are used automatically.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
