# targets: q3
# expect: churn_corr
# Correlations of the right shape and a plausible order, typed in rather than computed.
# %% q3
churn_corr = pd.Series(
    {
        "days_since_last_login": 0.45,
        "tenure_months": -0.35,
        "avg_weekly_logins": -0.30,
        "support_calls_90d": 0.25,
        "autopay": -0.15,
        "monthly_charges": 0.10,
        "total_charges": -0.08,
        "age": -0.05,
    }
)
