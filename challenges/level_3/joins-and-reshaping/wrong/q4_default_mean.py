# targets: q4
# expect: column `electronics`
# %% q4
monthly = sales.pivot_table(index="month", columns="category", values="revenue")
