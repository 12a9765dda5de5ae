# targets: q1
# expect: logins_churned
# Groups of the right sizes drawn from a random generator instead of taken from the table.
# %% q1
import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
n_churned = int((churn["churned"] == 1).sum())
n_stayed = int((churn["churned"] == 0).sum())
logins_churned = pd.Series(
    rng.gamma(2.0, 1.0, n_churned).round(1),
    index=churn.index[churn["churned"] == 1],
    name="avg_weekly_logins",
)
logins_stayed = pd.Series(
    rng.gamma(3.0, 1.0, n_stayed).round(1),
    index=churn.index[churn["churned"] == 0],
    name="avg_weekly_logins",
)
