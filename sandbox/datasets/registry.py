"""The dataset registry: ``datasets/datasets.toml`` read into typed records, and loading by name.

The file's format is documented in :mod:`sandbox.datasets`. ``load`` reads a shipped CSV with
the column types of its schema (:mod:`sandbox.datasets.schemas`), or calls the registered
scikit-learn loader. With a data variant active (:data:`VARIANT_ENV`, :func:`use_variant`),
``path`` and ``load`` give that variant's files instead of the shipped ones.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, overload

from sandbox.errors import DatasetError, StorageError, UsageError
from sandbox.paths import datasets_dir
from sandbox.tomltable import TomlTable, read_toml

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

FORMAT_VERSION = 1
REGISTRY_FILE = "datasets.toml"

Backend = Literal["pandas", "polars"]
BACKENDS: tuple[str, ...] = ("pandas", "polars")

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
# Only these functions may be named by ``loader``: the registry is data, not a way to call code.
SKLEARN_LOADERS: Mapping[str, int | None] = MappingProxyType(
    {
        # loader → number of classes in ``target`` (None: a regression target)
        "load_iris": 3,
        "load_wine": 3,
        "load_breast_cancer": 2,
        "load_diabetes": None,
        "load_digits": 10,
    }
)
SKLEARN_TARGET = "target"

#: Environment variable naming the active data variant as ``"<seed>:<absolute folder>"``.
VARIANT_ENV = "SANDBOX_DATA_VARIANT"
# Written into a variant folder on first use: one folder holds one seed's files, never a mix.
_VARIANT_MARKER = ".variant-seed"


# ================================================================================== registry


@dataclass(frozen=True)
class DatasetInfo:
    """One dataset as declared in ``datasets/datasets.toml``."""

    name: str
    description: str
    source: str
    licence: str
    rows: int  # of the shipped data; a variant has its own count (see variant_bytes)
    columns: Mapping[str, str]
    schema: str  # the dataset whose schema validates this one (itself when clean)
    file: str | None = None
    loader: str | None = None
    target: str | None = None
    leak: str | None = None
    defects: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_messy(self) -> bool:
        """True when the data is validated against another (clean) dataset's schema."""
        return self.schema != self.name

    @property
    def is_bundled(self) -> bool:
        """True for the sets that ship inside scikit-learn (no file in ``datasets/``)."""
        return self.loader is not None


_DATASET_KEYS = (
    "name", "file", "loader", "description", "source", "licence", "rows", "columns",
    "schema", "target", "leak", "defects",
)  # fmt: skip


def _table(data: Mapping[str, Any], file: Path, where: str = "") -> TomlTable:
    return TomlTable(data, file, where, DatasetError)


def read_registry(registry_file: Path) -> dict[str, DatasetInfo]:
    """Read and check a registry file; return its datasets by name, in file order.

    Raises DatasetError naming the file and the key for anything malformed: a wrong
    ``format_version``, an unknown key, a missing or mistyped value, a duplicate name, a
    ``file`` that is not a plain name inside the folder, an unknown loader, a ``schema``,
    ``target`` or ``leak`` that points at nothing.
    """
    data = read_toml(registry_file, DatasetError)

    top = _table(data, registry_file)
    top.check_keys(("format_version", "datasets"))
    if data.get("format_version") != FORMAT_VERSION:
        raise top.error(
            "format_version", f"expected {FORMAT_VERSION}, got {data.get('format_version')!r}"
        )
    tables = data.get("datasets")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise top.error("datasets", "expected an array of tables ([[datasets]])")

    found: dict[str, DatasetInfo] = {}
    read: list[tuple[TomlTable, DatasetInfo]] = []
    for index, raw in enumerate(tables):
        table = _table(raw, registry_file, f"datasets[{index}]")
        table.check_keys(_DATASET_KEYS)
        entry = _read_dataset(table)
        if entry.name in found:
            raise table.error("name", f"{entry.name!r} is declared twice")
        found[entry.name] = entry
        read.append((table, entry))

    # A schema reference can point forwards, so it is checked once every name is known.
    for table, entry in read:
        target = found.get(entry.schema)
        if target is None:
            raise table.error("schema", f"no dataset named {entry.schema!r} in this file")
        if target.is_messy:
            raise table.error("schema", f"{entry.schema!r} is itself validated by another schema")
    return found


