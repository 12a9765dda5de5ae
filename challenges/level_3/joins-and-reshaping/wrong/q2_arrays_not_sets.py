# targets: q2
# expect: asks for a set
# The right ids, but as the arrays unique() returns: the task asks for sets.
# %% q2
never_ordered = customers.loc[
    ~customers["customer_id"].isin(sales["customer_id"]), "customer_id"
].unique()
unknown_buyers = sales.loc[
    ~sales["customer_id"].isin(customers["customer_id"]), "customer_id"
].unique()
