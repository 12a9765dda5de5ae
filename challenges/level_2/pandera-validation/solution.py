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
        "email": pa.Column(str, pa.Check.str_matches(email_rule), nullable=True),
    }
)

# %% q2
try:
    sales_schema.validate(typed, lazy=True)
    failure_cases = None
except pa.errors.SchemaErrors as err:
    failure_cases = err.failure_cases

# %% q3
countries = ["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"]
sales_schema_pl = pap.DataFrameSchema(
    {
        "order_id": pap.Column(pl.Int64, unique=True),
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

# %% q4
try:
    sales_schema_pl.validate(typed_lazy.collect(), lazy=True)
    pl_failure_cases = None
except pap.errors.SchemaErrors as err:
    pl_failure_cases = err.failure_cases
