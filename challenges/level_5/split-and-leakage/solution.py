# %% q1
X = churn.drop(columns=["customer_id", "churned", "days_since_cancellation_request"])
X = X.select_dtypes("number")
y = churn["churned"]

# %% q2
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=42
)

# %% q3
scaler = StandardScaler().fit(X_train)
X_train_scaled = scaler.transform(X_train)
X_test_scaled = scaler.transform(X_test)

# %% q4
model = LogisticRegression().fit(X_train_scaled, y_train)
test_accuracy = model.score(X_test_scaled, y_test)
