# targets: q3
# expect: column `country`: you have
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
country_clean = messy["country"].str.strip().replace(canonical)
