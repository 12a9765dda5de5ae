# targets: q2
# expect: stratify
# %% q2
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)