def _read_dataset(table: TomlTable) -> DatasetInfo:
    name = table.text("name", non_empty=True)
    if not NAME_RE.fullmatch(name):
        raise table.error("name", f"{name!r} is not a lowercase name like 'retail_sales_messy'")
    file = table.optional_text("file")
    loader = table.optional_text("loader")
    if (file is None) == (loader is None):
        raise table.error("file", "give exactly one of 'file' (shipped CSV) or 'loader' (sklearn)")
    if file is not None and (Path(file).name != file or not file.endswith(".csv")):
        raise table.error("file", f"{file!r} must be a plain .csv file name inside datasets/")
    if loader is not None and loader not in SKLEARN_LOADERS:
        raise table.error(
            "loader", f"{loader!r} is not one of {', '.join(sorted(SKLEARN_LOADERS))}"
        )
    columns = table.mapping("columns", str, required=True)
    if not columns:
        raise table.error("columns", "list at least one column")
    for role in ("target", "leak"):
        column = table.optional_text(role)
        if column is not None and column not in columns:
            raise table.error(role, f"{column!r} is not one of the dataset's columns")
    return DatasetInfo(
        name=name,
        description=table.text("description", non_empty=True),
        source=table.text("source", non_empty=True),
        licence=table.text("licence", non_empty=True),
        rows=table.integer("rows"),
        columns=MappingProxyType(columns),
        file=file,
        loader=loader,
        schema=table.optional_text("schema") or name,
        target=table.optional_text("target"),
        leak=table.optional_text("leak"),
        defects=MappingProxyType(table.mapping("defects", int, required=False)),
    )


@lru_cache(maxsize=1)
def _registry() -> dict[str, DatasetInfo]:
    return read_registry(datasets_dir() / REGISTRY_FILE)


def names() -> list[str]:
    """Names of every registered dataset, in the order the registry lists them."""
    return list(_registry())


def info(name: str) -> DatasetInfo:
    """The registry entry for ``name``; DatasetError (with close matches) if there is none."""
    registry = _registry()
    if name in registry:
        return registry[name]
    close = difflib.get_close_matches(str(name), list(registry), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise DatasetError(f"No dataset named {name!r}.{hint} Known datasets: {', '.join(registry)}.")


def path(name: str) -> Path:
    """Absolute path of the dataset's shipped file, valid from any working directory.

    With a data variant active (:func:`active_variant`), the path of that variant's file,
    written on first use. Datasets bundled with scikit-learn have no file: use :func:`load`.
    """
    entry = info(name)
    if entry.file is None:
        raise DatasetError(
            f"{name!r} ships inside scikit-learn ({entry.loader}), not as a file: "
            f"use load({name!r}) instead."
        )
    variant = active_variant()
    if variant is not None:
        return variant_file(name, variant)
    return (datasets_dir() / entry.file).resolve()


def _existing_file(name: str) -> Path:
    file = path(name)
    if not file.is_file():
        raise DatasetError(
            f"{file} is missing. Rebuild the shipped datasets with `python -m sandbox.datasets`."
        )
    return file


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise UsageError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}.")


@overload
def load(name: str, backend: Literal["pandas"] = ...) -> pd.DataFrame: ...
@overload
def load(name: str, backend: Literal["polars"]) -> pl.DataFrame: ...
def load(name: str, backend: Backend = "pandas") -> pd.DataFrame | pl.DataFrame:
    """Load a dataset by name as a pandas (default) or polars DataFrame.

    Clean sets come with their declared types (integers, floats, text, dates as
    ``datetime64`` in pandas and ``Date`` in polars). Messy sets are read as they are, with
    each library's own type inference: finding and fixing their problems is the exercise.
    Sets bundled with scikit-learn are loaded with ``as_frame=True``; the target is the
    column ``target``. Only an empty field counts as missing, in both backends.

    With a data variant active (:func:`active_variant`), the variant's data is read the
    same way, with the same columns and types (bundled sets from its Parquet file).
    """
    _check_backend(backend)
    entry = info(name)
    if entry.loader is not None:
        variant = active_variant()
        if variant is not None:
            return _read_parquet(variant_file(name, variant), backend)
        return _load_sklearn(entry.loader, backend)
    from sandbox.datasets.schemas import read_pandas, read_polars, shipped_columns

    file = _existing_file(name)
    spec = None if entry.is_messy else shipped_columns(name)
    if backend == "polars":
        return read_polars(file, spec)
    return read_pandas(file, spec)


def _load_sklearn(loader: str, backend: Backend) -> pd.DataFrame | pl.DataFrame:
    import sklearn.datasets

    frame = getattr(sklearn.datasets, loader)(as_frame=True).frame
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(frame)
    return frame


