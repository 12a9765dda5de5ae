# targets: q2
# expect: Student's t-test
# %% q2
result = stats.ttest_ind(logins_churned, logins_stayed)
t_stat = result.statistic
p_value = result.pvalue
