# %% [markdown]
# # Explain a model with SHAP
#
# A model that scores well is not yet a model you can trust. Before it decides anything about a
# person, you want to know **why** it predicts what it predicts: which measurements drive it
# overall, and what tipped the balance for one particular case.
#
# **SHAP** answers both questions with one idea. For one row, it splits the gap between the
# model's output for that row and its average output (the *base value*) into one contribution
# per feature, its **SHAP value**. The contributions add up exactly:
#
# > base value + sum of the row's SHAP values = the model's output for the row
#
# A positive value pushes the prediction up, a negative one pushes it down. That is a **local**
# explanation. Average the *size* of every feature's contributions over many rows and you get a
# **global** one: which features the model leans on most.
#
# In this challenge you explain a random forest that reads cell measurements from breast
# biopsies: globally, then for one borderline patient. Then you see why the coefficients of a
# linear model are a trap when the features have different units.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("shap-global-and-local")

# %% [markdown]
# ## Worked example: three cultivars of wine
#
# The wine set holds 13 chemical measurements of wines from three cultivars (`target` 0, 1 or
# 2). A random forest learns to tell them apart.

# %%
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from sandbox.integrations import explain

wine = datasets.load("wine")
Xw = wine.drop(columns="target")
yw = wine["target"]
Xw_train, Xw_test, yw_train, yw_test = train_test_split(
    Xw, yw, test_size=0.3, random_state=0, stratify=yw
)
wine_forest = RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0, n_jobs=1)
wine_forest.fit(Xw_train, yw_train)
print(f"Test accuracy: {wine_forest.score(Xw_test, yw_test):.3f}")

# %% [markdown]
# ### Which class?
#
# A classifier outputs one probability **per class**, so SHAP computes one set of values per
# class too. `explain.shap_explanation(model, X)` returns the values for a single class: for a
# binary model it picks class 1 unless you say otherwise, and for a model with more classes it
# refuses to guess:

# %%
try:
    explain.shap_explanation(wine_forest, Xw_test)
except Exception as err:
    print(type(err).__name__, "-", err)

# %% [markdown]
# `class_index` names the class (its position in `model.classes_`). Here we explain the
# probability of cultivar 0. The result is a `shap.Explanation`: `.values` holds one row per
# explained wine and one column per feature, `.base_values` the base value of each row, and
# `.feature_names` the column names.

# %%
wine_expl = explain.shap_explanation(wine_forest, Xw_test, class_index=0)
print(wine_expl.values.shape)  # (wines, features)

# %% [markdown]
# ### Local: one wine
#
# The first test wine's contributions add up to the forest's probability of cultivar 0, exactly
# as promised. (`expl[i]` is the explanation of the row at **position** `i` of the explained
# table.)

# %%
first = wine_expl[0]
print(f"base value + contributions: {first.base_values + first.values.sum():.4f}")
print(f"model's probability:        {wine_forest.predict_proba(Xw_test.iloc[[0]])[0, 0]:.4f}")

# %% [markdown]
# A **waterfall** plot draws that sum: it starts at the base value at the bottom and adds one
# feature at a time, largest contribution first, until it reaches the prediction at the top.
# Red bars push towards cultivar 0, blue bars away from it.

# %%
explain.waterfall_figure(wine_expl, row=0)

# %% [markdown]
# As a table, the same contributions sorted by **absolute** size (a strong push down matters as
# much as a strong push up):

# %%
first_contrib = pd.Series(first.values, index=wine_expl.feature_names)
first_contrib.sort_values(key=np.abs, ascending=False).head(5)

# %% [markdown]
# ### Global: the whole test set
#
# To rank features overall, average the **absolute** SHAP values of each feature over the rows:
# the mean |SHAP|. Averaging the signed values instead lets the pushes up and the pushes down
# cancel out, so a feature that matters a lot in both directions looks unimportant. Compare:

# %%
mean_abs = pd.Series(np.abs(wine_expl.values).mean(axis=0), index=wine_expl.feature_names)
mean_signed = pd.Series(wine_expl.values.mean(axis=0), index=wine_expl.feature_names)
pd.DataFrame({"mean |SHAP|": mean_abs, "mean SHAP (signed)": mean_signed}).sort_values(
    "mean |SHAP|", ascending=False
).head(6)

# %% [markdown]
# `proline` matters most, yet its signed mean is close to zero: it pushes some wines
# towards cultivar 0 and others away. The **beeswarm** plot shows every row at once: one dot per
# wine and feature, placed by its SHAP value and coloured by the feature's value (red = high).

