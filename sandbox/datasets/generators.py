"""The seeded generators behind every shipped CSV, and ``python -m sandbox.datasets``.

The planted defects and the leak are documented in :mod:`sandbox.datasets`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, cast

from sandbox.errors import DatasetError, UsageError
from sandbox.paths import datasets_dir

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

from sandbox.datasets.registry import (
    _check_seed,
    _claim_variant_folder,
    _variant_file_name,
    _write_atomically,
    info,
    names,
)  # fmt: skip

# ================================================================================ generators
#
# Every generator builds rows of already formatted text and writes them with one CSV writer
# (UTF-8, "\n", minimal quoting). Numbers are formatted by this code, never by a library's
# CSV writer, so the bytes depend only on the seed and numpy's generator, not on pandas or
# locale settings. Money is computed in whole cents to keep float rounding out of it.

RETAIL_SEED = 20_240_101
VISITS_SEED = 20_220_101
CHURN_SEED = 20_230_601
# A variant's generators are seeded with [base seed, stream, variant seed]: the stream keeps a
# variant's rows and its shape (counts, slopes) independent, and puts the variant seed last.
# numpy's SeedSequence treats trailing zero words as absent ([s, 0] seeds like s), so
# [base seed, variant seed] would make variant 0 a copy of the shipped data.
_DRAWS_STREAM = 0xDA7A
_SHAPE_STREAM = 0x5A4E

RETAIL_ORDERS = 2_000
FIRST_ORDER_ID = 10_001
RETAIL_FIRST_DAY = dt.date(2023, 1, 1)
RETAIL_LAST_DAY = dt.date(2024, 12, 31)

#: customers.csv rows; sales also reference N_UNKNOWN_CUSTOMERS ids that are not in it.
N_CUSTOMERS = 400
FIRST_CUSTOMER_ID = 1_001
#: Customers (in customers.csv) who never ordered: a left join from customers keeps them.
N_CUSTOMERS_WITHOUT_ORDERS = 15
#: Customer ids that appear in the sales but not in customers.csv (deleted accounts):
#: an inner join drops their orders, a left join from sales keeps them with empty details.
N_UNKNOWN_CUSTOMERS = 8
SIGNUP_FIRST_DAY = dt.date(2020, 1, 1)
SIGNUP_LAST_DAY = dt.date(2022, 12, 31)

#: Planted defects in retail_sales_messy.csv → how many rows carry each.
RETAIL_DEFECT_COUNTS: Mapping[str, int] = MappingProxyType(
    {
        "duplicate_rows": 30,
        "missing_customer_id": 12,
        "missing_country": 9,
        "missing_unit_price": 11,
        "unparseable_order_date": 16,
        "negative_quantity": 14,
        "inconsistent_country": 120,
        "invalid_email": 25,
    }
)
#: The column a schema flags for each defect.
DEFECT_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "duplicate_rows": "order_id",
        "missing_customer_id": "customer_id",
        "missing_country": "country",
        "missing_unit_price": "unit_price",
        "unparseable_order_date": "order_date",
        "negative_quantity": "quantity",
        "inconsistent_country": "country",
        "invalid_email": "email",
    }
)
#: Defects whose rows a correct cleaning drops (the others are repaired or de-duplicated).
DROPPED_DEFECTS = (
    "missing_customer_id",
    "missing_country",
    "missing_unit_price",
    "unparseable_order_date",
    "negative_quantity",
)

COUNTRIES = ("United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland")
_COUNTRY_WEIGHTS = (0.35, 0.20, 0.15, 0.10, 0.10, 0.10)
#: Canonical country → the other spellings planted in the messy sales.
COUNTRY_VARIANTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "United Kingdom": ("UK", "U.K.", "u.k.", "united kingdom", "United Kingdom "),
        "Germany": ("germany", "GERMANY", "DE", "Deutschland"),
        "France": ("france", "FR", " France"),
        "Spain": ("spain", "ES", "España"),
        "Netherlands": ("netherlands", "the Netherlands", "Holland", "NL"),
        "Ireland": ("ireland", "IE", "Eire"),
    }
)
_UNPARSEABLE_DATES = (
    "2023-02-29",  # not a leap year
    "2024-02-30",
    "2024-04-31",
    "2023-13-01",
    "2024-00-12",
    "31/31/2023",
    "not recorded",
    "unknown",
    "TBC",
    "20240-05-01",
)

SEGMENTS = ("consumer", "small business", "corporate")
_SEGMENT_WEIGHTS = (0.6, 0.25, 0.15)
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
_FIRST_NAMES = (
    "Anna", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jack",
    "Katie", "Liam", "Maya", "Noah", "Olivia", "Paul", "Quinn", "Ruby", "Sam", "Tara",
    "Umar", "Vera", "Will", "Xenia", "Yusuf", "Zoe", "Lena", "Marco", "Sofia", "Tom",
)  # fmt: skip
_LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts",
    "Walker", "Wright", "Martin", "Muller", "Schmidt", "Dubois", "Moreau", "Garcia", "Lopez",
    "Jansen", "Visser", "Murphy", "Kelly", "Byrne", "Rossi", "Novak", "Khan", "Ali", "Chen",
)  # fmt: skip

#: (product, category, list price in cents, relative popularity)
PRODUCTS: tuple[tuple[str, str, int, int], ...] = (
    ("USB-C cable", "electronics", 999, 9),
    ("Wireless mouse", "electronics", 2499, 6),
    ("Bluetooth speaker", "electronics", 4999, 4),
    ("Noise-cancelling headphones", "electronics", 14999, 2),
    ("Webcam", "electronics", 5999, 3),
    ("Coffee mug", "home", 899, 8),
    ("Desk lamp", "home", 3499, 4),
    ("Throw blanket", "home", 2999, 3),
    ("Scented candle", "home", 1299, 6),
    ("Wall clock", "home", 2199, 2),
    ("Notebook A5", "office", 499, 10),
    ("Gel pens (10 pack)", "office", 799, 7),
    ("Desk organiser", "office", 1899, 3),
    ("Stapler", "office", 1099, 3),
    ("Monitor stand", "office", 3999, 2),
    ("Water bottle", "outdoor", 1499, 6),
    ("Yoga mat", "outdoor", 2799, 4),
    ("Camping lantern", "outdoor", 3299, 2),
    ("Picnic blanket", "outdoor", 2599, 2),
    ("Sunglasses", "outdoor", 4499, 3),
)
CATEGORIES = tuple(sorted({category for _, category, _, _ in PRODUCTS}))
# Percent of list price paid, and how often: most orders pay full price.
_DISCOUNTS = ((100, 0.80), (90, 0.15), (75, 0.05))

VISITS_FIRST_DAY = dt.date(2022, 1, 1)
VISITS_LAST_DAY = dt.date(2024, 12, 31)

CHURN_ROWS = 2_500
CHURN_LEAK = "days_since_cancellation_request"
CONTRACTS = ("month-to-month", "one-year", "two-year")
PLANS = ("basic", "standard", "premium")
PAYMENT_METHODS = ("card", "bank transfer", "paypal", "invoice")
REGIONS = ("north", "south", "east", "west")


@dataclass(frozen=True)
class PlantedDefect:
    """One planted defect in a messy dataset, where a schema check must flag it."""

    kind: str  # a key of RETAIL_DEFECT_COUNTS
    row: int  # 0-based data row in the file (pandas' default index, polars' row number)
    column: str
    value: str  # the text written in the file ("" for a missing value)


@dataclass(frozen=True)
class CustomerJoinGaps:
    """Where sales and customers do not match, so inner and left joins differ."""

    customers_without_orders: tuple[int, ...]  # in customers.csv, in no sale
    unknown_customer_ids: tuple[int, ...]  # in sales, not in customers.csv


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _day(first: dt.date, offset: int) -> str:
    return (first + dt.timedelta(days=int(offset))).isoformat()


def _corrupt_email(email: str, how: int) -> str:
    local, domain = email.split("@")
    damaged = (
        f"{local}{domain}",  # the @ lost
        f"{local}@@{domain}",
        f"{local}@{domain.split('.', 1)[0]}",  # no top-level domain (not even "mail.example")
        f"{local} at {domain}",
        f"{local.replace('.', ' ', 1)}@{domain}",  # a space in the name
    )
    return damaged[how % len(damaged)]


@dataclass(frozen=True)
class _RetailBuild:
    messy: bytes
    clean: bytes
    customers: bytes
    defects: tuple[PlantedDefect, ...]
    gaps: CustomerJoinGaps


_RETAIL_HEADER = (
    "order_id", "order_date", "customer_id", "country", "product", "category", "quantity",
    "unit_price", "email",
)  # fmt: skip


@dataclass(frozen=True)
class _RetailShape:
    """How many orders, customers, join gaps and defects one build of the retail trio has."""

    orders: int
    customers: int
    unknown: int
    without_orders: int
    defects: Mapping[str, int]  # in the order of RETAIL_DEFECT_COUNTS
    list_cents: tuple[int, ...]  # each product's list price, in the order of PRODUCTS


_SHIPPED_RETAIL_SHAPE = _RetailShape(
    orders=RETAIL_ORDERS,
    customers=N_CUSTOMERS,
    unknown=N_UNKNOWN_CUSTOMERS,
    without_orders=N_CUSTOMERS_WITHOUT_ORDERS,
    defects=RETAIL_DEFECT_COUNTS,
    list_cents=tuple(cents for _, _, cents, _ in PRODUCTS),
)


def _variant_entropy(base_seed: int, stream: int, seed: int) -> list[int]:
    """The entropy of one stream of a variant (see _DRAWS_STREAM): never a shipped seed's."""
    return [base_seed, stream, seed]


