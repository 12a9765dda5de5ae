# targets: q1, q2, q3, q4
# A dictionary of counts, groups of identical rows (missing values grouped too) for the
# duplicates and the first copies, and an int32 customer id.
# %% q1
counts = {
    column: int(messy[column].isna().sum())
    for column in messy.columns
    if messy[column].isna().any()
}
missing_counts = pd.Series(counts).sort_values(ascending=False)

# %% q2
same_rows = messy.groupby(list(messy.columns), dropna=False, sort=False)
duplicate_rows = same_rows.filter(lambda group: len(group) > 1)

# %% q3
deduped = messy.groupby(list(messy.columns), dropna=False, sort=False).head(1)

# %% q4
orders = deduped.dropna(subset=["unit_price", "country", "customer_id"]).astype(
    {"customer_id": "int32"}
)
