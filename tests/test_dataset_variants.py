"""Seeded dataset variants: same schema and planted defects as the shipped data, other rows.

Clean verification runs notebooks on a variant, so these tests prove that every variant keeps
what the challenges rely on (types, rules, defect kinds, join gaps, the churn leak, learnable
signal) while its values differ from the shipped files and from other seeds.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import Counter
from pathlib import Path

import pandas as pd
import pandera.errors
import polars as pl
import pytest
from test_datasets import _clean_as_documented, _failure_cells

from sandbox import datasets
from sandbox.datasets import generators
from sandbox.errors import DatasetError, UsageError
from sandbox.paths import datasets_dir

BACKENDS = ("pandas", "polars")
GENERATED = datasets.generated_names()
BUNDLED = [name for name in datasets.names() if datasets.info(name).is_bundled]
CLEAN_GENERATED = [name for name in GENERATED if not datasets.info(name).is_messy]
SEEDS = (1, 2)


@pytest.fixture(autouse=True)
def no_variant(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts on the shipped data, whatever the calling environment says."""
    monkeypatch.delenv(datasets.VARIANT_ENV, raising=False)


def _rows(data: bytes) -> int:
    return data.count(b"\n") - 1  # minus the header; every row ends with "\n"


# ------------------------------------------------------------------- shipped data unchanged


@pytest.mark.parametrize("name", GENERATED)
def test_the_shipped_files_are_still_what_the_generators_build(name: str) -> None:
    assert datasets.generate(name) == (datasets_dir() / str(datasets.info(name).file)).read_bytes()
    assert datasets.variant_bytes(name, 0) != datasets.generate(name)


# ----------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", GENERATED)
def test_a_seed_always_gives_the_same_bytes_and_seeds_differ(name: str) -> None:
    first = datasets.variant_bytes(name, 7)
    generators._retail.cache_clear()  # rebuilt from scratch, not answered from the cache
    assert datasets.variant_bytes(name, 7) == first
    assert datasets.variant_bytes(name, 8) != first
    assert b"\r" not in first
    header = datasets.generate(name).split(b"\n", 1)[0]
    assert first.split(b"\n", 1)[0] == header


def test_retail_variants_have_their_own_row_counts_within_ten_percent() -> None:
    orders = {seed: _rows(datasets.variant_bytes("retail_sales_messy", seed)) for seed in SEEDS}
    assert orders[1] != orders[2]
    for seed in range(6):
        with datasets.use_variant(seed):
            messy, customers = datasets.load("retail_sales_messy"), datasets.load("customers")
            planted = Counter(d.kind for d in datasets.planted_defects("retail_sales_messy"))
        n_orders = len(messy) - planted["duplicate_rows"]
        assert messy["order_id"].nunique() == n_orders
        assert 0.9 * datasets.RETAIL_ORDERS <= n_orders <= 1.1 * datasets.RETAIL_ORDERS
        assert 0.9 * datasets.N_CUSTOMERS <= len(customers) <= 1.1 * datasets.N_CUSTOMERS


@pytest.mark.parametrize("name", BUNDLED)
def test_a_seed_always_gives_the_same_frame_and_seeds_differ(name: str) -> None:
    first = datasets.variant_frame(name, 7)
    pd.testing.assert_frame_equal(datasets.variant_frame(name, 7), first)
    other = datasets.variant_frame(name, 8)
    assert len(other) != len(first) or not other.equals(first)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "3"])
def test_a_seed_is_a_whole_number_zero_or_more(seed: object) -> None:
    with pytest.raises(UsageError, match="seed"):
        datasets.variant_bytes("churn", seed)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="seed"):
        datasets.variant_frame("iris", seed)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="seed"), datasets.use_variant(seed):  # type: ignore[arg-type]
        pass


def test_variant_functions_reject_the_other_kind_of_set() -> None:
    with pytest.raises(DatasetError, match="no file to generate"):
        datasets.variant_bytes("iris", 1)
    with pytest.raises(DatasetError, match="variant_bytes"):
        datasets.variant_frame("churn", 1)
    with pytest.raises(DatasetError, match="Did you mean"):
        datasets.variant_bytes("retail_sale", 1)


