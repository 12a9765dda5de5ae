# targets: q2
# expect: top_customers
# A ranking of the right shape typed in, one row per rank and country, no ties looked at.
# %% q2
import pandas as pd

countries = sorted(sales["country"].unique())
top_customers = pd.DataFrame(
    {
        "country": [c for c in countries for _ in range(3)],
        "customer_id": [1001 + i for i in range(3 * len(countries))],
        "orders": [6, 5, 4] * len(countries),
        "rank": [1, 2, 3] * len(countries),
    }
)
