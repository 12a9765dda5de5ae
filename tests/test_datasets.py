"""The dataset registry, the shipped files and their generators, and the Pandera schemas.

Expected values come from the generator's own record (planted defects, join gaps, documented
constants), never from numbers copied out of the files.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pandera.errors
import polars as pl
import pytest

from sandbox import datasets
from sandbox.errors import DatasetError, UsageError
from sandbox.paths import datasets_dir

BACKENDS = ("pandas", "polars")
MESSY = [name for name in datasets.names() if datasets.info(name).is_messy]
CLEAN = [name for name in datasets.names() if not datasets.info(name).is_messy]
GENERATED = datasets.generated_names()
MAX_TOTAL_BYTES = 5 * 1024 * 1024


def _failure_cells(error: pandera.errors.SchemaErrors) -> tuple[set[tuple[int, str]], int]:
    """(row, column) of every failure case, and how many failures name no row at all."""
    cases = error.failure_cases
    if isinstance(cases, pl.DataFrame):
        cases = cases.to_pandas()
    with_row = cases[cases["index"].notna()]
    cells = {
        (int(row), str(col)) for row, col in zip(with_row["index"], with_row["column"], strict=True)
    }
    return cells, int(cases["index"].isna().sum())


# ------------------------------------------------------------------------------- registry


def test_registry_covers_generated_and_bundled_sets() -> None:
    assert len(datasets.names()) == len(set(datasets.names()))
    for name in datasets.names():
        entry = datasets.info(name)
        assert re.fullmatch(datasets.NAME_RE, name)
        assert (entry.file is None) != (entry.loader is None)
        if entry.loader is not None:
            assert entry.loader in datasets.SKLEARN_LOADERS
    bundled = {datasets.info(n).loader for n in datasets.names() if datasets.info(n).is_bundled}
    assert bundled == set(datasets.SKLEARN_LOADERS)
    assert MESSY, "at least one messy dataset is shipped"
    for name in MESSY:
        assert not datasets.info(datasets.info(name).schema).is_messy


def test_dataset_info_is_frozen() -> None:
    entry = datasets.info("retail_sales")
    with pytest.raises(AttributeError):
        entry.rows = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        entry.columns["order_id"] = "changed"  # type: ignore[index]


def test_documented_defect_counts_match_the_generator() -> None:
    messy = datasets.info("retail_sales_messy")
    assert dict(messy.defects) == dict(datasets.RETAIL_DEFECT_COUNTS)
    recorded = Counter(defect.kind for defect in datasets.planted_defects("retail_sales_messy"))
    assert recorded == Counter(datasets.RETAIL_DEFECT_COUNTS)
    # One defect per row, so every count is exact and independent of the others.
    rows = [defect.row for defect in datasets.planted_defects("retail_sales_messy")]
    assert len(rows) == len(set(rows))


def test_row_counts_follow_from_the_generator_constants() -> None:
    counts = datasets.RETAIL_DEFECT_COUNTS
    dropped = sum(counts[kind] for kind in datasets.DROPPED_DEFECTS)
    assert (
        datasets.info("retail_sales_messy").rows
        == datasets.RETAIL_ORDERS + counts["duplicate_rows"]
    )
    assert datasets.info("retail_sales").rows == datasets.RETAIL_ORDERS - dropped
    assert datasets.info("customers").rows == datasets.N_CUSTOMERS
    assert datasets.info("churn").rows == datasets.CHURN_ROWS
    span = datasets.VISITS_LAST_DAY - datasets.VISITS_FIRST_DAY
    assert datasets.info("daily_visits").rows == span.days + 1


# ------------------------------------------------------------------- generators and files


@pytest.mark.parametrize("name", GENERATED)
def test_generator_reproduces_the_shipped_file_byte_for_byte(name: str) -> None:
    shipped = datasets.path(name).read_bytes()
    generated = datasets.generate(name)
    assert hashlib.sha256(generated).hexdigest() == hashlib.sha256(shipped).hexdigest(), (
        f"{name}: the shipped file differs from its generator; run `python -m sandbox.datasets`"
    )
    assert b"\r" not in generated
    generated.decode("utf-8")  # valid UTF-8


def test_write_all_rebuilds_every_file(tmp_path: Path) -> None:
    written = datasets.write_all(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(str(datasets.info(n).file) for n in GENERATED)
    for file in written:
        assert file.read_bytes() == (datasets_dir() / file.name).read_bytes()


def test_generation_does_not_depend_on_hash_seed_locale_or_directory(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345", "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.datasets", "--check", str(datasets_dir())],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_check_mode_reports_a_stale_file(tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(datasets_dir(), folder)
    stale = folder / str(datasets.info("daily_visits").file)
    stale.write_bytes(stale.read_bytes().replace(b"\n", b"\r\n"))
    assert datasets.main(["--check", str(folder)]) == 1
    assert datasets.main([str(folder)]) == 0  # rewriting repairs it
    assert datasets.main(["--check", str(folder)]) == 0


def test_shipped_data_stays_small() -> None:
    total = sum(f.stat().st_size for f in datasets_dir().rglob("*") if f.is_file())
    assert total <= MAX_TOTAL_BYTES


def test_importing_the_module_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, sandbox.datasets as d; d.names(); d.path('churn');"
        "heavy = {'pandas', 'polars', 'numpy', 'sklearn', 'pandera'} & set(sys.modules);"
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------------- path and load


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", datasets.names())
def test_load_matches_the_registry_from_any_directory(
    name: str, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # notebooks run in the learner's workspace, not the repo
    entry = datasets.info(name)
    frame = datasets.load(name, backend)  # type: ignore[call-overload]
    expected_type = pl.DataFrame if backend == "polars" else pd.DataFrame
    assert isinstance(frame, expected_type)
    assert frame.shape == (entry.rows, len(entry.columns))
    assert list(frame.columns) == list(entry.columns)
    if entry.file is not None:
        file = datasets.path(name)
        assert file.is_absolute() and file.is_file()
        assert file.parent == datasets_dir().resolve()


def test_clean_sets_load_with_their_declared_types() -> None:
    sales = datasets.load("retail_sales")
    assert pd.api.types.is_datetime64_any_dtype(sales["order_date"])
    assert sales["customer_id"].dtype == "int64"
    assert sales["unit_price"].dtype == "float64"
    polars_sales = datasets.load("retail_sales", "polars")
    assert polars_sales.schema["order_date"] == pl.Date
    # The messy set keeps its raw text: dates stay strings to be parsed by the learner.
    messy = datasets.load("retail_sales_messy")
    assert not pd.api.types.is_datetime64_any_dtype(messy["order_date"])


def test_sklearn_sets_keep_the_target_as_a_column() -> None:
    iris = datasets.load("iris")
    assert datasets.info("iris").target == datasets.SKLEARN_TARGET
    assert sorted(iris[datasets.SKLEARN_TARGET].unique()) == [0, 1, 2]
    with pytest.raises(DatasetError, match="ships inside scikit-learn"):
        datasets.path("iris")
    with pytest.raises(DatasetError, match="no file to generate"):
        datasets.generate("iris")


@pytest.mark.parametrize(
    "call",
    [datasets.info, datasets.path, datasets.load, datasets.schema, datasets.generate],
    ids=lambda f: f.__name__,
)
def test_unknown_name_raises_dataset_error_with_close_matches(call: object) -> None:
    with pytest.raises(DatasetError) as caught:
        call("retail_sale")  # type: ignore[operator]
    message = str(caught.value)
    assert "Did you mean" in message and "retail_sales" in message
    for name in datasets.names():
        assert name in message  # the known names are listed


def test_unknown_backend_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="backend"):
        datasets.load("churn", "spark")  # type: ignore[call-overload]


# ----------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", CLEAN)
def test_clean_dataset_validates_against_its_schema(name: str, backend: str) -> None:
    frame = datasets.load(name, backend)  # type: ignore[call-overload]
    datasets.schema(name, backend).validate(frame, lazy=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_clean_schema_flags_a_broken_cell(backend: str) -> None:
    """The schemas are not vacuous: one bad value fails on its own row and column."""
    frame = datasets.load("retail_sales", backend)  # type: ignore[call-overload]
    row = len(frame) // 2
    quantity = list(frame["quantity"])
    quantity[row] = -quantity[row]
    if backend == "polars":
        frame = frame.with_columns(pl.Series("quantity", quantity))
    else:
        frame["quantity"] = quantity
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        datasets.schema("retail_sales", backend).validate(frame, lazy=True)
    assert _failure_cells(caught.value) == ({(row, "quantity")}, 0)


def test_clean_schema_rejects_dates_left_as_text() -> None:
    sales = datasets.load("retail_sales")
    sales["order_date"] = sales["order_date"].dt.strftime("%Y-%m-%d")
    with pytest.raises(pandera.errors.SchemaErrors):
        datasets.validate(sales, "retail_sales")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", MESSY)
def test_messy_dataset_fails_on_exactly_the_planted_defects(name: str, backend: str) -> None:
    frame = datasets.load(name, backend)  # type: ignore[call-overload]
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        datasets.schema(name, backend).validate(frame, lazy=True)
    cells, without_row = _failure_cells(caught.value)
    planted = {(defect.row, defect.column) for defect in datasets.planted_defects(name)}
    assert without_row == 0, "every failure should point at a row"
    assert cells - planted == set(), "flagged cells that carry no planted defect"
    assert planted - cells == set(), "planted defects the schema missed"


def test_planted_defect_record_matches_the_file_text() -> None:
    with datasets.path("retail_sales_messy").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    for defect in datasets.planted_defects("retail_sales_messy"):
        assert rows[defect.row][header.index(defect.column)] == defect.value
        assert datasets.DEFECT_COLUMNS[defect.kind] == defect.column
    duplicates = [
        d for d in datasets.planted_defects("retail_sales_messy") if d.kind == "duplicate_rows"
    ]
    for copy in duplicates:
        assert rows.index(rows[copy.row]) < copy.row  # an identical row comes earlier


def test_validate_collects_a_polars_lazy_frame_so_data_checks_run() -> None:
    lazy = datasets.load("retail_sales_messy", "polars").lazy()
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        datasets.validate(lazy, "retail_sales_messy")
    cells, _ = _failure_cells(caught.value)
    assert cells == {(d.row, d.column) for d in datasets.planted_defects("retail_sales_messy")}
    clean = datasets.validate(datasets.load("retail_sales", "polars").lazy(), "retail_sales")
    assert isinstance(clean, pl.DataFrame)


# ---------------------------------------------------------------- what the data teaches


def _clean_as_documented(messy: pd.DataFrame) -> pd.DataFrame:
    """The cleaning recipe in the module docstring, step by step."""
    frame = messy.drop_duplicates(keep="first")
    frame = frame.dropna(subset=["customer_id", "country", "unit_price"])
    dates = pd.to_datetime(frame["order_date"], format="%Y-%m-%d", errors="coerce")
    frame = frame.assign(order_date=dates)
    frame = frame[frame["order_date"].notna() & (frame["quantity"] > 0)]
    canonical = {
        variant: country
        for country, variants in datasets.COUNTRY_VARIANTS.items()
        for variant in variants
    }
    valid_email = frame["email"].str.match(datasets.EMAIL_PATTERN).fillna(False).astype(bool)
    frame = frame.assign(
        country=frame["country"].replace(canonical),
        email=frame["email"].where(valid_email),
        customer_id=frame["customer_id"].astype("int64"),
    )
    return frame.reset_index(drop=True)


def test_cleaning_the_messy_sales_as_documented_gives_the_clean_sales() -> None:
    cleaned = _clean_as_documented(datasets.load("retail_sales_messy"))
    pd.testing.assert_frame_equal(cleaned, datasets.load("retail_sales"))


def test_inner_and_left_joins_differ_by_the_planted_gaps() -> None:
    sales = datasets.load("retail_sales")
    customers = datasets.load("customers")
    gaps = datasets.customer_join_gaps()
    assert len(gaps.customers_without_orders) == datasets.N_CUSTOMERS_WITHOUT_ORDERS
    assert len(gaps.unknown_customer_ids) == datasets.N_UNKNOWN_CUSTOMERS
    sales_ids, customer_ids = set(sales["customer_id"]), set(customers["customer_id"])
    assert customer_ids - sales_ids == set(gaps.customers_without_orders)
    assert sales_ids - customer_ids == set(gaps.unknown_customer_ids)
    messy_ids = set(datasets.load("retail_sales_messy")["customer_id"].dropna().astype(int))
    assert not messy_ids & set(gaps.customers_without_orders)

    inner = sales.merge(customers, on="customer_id", how="inner", suffixes=("", "_customer"))
    left = sales.merge(customers, on="customer_id", how="left", suffixes=("", "_customer"))
    orphan_orders = int(sales["customer_id"].isin(gaps.unknown_customer_ids).sum())
    assert orphan_orders >= datasets.N_UNKNOWN_CUSTOMERS
    assert len(left) == len(sales)
    assert len(left) - len(inner) == orphan_orders
    # The order's ship-to country is the customer's country, so the join is consistent.
    assert (inner["country"] == inner["country_customer"]).all()
    from_customers = customers.merge(sales, on="customer_id", how="left")
    assert from_customers["order_id"].isna().sum() == datasets.N_CUSTOMERS_WITHOUT_ORDERS


def test_daily_visits_have_trend_and_weekly_and_yearly_seasonality() -> None:
    visits = datasets.load("daily_visits").set_index("date")["visits"]
    expected_days = pd.date_range(datasets.VISITS_FIRST_DAY, datasets.VISITS_LAST_DAY, freq="D")
    assert list(visits.index) == list(expected_days)
    by_weekday = visits.groupby(visits.index.day_of_week).mean()
    assert by_weekday[[5, 6]].max() < 0.9 * by_weekday[[0, 1, 2, 3]].min()
    by_year = visits.groupby(visits.index.year).mean()
    assert by_year.is_monotonic_increasing
    by_month = visits.groupby(visits.index.month).mean()
    assert by_month[12] > 1.15 * by_month[6]


def test_churn_has_one_planted_leak_and_honest_signal_elsewhere() -> None:
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    entry = datasets.info("churn")
    assert entry.leak == datasets.CHURN_LEAK and entry.target == "churned"
    churn = datasets.load("churn")
    target = churn[entry.target]
    leak_known = churn[entry.leak].notna()
    assert (leak_known == (target == 1)).all(), "the leak is filled exactly for churners"
    assert roc_auc_score(target, leak_known) == 1.0

    features = churn.drop(columns=[entry.target, entry.leak, "customer_id"])
    categorical = [c for c in features.columns if features[c].dtype == "str"]
    numeric = [c for c in features.columns if c not in categorical]
    assert categorical and numeric
    model = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), categorical), (StandardScaler(), numeric)
        ),
        LogisticRegression(max_iter=1_000),
    )
    honest_auc = cross_val_score(model, features, target, scoring="roc_auc", cv=5).mean()
    assert 0.8 <= honest_auc <= 0.9
    assert 0.1 < target.mean() < 0.4  # churners are a minority, but not a rare one


# ---------------------------------------------------------------- registry file problems


def _registry_copy(tmp_path: Path, old: str, new: str) -> Path:
    file = tmp_path / datasets.REGISTRY_FILE
    text = (datasets_dir() / datasets.REGISTRY_FILE).read_text(encoding="utf-8")
    assert old in text, f"the registry no longer contains {old!r}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return file


def test_the_shipped_registry_reads_cleanly(tmp_path: Path) -> None:
    copy = _registry_copy(tmp_path, "format_version = 1", "format_version = 1")
    assert list(datasets.read_registry(copy)) == datasets.names()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            'name = "retail_sales_messy"\n',
            'name = "retail_sales_messy"\ncolour = "red"\n',
            r"key 'datasets\[0\]\.colour': unknown key",
            id="unknown-dataset-key",
        ),
        pytest.param(
            "format_version = 1",
            'format_version = 1\nowner = "me"',
            r"key 'owner': unknown key",
            id="unknown-top-level-key",
        ),
        pytest.param(
            "format_version = 1", "format_version = 2", r"key 'format_version'", id="version"
        ),
        pytest.param(
            'name = "retail_sales"\n', 'name = "retail_sales_messy"\n', "declared twice", id="dup"
        ),
        pytest.param(
            'file = "churn.csv"', 'file = "../churn.csv"', r"plain \.csv file name", id="traversal"
        ),
        pytest.param(
            'loader = "load_iris"',
            'loader = "fetch_openml"',
            r"key 'datasets\[5\]\.loader'",
            id="loader",
        ),
        pytest.param(
            'schema = "retail_sales"', 'schema = "retail_salez"', "no dataset named", id="schema"
        ),
        pytest.param(
            'leak = "days_since_cancellation_request"', 'leak = "nope"', "not one of", id="leak"
        ),
        pytest.param("rows = 2500", 'rows = "many"', r"key 'datasets\[4\]\.rows'", id="rows"),
    ],
)
def test_registry_rejects_malformed_entries(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    broken = _registry_copy(tmp_path, old, new)
    with pytest.raises(DatasetError, match=message) as caught:
        datasets.read_registry(broken)
    assert str(broken) in str(caught.value)


def test_missing_registry_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="file not found"):
        datasets.read_registry(tmp_path / "nowhere.toml")


# ------------------------------------------------------------------ generate_transactions


def test_generate_transactions_is_deterministic_and_sized_as_asked() -> None:
    first = datasets.generate_transactions(n_rows=20_000, seed=7)
    again = datasets.generate_transactions(n_rows=20_000, seed=7)
    other = datasets.generate_transactions(n_rows=20_000, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    assert len(first) == 20_000
    assert first["transaction_id"].is_unique
    assert first["timestamp"].is_monotonic_increasing
    assert len(datasets.generate_transactions()) == 1_000_000
    assert len(datasets.generate_transactions(n_rows=0)) == 0
    with pytest.raises(UsageError):
        datasets.generate_transactions(n_rows=-1)
