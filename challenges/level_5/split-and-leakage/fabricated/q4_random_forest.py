# targets: q4
# expect: LogisticRegression()
# Another classifier than the one the task asks for.
# %% q4
from sklearn.ensemble import RandomForestClassifier

model = RandomForestClassifier(random_state=0).fit(X_train_scaled, y_train)
test_accuracy = model.score(X_test_scaled, y_test)
