# %% q1
order_lines = sales[["order_id", "product", "quantity", "unit_price"]]

# %% q2
bulk_orders = sales[sales["quantity"] >= 5]

# %% q3
office_de_fr = sales[
    (sales["category"] == "office") & (sales["country"].isin(["Germany", "France"]))
]

# %% q4
spain = sales[sales["country"] == "Spain"]
latest_spain = spain.sort_values("order_date", ascending=False).head(5)
latest_spain = latest_spain[["order_date", "product", "quantity", "unit_price"]]
# Optional: number the rows 0-4 again. The check ignores row labels for this task.
latest_spain = latest_spain.reset_index(drop=True)
