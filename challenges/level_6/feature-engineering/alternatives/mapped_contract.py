# targets: q1, q2, q3, q4
# Dtype tests column by column (names sorted), cross_validate instead of cross_val_score, the
# contract as its length in months plus numpy flags, and the pipeline fitted on its own line.
# %% q1
unseen_columns = sorted(
    column for column in X.columns if not pd.api.types.is_numeric_dtype(X[column])
)

# %% q2
from sklearn.model_selection import cross_validate

baseline_scores = cross_validate(numeric_model(no_features), X, y, cv=CV, scoring="roc_auc")
baseline_auc = float(baseline_scores["test_score"].mean())

# %% q3
CONTRACT_MONTHS = {"month-to-month": 1, "one-year": 12, "two-year": 24}


def add_features(frame):
    out = frame.copy()
    out["contract_months"] = out["contract"].map(CONTRACT_MONTHS).astype(float)
    out["pays_by_invoice"] = np.where(out["payment_method"] == "invoice", 1, 0)
    out["no_autopay_monthly"] = np.where(
        (out["contract"] == "month-to-month") & (out["autopay"] == 0), 1, 0
    )
    return out


print(cross_val_score(numeric_model(add_features), X, y, cv=CV, scoring="roc_auc").mean())

# %% q4
final_model = numeric_model(add_features)
final_model.fit(X, y)
