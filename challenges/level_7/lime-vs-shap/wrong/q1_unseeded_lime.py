# targets: q1
# expect: random_state=0
# %% q1
from lime.lime_tabular import LimeTabularExplainer


def churn_predict(rows):
    return forest.predict_proba(pd.DataFrame(rows, columns=X.columns))


lime_run = LimeTabularExplainer(
    X_train.to_numpy(), feature_names=list(X.columns), mode="classification"
).explain_instance(X_test.iloc[customer].to_numpy(), churn_predict, labels=(1,), num_features=5)
lime_weights = [(X.columns[i], weight) for i, weight in lime_run.as_map()[1]]
