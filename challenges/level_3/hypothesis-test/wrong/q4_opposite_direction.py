# targets: q4
# expect: opposite direction
# %% q4
age_churned = churn.loc[churn["churned"] == 1, "age"]
age_stayed = churn.loc[churn["churned"] == 0, "age"]
age_test = stats.ttest_ind(age_churned, age_stayed, equal_var=False, alternative="greater")
age_p_value = age_test.pvalue
reject_h0 = age_p_value < alpha
