# targets: q1
# expect: column `revenue`
# %% q1
orders = sales.assign(revenue=sales["unit_price"])
