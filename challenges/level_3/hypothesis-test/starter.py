# %% [markdown]
# # Is the difference real? Two-group tests with scipy
#
# Customers who cancel log in less often than customers who stay, on average. But any two
# groups of people differ a little by chance. A **hypothesis test** asks how surprising the
# difference would be if there were no real difference at all.
#
# The recipe is always the same:
#
# 1. State the **null hypothesis** H0, "there is no difference", and decide the **alternative**:
#    a difference in either direction (two-sided) or in one direction you fixed in advance
#    (one-sided).
# 2. Choose the significance level **alpha** before you look, usually 0.05.
# 3. Run the test. Its **p-value** is the probability of a difference at least this large if
#    H0 were true.
# 4. Decide: if the p-value is below alpha, reject H0. If not, you have not shown a
#    difference. That is not the same as showing there is none.
#
# Run each task's check cell after you answer; `ch.q1.hint()` helps when you are stuck.

# %% binding
from scipy import stats

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("hypothesis-test")

# %% [markdown]
# ## Worked example: magnesium in two wine cultivars
#
# Do wines of cultivar 1 and cultivar 2 contain different amounts of magnesium? First describe
# the two groups. Their standard deviations differ by half, so it is not safe to assume they
# share one variance.

# %%
wine = datasets.load("wine")
mg_1 = wine.loc[wine["target"] == 1, "magnesium"]
mg_2 = wine.loc[wine["target"] == 2, "magnesium"]
wine[wine["target"].isin([1, 2])].groupby("target")["magnesium"].agg(
    ["count", "mean", "median", "std"]
)

# %% [markdown]
# `stats.ttest_ind(a, b)` compares the means of two independent groups. By default it runs
# **Student's** t-test, which assumes equal variances. **Welch's** t-test
# (`equal_var=False`) does not, and it loses almost nothing when the variances are equal, so
# it is the safer default.
#
# The statistic's sign follows the order of the groups: negative means `a` has the smaller
# mean. The result has `.statistic` and `.pvalue`.

# %%
alpha = 0.05
welch = stats.ttest_ind(mg_1, mg_2, equal_var=False)
student = stats.ttest_ind(mg_1, mg_2)  # equal_var=True: not what we want here
print(f"Welch:   t = {welch.statistic:.3f}, p = {welch.pvalue:.4f}")
print(f"Student: t = {student.statistic:.3f}, p = {student.pvalue:.4f}")
print("reject H0 at alpha = 0.05?", welch.pvalue < alpha)

# %% [markdown]
# A t-test compares means, and a few extreme values (cultivar 1 has wines with up to 162 mg)
# inflate the variance and hide a shift. The **Mann-Whitney U** test ranks all values
# together and asks whether one group tends to rank higher. It does not need normal data
# and outliers cannot dominate it. Its statistic U counts the pairs in which the *first*
# group's value is larger (a tie counts half), so it too depends on the order.

# %%
mwu = stats.mannwhitneyu(mg_1, mg_2)
print(f"Mann-Whitney: U = {mwu.statistic}, p = {mwu.pvalue:.5f}")

# %% [markdown]
# **One-sided tests.** If, *before* seeing the data, you had a reason to expect that
# cultivar 1 has *less* magnesium, you may test only that direction with
# `alternative="less"` (the first group's mean is smaller) or `alternative="greater"`. When
# the data points the predicted way, the one-sided p-value is half the two-sided one. That is
# why you must fix the direction in advance: picking it after looking at the data doubles
# your chance of a false alarm.

# %%
one_sided = stats.ttest_ind(mg_1, mg_2, equal_var=False, alternative="less")
print(f"two-sided p = {welch.pvalue:.4f}, one-sided ('less') p = {one_sided.pvalue:.4f}")

# %% [markdown]
# ## The data
#
# `churn` holds 2,500 subscription customers; `churned` is 1 for those who cancelled. Look at
# the weekly logins of the two groups: the spreads differ, and the maximum is far from
# everything else.

# %%
churn = datasets.load("churn")
churn.groupby("churned")["avg_weekly_logins"].agg(["count", "mean", "median", "std", "max"])

# %% [markdown]
# ## Task 1 — split the two groups
#
# Store the `avg_weekly_logins` of the customers who churned (`churned == 1`) in the Series
# `logins_churned`, and those of the customers who stayed (`churned == 0`) in `logins_stayed`.

# %% task:q1
logins_churned = ____
logins_stayed = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — Welch's t-test
#
# H0: churned and loyal customers log in equally often on average. Run **Welch's** t-test,
# two-sided, with `logins_churned` first and `logins_stayed` second. Store the statistic in
# `t_stat` and the p-value in `p_value`.

# %% task:q2
t_stat = ____
p_value = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — a rank-based test
#
# The logins are skewed and have extreme values, so check the result with a test that does
# not compare means. Run the two-sided **Mann-Whitney U** test on the same two groups,
# churned first. Store the statistic in `u_stat` and the p-value in `u_p_value`.

# %% task:q3
u_stat = ____
u_p_value = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — a one-sided test and a decision
#
# Before this data was collected, the retention team wrote down a hypothesis: **customers who
# churn are younger** than customers who stay. Test exactly that.
#
# - H0: the mean age of churned customers is not lower than that of the others.
# - Alternative: it is lower.
#
# Run Welch's t-test on `age`, churned group first, one-sided in the direction of the team's
# hypothesis. Store the p-value in `age_p_value` and your decision at `alpha` (already set to
# 0.05 above) in `reject_h0`: `True` if you reject H0, `False` if not.
#
# Afterwards, compute the two-sided p-value too and see why the direction had to be fixed
# before looking at the data. Then look at the mean ages themselves: a result can be
# statistically significant and still too small to matter.

# %% task:q4
age_p_value = ____
reject_h0 = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
