# %% q1
logins_churned = churn.loc[churn["churned"] == 1, "avg_weekly_logins"]
logins_stayed = churn.loc[churn["churned"] == 0, "avg_weekly_logins"]

# %% q2
welch = stats.ttest_ind(logins_churned, logins_stayed, equal_var=False)
t_stat = welch.statistic
p_value = welch.pvalue

# %% q3
mwu = stats.mannwhitneyu(logins_churned, logins_stayed)
u_stat = mwu.statistic
u_p_value = mwu.pvalue

# %% q4
age_churned = churn.loc[churn["churned"] == 1, "age"]
age_stayed = churn.loc[churn["churned"] == 0, "age"]
age_test = stats.ttest_ind(age_churned, age_stayed, equal_var=False, alternative="less")
age_p_value = age_test.pvalue
reject_h0 = age_p_value < alpha
