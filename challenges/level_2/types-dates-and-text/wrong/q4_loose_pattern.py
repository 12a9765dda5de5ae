# targets: q4
# expect: rows; expected
# %% q4
bad_emails = messy.loc[~messy["email"].str.fullmatch(r"\S+@\S+\.\S+"), "email"]
