# targets: q1
# expect: should not be there
# %% q1
unseen_columns = X.select_dtypes("number").columns.tolist()
