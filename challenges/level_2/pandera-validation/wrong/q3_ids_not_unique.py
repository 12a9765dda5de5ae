# targets: q3
# expect: duplicate rows
# %% q3
countries = ["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"]
sales_schema_pl = pap.DataFrameSchema(
    {
        "order_id": pap.Column(pl.Int64),
        "order_date": pap.Column(pl.Date),
        "customer_id": pap.Column(pl.Int64),
        "country": pap.Column(pl.String, pap.Check.isin(countries)),
        "product": pap.Column(pl.String),
        "category": pap.Column(pl.String),
        "quantity": pap.Column(pl.Int64, pap.Check.gt(0)),
        "unit_price": pap.Column(pl.Float64, pap.Check.gt(0)),
        "email": pap.Column(pl.String, pap.Check.str_matches(email_rule), nullable=True),
    }
)
