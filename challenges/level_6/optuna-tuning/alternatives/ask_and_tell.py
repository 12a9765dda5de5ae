# targets: q1, q2, q3
# A loop of ask/tell instead of `study.optimize`, with more than 15 trials; the final forest
# fitted on the training and validation rows put back together; pruned trials told as PRUNED.
# %% q1
from optuna.trial import TrialState

study = tuning.create_study("rf-tuning", seed=0)
for _ in range(18):
    trial = study.ask()
    trees = trial.suggest_int("n_estimators", 10, 50, step=10)
    depth = trial.suggest_int("max_depth", 2, 12)
    leaf = trial.suggest_int("min_samples_leaf", 1, 40)
    forest = RandomForestClassifier(
        n_estimators=trees, max_depth=depth, min_samples_leaf=leaf, random_state=0
    ).fit(X_train, y_train)
    study.tell(trial, roc_auc_score(y_valid, forest.predict_proba(X_valid)[:, 1]))

# %% q2
every_x = pd.concat([X_train, X_valid])
every_y = pd.concat([y_train, y_valid])
final_model = RandomForestClassifier(random_state=0, **study.best_trial.params)
final_model.fit(every_x, every_y)

# %% q3
pruned_study = tuning.create_study(
    "rf-pruned", seed=0, pruner=optuna.pruners.MedianPruner(n_startup_trials=5)
)
for _ in range(15):
    trial = pruned_study.ask()
    depth = trial.suggest_int("max_depth", 2, 12)
    leaf = trial.suggest_int("min_samples_leaf", 1, 40)
    fold_scores = []
    pruned = False
    for fold, (fit_rows, score_rows) in enumerate(FOLDS):
        forest = RandomForestClassifier(
            n_estimators=20, max_depth=depth, min_samples_leaf=leaf, random_state=0
        )
        forest.fit(X.iloc[fit_rows], y.iloc[fit_rows])
        fold_scores.append(
            roc_auc_score(y.iloc[score_rows], forest.predict_proba(X.iloc[score_rows])[:, 1])
        )
        trial.report(float(np.mean(fold_scores)), fold)
        if trial.should_prune():
            pruned = True
            break
    if pruned:
        pruned_study.tell(trial, state=TrialState.PRUNED)
    else:
        pruned_study.tell(trial, float(np.mean(fold_scores)))
