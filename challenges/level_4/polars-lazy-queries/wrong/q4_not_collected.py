# targets: q4
# expect: collect()
# %% q4
top_stores = lazy_books
