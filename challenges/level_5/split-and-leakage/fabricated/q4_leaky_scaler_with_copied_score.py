# targets: q4
# expect: numbers learned from all rows
# The model learns from training rows scaled with every row's numbers; the accuracy is the
# honest model's, copied in.
# %% q4
leaky = StandardScaler().fit(X)
model = LogisticRegression().fit(leaky.transform(X_train), y_train)
test_accuracy = 0.7952
