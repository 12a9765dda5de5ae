# %% q1
unseen_columns = X.select_dtypes(exclude="number").columns.tolist()

# %% q2
baseline_auc = cross_val_score(numeric_model(no_features), X, y, cv=CV, scoring="roc_auc").mean()


# %% q3
def add_features(frame):
    out = frame.copy()
    out["month_to_month"] = (out["contract"] == "month-to-month").astype(int)
    out["two_year"] = (out["contract"] == "two-year").astype(int)
    out["pays_by_invoice"] = (out["payment_method"] == "invoice").astype(int)
    return out


# %% q4
final_model = numeric_model(add_features).fit(X, y)
