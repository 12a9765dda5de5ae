# targets: q1, q2, q3, q4
# Dates parsed value by value with strptime, the failures selected with bracket indexing,
# country spellings normalised (dots removed, case folded) before a lookup, and e-mails tested
# with Python's re module.
# %% q1
from datetime import datetime


def parse_day(text):
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except (TypeError, ValueError):
        return pd.NaT


order_dates = pd.to_datetime(messy["order_date"].map(parse_day))

# %% q2
bad_dates = messy["order_date"][order_dates.isna()]

# %% q3
CANONICAL = {
    "united kingdom": "United Kingdom",
    "uk": "United Kingdom",
    "germany": "Germany",
    "deutschland": "Germany",
    "de": "Germany",
    "france": "France",
    "fr": "France",
    "spain": "Spain",
    "españa": "Spain",
    "es": "Spain",
    "netherlands": "Netherlands",
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "nl": "Netherlands",
    "ireland": "Ireland",
    "eire": "Ireland",
    "ie": "Ireland",
}
key = messy["country"].str.replace(".", "", regex=False).str.strip().str.casefold()
country_clean = key.map(CANONICAL)

# %% q4
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}")
is_valid = messy["email"].map(lambda text: isinstance(text, str) and bool(EMAIL.fullmatch(text)))
bad_emails = messy["email"][~is_valid.astype(bool)]
