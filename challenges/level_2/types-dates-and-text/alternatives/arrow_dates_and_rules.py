# targets: q1, q2, q3, q4
# Dates converted then stored Arrow-backed (timestamp[us][pyarrow]), the failures picked by
# index labels, spellings replaced one by one, and the e-mail rule written as separate tests.
# %% q1
order_dates = pd.to_datetime(messy["order_date"], format="%Y-%m-%d", errors="coerce").astype(
    "timestamp[us][pyarrow]"
)

# %% q2
failed_labels = order_dates.index[order_dates.isna()]
bad_dates = messy.loc[failed_labels, "order_date"]

# %% q3
SPELLINGS = {
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "u.k.": "United Kingdom",
    "united kingdom": "United Kingdom",
    "DE": "Germany",
    "Deutschland": "Germany",
    "GERMANY": "Germany",
    "germany": "Germany",
    "FR": "France",
    "france": "France",
    "ES": "Spain",
    "España": "Spain",
    "spain": "Spain",
    "NL": "Netherlands",
    "Holland": "Netherlands",
    "the Netherlands": "Netherlands",
    "netherlands": "Netherlands",
    "IE": "Ireland",
    "Eire": "Ireland",
    "ireland": "Ireland",
}
country_clean = messy["country"].str.strip().replace(SPELLINGS)

# %% q4
email = messy["email"]
domain = email.str.split("@").str[-1]
last_part = domain.str.rsplit(".", n=1).str[-1]
valid = (
    email.str.count("@").eq(1)
    & ~email.str.contains(r"\s")
    & domain.str.contains(".", regex=False)
    & last_part.str.fullmatch(r"[A-Za-z]{2,}")
)
bad_emails = email[~valid]
