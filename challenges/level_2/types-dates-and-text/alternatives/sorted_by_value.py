# targets: q1, q3
# The converted dates and the countries sorted by value, each keeping its row label: no order
# is asked for, only the labels.
# %% q1
order_dates = pd.to_datetime(messy["order_date"], format="%Y-%m-%d", errors="coerce").sort_values()

# %% q3
names = {
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "united kingdom": "United Kingdom",
    "de": "Germany",
    "deutschland": "Germany",
    "germany": "Germany",
    "fr": "France",
    "france": "France",
    "es": "Spain",
    "españa": "Spain",
    "spain": "Spain",
    "nl": "Netherlands",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "netherlands": "Netherlands",
    "ie": "Ireland",
    "eire": "Ireland",
    "ireland": "Ireland",
}
country_clean = messy["country"].str.strip().str.lower().map(names).sort_values()