def _read_parquet(file: Path, backend: Backend) -> pd.DataFrame | pl.DataFrame:
    if backend == "polars":
        import polars as pl

        return pl.read_parquet(file)
    import pandas as pd

    return pd.read_parquet(file, engine="pyarrow")


# ================================================================================== variants


@dataclass(frozen=True)
class Variant:
    """An active data variant: its seed and the folder that holds (or will hold) its files."""

    seed: int
    folder: Path


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"A data variant's seed is a whole number 0 or more, got {seed!r}.")


def active_variant() -> Variant | None:
    """The data variant named by :data:`VARIANT_ENV`, or None (unset or empty: shipped data).

    Read afresh on every call, so a process can switch variants between requests. The value
    is ``"<seed>:<folder>"``: a whole number 0 or more, then an absolute folder (which may
    itself contain ``:``). Anything else raises DatasetError.
    """
    raw = os.environ.get(VARIANT_ENV, "")
    if not raw:
        return None
    seed_text, _, folder_text = raw.partition(":")
    if not re.fullmatch(r"[0-9]{1,18}", seed_text) or not Path(folder_text).is_absolute():
        raise DatasetError(
            f"{VARIANT_ENV}={raw!r} is malformed: expected '<seed>:<absolute folder>', "
            f"such as '7:/tmp/variant-7', with the seed a whole number 0 or more. "
            f"Unset {VARIANT_ENV} to use the shipped data."
        )
    return Variant(int(seed_text), Path(folder_text))


@contextmanager
def use_variant(seed: int | None, folder: Path | None = None) -> Iterator[Variant | None]:
    """Make ``path`` and ``load`` return the variant ``seed`` inside the ``with`` block.

    Sets :data:`VARIANT_ENV` for the block (so child processes inherit it) and restores the
    previous value after, nested blocks included. ``seed`` None means the shipped data (the
    variable is unset inside). Without ``folder``, the variant's files go to a private
    temporary folder that is removed on exit. Yields the active :class:`Variant` (or None).
    """
    created: Path | None = None
    variant: Variant | None = None
    if seed is not None:
        _check_seed(seed)
        if folder is None:
            # mkdtemp creates the folder readable by its owner only (mode 700).
            created = Path(tempfile.mkdtemp(prefix=f"sandbox-variant-{seed}-"))
            folder = created
        variant = Variant(seed, Path(folder).resolve())
    elif folder is not None:
        raise UsageError("use_variant(None) means the shipped data; it takes no folder.")
    previous = os.environ.get(VARIANT_ENV)
    try:
        if variant is None:
            os.environ.pop(VARIANT_ENV, None)
        else:
            os.environ[VARIANT_ENV] = f"{variant.seed}:{variant.folder}"
        yield variant
    finally:
        if previous is None:
            os.environ.pop(VARIANT_ENV, None)
        else:
            os.environ[VARIANT_ENV] = previous
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)


def _variant_file_name(entry: DatasetInfo) -> str:
    return entry.file if entry.file is not None else f"{entry.name}.parquet"


def variant_file(name: str, variant: Variant) -> Path:
    """The file of the variant of ``name`` inside ``variant.folder``, written if missing.

    Generated sets keep their shipped file name, bundled sets are ``<name>.parquet``. The file
    is written atomically, so two processes or threads asking at once both get a whole file.
    """
    from sandbox.datasets.generators import write_variant

    entry = info(name)
    _claim_variant_folder(variant.folder, variant.seed)
    file = variant.folder / _variant_file_name(entry)
    if not file.is_file():
        write_variant(variant.folder, variant.seed, [name])
    return file


def _claim_variant_folder(folder: Path, seed: int) -> None:
    """Create ``folder`` (owner only) marked with ``seed``; refuse one marked with another seed."""
    marker = folder / _VARIANT_MARKER
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not marker.is_file():
            _write_atomically(marker, f"{seed}\n".encode())
        recorded = marker.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise StorageError(f"Cannot prepare the data variant folder {folder}: {error}.") from error
    if recorded != str(seed):
        raise DatasetError(
            f"{folder} holds the data variant of seed {recorded}, not {seed}: "
            f"give each seed its own folder."
        )


def _write_atomically(destination: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``destination``, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, destination)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise StorageError(
                f"Cannot write {destination}: {error}. Nothing was changed; free some space or "
                f"fix the folder's permissions, then try again."
            ) from error
        raise
