# %% q1
order_dates = pd.to_datetime(messy["order_date"], format="%Y-%m-%d", errors="coerce")

# %% q2
bad_dates = messy.loc[order_dates.isna(), "order_date"]

# %% q3
canonical = {
    "united kingdom": "United Kingdom",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "germany": "Germany",
    "de": "Germany",
    "deutschland": "Germany",
    "france": "France",
    "fr": "France",
    "spain": "Spain",
    "es": "Spain",
    "españa": "Spain",
    "netherlands": "Netherlands",
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "nl": "Netherlands",
    "ireland": "Ireland",
    "ie": "Ireland",
    "eire": "Ireland",
}
country_clean = messy["country"].str.strip().str.lower().map(canonical)

# %% q4
valid_email = messy["email"].str.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}")
bad_emails = messy.loc[~valid_email, "email"]
