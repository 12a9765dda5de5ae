# %% [markdown]
# # Judging a classifier: beyond accuracy
#
# A churn model is built to find the customers who are about to leave, so that someone can
# call them in time. One number, accuracy, hides exactly that: when three customers in four
# stay, a model that never predicts "churns" is already right three times in four and finds
# nobody.
#
# In this challenge you judge the churn pipeline of the previous challenge the way the
# retention team would:
#
# - the **confusion matrix**: which kind of mistake the model makes, and how often;
# - **accuracy** against a do-nothing baseline, and **balanced accuracy**;
# - **precision**, **recall** and **F1**, and how moving the **decision threshold** trades
#   one for the other;
# - **ROC AUC**, which judges the ranking of the customers at every threshold at once.
#
# Along the way you draw diagnostics with Yellowbrick (through `sandbox.integrations`) and
# read numbers off them.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("classification-metrics")

# %% [markdown]
# ## Worked example: is this digit an 8?
#
# The `digits` data holds handwritten digits as 8×8 images. Asking "is it an 8?" makes a
# rare class: about one image in ten is an 8. A scaled logistic regression learns to spot them.

# %%
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sandbox.integrations import diagnostics

digits = datasets.load("digits")
pixels = digits.drop(columns=["target"])
is_eight = (digits["target"] == 8).astype(int)
p_train, p_test, e_train, e_test = train_test_split(
    pixels, is_eight, test_size=0.25, stratify=is_eight, random_state=0
)
eight_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
eight_model.fit(p_train, e_train)
print(f"{e_test.mean():.1%} of the test images are 8s")

# %% [markdown]
# ### The confusion matrix
#
# Every test row falls into one of four cells: its **true** class against its **predicted**
# class. With 1 as the positive class ("it is an 8"):
#
# |              | predicted 0         | predicted 1         |
# |--------------|---------------------|---------------------|
# | **true 0**   | true negative (TN)  | false positive (FP) |
# | **true 1**   | false negative (FN) | true positive (TP)  |
#
# scikit-learn's `confusion_matrix(y_true, y_pred)` returns exactly this table (the order of
# the arguments matters: true first), and `.ravel()` flattens it to `tn, fp, fn, tp`.

# %%
e_pred = eight_model.predict(p_test)
tn_e, fp_e, fn_e, tp_e = confusion_matrix(e_test, e_pred).ravel()
print(f"TN {tn_e}, FP {fp_e}, FN {fn_e}, TP {tp_e}")

# %% [markdown]
# `diagnostics.confusion_matrix` draws the same table with Yellowbrick. It takes the model,
# the training rows and the test rows (a fitted model is used as it is; the counts come from
# the test rows), and `classes` names the classes in the order 0, 1. Rows are the true class,
# columns the predicted class.

# %%
diagnostics.confusion_matrix(
    eight_model, p_train, e_train, p_test, e_test, classes=["other", "eight"]
)

# %% [markdown]
# It holds the same four counts as the table above: the bottom-left cell counts the eights the
# model missed (true "eight", predicted "other"), the top-right cell its false alarms.
#
# ### Accuracy and its baseline
#
# Accuracy is the share of correct predictions. Always compare it with the **baseline**, the
# accuracy of always predicting the most common class, here "not an 8":

# %%
print(f"model accuracy:    {accuracy_score(e_test, e_pred):.3f}")
print(f"baseline accuracy: {(e_test == 0).mean():.3f}")
print(f"balanced accuracy: {balanced_accuracy_score(e_test, e_pred):.3f}")

# %% [markdown]
# An accuracy well above 90% sounds excellent, but about 90% is free. **Balanced accuracy** averages the share of correct
# predictions *within each true class* (the share of "others" recognised and the share of
# eights caught), so the always-"other" baseline scores 0.5 on it, whatever the imbalance.
#
# ### Precision, recall and F1
#
# They look at the positive class:
#
# - **precision** = TP / (TP + FP): of the rows flagged as positive, the share that are;
# - **recall** = TP / (TP + FN): of the real positives, the share the model flags;
# - **F1** is their harmonic mean, high only when both are.

# %%
print(f"precision {precision_score(e_test, e_pred):.3f}")
print(f"recall    {recall_score(e_test, e_pred):.3f}")
print(f"F1        {f1_score(e_test, e_pred):.3f}")

# %% [markdown]
# ### The decision threshold
#
# `predict` hides a choice. The model first estimates a probability for each row
# (`predict_proba(...)[:, 1]` is the probability of class 1), then flags the rows whose
# probability is at least **0.5**. Nothing makes 0.5 right: when missing a positive costs more
# than a false alarm, flag more rows with a lower threshold. Recall rises and precision falls.