# ------------------------------------------------------------------------------ schema kept


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", CLEAN_GENERATED)
def test_clean_variants_validate_with_the_shipped_types(name: str, backend: str) -> None:
    shipped = datasets.load(name, backend)  # type: ignore[call-overload]
    for seed in SEEDS:
        with datasets.use_variant(seed):
            frame = datasets.load(name, backend)  # type: ignore[call-overload]
        datasets.validate(frame, name)
        assert list(frame.columns) == list(shipped.columns)
        if backend == "polars":
            assert frame.schema == shipped.schema
        else:
            assert frame.dtypes.to_dict() == shipped.dtypes.to_dict()


@pytest.mark.parametrize("seed", SEEDS)
def test_the_messy_variant_plants_every_defect_kind_in_proportion(seed: int) -> None:
    with datasets.use_variant(seed):
        planted = datasets.planted_defects("retail_sales_messy")
    counts = Counter(defect.kind for defect in planted)
    assert set(counts) == set(datasets.RETAIL_DEFECT_COUNTS)
    for kind, shipped in datasets.RETAIL_DEFECT_COUNTS.items():
        assert 0.7 * shipped <= counts[kind] <= 1.3 * shipped, kind
    assert counts != Counter(datasets.RETAIL_DEFECT_COUNTS)
    rows = [defect.row for defect in planted]
    assert len(rows) == len(set(rows)), "one defect per row"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_the_messy_variant_fails_on_exactly_its_planted_defects(seed: int, backend: str) -> None:
    with datasets.use_variant(seed):
        frame = datasets.load("retail_sales_messy", backend)  # type: ignore[call-overload]
        planted = {(d.row, d.column) for d in datasets.planted_defects("retail_sales_messy")}
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        datasets.validate(frame, "retail_sales_messy")
    cells, without_row = _failure_cells(caught.value)
    assert without_row == 0
    assert cells - planted == set(), "flagged cells that carry no planted defect"
    assert planted - cells == set(), "planted defects the schema missed"
    shipped = {(d.row, d.column) for d in datasets.planted_defects("retail_sales_messy")}
    assert planted != shipped


