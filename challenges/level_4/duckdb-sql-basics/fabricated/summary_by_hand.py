# targets: q1
# expect: category_2024
# A result of the right shape typed in as if it came from the query.
# %% q1
category_2024 = pd.DataFrame(
    {
        "category": ["electronics", "home", "outdoor", "office"],
        "orders": [260, 240, 230, 220],
        "revenue": [21000.0, 12000.0, 9000.0, 5000.0],
    }
)
