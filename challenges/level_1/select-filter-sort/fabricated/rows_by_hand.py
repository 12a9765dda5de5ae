# targets: q4
# expect: latest_spain
# Five rows typed in with the right columns and dtypes, not selected from the table.
# %% q4
latest_spain = pd.DataFrame(
    {
        "order_date": pd.to_datetime(["2024-06-30"] * 5),
        "product": ["Desk lamp", "Notebook", "Water bottle", "USB-C cable", "Backpack"],
        "quantity": [1, 2, 3, 1, 2],
        "unit_price": [29.99, 4.5, 13.49, 9.99, 49.0],
    }
)