@pytest.mark.parametrize("seed", SEEDS)
def test_cleaning_the_messy_variant_as_documented_gives_the_clean_variant(seed: int) -> None:
    with datasets.use_variant(seed):
        messy, clean = datasets.load("retail_sales_messy"), datasets.load("retail_sales")
    pd.testing.assert_frame_equal(_clean_as_documented(messy), clean)
    assert len(clean) != datasets.info("retail_sales").rows or not clean.equals(
        datasets.load("retail_sales")
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_customer_join_gaps_hold_in_the_variant(seed: int) -> None:
    with datasets.use_variant(seed):
        sales, customers = datasets.load("retail_sales"), datasets.load("customers")
        messy = datasets.load("retail_sales_messy")
        gaps = datasets.customer_join_gaps()
    assert gaps != datasets.customer_join_gaps()  # outside the block: the shipped gaps
    sales_ids, customer_ids = set(sales["customer_id"]), set(customers["customer_id"])
    assert customer_ids - sales_ids == set(gaps.customers_without_orders)
    assert sales_ids - customer_ids == set(gaps.unknown_customer_ids)
    assert not set(messy["customer_id"].dropna().astype(int)) & set(gaps.customers_without_orders)
    for ids, shipped in (
        (gaps.customers_without_orders, datasets.N_CUSTOMERS_WITHOUT_ORDERS),
        (gaps.unknown_customer_ids, datasets.N_UNKNOWN_CUSTOMERS),
    ):
        assert len(ids) >= 1 and 0.7 * shipped <= len(ids) <= 1.3 * shipped


@pytest.mark.parametrize("seed", SEEDS)
def test_daily_visits_variant_keeps_the_days_trend_and_seasonality(seed: int) -> None:
    shipped = datasets.load("daily_visits").set_index("date")["visits"]
    with datasets.use_variant(seed):
        visits = datasets.load("daily_visits").set_index("date")["visits"]
    assert list(visits.index) == list(shipped.index)
    assert not visits.equals(shipped)
    by_weekday = visits.groupby(visits.index.day_of_week).mean()
    assert by_weekday[[5, 6]].max() < 0.9 * by_weekday[[0, 1, 2, 3]].min()
    assert visits.groupby(visits.index.year).mean().is_monotonic_increasing
    by_month = visits.groupby(visits.index.month).mean()
    assert by_month[12] > 1.1 * by_month[6]


@pytest.mark.parametrize("seed", SEEDS)
def test_churn_variant_keeps_ids_leak_and_honest_signal(seed: int) -> None:
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    shipped = datasets.load("churn")
    with datasets.use_variant(seed):
        churn = datasets.load("churn")
    assert list(churn["customer_id"]) == list(range(1, datasets.CHURN_ROWS + 1))
    assert not churn.equals(shipped)
    target = churn["churned"]
    assert (churn[datasets.CHURN_LEAK].notna() == (target == 1)).all()
    assert roc_auc_score(target, churn[datasets.CHURN_LEAK].notna()) == 1.0
    assert abs(target.mean() - shipped["churned"].mean()) < 0.06

    # The honest model of the shipped test: every feature but the id, the target and the leak.
    features = churn.drop(columns=["customer_id", "churned", datasets.CHURN_LEAK])
    categorical = [c for c in features.columns if features[c].dtype == "str"]
    numeric = [c for c in features.columns if c not in categorical]
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=0.3, random_state=0, stratify=target
    )
    model = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), categorical), (StandardScaler(), numeric)
        ),
        LogisticRegression(max_iter=1_000),
    ).fit(x_train, y_train)
    auc = roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])
    assert 0.75 <= auc <= 0.95


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_variants_keep_most_rows_columns_dtypes_and_classes(name: str) -> None:
    shipped = datasets.load(name)
    for seed in (*SEEDS, 3):
        frame = datasets.variant_frame(name, seed)
        assert 0.85 * len(shipped) <= len(frame) <= 0.95 * len(shipped) + 1
        assert frame.dtypes.to_dict() == shipped.dtypes.to_dict()
        assert list(frame.index) == list(range(len(frame)))
        # A subsample in the original order: the rows are a subsequence of the shipped rows.
        remaining = iter(shipped.itertuples(index=False))
        assert all(any(row == kept for row in remaining) for kept in frame.itertuples(index=False))
        classes = datasets.SKLEARN_LOADERS[str(datasets.info(name).loader)]
        if classes is not None:
            assert set(frame[datasets.SKLEARN_TARGET]) == set(range(classes))


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_variants_load_from_parquet_as_the_shipped_types(name: str) -> None:
    expected = datasets.variant_frame(name, 4)
    with datasets.use_variant(4) as variant:
        assert variant is not None
        frame = datasets.load(name)
        polars_frame = datasets.load(name, "polars")
        assert (variant.folder / f"{name}.parquet").is_file()
        with pytest.raises(DatasetError, match="use load"):
            datasets.path(name)
    pd.testing.assert_frame_equal(frame, expected)
    assert isinstance(polars_frame, pl.DataFrame)
    assert polars_frame.equals(pl.from_pandas(expected))
    assert polars_frame.schema == datasets.load(name, "polars").schema


# ------------------------------------------------------------------- the active variant


def test_use_variant_sets_and_restores_the_variable_nested_too(tmp_path: Path) -> None:
    env = datasets.VARIANT_ENV
    assert datasets.active_variant() is None
    with datasets.use_variant(3, tmp_path / "three") as outer:
        assert outer == datasets.Variant(3, (tmp_path / "three").resolve())
        assert os.environ[env] == f"3:{tmp_path / 'three'}"
        assert datasets.active_variant() == outer
        with datasets.use_variant(None) as shipped:
            assert shipped is None and env not in os.environ
            assert datasets.active_variant() is None
        with datasets.use_variant(4) as inner:
            assert inner is not None and datasets.active_variant() == inner
            temporary = inner.folder
            assert stat.S_IMODE(temporary.stat().st_mode) == 0o700
        assert not temporary.exists(), "a temporary folder is removed on exit"
        assert datasets.active_variant() == outer
    assert env not in os.environ
    os.environ[env] = "5:/somewhere"
    try:
        with datasets.use_variant(6, tmp_path / "six"):
            assert os.environ[env].startswith("6:")
        assert os.environ[env] == "5:/somewhere"
    finally:
        del os.environ[env]


