# targets: q2
# expect: revenue_by_category
# The worked example's bakery totals relabelled as the shop's categories.
# %% q2
bakery_totals = bakery_sales.groupby("item")["revenue"].sum().sort_values(ascending=False)
revenue_by_category = pd.Series(
    bakery_totals.to_numpy(),
    index=pd.Index(["electronics", "office", "outdoor"], name="category"),
    name="revenue",
)
