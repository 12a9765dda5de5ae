# targets: q1, q2, q3, q4
# The 50% row of describe(), per-group describe() (whose counts are floats), a dictionary of
# correlations ordered with argsort, and Spearman as the Pearson correlation of the ranks.
# %% q1
typical_order = sales["revenue"].describe()["50%"]

# %% q2
described = sales.groupby("category")["revenue"].describe()
category_stats = pd.DataFrame(
    {
        "orders": described["count"],
        "median_revenue": described["50%"],
        "iqr_revenue": described["75%"] - described["25%"],
    }
).sort_values("median_revenue", ascending=False)

# %% q3
correlations = pd.Series({name: churn[name].corr(churn["churned"]) for name in features})
churn_corr = correlations.iloc[correlations.abs().argsort()[::-1]]

# %% q4
logins_recency_rho = churn["avg_weekly_logins"].rank().corr(churn["days_since_last_login"].rank())
