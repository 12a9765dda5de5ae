# targets: q2
# expect: bad_dates
# The bad dates typed in from a scroll through the table: some found, labels guessed.
# %% q2
bad_dates = pd.Series(
    ["unknown", "2024-02-30", "31/31/2023", "TBC", "not recorded"],
    index=[3, 150, 700, 1200, 1900],
    name="order_date",
)
