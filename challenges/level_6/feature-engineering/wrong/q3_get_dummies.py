# targets: q3
# expect: one customer
# %% q3
def add_features(frame):
    return pd.get_dummies(frame, dtype=int)
