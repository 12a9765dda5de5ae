# targets: q4
# expect: alias
# %% q4
champion = mlflow.sklearn.load_model(f"models:/churn-classifier/{version.version}")
