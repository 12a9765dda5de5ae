# targets: q1, q2, q3, q4
# pandera's own type names, written-out checks (a vectorised lambda for the e-mail rule,
# greater_than / isin), the failure table sorted by column, and a collected frame validated in
# polars with a different but equivalent set of rules.
# %% q1

COUNTRIES = ["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"]
EMAIL = r"[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}"

sales_schema = pa.DataFrameSchema(
    {
        "order_id": pa.Column(pa.Int64, unique=True),
        "order_date": pa.Column(pa.DateTime),
        "customer_id": pa.Column(pa.Int64),
        "country": pa.Column(pa.String, pa.Check.isin(COUNTRIES)),
        "product": pa.Column(pa.String),
        "category": pa.Column(pa.String),
        "quantity": pa.Column(pa.Int64, pa.Check.ge(1)),
        "unit_price": pa.Column(pa.Float64, pa.Check.greater_than(0)),
        "email": pa.Column(
            pa.String,
            pa.Check(lambda s: s.str.fullmatch(EMAIL), name="valid_email"),
            nullable=True,
        ),
    }
)

# %% q2
try:
    sales_schema.validate(typed, lazy=True)
    failure_cases = None
except pa.errors.SchemaErrors as err:
    failure_cases = err.failure_cases.sort_values(["column", "check"]).reset_index(drop=True)

# %% q3
sales_schema_pl = pap.DataFrameSchema(
    {
        "order_id": pap.Column(pl.Int64, unique=True),
        "order_date": pap.Column(pl.Date),
        "customer_id": pap.Column(pl.Int64),
        "country": pap.Column(pl.Utf8, pap.Check.isin(COUNTRIES)),
        "product": pap.Column(pl.Utf8),
        "category": pap.Column(pl.Utf8),
        "quantity": pap.Column(pl.Int64, pap.Check.ge(1)),
        "unit_price": pap.Column(pl.Float64, pap.Check.greater_than(0)),
        "email": pap.Column(pl.Utf8, pap.Check.str_matches(f"^{EMAIL}$"), nullable=True),
    }
)

# %% q4
messy_orders = typed_lazy.collect()
try:
    sales_schema_pl.validate(messy_orders, lazy=True)
    pl_failure_cases = None
except pap.errors.SchemaErrors as err:
    pl_failure_cases = err.failure_cases
