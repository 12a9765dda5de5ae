# targets: q4
# expect: rows; expected
# %% q4
bad_emails = messy.loc[~messy["email"].str.contains("@"), "email"]
