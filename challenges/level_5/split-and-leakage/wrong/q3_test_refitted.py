# targets: q3
# expect: own mean
# %% q3
scaler = StandardScaler()
X_train_scaled = scaler.fit_transform(X_train)
X_test_scaled = StandardScaler().fit_transform(X_test)
