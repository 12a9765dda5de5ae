# targets: q4
# expect: column `order_date`
# %% q4
spain = sales[sales["country"] == "Spain"]
latest_spain = spain.sort_values("order_date").head(5)
latest_spain = latest_spain[["order_date", "product", "quantity", "unit_price"]]
