# targets: q3
# expect: first differs
# %% q3
price = sales_valid["unit_price"]
z_scores = (price - price.median()) / price.std()
