# targets: q4
# expect: column `product`
# %% q4
# Counts orders per product, not units sold.
top_products = orders["product"].value_counts().head(3)
