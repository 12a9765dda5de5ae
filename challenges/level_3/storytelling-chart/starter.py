# %% [markdown]
# # A chart that tells its story
#
# An exploratory chart answers *your* question. A chart for other people has to make *its*
# point at a glance, to someone who has ten seconds. Four habits get you most of the way:
#
# 1. **The right chart type.** Change over time is a line; categories compared by size are
#    bars (sorted, so the ranking reads itself); a pie is rarely the best choice.
# 2. **Labelled axes**, with units: "Revenue (EUR)", not `revenue`.
# 3. **A title that states the finding**: "Visits peak every winter", not "Visits by month".
# 4. **Highlight what matters, mute the rest**: one strong colour for the point, grey for the
#    context, and an annotation with the number you want remembered.
#
# Run each task's check cell after you answer; `ch.q1.hint()` helps when you are stuck.

# %% binding
import plotly.express as px

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("storytelling-chart")

# %% [markdown]
# ## Worked example: a highlighted series
#
# Monthly website visits for three years. The story is the seasonal pattern of the latest year,
# so 2024 gets the strong colour and the earlier years stay grey, as context. plotly express
# draws one line per value of `color`; `color_discrete_map` fixes each line's colour and
# `labels` renames the axes.

# %%
HIGHLIGHT = "#d62728"  # a strong red for the point of the chart
MUTED = "#c7c7c7"  # light grey for the context

visits = datasets.load("daily_visits").set_index("date")["visits"]
monthly = visits.resample("MS").mean().reset_index()
monthly["year"] = monthly["date"].dt.year.astype(str)
monthly["month"] = monthly["date"].dt.month

example = px.line(
    monthly,
    x="month",
    y="visits",
    color="year",
    color_discrete_map={"2022": MUTED, "2023": MUTED, "2024": HIGHLIGHT},
    labels={"month": "Month", "visits": "Average daily visits", "year": "Year"},
    title="Every year, visits dip in summer and climb to a winter peak",
)
december = monthly.loc[(monthly["year"] == "2024") & (monthly["month"] == 12), "visits"].item()
example.add_annotation(x=12, y=december, text=f"Dec 2024: {december:,.0f} a day")
display(example)

# %% [markdown]
# ## Worked example: one highlighted bar
#
# In a bar chart with a single trace, `update_traces(marker_color=[...])` gives each bar its own
# colour, in the order of the bars. Here the weekend bars carry the point: people visit less.

# %%
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
by_day = visits.groupby(visits.index.day_name()).mean().reindex(WEEKDAYS)
weekend_dip = 1 - by_day[["Saturday", "Sunday"]].mean() / by_day[WEEKDAYS[:5]].mean()

bars = px.bar(
    by_day.rename_axis("weekday").reset_index(),
    x="weekday",
    y="visits",
    labels={"weekday": "Day of the week", "visits": "Average visits"},
    title=f"Weekends are {weekend_dip:.0%} quieter than weekdays",
)
bars.update_traces(
    marker_color=[HIGHLIGHT if d in ("Saturday", "Sunday") else MUTED for d in WEEKDAYS]
)
bars.add_annotation(x="Sunday", y=by_day["Sunday"], text="quietest day")
display(bars)

# %% [markdown]
# ## The data
#
# `churn` holds 2,500 subscription customers; `churned` is 1 for those who cancelled. Which
# payment method goes with the most cancellations? Counting churners and comparing churn
# *rates* give different answers, because the groups differ in size:

# %%
churn = datasets.load("churn")
churn.groupby("payment_method")["churned"].agg(customers="count", churners="sum")

# %% [markdown]
# ## Task 1 — churn rate per payment method
#
# Store in `churn_rate` the churn rate **in percent** of the customers of each
# `payment_method`: a Series indexed by payment method, highest rate first.

# %% task:q1
churn_rate = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — a labelled bar chart
#
# Draw `churn_rate` as a plotly bar chart `fig` with one vertical bar per payment method.
# Title the x-axis `Payment method` and the y-axis `Churn rate (%)`, and give the chart a
# title. (To see the chart, add `display(fig)` at the end of the cell.)

# %% task:q2
fig = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — make it tell the story
#
# The chart is correct, but what should a reader remember? Build `story`, the same bar chart
# with the same axis titles, and make it say its point:
#
# - the bar with the highest churn rate in `HIGHLIGHT`, every other bar in `MUTED`;
# - a title that **states the finding** and names that payment method;
# - an annotation at that bar giving its **churn rate** as a percentage.
#
# A chart like this shows which group churns most, not why. Customers who pay by invoice may
# differ in other ways too (their contract, their plan), so treat it as a lead to follow up,
# not as proof that invoices drive customers away.

# %% task:q3
story = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
