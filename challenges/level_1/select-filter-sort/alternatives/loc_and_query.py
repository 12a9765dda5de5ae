# targets: q1, q2, q3, q4
# .loc for columns, .query strings for filters, nlargest for the newest orders.
# %% q1
order_lines = sales.loc[:, ["order_id", "product", "quantity", "unit_price"]]

# %% q2
bulk_orders = sales.query("quantity >= 5")

# %% q3
office_de_fr = sales.query("category == 'office' and country in ['Germany', 'France']")

# %% q4
latest_spain = sales.loc[
    sales["country"] == "Spain", ["order_date", "product", "quantity", "unit_price"]
].nlargest(5, "order_date")
