# targets: q4
# expect: fitted on every customer
# The final pipeline fitted on every customer of the table, the ones the grader keeps aside
# included: its score on them measures rows it has seen.
# %% q4
everyone = datasets.load("churn")
final_model = numeric_model(add_features).fit(
    everyone.drop(columns=["customer_id", "churned", "days_since_cancellation_request"]),
    everyone["churned"],
)
