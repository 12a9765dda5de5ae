# targets: q1, q2, q3, q4
# Numeric columns first, then the three non-features dropped; the test size as a row count;
# fit_transform on the training rows; accuracy from accuracy_score.
# %% q1
X = churn.select_dtypes(include="number").drop(
    columns=["customer_id", "churned", "days_since_cancellation_request"]
)
y = churn.churned

# %% q2
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=len(X) // 4, stratify=y, random_state=42
)

# %% q3
scaler = StandardScaler()
X_train_scaled = scaler.fit_transform(X_train)
X_test_scaled = scaler.transform(X_test)

# %% q4
from sklearn.metrics import accuracy_score

model = LogisticRegression()
model.fit(X_train_scaled, y_train)
test_accuracy = accuracy_score(y_test, model.predict(X_test_scaled))
