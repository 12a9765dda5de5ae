# %% [markdown]
# # Types, dates and text
#
# A CSV file is only text. pandas guesses a type for each column, and when a single value in a
# column does not fit (a date typed as `31/31/2023`, a note saying `not recorded`), the whole
# column stays text. Text columns have their own problems: the same thing written in several
# ways (`UK`, `u.k.`, `United Kingdom `), or values that look right but are not (`anna@@mail.com`).
#
# In this challenge you turn the order dates of the raw shop export into real dates and find the
# ones that cannot be, bring twenty-odd spellings of six countries back to one each, and flag the
# broken e-mail addresses.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("types-dates-and-text")

# %% [markdown]
# ## Worked example: workshop sign-ups
#
# A sign-up sheet for a workshop, exported from a form where people typed freely.

# %%
import pandas as pd

signups = pd.DataFrame(
    {
        "name": ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay"],
        "signed_up": [
            "2024-03-01",
            "2024-02-30",
            "next week",
            "2024-03-09",
            "03/10/2024",
            "2024-03-12",
        ],
        "city": ["Lyon", "lyon ", "PARIS", "Paris", "Marseilles", " Marseille"],
        "seats": ["2", "1", "three", "1", "2", "4"],
        "email": [
            "ana@example.com",
            "bo@example",
            "cy@@example.com",
            "dee example.com",
            "eli@example.org",
            "fay@example.net",
        ],
    }
)
display(signups)
print(signups.dtypes)

# %% [markdown]
# **Converting with `errors="coerce"`.** `pd.to_datetime` and `pd.to_numeric` convert a text
# column. By default they stop at the first value they cannot read; with `errors="coerce"` they
# turn it into a missing value instead (`NaT`, "not a time", for dates; `NaN` for numbers) and
# carry on. Give the date format you expect (`"%Y-%m-%d"` is year-month-day), so a value in
# another format is not silently read the wrong way round.

# %%
signed_up = pd.to_datetime(signups["signed_up"], format="%Y-%m-%d", errors="coerce")
seats = pd.to_numeric(signups["seats"], errors="coerce")
pd.DataFrame({"text": signups["signed_up"], "parsed": signed_up, "seats": seats})

# %% [markdown]
# **Finding what failed.** The values that could not be converted are missing *after* the
# conversion, not before: the raw text column has no gaps at all. So select the raw values where
# the converted column is missing, to see what went wrong:

# %%
print("missing before:", signups["signed_up"].isna().sum())
signups.loc[signed_up.isna(), "signed_up"]

# %% [markdown]
# **Cleaning text.** The `.str` accessor applies string methods to every value of a column:
# `.str.strip()` removes spaces at both ends and `.str.lower()` lowercases. After that, a
# dictionary from each spelling to the one you want, applied with `.map()`, does the rest. The
# keys are lowercase, so the lookup no longer depends on how someone typed the capitals. A
# missing value stays missing.

# %%
city_names = {"lyon": "Lyon", "paris": "Paris", "marseille": "Marseille", "marseilles": "Marseille"}
signups["city"].str.strip().str.lower().map(city_names)

# %% [markdown]
# **Checking a pattern.** A *regular expression* describes what a valid value looks like.
# `.str.fullmatch(pattern)` is `True` when the **whole** value fits it. This pattern asks for
# letters, digits, `.`, `_`, `+` or `-` before a single `@`, then a domain with at least one dot
# and a final part of two or more letters: no spaces, no double `@`.

# %%
email_pattern = r"[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}"
valid = signups["email"].str.fullmatch(email_pattern)
signups.loc[~valid, "email"]  # ~ flips True and False

# %% [markdown]
# Your turn. The raw export is loaded below as `messy`. Look at the types pandas chose:
# `order_date` is text (`str`).

# %%
messy = datasets.load("retail_sales_messy")
print(messy.dtypes)

# %% [markdown]
# ## Task 1 — real dates
#
# Store in `order_dates` the `order_date` column of `messy` converted to dates (format
# year-month-day), with every value that cannot be read turned into a missing date (`NaT`).

# %% task:q1
order_dates = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — the dates that are not dates
#
# Store in `bad_dates` the **original text** of the order dates that could not be converted: a
# Series taken from `messy["order_date"]`, with its row labels. Look at them: some are impossible
# days, some are notes.

# %% task:q2
bad_dates = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — one spelling per country
#
# The shop ships to six countries: United Kingdom, Germany, France, Spain, Netherlands and
# Ireland. `messy["country"].value_counts()` shows how many ways they were written. Store in
# `country_clean` a Series as long as `messy` (same row labels) holding the canonical name of
# each order's country. Missing countries stay missing.

# %%
messy["country"].value_counts()

# %% task:q3
country_clean = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — broken e-mail addresses
#
# A valid address in this shop has letters, digits, `.`, `_`, `+` or `-` before one `@`, then a
# domain with at least one dot and a last part of two or more letters, and no spaces anywhere.
# Store in `bad_emails` the addresses of `messy["email"]` that are **not** valid, as a Series
# with their row labels.

# %% task:q4
bad_emails = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# You converted text to dates without letting a few bad values stop you, then looked at exactly
# the values that failed. You normalised text before comparing it (strip, lowercase, map), and
# flagged values that do not fit a pattern. A correct cleaning drops the orders without a valid
# date (nobody knows when they happened), keeps the canonical country names, and sets the
# broken e-mail addresses to missing: the order is real, only the address is lost.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
