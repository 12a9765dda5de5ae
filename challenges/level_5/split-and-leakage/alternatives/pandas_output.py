# targets: q1, q2, q3, q4
# Columns chosen by a comprehension; train_size instead of test_size; a scaler that returns
# DataFrames (so the model learns column names); accuracy as the share of right predictions.
# %% q1
import pandas as pd

not_features = {"customer_id", "churned", "days_since_cancellation_request"}
X = churn[
    [c for c in churn.columns if pd.api.types.is_numeric_dtype(churn[c]) and c not in not_features]
]
y = churn["churned"].copy()

# %% q2
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=0.75, shuffle=True, stratify=y, random_state=42
)

# %% q3
scaler = StandardScaler().set_output(transform="pandas").fit(X_train)
X_train_scaled = scaler.transform(X_train)
X_test_scaled = scaler.transform(X_test)

# %% q4
model = LogisticRegression().fit(X_train_scaled, y_train)
test_accuracy = float((model.predict(X_test_scaled) == y_test).mean())
