# targets: q1, q2, q3, q4
# numpy's median, a frame assembled from group results, the churn column of a correlation
# matrix reordered by absolute value, and scipy's spearmanr.
# %% q1
import numpy as np

typical_order = float(np.median(sales["revenue"]))

# %% q2
by_category = sales.groupby("category")["revenue"]
category_stats = pd.DataFrame(
    {
        "orders": by_category.size(),
        "median_revenue": by_category.median(),
        "iqr_revenue": by_category.quantile(0.75) - by_category.quantile(0.25),
    }
).sort_values("median_revenue", ascending=False)

# %% q3
with_churn = churn[[*features, "churned"]].corr()["churned"].drop("churned")
churn_corr = with_churn.reindex(with_churn.abs().sort_values(ascending=False).index)

# %% q4
from scipy.stats import spearmanr

logins_recency_rho = spearmanr(churn["avg_weekly_logins"], churn["days_since_last_login"]).statistic
