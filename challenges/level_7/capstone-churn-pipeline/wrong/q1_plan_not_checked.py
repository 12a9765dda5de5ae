# targets: q1
# expect: `plan` of 'gold'
# %% q1
churn_schema = pa.DataFrameSchema(
    {
        "customer_id": pa.Column(int, unique=True),
        "age": pa.Column(int, pa.Check.in_range(18, 100)),
        "region": pa.Column(str, pa.Check.isin(["north", "south", "east", "west"])),
        "plan": pa.Column(str),
        "contract": pa.Column(str, pa.Check.isin(["month-to-month", "one-year", "two-year"])),
        "payment_method": pa.Column(
            str, pa.Check.isin(["card", "bank transfer", "paypal", "invoice"])
        ),
        "autopay": pa.Column(int, pa.Check.isin([0, 1])),
        "tenure_months": pa.Column(int, pa.Check.ge(1)),
        "monthly_charges": pa.Column(float, pa.Check.ge(0)),
        "total_charges": pa.Column(float, pa.Check.ge(0)),
        "support_calls_90d": pa.Column(int, pa.Check.ge(0)),
        "avg_weekly_logins": pa.Column(float, pa.Check.ge(0)),
        "days_since_last_login": pa.Column(int, pa.Check.ge(0)),
        "days_since_cancellation_request": pa.Column(float, nullable=True),
        "churned": pa.Column(int, pa.Check.isin([0, 1])),
    }
)
validated = churn_schema.validate(raw, lazy=True)