def test_path_and_load_give_the_variant_inside_and_shipped_data_outside(tmp_path: Path) -> None:
    shipped_path = datasets.path("retail_sales")
    with datasets.use_variant(2, tmp_path / "variant") as variant:
        assert variant is not None
        inside = datasets.path("retail_sales")
        assert inside == variant.folder / "retail_sales.csv"
        assert inside.read_bytes() == datasets.variant_bytes("retail_sales", 2)
        loaded = datasets.load("retail_sales")
    assert datasets.path("retail_sales") == shipped_path
    pd.testing.assert_frame_equal(
        loaded, datasets.read_pandas(inside, datasets.shipped_columns("retail_sales"))
    )
    assert len(loaded) != len(datasets.load("retail_sales"))


def test_the_variable_is_read_on_every_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(datasets.VARIANT_ENV, f"1:{tmp_path / 'a:b'}")  # the folder holds a ':'
    assert datasets.active_variant() == datasets.Variant(1, tmp_path / "a:b")
    first = datasets.load("churn")
    monkeypatch.setenv(datasets.VARIANT_ENV, f"2:{tmp_path / 'two'}")
    assert not datasets.load("churn").equals(first)
    monkeypatch.setenv(datasets.VARIANT_ENV, "")
    assert datasets.active_variant() is None


@pytest.mark.parametrize(
    "value", ["abc:/tmp/x", "-1:/tmp/x", "3", "3:", "3:relative/folder", ":/tmp/x", "1.5:/tmp"]
)
def test_a_malformed_variable_is_a_dataset_error_naming_it(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(datasets.VARIANT_ENV, value)
    with pytest.raises(DatasetError, match=datasets.VARIANT_ENV):
        datasets.active_variant()
    with pytest.raises(DatasetError, match=datasets.VARIANT_ENV):
        datasets.load("churn")


def test_a_folder_holds_one_seed_only(tmp_path: Path) -> None:
    datasets.write_variant(tmp_path, 1, ["daily_visits"])
    with pytest.raises(DatasetError, match="seed 1, not 2"):
        datasets.write_variant(tmp_path, 2, ["daily_visits"])
    with pytest.raises(DatasetError, match="seed 1, not 2"):
        datasets.variant_file("daily_visits", datasets.Variant(2, tmp_path))
    assert (tmp_path / "daily_visits.csv").read_bytes() == datasets.variant_bytes("daily_visits", 1)


def test_write_variant_writes_every_dataset_by_default(tmp_path: Path) -> None:
    written = datasets.write_variant(tmp_path / "all", 5)
    expected = {str(datasets.info(n).file) for n in GENERATED} | {f"{n}.parquet" for n in BUNDLED}
    assert {p.name for p in written} == expected
    assert sorted(p.name for p in (tmp_path / "all").iterdir() if p.name[0] != ".") == sorted(
        expected
    )
    for name in GENERATED:
        assert (tmp_path / "all" / str(datasets.info(name).file)).read_bytes() == (
            datasets.variant_bytes(name, 5)
        )
    with pytest.raises(DatasetError, match="Did you mean"):
        datasets.write_variant(tmp_path / "bad", 5, ["retail_sale"])
    assert not (tmp_path / "bad").exists(), "nothing is written for a bad name"


def test_two_threads_asking_for_the_same_file_both_get_it_whole(tmp_path: Path) -> None:
    variant = datasets.Variant(9, tmp_path / "shared")
    expected = datasets.variant_bytes("retail_sales_messy", 9)
    results: list[bytes] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def ask() -> None:
        try:
            barrier.wait()
            results.append(datasets.variant_file("retail_sales_messy", variant).read_bytes())
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [expected, expected]
    left = sorted(p.name for p in variant.folder.iterdir())
    assert left == [".variant-seed", "retail_sales_messy.csv"], "no temporary file is left"
