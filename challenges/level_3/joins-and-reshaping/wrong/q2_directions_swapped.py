# targets: q2
# expect: should not be there
# %% q2
unknown_buyers = set(
    customers.loc[~customers["customer_id"].isin(sales["customer_id"]), "customer_id"]
)
never_ordered = set(sales.loc[~sales["customer_id"].isin(customers["customer_id"]), "customer_id"])
