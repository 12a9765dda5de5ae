# targets: q1, q2, q3, q4
# Gaps as rows minus non-missing values, duplicates as "not the first or not the last copy",
# a negated mask to drop copies, and a nullable Int64 integer column.
# %% q1
gaps = len(messy) - messy.count()
missing_counts = gaps[gaps.gt(0)].sort_values(ascending=False)

# %% q2
duplicate_rows = messy[messy.duplicated(keep="first") | messy.duplicated(keep="last")]

# %% q3
deduped = messy[~messy.duplicated()]

# %% q4
needed = deduped[["customer_id", "country", "unit_price"]].notna().all(axis=1)
orders = deduped[needed].astype({"customer_id": "Int64"})
