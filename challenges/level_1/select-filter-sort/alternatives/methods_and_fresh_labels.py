# targets: q1, q2, q3, q4
# filter(items=...), comparison methods, the bulk orders biggest first (the task names no order),
# and the newest Spanish orders with fresh row labels 0-4.
# %% q1
order_lines = sales.filter(items=["order_id", "product", "quantity", "unit_price"])

# %% q2
bulk_orders = sales[sales.quantity.ge(5)].sort_values("quantity", ascending=False)

# %% q3
in_office = sales.category.eq("office")
to_de_or_fr = sales.country.eq("Germany") | sales.country.eq("France")
office_de_fr = sales[in_office & to_de_or_fr]

# %% q4
spain = sales[sales["country"] == "Spain"]
latest_spain = (
    spain.sort_values("order_date", kind="stable")
    .tail(5)
    .iloc[::-1][["order_date", "product", "quantity", "unit_price"]]
    .reset_index(drop=True)
)
