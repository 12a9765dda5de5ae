# targets: q3
# expect: churned group first
# %% q3
result = stats.mannwhitneyu(logins_stayed, logins_churned)
u_stat = result.statistic
u_p_value = result.pvalue
