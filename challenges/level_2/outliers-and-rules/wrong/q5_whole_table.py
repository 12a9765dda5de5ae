# targets: q5
# expect: rows; expected
# Every product of sales_valid counted, not only the outlier rows.
# %% q5
outlier_products = sales_valid["product"].value_counts()
