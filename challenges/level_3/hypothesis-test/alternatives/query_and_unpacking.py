# targets: q1, q2, q3, q4
# query() for the groups, numpy arrays into the tests, results unpacked as tuples, the
# alternative written out, and the decision as a plain bool.
# %% q1
logins_churned = churn.query("churned == 1")["avg_weekly_logins"]
logins_stayed = churn.query("churned == 0")["avg_weekly_logins"]

# %% q2
t_stat, p_value = stats.ttest_ind(
    logins_churned.to_numpy(), logins_stayed.to_numpy(), equal_var=False
)

# %% q3
u_stat, u_p_value = stats.mannwhitneyu(logins_churned, logins_stayed, alternative="two-sided")

# %% q4
age_churned = churn.loc[churn["churned"].eq(1), "age"]
age_stayed = churn.loc[churn["churned"].eq(0), "age"]
age_p_value = stats.ttest_ind(age_churned, age_stayed, equal_var=False, alternative="less").pvalue
reject_h0 = bool(age_p_value < alpha)
