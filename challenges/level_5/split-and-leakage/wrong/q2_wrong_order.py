# targets: q2
# expect: order
# %% q2
X_train, y_train, X_test, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=42
)
