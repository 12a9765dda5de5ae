# %% [markdown]
# # Regression: errors, residuals and cross-validation
#
# When the target is a number (a price, a distance, how far a disease progresses), a model is
# judged by how far its predictions land from the truth. Three numbers summarise that:
#
# - **MAE**, the mean absolute error: the typical size of a miss, in the target's own units;
# - **RMSE**, the root mean squared error: also in the target's units, but large misses
#   weigh more, because errors are squared before averaging;
# - **R²**: the share of the target's variation the model explains. 1 is perfect; 0 is no
#   better than always predicting the average; on test rows it can even be negative.
#
# A summary can hide a pattern, so you also look at the **residuals**, the misses row by row
# (actual − predicted). And because one test set is one draw of luck, you
# **cross-validate** to see how much the score moves.
#
# In this challenge you do all of this for the diabetes data that ships with scikit-learn.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("regression-and-cross-validation")

# %% [markdown]
# ## Worked example: stopping distances
#
# A driving school measured how many metres 300 cars needed to stop from a given speed. Physics
# says the distance grows with the *square* of the speed, and the measurements are noisier at
# high speed. The data is generated here, from a fixed seed.

# %%
import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.model_selection import KFold, cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

from sandbox.integrations import diagnostics

rng = np.random.default_rng(3)
speed = rng.uniform(20, 130, 300).round(1)
metres_per_second = speed / 3.6
stopping = (metres_per_second + metres_per_second**2 / 14) * rng.normal(1.0, 0.08, 300)
braking = pd.DataFrame({"speed_kmh": speed, "stopping_m": stopping.round(1)})

s_train, s_test, m_train, m_test = train_test_split(
    braking[["speed_kmh"]], braking["stopping_m"], test_size=0.25, random_state=0
)
line = LinearRegression().fit(s_train, m_train)
m_pred = line.predict(s_test)
print(f"MAE  {mean_absolute_error(m_test, m_pred):.2f} m")
print(f"RMSE {root_mean_squared_error(m_test, m_pred):.2f} m")
print(f"R²   {r2_score(m_test, m_pred):.3f}")

# %% [markdown]
# Every metric function takes the **true values first**, then the predictions. (For R² the order
# changes the result.) An R² of 0.95 looks excellent. The residuals tell another story.
#
# ### Residual plots
#
# `diagnostics.residuals_plot` draws, with Yellowbrick, each row's residual against its
# prediction, for the training rows (blue) and the test rows (green), with the R² of each in
# the legend and the distribution of the residuals on the right. (Yellowbrick plots
# predicted − actual, the mirror image of the usual residual; the patterns to look for are
# the same.) A good model leaves a shapeless, even band around zero.

# %%
diagnostics.residuals_plot(line, s_train, m_train, s_test, m_test)

# %% [markdown]
# The band is an arch: the straight line is too high at both ends and too low in the middle,
# because the true relationship curves. Give the model the square of the speed as well, with
# `PolynomialFeatures`, and the arch disappears:

# %%
curve = make_pipeline(PolynomialFeatures(degree=2, include_bias=False), LinearRegression())
curve.fit(s_train, m_train)
diagnostics.residuals_plot(curve, s_train, m_train, s_test, m_test)

# %% [markdown]
# A second pattern remains: the band **fans out**. Misses are small for short stopping
# distances and large for long ones. The model is not wrong on average anywhere, but its
# errors are not the same size everywhere, so one MAE does not describe every car. To measure
# the fan, compute the residuals (actual − predicted) and their standard deviation within each
# third of the predictions (`pd.qcut` cuts into groups of equal size):

# %%
c_pred = curve.predict(s_test)
c_residuals = m_test - c_pred
thirds = pd.qcut(c_pred, 3, labels=["low", "mid", "high"])
c_residuals.groupby(thirds).std()

# %% [markdown]
# ### Cross-validation for regression
#
# There are no classes to keep in proportion, so plain `KFold` cuts the folds, shuffled (rows
# are often stored in some order) with a fixed `random_state`. `cross_validate` is like
# `cross_val_score` but accepts several metrics at once and returns a dict of arrays, one
# value per fold: `test_r2`, `test_neg_mean_absolute_error`, and the fit and score times.
#
# scikit-learn's scorers follow "greater is better", so an error comes back **negated**:
# `neg_mean_absolute_error` is −MAE. Flip the sign before you report it.

# %%
folds = KFold(n_splits=5, shuffle=True, random_state=0)
results = cross_validate(
    curve, s_train, m_train, cv=folds, scoring=["r2", "neg_mean_absolute_error"]
)
print("R² per fold:", results["test_r2"].round(3))
print(f"R²  {results['test_r2'].mean():.3f} ± {results['test_r2'].std():.3f}")
print(f"MAE {-results['test_neg_mean_absolute_error'].mean():.2f} m")

# %% [markdown]
# ## Your turn: diabetes progression
#
# A few hundred patients, ten measurements taken at the start (age, sex, body mass index, blood
# pressure and six blood serum values, each already centred and scaled), and `target`, a
# measure of how far the disease progressed a year later.

# %%
diabetes = datasets.load("diabetes")
X = diabetes.drop(columns=["target"])
y = diabetes["target"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)
print(len(X_train), "training rows,", len(X_test), "test rows")
y.describe()

# %% [markdown]
# ## Task 1 — fit and score
#
# Fit a `LinearRegression()` on the training rows and store it in `model`. Store its `mae`,
# `rmse` and `r2` on the test rows.

# %% task:q1
model = ____
mae = ____
rmse = ____
r2 = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — residuals and their spread
#
# Store the test residuals (actual − predicted) in a Series `residuals`. Then store in
# `residual_spread` their standard deviation within each third of the predictions: a Series
# indexed `"low"`, `"mid"`, `"high"`. Do the misses have the same size everywhere?

# %% task:q2
residuals = ____
residual_spread = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — read the residual plot
#
# Draw the residual plot of `model` with `diagnostics.residuals_plot` and store it in
# `residuals_figure`. Store in `train_r2_shown` and `test_r2_shown` the training and the test
# R² its legend shows: compute them from `model` and round them to three decimals, as the
# legend does, then read the legend to check them (verification runs your notebook on fresh
# data, where a number typed in from the figure no longer holds). How does the training R²
# compare with the test one?

# %% task:q3
residuals_figure = ____
train_r2_shown = ____
test_r2_shown = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — cross-validate
#
# Cross-validate a `LinearRegression()` on the **training** rows with 5 shuffled folds
# (`random_state=0`), scoring R² and MAE. Store the mean and the standard deviation of the
# fold R² in `cv_r2_mean` and `cv_r2_std`, and the mean fold MAE, as a positive number, in
# `cv_mae_mean`.

# %% task:q4
cv_r2_mean = ____
cv_r2_std = ____
cv_mae_mean = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# A linear model explains about half of the variation in disease progression, and its typical
# miss is large compared with the spread of the target. Cross-validation shows how much that
# score depends on which patients land in the test set: a fold-to-fold spread of several points
# of R² means one test score alone could mislead. The residuals add what the summaries hide:
# the misses grow with the prediction, so the model is least reliable for the patients
# predicted to progress most.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
