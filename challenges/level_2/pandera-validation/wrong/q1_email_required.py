# targets: q1
# expect: `email`
# %% q1
countries = ["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"]
sales_schema = pa.DataFrameSchema(
    {
        "order_id": pa.Column(int, unique=True),
        "order_date": pa.Column("datetime64[ns]"),
        "customer_id": pa.Column(int),
        "country": pa.Column(str, pa.Check.isin(countries)),
        "product": pa.Column(str),
        "category": pa.Column(str),
        "quantity": pa.Column(int, pa.Check.gt(0)),
        "unit_price": pa.Column(float, pa.Check.gt(0)),
        "email": pa.Column(str, pa.Check.str_matches(email_rule)),
    }
)
