# targets: q2
# expect: wrong sign
# %% q2
result = stats.ttest_ind(logins_stayed, logins_churned, equal_var=False)
t_stat = result.statistic
p_value = result.pvalue
