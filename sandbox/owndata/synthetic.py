"""A seeded, wide table with planted defects: for the lab's tests, its benchmark, and to try it.

:func:`wide_table` writes a CSV of ``rows`` rows and 20 columns (numbers, dates, date-times,
categories, booleans, e-mails, URLs, free text, codes, a constant) and returns the planted
defects, so a profile of the file can be checked against exactly what was planted:

``duplicate_rows``       exact copies of earlier rows (appended at the end)
``missing_amount``       empty ``amount``
``invalid_order_date``   ``order_date`` values that are not dates
``negative_quantity``    negative ``quantity``
``variant_category``     rare spellings of ``category`` (``ELECTRONICS``, `` home``)
``invalid_email``        damaged e-mail addresses
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

COLUMNS = 20
CATEGORIES = ("electronics", "home", "office", "outdoor", "garden")
COUNTRIES = ("United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland")
STATUSES = ("new", "paid", "shipped", "returned")
WORDS = (
    "quick",
    "delivery",
    "great",
    "value",
    "broken",
    "box",
    "late",
    "friendly",
    "service",
    "again",
)


def planted_counts(rows: int) -> dict[str, int]:
    """How many rows carry each planted defect in a table of ``rows`` rows."""
    share = max(rows // 1000, 1)
    return {
        "duplicate_rows": share,
        "missing_amount": 2 * share,
        "invalid_order_date": share,
        "negative_quantity": share,
        "variant_category": share,
        "invalid_email": share,
    }


def wide_table(path: Path, rows: int = 1_000_000, seed: int = 7) -> dict[str, int]:
    """Write the table to ``path`` (CSV) and return :func:`planted_counts` for it."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    planted = planted_counts(rows)
    base = rows - planted["duplicate_rows"]
    ids = np.arange(1, base + 1)
    day = np.datetime64("2023-01-01") + rng.integers(0, 730, base).astype("timedelta64[D]")
    seconds = rng.integers(0, 86_400, base).astype("timedelta64[s]")

    def pick(values: tuple[str, ...]) -> Any:
        return np.asarray(values)[rng.integers(0, len(values), base)]

    frame = pl.DataFrame(
        {
            "order_id": ids,
            "customer_id": rng.integers(1000, 50_000, base),
            "order_date": day.astype(str),
            "shipped_at": (day.astype("datetime64[s]") + seconds).astype(str),
            "category": pick(CATEGORIES),
            "country": pick(COUNTRIES),
            "status": pick(STATUSES),
            "quantity": rng.integers(1, 10, base),
            "amount": np.round(rng.gamma(2.0, 30.0, base), 2),
            "discount": np.round(rng.uniform(0, 0.3, base), 3),
            "rating": rng.integers(1, 6, base),
            "age": rng.integers(18, 90, base),
            "score": np.round(rng.normal(50, 10, base), 4),
            "is_member": pick(("true", "false")),
            "email": [f"user{i}@example.com" for i in ids],
            "website": [f"https://shop.example.com/p/{i}" for i in ids],
            "sku": [f"SKU{i:08d}" for i in ids],
            "comment": [
                " ".join(w) for w in np.asarray(WORDS)[rng.integers(0, len(WORDS), (base, 6))]
            ],
            "channel": np.full(base, "web"),
            "weight_kg": np.round(rng.lognormal(0, 0.5, base), 3),
        }
    )
    frame = frame.with_columns(pl.all().cast(pl.String))
    # Defects go below the rows that are copied at the end, so each is counted once.
    first = planted["duplicate_rows"]
    wanted = sum(v for k, v in planted.items() if k != "duplicate_rows")
    spots = first + rng.choice(base - first, size=wanted, replace=False)
    cursor = 0

    def take(n: int) -> Any:
        nonlocal cursor
        chosen = spots[cursor : cursor + n]
        cursor += n
        return pl.Series(chosen)

    def plant(column: str, where: Any, value: Any) -> None:
        nonlocal frame
        mask = pl.int_range(pl.len()).is_in(where.implode())
        frame = frame.with_columns(
            pl.when(mask).then(value).otherwise(pl.col(column)).alias(column)
        )

    plant("amount", take(planted["missing_amount"]), pl.lit(None, pl.String))
    plant("order_date", take(planted["invalid_order_date"]), pl.lit("not a date"))
    plant("quantity", take(planted["negative_quantity"]), pl.lit("-3"))
    plant("category", take(planted["variant_category"]), pl.lit("ELECTRONICS"))
    plant("email", take(planted["invalid_email"]), pl.col("email").str.replace("@", " at "))
    copies = frame.head(planted["duplicate_rows"])
    pl.concat([frame, copies]).write_csv(path)
    return planted
