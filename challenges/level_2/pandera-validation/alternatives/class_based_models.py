# targets: q1, q2, q3, q4
# The class-based style for both libraries (DataFrameModel with Field rules), and the polars
# data checks run on the LazyFrame itself by raising pandera's validation depth for one call.
# %% q1
from pandera.typing import Series


class Orders(pa.DataFrameModel):
    order_id: Series[int] = pa.Field(unique=True)
    order_date: Series[pa.DateTime]
    customer_id: Series[int]
    country: Series[str] = pa.Field(
        isin=["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"]
    )
    product: Series[str]
    category: Series[str]
    quantity: Series[int] = pa.Field(ge=1)
    unit_price: Series[float] = pa.Field(gt=0)
    email: Series[str] = pa.Field(
        str_matches=r"^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}$", nullable=True
    )


sales_schema = Orders

# %% q2
try:
    Orders.validate(typed, lazy=True)
    failure_cases = None
except pa.errors.SchemaErrors as err:
    failure_cases = err.failure_cases


# %% q3
class OrdersPl(pap.DataFrameModel):
    order_id: pl.Int64 = pap.Field(unique=True)
    order_date: pl.Date
    customer_id: pl.Int64
    country: pl.String = pap.Field(
        isin=["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"]
    )
    product: pl.String
    category: pl.String
    quantity: pl.Int64 = pap.Field(gt=0)
    unit_price: pl.Float64 = pap.Field(gt=0)
    email: pl.String = pap.Field(
        str_matches=r"^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}$", nullable=True
    )


sales_schema_pl = OrdersPl

# %% q4
from pandera.config import ValidationDepth, config_context

try:
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        OrdersPl.validate(typed_lazy, lazy=True)
    pl_failure_cases = None
except pap.errors.SchemaErrors as err:
    pl_failure_cases = err.failure_cases
