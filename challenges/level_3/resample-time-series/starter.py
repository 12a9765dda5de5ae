# %% [markdown]
# # Weeks, months and moving averages
#
# Daily numbers are noisy: a quiet Sunday or a busy Monday hides the trend you care about.
# Time-series work is mostly about changing the resolution and smoothing:
#
# - **resample** changes the frequency (days into weeks or months) and makes you choose how
#   to aggregate: the *sum* for counts of events over the period, the *mean* for "a typical
#   day in the period";
# - a **rolling** window smooths each point with its recent neighbours;
# - grouping by a calendar feature (the weekday, the month) reveals **seasonality**, the
#   pattern that repeats.
#
# Run each task's check cell after you answer; `ch.q1.hint()` helps when you are stuck.

# %% binding
import pandas as pd

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("resample-time-series")

# %% [markdown]
# ## Worked example: a year of shop transactions
#
# `generate_transactions` builds a synthetic table of purchases with a timestamp to the
# second. Resampling needs a **DatetimeIndex**, so set the timestamp as the index first.

# %%
shop = datasets.generate_transactions(20_000, seed=7).set_index("timestamp")
shop.head(3)

# %% [markdown]
# `resample(rule)` works like `groupby` over time bins: `"D"` days, `"W"` weeks ending on
# Sunday (labelled by the Sunday), `"MS"` months labelled by their first day, `"ME"` months
# labelled by their last day. Then you aggregate. Money taken in a day is a **sum**; the
# typical daily takings in a month is the **mean** of the daily sums.

# %%
daily = shop["amount"].resample("D").sum()  # takings per day
by_month = pd.DataFrame(
    {
        "total": daily.resample("MS").sum(),  # takings per month
        "average_day": daily.resample("MS").mean(),  # a typical day of each month
    }
)
by_month.head(3)

# %% [markdown]
# `rolling(n)` builds a **trailing** window: the value on each day uses that day and the
# `n - 1` days before it. Until `n` values are available the result is NaN. `min_periods`
# would allow shorter windows, and `center=True` would look into the future. Both change
# the meaning, so only use them on purpose.

# %%
smooth = daily.rolling(30).mean()
smooth.iloc[27:32]

# %% [markdown]
# **Seasonality.** `index.day_name()` labels each date with its weekday. Grouping sorts the
# names alphabetically, so put them back in calendar order with `reindex`, and name the index
# with `rename_axis`. (This synthetic shop sells evenly through the week; the website in the
# tasks does not.)

# %%
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
daily.groupby(daily.index.day_name()).mean().reindex(WEEKDAYS).rename_axis("weekday")

# %% [markdown]
# ## The data
#
# `traffic` holds three years of daily website `visits` and new-account `signups`, one row per
# day from 2022-01-01 to 2024-12-31, indexed by `date`. 2022 starts on a Saturday.

# %%
traffic = datasets.load("daily_visits").set_index("date")
traffic.head()

# %% [markdown]
# ## Task 1 — average visits per week
#
# Store in `weekly_visits` the **average daily visits** in each calendar week (weeks ending on
# Sunday, `"W"`), as a Series indexed by the week's last day.

# %% task:q1
weekly_visits = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — signups per month
#
# Store in `monthly_signups` the **total** signups of each month, as a Series labelled by the
# first day of the month (`"MS"`).

# %% task:q2
monthly_signups = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — a 7-day moving average
#
# A 7-day window always contains each weekday exactly once, so it removes the weekly cycle
# and leaves the trend. Store in `visits_7d` the trailing 7-day mean of `visits`: each day
# averages itself and the 6 days before it, and the first 6 days stay NaN.

# %% task:q3
visits_7d = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — the weekly cycle
#
# Store in `weekday_profile` the average visits on each day of the week: a Series indexed by
# the weekday name (index named `weekday`), from Monday to Sunday. `WEEKDAYS` from the worked
# example is still defined. How much quieter is the weekend?

# %% task:q4
weekday_profile = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