# %%
e_proba = eight_model.predict_proba(p_test)[:, 1]
e_flagged = (e_proba >= 0.2).astype(int)
print(
    f"threshold 0.2: precision {precision_score(e_test, e_flagged):.3f}, recall {recall_score(e_test, e_flagged):.3f}"
)

# %% [markdown]
# ### ROC AUC: every threshold at once
#
# The ROC curve plots, for every possible threshold, the share of positives caught (true
# positive rate, the recall) against the share of negatives falsely flagged (false positive
# rate). The area under it, **ROC AUC**, is the chance that the model gives a random positive
# a higher probability than a random negative: 0.5 is guessing, 1.0 a perfect ranking. It needs
# the **probabilities**: given the 0/1 output of `predict`, the curve has a single bend
# and the area says little.

# %%
print(f"ROC AUC from probabilities: {roc_auc_score(e_test, e_proba):.3f}")
print(f"ROC AUC from 0/1 labels:    {roc_auc_score(e_test, e_pred):.3f}  (wrong input)")

# %% [markdown]
# Yellowbrick draws the curves. With two classes, the curve of class "other" mirrors that of
# class "eight" and has the same area; the micro and macro averages matter only with more than
# two classes.

# %%
diagnostics.roc_auc(eight_model, p_train, e_train, p_test, e_test, classes=["other", "eight"])

# %% [markdown]
# ## Your turn: the churn model
#
# Below is the churn pipeline of the previous challenge, trained on three quarters of the
# customers (this time all 2,500 are used; nothing is kept aside). `model.predict` and
# `model.predict_proba` work on the raw rows of `X_test`.

# %%
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

churn = datasets.load("churn")
numeric_features = [
    "age",
    "autopay",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls_90d",
    "avg_weekly_logins",
    "days_since_last_login",
]
categorical_features = ["region", "plan", "contract", "payment_method"]
X = churn[numeric_features + categorical_features]
y = churn["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=42
)
preprocess = ColumnTransformer(
    [
        ("num", StandardScaler(), numeric_features),
        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical_features),
    ]
)
model = Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])
model.fit(X_train, y_train)
print(f"{len(X_test)} test customers, {int(y_test.sum())} of whom churned")

# %% [markdown]
# ## Task 1 — read the confusion matrix
#
# Draw the confusion matrix of `model` on the test rows with `diagnostics.confusion_matrix`,
# naming the classes `["stays", "churns"]`, and store the figure in `cm_figure`. Then store
# two of its counts: how many churners the model **missed** (`missed_churners`) and how many
# customers it flagged as churning who in fact stayed (`false_alarms`). Count them from the
# model's predictions on the test rows and read the figure to check them: verification runs
# your notebook on fresh data, where a number typed in from the figure no longer holds.

# %% task:q1
cm_figure = ____
missed_churners = ____
false_alarms = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — accuracy flatters
#
# Store the model's accuracy on the test rows in `accuracy`, the accuracy of always predicting
# "stays" in `baseline_accuracy`, and the model's balanced accuracy in `balanced_accuracy`.

# %% task:q2
accuracy = ____
baseline_accuracy = ____
balanced_accuracy = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — a lower threshold
#
# A call from the retention team is cheap and losing a customer is not, so the team would
# rather call some customers who were staying anyway than miss those who leave. Flag every
# test customer whose churn probability is at least `threshold` (0.3) and store the
# `precision`, `recall` and `f1` of those flags.

# %%
threshold = 0.3

# %% task:q3
precision = ____
recall = ____
f1 = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — ROC AUC
#
# Store the model's ROC AUC on the test rows in `auc`.

# %% task:q4
auc = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# The curve of class "churns" in Yellowbrick's figure should show the same area as your
# `auc`, rounded to two decimals:

# %%
diagnostics.roc_auc(model, X_train, y_train, X_test, y_test, classes=["stays", "churns"])

# %% [markdown]
# ## What you did
#
# At the default threshold the model looks fine on accuracy, yet it misses a large share of
# the customers who leave. Lowering the threshold to 0.3 catches far more of them, at the price of
# more calls to customers who were staying anyway; where to set it is a business decision
# (what a call costs, what a lost customer costs), not a property of the model. ROC AUC does
# not depend on that choice: it says how well the model *ranks* customers by risk, which is
# what the retention team's call list needs.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