# %%
explain.beeswarm_figure(wine_expl, max_display=8)

# %% [markdown]
# ### A trap: ranking by raw coefficients
#
# A logistic regression has one coefficient per feature, and it is tempting to rank features by
# their size. But a coefficient is the effect of **one unit** of its feature: `proline` varies by
# hundreds of units from wine to wine, `hue` by fractions of one. On raw inputs, `proline` gets
# a tiny coefficient however much it matters. Standardize the inputs first (each feature then
# has mean 0 and standard deviation 1) and the coefficients become comparable:

# %%
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

print(Xw_train.std().round(2).sort_values(ascending=False).head(3))

# On raw inputs the default solver needs thousands of steps; newton-cholesky gets there at once.
raw_logreg = LogisticRegression(solver="newton-cholesky").fit(Xw_train, yw_train)
scaled_logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
scaled_logreg.fit(Xw_train, yw_train)

# coef_[0] holds the coefficients for class 0; the last step of the pipeline is the model.
pd.DataFrame(
    {
        "raw inputs": pd.Series(np.abs(raw_logreg.coef_[0]), index=Xw.columns),
        "standardized inputs": pd.Series(np.abs(scaled_logreg[-1].coef_[0]), index=Xw.columns),
    }
).sort_values("standardized inputs", ascending=False).head(5)

# %% [markdown]
# On raw inputs `proline` gets the second-smallest coefficient of the 13, because one unit of
# proline is a tiny change; standardized, it comes first, as SHAP says.
#
# ## Your turn: breast biopsies
#
# Each row of `breast_cancer` describes the cell nuclei of one biopsy with 30 measurements.
# **`target` is 0 for malignant and 1 for benign**, so class 1, the one picked by default, is
# *benign*. The question a doctor asks is "why does the model think this is malignant?", so
# every explanation below is about the **malignant** class.
#
# The forest below is already trained. Run the cell.

# %%
cancer = datasets.load("breast_cancer")
X = cancer.drop(columns="target")
y = cancer["target"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
forest = RandomForestClassifier(n_estimators=100, max_depth=5, random_state=0, n_jobs=1)
forest.fit(X_train, y_train)
print(f"classes: {forest.classes_}, test accuracy: {forest.score(X_test, y_test):.3f}")

# %% [markdown]
# ## Task 1 — explain the malignant class
#
# Store in `expl` the SHAP explanation of `forest` on every row of `X_test`, for the probability
# of **malignant** (class 0).

# %% task:q1
expl = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — what the model leans on overall
#
# Store in `global_importance` a pandas Series with one entry per feature: its mean |SHAP| over
# the test rows, indexed by the feature name and sorted **largest first**. (Draw
# `explain.beeswarm_figure(expl)` too, and see which features push towards malignant when they
# are high.)

# %% task:q2
global_importance = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## A borderline patient
#
# The forest is almost sure about most biopsies. `patient` below is the position in `X_test` of
# the one whose probability of malignant is closest to 50 %: the case where an explanation
# matters most.

# %%
p_malignant = forest.predict_proba(X_test)[:, 0]
patient = int(np.argmin(np.abs(p_malignant - 0.5)))
print(f"patient at position {patient}: P(malignant) = {p_malignant[patient]:.3f}")

# %% [markdown]
# ## Task 3 — what tipped the balance
#
# Store in `patient_contributions` the five SHAP values of that patient with the largest
# **absolute** size, as a pandas Series indexed by feature name, largest effect first, with
# their signs kept: the top of the patient's waterfall. (`explain.waterfall_figure(expl,
# row=patient)` draws the whole picture.)

# %% task:q3
patient_contributions = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — coefficients you can compare
#
# Fit `logreg`, a pipeline that standardizes the inputs and then fits
# `LogisticRegression(max_iter=5000)`, on `X_train` and `y_train`. Then store in `coef_ranking`
# the **absolute** values of its 30 coefficients as a pandas Series indexed by feature name,
# largest first.
#
# Compare the top of `coef_ranking` with `global_importance`: two different models, but do they
# lean on the same kind of measurement?

# %% task:q4
logreg = ____
coef_ranking = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# You explained one model in two ways: globally, by averaging the size of each feature's SHAP
# values, and locally, by reading one patient's contributions, which add up to the model's
# output. Two habits to keep: always say **which class** you explain, and never compare
# coefficients of inputs measured in different units.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
