# targets: q2
# expect: t_stat
# The worked example's Welch test on wine magnesium, reported as the churn result.
# %% q2
t_stat = welch.statistic
p_value = welch.pvalue
