# targets: q1, q2, q3, q4
# Groups from groupby, Welch's t and its p-value computed from the formula with the t
# distribution, plain floats for the U test, and the one-sided p-value derived from the
# two-sided test (a numpy bool for the decision).
# %% q1
groups = dict(tuple(churn.groupby("churned")["avg_weekly_logins"]))
logins_churned = groups[1]
logins_stayed = groups[0]

# %% q2
import numpy as np

m1, m2 = logins_churned.mean(), logins_stayed.mean()
v1 = logins_churned.var(ddof=1) / len(logins_churned)
v2 = logins_stayed.var(ddof=1) / len(logins_stayed)
t_stat = (m1 - m2) / np.sqrt(v1 + v2)
dof = (v1 + v2) ** 2 / (v1**2 / (len(logins_churned) - 1) + v2**2 / (len(logins_stayed) - 1))
p_value = 2 * stats.t.sf(abs(t_stat), dof)

# %% q3
mwu = stats.mannwhitneyu(x=logins_churned, y=logins_stayed)
u_stat = float(mwu.statistic)
u_p_value = float(mwu.pvalue)

# %% q4
ages = churn.groupby("churned")["age"]
two_sided = stats.ttest_ind(ages.get_group(1), ages.get_group(0), equal_var=False)
age_p_value = two_sided.pvalue / 2 if two_sided.statistic < 0 else 1 - two_sided.pvalue / 2
reject_h0 = np.less(age_p_value, alpha)