def _variant_rngs(base_seed: int, seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """(draws, shape) generators of a variant: the rows' draws and, apart, its proportions."""
    import numpy as np

    return (
        np.random.default_rng(_variant_entropy(base_seed, _DRAWS_STREAM, seed)),
        np.random.default_rng(_variant_entropy(base_seed, _SHAPE_STREAM, seed)),
    )


def _retail_shape(shape_rng: np.random.Generator) -> _RetailShape:
    def scaled(count: int, spread: float) -> int:
        return max(1, round(count * float(shape_rng.uniform(1 - spread, 1 + spread))))

    return _RetailShape(
        orders=scaled(RETAIL_ORDERS, 0.10),
        customers=scaled(N_CUSTOMERS, 0.10),
        unknown=scaled(N_UNKNOWN_CUSTOMERS, 0.25),
        without_orders=scaled(N_CUSTOMERS_WITHOUT_ORDERS, 0.25),
        defects=MappingProxyType(
            {kind: scaled(count, 0.25) for kind, count in RETAIL_DEFECT_COUNTS.items()}
        ),
        # Other prices too (within 15 %, still ending in .99), so that statistics of prices
        # and revenue differ between variants as well as counts.
        list_cents=tuple(
            max(199, round(cents * float(shape_rng.uniform(0.85, 1.15)) / 100) * 100 - 1)
            for _, _, cents, _ in PRODUCTS
        ),
    )


@lru_cache(maxsize=8)
def _retail(seed: int | None = None) -> _RetailBuild:
    """Build customers, clean sales and messy sales together so they agree by construction.

    ``seed`` None builds the shipped files; a seed builds that variant: other draws, and
    other counts of orders, customers, join gaps and defects (see :func:`variant_bytes`).
    """
    import numpy as np

    if seed is None:
        rng, shape = np.random.default_rng(RETAIL_SEED), _SHIPPED_RETAIL_SHAPE
    else:
        rng, shape_rng = _variant_rngs(RETAIL_SEED, seed)
        shape = _retail_shape(shape_rng)
    n_orders = shape.orders

    # ---- customers (including the deleted accounts that only the sales still mention)
    n_ids = shape.customers + shape.unknown
    customer_ids = [FIRST_CUSTOMER_ID + i for i in range(n_ids)]
    first_names = rng.integers(0, len(_FIRST_NAMES), n_ids)
    last_names = rng.integers(0, len(_LAST_NAMES), n_ids)
    country_of = rng.choice(len(COUNTRIES), n_ids, p=_COUNTRY_WEIGHTS)
    segment_of = rng.choice(len(SEGMENTS), n_ids, p=_SEGMENT_WEIGHTS)
    signup_span = (SIGNUP_LAST_DAY - SIGNUP_FIRST_DAY).days + 1
    signup_of = rng.integers(0, signup_span, n_ids)
    domain_of = rng.integers(0, len(_EMAIL_DOMAINS), n_ids)
    names_of: list[str] = []
    emails_of: list[str] = []
    used_emails: set[str] = set()
    for i in range(n_ids):
        first, last = _FIRST_NAMES[first_names[i]], _LAST_NAMES[last_names[i]]
        names_of.append(f"{first} {last}")
        local = f"{first.lower()}.{last.lower()}"
        email, suffix = f"{local}@{_EMAIL_DOMAINS[domain_of[i]]}", 1
        while email in used_emails:  # namesakes get a number, as mail providers do
            suffix += 1
            email = f"{local}{suffix}@{_EMAIL_DOMAINS[domain_of[i]]}"
        used_emails.add(email)
        emails_of.append(email)

    unknown = sorted(int(i) for i in rng.choice(n_ids, shape.unknown, replace=False))
    known = [i for i in range(n_ids) if i not in unknown]
    without_orders = sorted(int(i) for i in rng.choice(known, shape.without_orders, replace=False))
    ordering = np.array([i for i in range(n_ids) if i not in without_orders])
    # Some customers order far more often than others.
    appetite = rng.gamma(1.5, 1.0, len(ordering))
    appetite /= appetite.sum()

    # ---- the true orders, in order-id (and so date) order
    order_span = (RETAIL_LAST_DAY - RETAIL_FIRST_DAY).days + 1
    day_of = np.sort(rng.integers(0, order_span, n_orders))
    popularity = np.array([p[3] for p in PRODUCTS], dtype=float)
    product_of = rng.choice(len(PRODUCTS), n_orders, p=popularity / popularity.sum())
    quantity_of = rng.choice(np.arange(1, 7), n_orders, p=[0.45, 0.25, 0.13, 0.08, 0.05, 0.04])
    percents = np.array([d[0] for d in _DISCOUNTS])
    percent_of = rng.choice(percents, n_orders, p=[d[1] for d in _DISCOUNTS])

    # ---- which rows carry which defect: disjoint slices of one shuffle
    shuffled = rng.permutation(n_orders)
    defect_rows: dict[str, list[int]] = {}
    start = 0
    for kind, count in shape.defects.items():
        if kind == "duplicate_rows":
            continue
        defect_rows[kind] = sorted(int(i) for i in shuffled[start : start + count])
        start += count
    untouched = np.sort(shuffled[start:])
    sources = rng.choice(untouched, shape.defects["duplicate_rows"], replace=False)
    defect_rows["duplicate_rows"] = sorted(int(i) for i in sources)

    # Every ordering customer gets at least one untouched order, so cleaning never turns a
    # customer into one "without orders" by accident; the rest follow appetite.
    customer_of = np.empty(n_orders, dtype=np.int64)
    guaranteed = rng.permutation(untouched)[: len(ordering)]
    customer_of[guaranteed] = rng.permutation(ordering)
    others = np.setdiff1d(np.arange(n_orders), guaranteed)
    customer_of[others] = rng.choice(ordering, len(others), p=appetite)

    true_rows: list[list[str]] = []
    for i in range(n_orders):
        customer = int(customer_of[i])
        product, category, _, _ = PRODUCTS[int(product_of[i])]
        list_cents = shape.list_cents[int(product_of[i])]
        cents = (list_cents * int(percent_of[i]) + 50) // 100
        true_rows.append(
            [
                str(FIRST_ORDER_ID + i),
                _day(RETAIL_FIRST_DAY, int(day_of[i])),
                str(customer_ids[customer]),
                COUNTRIES[int(country_of[customer])],
                product,
                category,
                str(int(quantity_of[i])),
                _money(cents),
                emails_of[customer],
            ]
        )

    # ---- plant the defects (one per row; the draws below run in a fixed order)
    messy_rows = [list(row) for row in true_rows]
    column_index = {name: i for i, name in enumerate(_RETAIL_HEADER)}
    for kind in sorted(defect_rows):
        if kind == "duplicate_rows":
            continue
        col = column_index[DEFECT_COLUMNS[kind]]
        for i in defect_rows[kind]:
            old = messy_rows[i][col]
            if kind.startswith("missing_"):
                new = ""
            elif kind == "unparseable_order_date":
                new = _UNPARSEABLE_DATES[int(rng.integers(0, len(_UNPARSEABLE_DATES)))]
            elif kind == "negative_quantity":
                new = f"-{old}"
            elif kind == "inconsistent_country":
                variants = COUNTRY_VARIANTS[old]
                new = variants[int(rng.integers(0, len(variants)))]
            else:  # invalid_email
                new = _corrupt_email(old, int(rng.integers(0, 5)))
            messy_rows[i][col] = new

    # Copies land a little after their original, as when a batch is exported twice.
    order_keys: list[tuple[int, int, int]] = [(i, 0, i) for i in range(n_orders)]
    for source in defect_rows["duplicate_rows"]:
        after = min(n_orders - 1, source + int(rng.integers(1, 200)))
        order_keys.append((after, 1, source))
    order_keys.sort()
    messy_file_rows = [messy_rows[source] for _, _, source in order_keys]

    planted: list[PlantedDefect] = []
    position_of_original = {
        source: pos for pos, (_, copy, source) in enumerate(order_keys) if not copy
    }
    for kind in RETAIL_DEFECT_COUNTS:
        column = DEFECT_COLUMNS[kind]
        if kind == "duplicate_rows":
            for pos, (_, copy, source) in enumerate(order_keys):
                if copy:
                    planted.append(PlantedDefect(kind, pos, column, messy_rows[source][0]))
            continue
        for i in defect_rows[kind]:
            value = messy_rows[i][column_index[column]]
            planted.append(PlantedDefect(kind, position_of_original[i], column, value))
    planted.sort(key=lambda d: (d.row, d.column, d.kind))

    # ---- the clean table: the documented cleaning applied to the true orders
    dropped = {i for kind in DROPPED_DEFECTS for i in defect_rows[kind]}
    invalid_email = set(defect_rows["invalid_email"])
    clean_rows = []
    for i, row in enumerate(true_rows):
        if i in dropped:
            continue
        clean_rows.append([*row[:-1], "" if i in invalid_email else row[-1]])

    customer_rows = [
        [
            str(customer_ids[i]),
            names_of[i],
            emails_of[i],
            _day(SIGNUP_FIRST_DAY, int(signup_of[i])),
            SEGMENTS[int(segment_of[i])],
            COUNTRIES[int(country_of[i])],
        ]
        for i in known
    ]
    customer_header = ("customer_id", "name", "email", "signup_date", "segment", "country")
    return _RetailBuild(
        messy=_csv_bytes(_RETAIL_HEADER, messy_file_rows),
        clean=_csv_bytes(_RETAIL_HEADER, clean_rows),
        customers=_csv_bytes(customer_header, customer_rows),
        defects=tuple(planted),
        gaps=CustomerJoinGaps(
            customers_without_orders=tuple(customer_ids[i] for i in without_orders),
            unknown_customer_ids=tuple(customer_ids[i] for i in unknown),
        ),
    )


def _daily_visits(seed: int | None = None) -> bytes:
    """Three years of daily visits: trend × weekly × yearly seasonality × noise.

    ``seed`` None builds the shipped file; a variant has other noise and a trend whose slope
    is scaled by a factor in [0.7, 1.3], over the same days.
    """
    import numpy as np

    slope = 0.45
    if seed is None:
        rng = np.random.default_rng(VISITS_SEED)
    else:
        rng, shape_rng = _variant_rngs(VISITS_SEED, seed)
        slope *= float(shape_rng.uniform(0.7, 1.3))
    n_days = (VISITS_LAST_DAY - VISITS_FIRST_DAY).days + 1
    t = np.arange(n_days)
    days = [VISITS_FIRST_DAY + dt.timedelta(days=int(i)) for i in t]
    weekday = np.array([d.weekday() for d in days])
    day_of_year = np.array([d.timetuple().tm_yday for d in days])
    trend = 1_200.0 + slope * t  # shipped: about +40 % over the three years
    weekly = np.array([1.06, 1.09, 1.07, 1.02, 0.95, 0.80, 0.78])[weekday]
    # Peak in mid-December, trough in mid-June.
    yearly = 1.0 + 0.18 * np.cos(2 * np.pi * (day_of_year - 350) / 365.25)
    noise = rng.normal(1.0, 0.05, n_days)
    visits = np.maximum(0, np.rint(trend * weekly * yearly * noise)).astype(np.int64)
    signups = rng.binomial(visits, 0.025)
    rows = [[days[i].isoformat(), str(int(visits[i])), str(int(signups[i]))] for i in range(n_days)]
    return _csv_bytes(("date", "visits", "signups"), rows)


def _churn(seed: int | None = None) -> bytes:
    """Customer churn with a hidden dissatisfaction driving both the features and the label.

    ``seed`` None builds the shipped file; a variant draws other customers from the same
    process, with the same row count and the same ids (1 to CHURN_ROWS).
    """
    if seed is None:
        return _churn_csv(CHURN_SEED, CHURN_ROWS, 1)
    return _churn_csv(_variant_entropy(CHURN_SEED, _DRAWS_STREAM, seed), CHURN_ROWS, 1)


def _churn_csv(seed: int | Sequence[int], n: int, first_id: int) -> bytes:
    """``n`` churn customers drawn with ``seed``, numbered from ``first_id``, as CSV bytes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    age = rng.integers(18, 76, n)
    region = rng.integers(0, len(REGIONS), n)  # no signal: a distractor
    plan = rng.choice(len(PLANS), n, p=[0.45, 0.35, 0.20])
    contract = rng.choice(len(CONTRACTS), n, p=[0.50, 0.30, 0.20])
    payment = rng.choice(len(PAYMENT_METHODS), n, p=[0.40, 0.25, 0.20, 0.15])
    autopay = (rng.random(n) < np.where(payment == 3, 0.15, 0.65)).astype(np.int64)
    tenure_low = np.array([1, 6, 12])[contract]
    tenure = rng.integers(tenure_low, 73)
    monthly_cents = np.array([1999, 3999, 6999])[plan] + np.rint(rng.normal(0, 600, n))
    monthly_cents = np.maximum(999, monthly_cents).astype(np.int64)
    total_cents = np.rint(monthly_cents * tenure * rng.normal(1.0, 0.03, n)).astype(np.int64)

    # Dissatisfaction is never shown; calls, logins and recency are noisy traces of it.
    unhappy = rng.normal(0.0, 1.0, n)
    support_calls = rng.poisson(np.exp(0.1 + 0.7 * unhappy))
    logins_tenths = np.rint(10 * rng.gamma(2.0, np.exp(1.1 - 0.55 * unhappy) / 2.0))
    last_login = np.rint(rng.exponential(np.exp(1.6 + 0.7 * unhappy))).astype(np.int64)

    logit = (
        -1.2
        + 1.1 * unhappy
        + np.array([1.3, -0.4, -1.8])[contract]
        - 0.035 * (tenure - 24)
        + 0.015 * (monthly_cents / 100 - 40)
        - 0.5 * autopay
        + np.where(payment == 3, 0.4, 0.0)
        - 0.005 * (age - 45)
    )
    churned = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    # The leak: only customers who left have asked to cancel, a few days to weeks before.
    request_days = rng.integers(0, 46, n)

    rows = []
    for i in range(n):
        rows.append(
            [
                str(first_id + i),
                str(int(age[i])),
                REGIONS[int(region[i])],
                PLANS[int(plan[i])],
                CONTRACTS[int(contract[i])],
                PAYMENT_METHODS[int(payment[i])],
                str(int(autopay[i])),
                str(int(tenure[i])),
                _money(int(monthly_cents[i])),
                _money(int(total_cents[i])),
                str(int(support_calls[i])),
                f"{int(logins_tenths[i]) // 10}.{int(logins_tenths[i]) % 10}",
                str(int(last_login[i])),
                str(int(request_days[i])) if churned[i] else "",
                str(int(churned[i])),
            ]
        )
    from sandbox.datasets.schemas import shipped_columns

    return _csv_bytes([c.name for c in shipped_columns("churn") or ()], rows)


# name → generator; None builds the shipped file, a seed builds that variant.
_GENERATORS: Mapping[str, Callable[[int | None], bytes]] = MappingProxyType(
    {
        "retail_sales_messy": lambda seed: _retail(seed).messy,
        "retail_sales": lambda seed: _retail(seed).clean,
        "customers": lambda seed: _retail(seed).customers,
        "daily_visits": _daily_visits,
        "churn": _churn,
    }
)


#: Datasets whose generator can draw further rows from the same process (``unseen_rows``).
_UNSEEN_GENERATORS: Mapping[str, Callable[[int, int, int], bytes]] = MappingProxyType(
    {"churn": _churn_csv}
)
#: Rows drawn by ``unseen_rows`` are numbered from here on, far from every shipped identifier.
UNSEEN_FIRST_ID = 1_000_001


def unseen_rows(name: str, seed: int, n: int) -> pd.DataFrame:
    """``n`` fresh rows of a generated dataset, drawn by its generator from ``seed``.

    The rows follow the same process as the shipped file (same columns, types and
    relationships) but are other draws: new customers, numbered from :data:`UNSEEN_FIRST_ID`.
    The judge scores models on rows drawn from a seed it picks afresh in its own process, so
    they exist nowhere a learner's notebook can load them (see ``docs/authoring.md``).
    """
    import io

    from sandbox.datasets.schemas import read_pandas, shipped_columns

    if name not in _UNSEEN_GENERATORS:
        raise DatasetError(
            f"{name!r} cannot draw unseen rows (possible for: {', '.join(_UNSEEN_GENERATORS)})."
        )
    if n < 1:
        raise UsageError(f"n must be at least 1, got {n}.")
    data = _UNSEEN_GENERATORS[name](seed, n, UNSEEN_FIRST_ID)
    return read_pandas(io.BytesIO(data), shipped_columns(name))


def generated_names() -> list[str]:
    """Names of the datasets this module generates (every registered set with a file)."""
    return [name for name in names() if info(name).file is not None]


def _generator(name: str) -> Callable[[int | None], bytes]:
    entry = info(name)
    if entry.file is None:
        raise DatasetError(f"{name!r} ships inside scikit-learn; there is no file to generate.")
    if name not in _GENERATORS:
        raise DatasetError(f"{name!r} is registered with a file but has no generator.")
    return _GENERATORS[name]


def generate(name: str) -> bytes:
    """The exact bytes of a shipped dataset file, rebuilt from its seeded generator."""
    return _generator(name)(None)


def write_all(folder: Path | str) -> list[Path]:
    """Write every generated dataset file into ``folder`` (created if needed); return the paths."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in generated_names():
        file_name = info(name).file
        assert file_name is not None
        destination = target / file_name
        destination.write_bytes(generate(name))
        written.append(destination)
    return written


def _active_seed() -> int | None:
    from sandbox.datasets.registry import active_variant

    variant = active_variant()
    return None if variant is None else variant.seed


def planted_defects(name: str) -> tuple[PlantedDefect, ...]:
    """The generator's record of every defect planted in a dataset (empty for clean sets).

    With a variant active (:func:`~sandbox.datasets.registry.use_variant`), the record of
    that variant's file; otherwise the shipped file's.
    """
    if not info(name).is_messy:
        return ()
    if name == "retail_sales_messy":
        return _retail(_active_seed()).defects
    raise DatasetError(f"{name!r} is registered as messy but has no planted-defect record.")


def customer_join_gaps() -> CustomerJoinGaps:
    """Which customers never ordered and which sales name a customer missing from customers.

    With a variant active, the gaps of that variant's files; otherwise the shipped ones.
    """
    return _retail(_active_seed()).gaps


# ================================================================================== variants
#
# A variant keeps a dataset's schema, its planted defect kinds and rough proportions, and
# changes its rows and values. Clean verification runs notebooks on one, so an answer typed
# in from the shipped data fails while a computed one passes.

#: Bounds of the share of rows a scikit-learn variant keeps (drawn from the seed).
SKLEARN_VARIANT_FRACTION = (0.85, 0.95)


def variant_bytes(name: str, seed: int) -> bytes:
    """The CSV bytes of the variant ``seed`` of a generated dataset.

    Same format, columns and rules as the shipped file; other rows. The retail trio is built
    together, so ``retail_sales_messy``, ``retail_sales`` and ``customers`` of one seed agree
    as the shipped files do: about ±10 % orders and customers, each defect count and join gap
    scaled by 0.75-1.25. ``daily_visits`` covers the same days with other noise and a trend
    0.7-1.3 times as steep; ``churn`` keeps its row count and ids and its leak. The same seed
    always gives the same bytes.
    """
    _check_seed(seed)
    return _generator(name)(seed)


def variant_frame(name: str, seed: int) -> pd.DataFrame:
    """The variant ``seed`` of a set bundled with scikit-learn: a seeded subsample of its rows.

    Keeps 85-95 % of the rows (the share drawn from the seed), without replacement and in the
    original order, index reset to 0..n-1, with the columns and dtypes ``load(name)`` gives.
    No noise is added, so every value stays real and the set stays as learnable.
    """
    import zlib

    import numpy as np

    from sandbox.datasets.registry import _load_sklearn

    _check_seed(seed)
    entry = info(name)
    if entry.loader is None:
        raise DatasetError(f"{name!r} is a generated set: use variant_bytes({name!r}, seed).")
    frame = cast("pd.DataFrame", _load_sklearn(entry.loader, "pandas"))
    # crc32, not hash(): the draw must not depend on PYTHONHASHSEED.
    rng = np.random.default_rng(_variant_entropy(zlib.crc32(name.encode()), _DRAWS_STREAM, seed))
    low, high = SKLEARN_VARIANT_FRACTION
    keep = round(len(frame) * float(rng.uniform(low, high)))
    rows = np.sort(rng.choice(len(frame), keep, replace=False))
    return frame.iloc[rows].reset_index(drop=True)


def write_variant(folder: Path | str, seed: int, names: Iterable[str] | None = None) -> list[Path]:
    """Write the variant ``seed`` of the named datasets (default: all) into ``folder``.

    Generated sets are written as their shipped file name (``retail_sales.csv``), sets bundled
    with scikit-learn as ``<name>.parquet``. Each file is written atomically (a temporary file
    in the folder, then a rename), so a concurrent reader sees the old file or the whole new
    one. The folder (created if needed) is marked with its seed: writing another seed's
    variant into it raises DatasetError. Returns the paths written.
    """
    from sandbox.datasets.registry import names as all_names

    _check_seed(seed)
    target = Path(folder)
    chosen = list(all_names() if names is None else names)
    entries = [info(name) for name in chosen]  # every name checked before anything is written
    _claim_variant_folder(target, seed)
    written = []
    for entry in entries:
        destination = target / _variant_file_name(entry)
        if entry.file is not None:
            data = variant_bytes(entry.name, seed)
        else:
            data = variant_frame(entry.name, seed).to_parquet(engine="pyarrow", index=False)
        _write_atomically(destination, data)
        written.append(destination)
    return written


_TRANSACTION_CATEGORIES = (
    "books", "clothing", "electronics", "garden", "grocery", "health", "home", "music",
    "office", "outdoor", "pets", "sports", "toys", "travel",
)  # fmt: skip


def generate_transactions(n_rows: int = 1_000_000, seed: int = 0) -> pd.DataFrame:
    """A large synthetic transactions table, built in memory (never shipped).

    Columns: ``transaction_id``, ``timestamp`` (one year, second resolution), ``store_id``
    (1–50), ``customer_id``, ``category`` (text), ``quantity`` and ``amount``. The same
    ``n_rows`` and ``seed`` always give the same frame; a million rows take well under a second.
    Under an active data variant (clean verification) the frame is that variant's: other draws
    for the same ``n_rows`` and ``seed``, so results computed from it differ between variants.
    """
    import numpy as np
    import pandas as pd

    from sandbox.datasets.registry import active_variant

    if n_rows < 0:
        raise UsageError(f"n_rows must be 0 or more, got {n_rows}.")
    variant = active_variant()
    rng = np.random.default_rng(
        seed if variant is None else _variant_entropy(seed, _DRAWS_STREAM, variant.seed)
    )
    categories = np.array(sorted(_TRANSACTION_CATEGORIES), dtype=object)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    seconds = rng.integers(0, 366 * 86_400, n_rows)
    quantity = rng.integers(1, 6, n_rows)
    unit_cents = rng.integers(100, 10_000, n_rows)
    return pd.DataFrame(
        {
            "transaction_id": np.arange(1, n_rows + 1, dtype=np.int64),
            "timestamp": np.sort(start + seconds.astype("timedelta64[s]")),
            "store_id": rng.integers(1, 51, n_rows),
            "customer_id": rng.integers(1, 200_001, n_rows),
            "category": pd.array(categories[rng.integers(0, len(categories), n_rows)], dtype="str"),
            "quantity": quantity,
            "amount": quantity * unit_cents / 100,
        }
    )


# ======================================================================================= CLI


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sandbox.datasets [--check] [FOLDER]``: rebuild (or compare) the shipped files."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.datasets", description=main.__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=datasets_dir())
    parser.add_argument(
        "--check", action="store_true", help="compare with the files instead of writing them"
    )
    args = parser.parse_args(argv)
    if not args.check:
        for written in write_all(args.folder):
            print(f"wrote {written} ({written.stat().st_size:,} bytes)")
        return 0
    stale = []
    for name in generated_names():
        file = args.folder / str(info(name).file)
        if not file.is_file() or file.read_bytes() != generate(name):
            stale.append(str(file))
    for file in stale:
        print(f"differs from its generator: {file}", file=sys.stderr)
    return 1 if stale else 0
