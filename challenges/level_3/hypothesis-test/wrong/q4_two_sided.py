# targets: q4
# expect: two-sided
# %% q4
age_churned = churn.loc[churn["churned"] == 1, "age"]
age_stayed = churn.loc[churn["churned"] == 0, "age"]
age_p_value = stats.ttest_ind(age_churned, age_stayed, equal_var=False).pvalue
reject_h0 = age_p_value < alpha
