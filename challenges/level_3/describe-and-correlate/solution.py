# %% q1
typical_order = sales["revenue"].median()

# %% q2
category_stats = (
    sales.groupby("category")["revenue"]
    .agg(
        orders="count",
        median_revenue="median",
        iqr_revenue=lambda s: s.quantile(0.75) - s.quantile(0.25),
    )
    .sort_values("median_revenue", ascending=False)
)

# %% q3
churn_corr = churn[features].corrwith(churn["churned"]).sort_values(key=abs, ascending=False)

# %% q4
logins_recency_rho = churn["avg_weekly_logins"].corr(
    churn["days_since_last_login"], method="spearman"
)
