# targets: q1, q2, q3, q4
# A column added to a copy, pivot_table for the totals, a frame built from three group results,
# nlargest for the best sellers.
# %% q1
orders = sales.copy()
orders["revenue"] = orders["quantity"] * orders["unit_price"]

# %% q2
revenue_by_category = orders.pivot_table(index="category", values="revenue", aggfunc="sum")[
    "revenue"
].sort_values(ascending=False)

# %% q3
by_country = orders.groupby("country")
country_summary = pd.DataFrame(
    {
        "n_orders": by_country.size(),
        "revenue": by_country["revenue"].sum(),
        "avg_order_value": by_country["revenue"].mean(),
    }
).sort_values("revenue", ascending=False)

# %% q4
top_products = orders.groupby("product")["quantity"].sum().nlargest(3)
