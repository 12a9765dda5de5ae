# targets: q4
# expect: 16 rows
# %% q4
bad_emails = messy.loc[~messy["email"].str.contains("@"), "email"]
