# %% [markdown]
# # A first chart with plotly
#
# A table of numbers tells you the answer; a chart lets you *see* it, and lets others see it
# too. **plotly express** (`px`) draws an interactive chart from a DataFrame in one call: you
# name the columns for the x and y axes, and it does the rest. Hover over a bar to read its
# value, drag to zoom, double-click to reset.
#
# A chart is only as clear as its labels, so every chart here gets axis titles a reader
# understands and a title that says what it shows.

# %% binding
import pandas as pd
import plotly.express as px

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("first-plotly-chart")

# %% [markdown]
# ## Worked example: customers by segment
#
# plotly express works best with a **tidy** table: one row per bar, and the things to plot as
# ordinary columns (not in the index). `value_counts()` gives a Series with the segment in the
# index; `.reset_index()` turns it into two columns, `segment` and `count`.

# %%
customers = pd.read_csv(datasets.path("customers"), parse_dates=["signup_date"])
by_segment = customers["segment"].value_counts().reset_index()
display(by_segment)

# %% [markdown]
# `px.bar` draws one bar per row. Axis titles default to the column names; `labels` maps a
# column name to the title you want, and `title` names the chart:

# %%
fig = px.bar(
    by_segment,
    x="segment",
    y="count",
    labels={"segment": "Segment", "count": "Customers"},
    title="Customers by segment",
)
display(fig)

# %% [markdown]
# A figure is made of **traces**: one set of marks drawn in one colour, with one entry in the
# legend. This chart has a single bar trace:

# %%
print(len(fig.data), fig.data[0].type)

# %% [markdown]
# ## Worked example: one colour per group
#
# Group by two columns to get one row per combination; `as_index=False` keeps them as columns.
# Then `color="segment"` splits the bars by segment: plotly express makes **one trace per
# segment**, stacks them, and adds a legend.

# %%
by_country_segment = customers.groupby(["country", "segment"], as_index=False).size()
fig = px.bar(
    by_country_segment,
    x="country",
    y="size",
    color="segment",
    labels={"country": "Country", "size": "Customers", "segment": "Segment"},
    title="Customers by country and segment",
)
print(len(fig.data), "traces:", [trace.name for trace in fig.data])
display(fig)

# %% [markdown]
# For a trend over time, `px.line` takes the same arguments. Here: sign-ups per year.

# %%
per_year = customers.groupby(customers["signup_date"].dt.year).size().reset_index(name="signups")
fig = px.line(
    per_year,
    x="signup_date",
    y="signups",
    markers=True,
    labels={"signup_date": "Year", "signups": "New customers"},
    title="Sign-ups per year",
)
fig.update_xaxes(dtick=1)  # one tick per year, no 2020.5
display(fig)

# %% [markdown]
# ## Your data: the orders
#
# Run this cell: it loads the orders and adds the `revenue` of each order, as in the
# previous challenge.

# %%
sales = pd.read_csv(datasets.path("retail_sales"), parse_dates=["order_date"])
sales["revenue"] = sales["quantity"] * sales["unit_price"]
display(sales.head())

# %% [markdown]
# ## Task 1 — a table to plot
#
# Store in `category_revenue` a DataFrame with two **columns**, `category` and `revenue` (the
# total revenue of that category): one row per category, **largest revenue first**.

# %% task:q1
category_revenue = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — revenue by category, as bars
#
# Store in `fig_category` a single-colour bar chart of `category_revenue` made with
# `px.bar`: one bar per category on the x-axis, its revenue on the y-axis. Title the x-axis
# **Category** and the y-axis **Revenue (EUR)**, and give the chart a title of your choice.
# To see it, add `display(fig_category)` (or end the cell with `fig_category` on its own line).

# %% task:q2
fig_category = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — revenue by country and category
#
# Store in `country_category` a DataFrame with the columns `country`, `category` and `revenue`:
# one row per country and category, with the total revenue of those orders.

# %% task:q3
country_category = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — bars coloured by category
#
# Store in `fig_country` a bar chart of `country_category`: one bar per country on the x-axis,
# revenue on the y-axis, **split into one colour per category**. Title the x-axis **Country**
# and the y-axis **Revenue (EUR)**, and give the chart a title. Which category leads in every
# country?

# %% task:q4
fig_country = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
