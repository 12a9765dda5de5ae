"""The own-data lab's core and CLI on real files: the shipped messy sales, hostile files, a
generated 1-million-row table, several formats, and the learner's real MLflow store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from sandbox import datasets
from sandbox.cli import app
from sandbox.errors import OwnDataError
from sandbox.learner import Learner
from sandbox.owndata import cleaning, dashboard, lab
from sandbox.owndata import schema as schemas
from sandbox.owndata.profile import Profile, find_relationships, profile
from sandbox.owndata.reading import Limits, open_table
from sandbox.owndata.synthetic import wide_table

FIXTURES = Path(__file__).parent / "fixtures" / "own_data"
MESSY = datasets.path("retail_sales_messy")
CLEAN = datasets.path("retail_sales")

# Each planted defect of retail_sales_messy → the profile issue (kind, column) that must find it.
DEFECT_ISSUES = {
    "duplicate_rows": ("duplicate_rows", None),
    "missing_customer_id": ("missing_values", "customer_id"),
    "missing_country": ("missing_values", "country"),
    "missing_unit_price": ("missing_values", "unit_price"),
    "unparseable_order_date": ("invalid_values", "order_date"),
    "negative_quantity": ("negative_values", "quantity"),
    "inconsistent_country": ("inconsistent_values", "country"),
    "invalid_email": ("invalid_values", "email"),
}
# … and the schema check that must fail on its rows.
DEFECT_CHECKS = {
    "duplicate_rows": ("order_id", "field_uniqueness"),
    "missing_customer_id": ("customer_id", "not_nullable"),
    "missing_country": ("country", "not_nullable"),
    "missing_unit_price": ("unit_price", "not_nullable"),
    "unparseable_order_date": ("order_date", "coerce_dtype"),
    "negative_quantity": ("quantity", "greater_than_or_equal_to"),
    "inconsistent_country": ("country", "isin"),
    "invalid_email": ("email", "str_matches"),
}


def warnings_of(found: Profile) -> dict[tuple[str, str | None], int]:
    return {(i.kind, i.column): i.count for i in found.warnings}


@pytest.fixture(scope="module")
def messy() -> Profile:
    return profile(MESSY)


# -- profile -------------------------------------------------------------------------------------


def test_profile_finds_exactly_the_planted_defects(messy: Profile) -> None:
    expected = {DEFECT_ISSUES[k]: n for k, n in datasets.RETAIL_DEFECT_COUNTS.items()}
    assert warnings_of(messy) == expected
    assert messy.rows == datasets.info("retail_sales_messy").rows
    assert messy.candidate_keys == ("order_id",)  # unique once the duplicate rows are set aside
    kinds = {c.name: c.kind for c in messy.columns}
    assert kinds == {
        "order_id": "identifier", "order_date": "date", "customer_id": "identifier",
        "country": "categorical", "product": "categorical", "category": "categorical",
        "quantity": "integer", "unit_price": "float", "email": "email",
    }  # fmt: skip
    assert messy.column("order_date").date_format == "%Y-%m-%d"
    planted_dates = {
        d.value
        for d in datasets.planted_defects("retail_sales_messy")
        if d.kind == "unparseable_order_date"
    }
    assert set(messy.column("order_date").invalid_examples) <= planted_dates
    country = messy.column("country")
    assert set(country.allowed_values) == set(datasets.COUNTRIES)
    guesses = {value: meant for value, _, meant in country.inconsistent if meant is not None}
    for value, meant in guesses.items():  # every guess the lab dares is right
        assert value in datasets.COUNTRY_VARIANTS[meant], (value, meant)
    assert {"UK", "U.K.", "united kingdom", "FR"} <= set(guesses)


def test_the_clean_table_has_no_defect_but_its_blanked_emails() -> None:
    found = profile(CLEAN)
    invalid = datasets.RETAIL_DEFECT_COUNTS["invalid_email"]
    assert warnings_of(found) == {("missing_values", "email"): invalid}
    assert found.duplicate_rows == 0 and found.quality.validity == 100.0


def test_quality_parts_follow_their_definitions(messy: Profile) -> None:
    d = datasets.RETAIL_DEFECT_COUNTS
    cells = messy.rows * len(messy.columns)
    missing = d["missing_customer_id"] + d["missing_country"] + d["missing_unit_price"]
    invalid = d["unparseable_order_date"] + d["invalid_email"] + d["negative_quantity"]
    categorical = sum(c.non_null for c in messy.columns if c.kind == "categorical")
    q = messy.quality
    assert q.completeness == round(100 * (1 - missing / cells), 2)
    assert q.uniqueness == round(100 * (1 - d["duplicate_rows"] / messy.rows), 2)
    assert q.validity == round(100 * (1 - invalid / (cells - missing)), 2)
    assert q.consistency == round(100 * (1 - d["inconsistent_country"] / categorical), 2)
    assert q.overall == pytest.approx(
        (q.completeness + q.uniqueness + q.validity + q.consistency) / 4
    )


def test_a_generated_million_row_table(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    planted = wide_table(path, rows=1_000_000)
    found = profile(path)
    assert found.rows == 1_000_000 and len(found.columns) == 20
    assert warnings_of(found) == {
        ("duplicate_rows", None): planted["duplicate_rows"],
        ("missing_values", "amount"): planted["missing_amount"],
        ("invalid_values", "order_date"): planted["invalid_order_date"],
        ("negative_values", "quantity"): planted["negative_quantity"],
        ("inconsistent_values", "category"): planted["variant_category"],
        ("invalid_values", "email"): planted["invalid_email"],
        ("constant_column", "channel"): 1_000_000,
    }
    kinds = {c.name: c.kind for c in found.columns}
    assert kinds["shipped_at"] == "datetime" and kinds["is_member"] == "boolean"
    assert kinds["website"] == "url" and kinds["comment"] == "text" and kinds["sku"] == "identifier"
    assert "order_id" in found.candidate_keys


@pytest.mark.parametrize(
    ("writer", "suffix"),
    [
        pytest.param(lambda f, p: f.write_parquet(p), ".parquet", id="parquet"),
        pytest.param(lambda f, p: f.write_ndjson(p), ".ndjson", id="ndjson"),
        pytest.param(lambda f, p: f.write_json(p), ".json", id="json"),
        pytest.param(lambda f, p: f.write_csv(p, separator="\t"), ".tsv", id="tsv"),
        pytest.param(lambda f, p: f.write_csv(p, separator=";"), ".csv", id="semicolon-csv"),
    ],
)
def test_other_formats_profile_alike(writer: Any, suffix: str, tmp_path: Path) -> None:
    frame = pl.read_csv(CLEAN, try_parse_dates=True)
    path = tmp_path / f"sales{suffix}"
    writer(frame, path)
    found = profile(path)
    assert found.rows == frame.height and [c.name for c in found.columns] == frame.columns
    assert found.column("order_date").kind == "date" and found.column("unit_price").kind == "float"
    assert found.duplicate_rows == 0 and found.candidate_keys[0] == "order_id"


def test_excel_reads_the_first_sheet() -> None:
    found = profile(FIXTURES / "orders.xlsx")
    assert found.rows == 200 and found.format == "excel"
    assert found.column("order_date").kind == "date" and found.column("email").kind == "email"


def test_a_dataframe_profiles_too() -> None:
    found = profile(datasets.load("churn"), name="churn")
    assert found.format == "frame" and found.column("churned").kind == "boolean"


def test_relationships_between_uploaded_tables() -> None:
    tables = [(t, profile(t)) for t in (open_table(CLEAN), open_table(datasets.path("customers")))]
    found = find_relationships(tables)
    link = next(r for r in found if r.child == "retail_sales.csv" and r.column == "customer_id")
    assert (link.parent, link.key) == ("customers.csv", "customer_id")
    assert link.missing == datasets.N_UNKNOWN_CUSTOMERS and link.coverage < 1


# -- hostile files ---------------------------------------------------------------------------------


def _ragged_late(path: Path) -> None:
    lines = ["a,b,c"] + [f"{i},x,y" for i in range(200_000)] + ["1,2,3,4"]
    path.write_text("\n".join(lines) + "\n")


HOSTILE = [
    pytest.param("empty.csv", b"", "empty", id="empty"),
    pytest.param("header.csv", b"a,b,c\n", "no data rows", id="header-only"),
    pytest.param("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="binary"),
    pytest.param(
        "latin1.csv", "name,city\nJosé,Málaga\n".encode("latin-1"), "not UTF-8", id="latin-1"
    ),
    pytest.param("utf16.csv", "a,b\n1,2\n".encode("utf-16"), "UTF-16", id="utf-16"),
    pytest.param("ragged.csv", b"a,b,c\n1,2,3\n4,5\n", r"line 3 has 2 field\(s\)", id="ragged"),
    pytest.param("dupe.csv", b"a,b,a\n1,2,3\n", "more than once", id="duplicate-header"),
    pytest.param("table.docx", b"PK\x03\x04", "not a format", id="unknown-suffix"),
    pytest.param(
        "broken.xlsx", b"PK\x03\x04 not really a zip", "cannot be read", id="corrupt-excel"
    ),
    pytest.param("fake.parquet", b"a,b\n1,2\n", "not a Parquet file", id="not-parquet"),
    pytest.param("nested.json", b'[{"a": {"b": 1}}]', "nested", id="nested-json"),
    pytest.param("bad.json", b'{"a": ', "not a JSON array", id="broken-json"),
]


@pytest.mark.parametrize(("name", "content", "words"), HOSTILE)
def test_hostile_files_give_a_clear_error(
    name: str, content: bytes, words: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(OwnDataError, match=words) as caught:
        profile(path)
    assert name in str(caught.value)


def test_password_protected_workbook() -> None:
    with pytest.raises(OwnDataError, match="password-protected"):
        profile(FIXTURES / "protected.xlsx")


def test_a_ragged_row_past_the_first_megabyte(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    _ragged_late(path)
    assert path.stat().st_size > 1 << 20
    with pytest.raises(OwnDataError, match="ragged"):
        profile(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(OwnDataError, match="no file"):
        profile(tmp_path / "nope.csv")
    with pytest.raises(OwnDataError, match="folder"):
        profile(tmp_path)


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        pytest.param(Limits(max_file_bytes=1000), "over the lab's limit", id="size"),
        pytest.param(Limits(max_rows=100), "2,030 rows", id="rows"),
        pytest.param(Limits(max_columns=5), "9 columns", id="columns"),
    ],
)
def test_limits_are_enforced_with_a_message(limits: Limits, words: str) -> None:
    with pytest.raises(OwnDataError, match=words):
        profile(MESSY, limits=limits)


def test_cli_reports_a_hostile_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = CliRunner().invoke(app, ["profile", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "empty" in result.output
    assert "Traceback" not in result.output


# -- schema and validation ------------------------------------------------------------------------


def test_generated_schema_passes_clean_and_fails_messy_on_exactly_the_defects(
    messy: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schemas, "EXAMPLES", 10_000)  # keep every failing row in the report
    schema = schemas.generate_schema(messy, open_table(MESSY))
    assert schemas.validate(CLEAN, schema).passed
    report = schemas.validate(MESSY, schema)
    expected = {DEFECT_CHECKS[k]: n for k, n in datasets.RETAIL_DEFECT_COUNTS.items()}
    assert report.counts() == expected
    assert report.failing_rows == sum(datasets.RETAIL_DEFECT_COUNTS.values())  # one defect a row
    planted = {
        (d.row, datasets.DEFECT_COLUMNS[d.kind])
        for d in datasets.planted_defects("retail_sales_messy")
    }
    flagged = {(row, g.column) for g in report.groups for row, _ in g.examples}
    assert flagged == planted  # each planted row, in its column, and nothing else
    assert all(g.fix for g in report.groups)


def test_schema_exports_round_trip(messy: Profile, tmp_path: Path) -> None:
    schema = schemas.generate_schema(messy, open_table(MESSY))
    namespace: dict[str, Any] = {}
    exec(schemas.schema_to_python(schema), namespace)  # the exported module is runnable
    assert namespace["schema"].to_yaml() == schema.to_yaml()
    path = tmp_path / "sales.schema.yaml"
    path.write_text(schemas.schema_to_yaml(schema))
    loaded = schemas.load_schema(path)
    assert loaded.metadata["date_formats"] == {"order_date": "%Y-%m-%d"}
    assert schemas.validate(MESSY, loaded).counts() == schemas.validate(MESSY, schema).counts()


def test_schema_of_a_clean_table_passes_it() -> None:
    found = profile(CLEAN)
    assert schemas.validate(CLEAN, schemas.generate_schema(found, open_table(CLEAN))).passed


def test_validation_in_small_chunks_agrees(messy: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = schemas.generate_schema(messy)
    whole = schemas.validate(MESSY, schema).counts()
    monkeypatch.setattr(schemas, "CHUNK_ROWS", 300)
    assert schemas.validate(MESSY, schema).counts() == whole  # duplicates across chunks included


def test_validation_names_missing_and_extra_columns(messy: Profile, tmp_path: Path) -> None:
    frame = (
        pl.read_csv(CLEAN, infer_schema=False).drop("email").with_columns(pl.lit("x").alias("note"))
    )
    path = tmp_path / "changed.csv"
    frame.write_csv(path)
    report = schemas.validate(path, schemas.generate_schema(messy))
    assert report.counts() == {("email", "column_in_dataframe"): 1, ("note", "column_in_schema"): 1}


def test_a_python_schema_file_is_not_run(tmp_path: Path) -> None:
    path = tmp_path / "schema.py"
    path.write_text("raise SystemExit('ran')\n")
    with pytest.raises(OwnDataError, match="runs no code"):
        schemas.load_schema(path)
    (tmp_path / "junk.yaml").write_text("columns: [")
    with pytest.raises(OwnDataError, match="not a Pandera YAML schema"):
        schemas.load_schema(tmp_path / "junk.yaml")


# -- cleaning --------------------------------------------------------------------------------------


def test_the_notebook_runs_the_same_recipe_and_its_output_passes_the_schema(
    messy: Profile, tmp_path: Path
) -> None:
    table = open_table(MESSY)
    steps = cleaning.suggest_steps(messy)
    assert [s.kind for s in steps if s.enabled][:3] == [
        "drop_duplicates",
        "tidy_text",
        "normalise_values",
    ]
    cleaned = cleaning.apply_recipe(table, steps)
    schema = schemas.generate_schema(messy, table, steps)
    yaml_path = tmp_path / "schema.yaml"
    yaml_path.write_text(schemas.schema_to_yaml(schema))
    notebook = cleaning.write_notebook(
        tmp_path / "nb.ipynb", table, steps, tmp_path / "out.parquet", yaml_path
    )
    cells = json.loads(notebook.read_text())["cells"]
    code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    namespace: dict[str, Any] = {}
    exec(code.replace("cleaned.describe()", ""), namespace)  # validates against the schema too
    assert namespace["cleaned"].equals(cleaned)
    assert pl.read_parquet(tmp_path / "out.parquet").equals(cleaned)
    assert schemas.validate(tmp_path / "out.parquet", schema).passed
    assert cleaned.height < messy.rows and cleaned.get_column("quantity").min() >= 0  # type: ignore[operator]


def test_strategies_change_the_code(messy: Profile) -> None:
    steps = cleaning.suggest_steps(messy)
    price = next(s for s in steps if s.id == "missing:unit_price")
    assert price.strategy == "drop_rows"
    filled = price.with_strategy("fill_median")
    assert f"fill_null({messy.column('unit_price').quantiles['q50']!r})" in filled.code()
    negative = next(s for s in steps if s.id == "negative:quantity").with_strategy("absolute")
    cleaned = cleaning.apply_recipe(
        open_table(MESSY), [negative if s.id == negative.id else s for s in steps]
    )
    assert cleaned.get_column("quantity").min() > 0  # type: ignore[operator]
    with pytest.raises(ValueError):
        price.with_strategy("guess")


def test_an_existing_notebook_is_backed_up(messy: Profile, tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text("my edits")
    cleaning.write_notebook(path, open_table(MESSY), cleaning.suggest_steps(messy))
    backups = list(tmp_path.glob("nb.*.bak.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == "my edits"


# -- dashboard -------------------------------------------------------------------------------------


def test_charts_follow_the_column_kinds(messy: Profile) -> None:
    specs = dashboard.choose_charts(messy)
    kinds = [(s.kind, s.columns) for s in specs]
    assert kinds[0][0] == "missing"
    assert ("time_series", ("order_date", "quantity")) in kinds
    assert {c for k, c in kinds if k == "histogram"} == {("quantity",), ("unit_price",)}
    assert {c for k, c in kinds if k == "bar"} == {("country",), ("product",), ("category",)}
    assert ("correlation", ("quantity", "unit_price")) in kinds
    frame = dashboard.sample_frame(open_table(MESSY), messy)
    charts = {(s.kind, s.columns): dashboard.build_chart(s, frame, messy) for s in specs}
    for key, chart in charts.items():
        assert chart["data"]["values"], key
        json.dumps(chart, allow_nan=False)  # plain JSON for the browser: no NaN, no objects
    bar = charts[("bar", ("country",))]["data"]["values"]
    assert [(b["value"], b["rows"]) for b in bar] == [
        (str(v), n) for v, n in messy.column("country").top_values[:15]
    ]
    # The histogram counts every value of the sample, in equal bins over its range.
    quantity = frame.get_column("quantity").drop_nulls()
    bins = charts[("histogram", ("quantity",))]["data"]["values"]
    assert sum(b["rows"] for b in bins) == quantity.len()
    counts, edges = np.histogram(quantity.to_numpy(), bins=40)
    assert [b["rows"] for b in bins] == counts.tolist()
    assert [b["start"] for b in bins] == pytest.approx(edges[:-1].tolist())
    assert bins[-1]["end"] == pytest.approx(edges[-1])
    corr = charts[("correlation", ("quantity", "unit_price"))]["data"]["values"]
    assert {(c["x"], c["y"]) for c in corr if c["r"] == 1.0} >= {("quantity", "quantity")}
    missing = charts[next(k for k in charts if k[0] == "missing")]["data"]["values"]
    for name in frame.columns:  # the typed sample: unparseable values are missing there
        shares = [m["share"] for m in missing if m["column"] == name]
        assert len(shares) == min(100, frame.height), name
        assert (sum(shares) > 0) == (frame.get_column(name).null_count() > 0), name
    assert any(m["share"] for m in missing if m["column"] == "order_date"), "invalid dates"


# -- baseline --------------------------------------------------------------------------------------


def baseline_train(*args: Any, **kwargs: Any) -> Any:
    from sandbox.owndata.baseline import train_baseline

    return train_baseline(*args, **kwargs)


def test_baseline_regression_and_bad_targets(tmp_path: Path) -> None:
    from sandbox.owndata.baseline import detect_task

    path = tmp_path / "diabetes.csv"
    datasets.load("diabetes", "polars").write_csv(path)  # type: ignore[union-attr]
    table = open_table(path)
    found = profile(table)
    assert detect_task(found, "target") == "regression"
    result = baseline_train(table, found, "target", log_to_mlflow=False)
    assert result.metric == "r2" and max(m.score for m in result.models) > result.dummy.score
    assert result.run_ids == []
    with pytest.raises(OwnDataError, match="no column 'nope'"):
        detect_task(found, "nope")
    messy = profile(MESSY)
    with pytest.raises(OwnDataError, match="holds email values"):
        detect_task(messy, "email")


# -- the CLI and the badges ------------------------------------------------------------------------


def earned(home: Path) -> set[str]:
    return {b.badge.id for b in Learner.open(home).engine().earned_badges()}


def test_cli_profile_validate_and_the_badges(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    schema_file = tmp_path / "sales.schema.yaml"
    done = runner.invoke(app, ["profile", str(MESSY), "--schema-out", str(schema_file), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["profile"]["duplicate_rows"] == 30 and data["schema"] == str(schema_file)
    assert {"own-data-profiled"} <= earned(home) and "own-data-validated" not in earned(home)

    failed = runner.invoke(app, ["validate", str(MESSY), "--schema", str(schema_file), "--json"])
    assert failed.exit_code == 1
    assert json.loads(failed.output)["failing_rows"] == sum(datasets.RETAIL_DEFECT_COUNTS.values())
    assert "own-data-validated" not in earned(home)  # a failed validation earns nothing

    passed = runner.invoke(app, ["validate", str(CLEAN), "--schema", str(schema_file)])
    assert passed.exit_code == 0 and "pass" in passed.output
    assert "own-data-validated" in earned(home)
    kinds = [e.details["action"] for e in Learner.open(home).progress().events]
    assert kinds == ["profiled", "validated", "validated"]
    assert Learner.open(home).engine().xp == 0


def test_cli_baseline_on_churn_logs_two_models_flags_the_leak_and_earns_the_badge(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox.integrations import tracking

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    done = CliRunner().invoke(
        app, ["profile", str(datasets.path("churn")), "--target", "churned", "--json"]
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)["baseline"]
    assert result["task"] == "classification" and result["metric"] == "roc_auc"
    assert result["leaks"][0][0] == datasets.CHURN_LEAK
    assert result["importances"][0][0] == datasets.CHURN_LEAK
    assert all(m["score"] > result["dummy"]["score"] for m in result["models"])
    assert result["dropped"] == {
        "customer_id": "an identifier: it names rows, it does not describe them"
    }
    runs = tracking.find_runs(home, experiment="own-data-churn")
    scores = {m["run_id"]: m["score"] for m in result["models"]}
    assert len(runs) == 2 and {r.run_id for r in runs} == set(scores)
    assert all(r.metrics["cv_roc_auc"] == scores[r.run_id] for r in runs)
    assert len(list((home / "mlruns").rglob("MLmodel"))) == 2  # both fitted pipelines, in the home
    assert "own-data-baseline" in earned(home)


def test_cli_schema_out_needs_a_known_suffix(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["profile", str(MESSY), "--schema-out", str(tmp_path / "s.txt")])
    assert done.exit_code == 2 and ".yaml" in done.output


# -- files in the data home --------------------------------------------------------------------------


def test_uploads_stay_inside_my_data(home: Path) -> None:
    first = lab.save_upload(home, "../../etc/sales.csv", b"a\n1\n")
    assert first == home / "my-data" / "sales.csv"
    assert lab.save_upload(home, "sales.csv", b"a\n1\n") == first  # same bytes: same file
    assert lab.save_upload(home, "sales.csv", b"a\n2\n").name == "sales-2.csv"
    with pytest.raises(OwnDataError):
        lab.save_upload(home, "run.sh", b"echo")
    with pytest.raises(OwnDataError):
        lab.save_upload(home, ".csv", b"a")
    assert {p.name for p in lab.list_files(home)} == {"sales.csv", "sales-2.csv"}


@pytest.mark.kernel
def test_the_cleaning_notebook_runs_in_a_real_kernel(messy: Profile, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    from sandbox.paths import KERNEL_NAME

    table = open_table(MESSY)
    steps = cleaning.suggest_steps(messy)
    schema_file = tmp_path / "schema.yaml"
    schema_file.write_text(schemas.schema_to_yaml(schemas.generate_schema(messy, table, steps)))
    out = tmp_path / "cleaned.parquet"
    path = cleaning.write_notebook(tmp_path / "nb.ipynb", table, steps, out, schema_file)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name=KERNEL_NAME).execute()
    printed = "".join(
        o.get("text", "")
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    assert "passes the schema" in printed
    assert pl.read_parquet(out).equals(cleaning.apply_recipe(table, steps))


def test_mixed_constant_near_constant_and_high_cardinality_columns(tmp_path: Path) -> None:
    rows = 10_000
    frame = pl.DataFrame(
        {
            "code": [f"C{i % 200:03d}" for i in range(rows)],  # 200 categories, repeated
            "mostly": ["x"] * (rows - 5) + ["y"] * 5,
            "same": ["k"] * rows,
            "mixed": [str(i) if i % 3 else f"item {i}" for i in range(rows)],  # 2/3 numbers
            "amount": [str(i % 97) for i in range(rows)],
        }
    )
    path = tmp_path / "odd.csv"
    frame.write_csv(path)
    found = profile(path)
    issues = {(i.kind, i.column): i.severity for i in found.issues}
    assert (
        issues[("high_cardinality", "code")] == "info"
        and found.column("code").kind == "categorical"
    )
    assert issues[("near_constant", "mostly")] == "info"
    assert issues[("constant_column", "same")] == "warning"
    assert issues[("mixed_types", "mixed")] == "warning" and found.column("mixed").kind != "integer"
    assert found.column("amount").kind == "integer" and found.column("amount").outliers_iqr == 0
