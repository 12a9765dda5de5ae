"""Where the own-data lab keeps things in the learner's data home, and the events it records.

Layout inside the data home::

    my-data/                   the learner's own files (uploads land here; copy big ones in)
    my-data/cleaned/           cleaned tables (<name>.parquet)
    my-data/schemas/           generated schemas (<name>.schema.yaml and .schema.py)
    workspace/own-data/        cleaning notebooks (<name>-cleaning.ipynb), opened in JupyterLab

Nothing leaves the machine: files are read where they are and written only here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.errors import OwnDataError
from sandbox.owndata.reading import FORMATS
from sandbox.paths import workspace_dir
from sandbox.progress import Event, ProgressStore, atomic_write_text

MY_DATA = "my-data"
EVENT_KIND = "own_data"
ACTIONS = ("profiled", "validated", "baseline")


def my_data_dir(home: Path) -> Path:
    return home / MY_DATA


@dataclass(frozen=True)
class Outputs:
    """Where the lab writes what it makes from one dataset."""

    cleaned: Path
    schema_yaml: Path
    schema_python: Path
    notebook: Path


def outputs(home: Path, dataset: str) -> Outputs:
    stem = Path(safe_name(dataset)).stem
    folder = my_data_dir(home)
    return Outputs(
        cleaned=folder / "cleaned" / f"{stem}.parquet",
        schema_yaml=folder / "schemas" / f"{stem}.schema.yaml",
        schema_python=folder / "schemas" / f"{stem}.schema.py",
        notebook=workspace_dir(home) / "own-data" / f"{stem}-cleaning.ipynb",
    )


def safe_name(name: str) -> str:
    """A file name that stays inside ``my-data/``: no folders, no hidden files, a known suffix."""
    base = Path(str(name).replace("\\", "/")).name.strip()
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "-", stem).strip(" .-")
    if not stem:
        raise OwnDataError(f"{name!r} is not a usable file name: give the file a name.")
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise OwnDataError(
            f"{name!r}: {suffix or 'no suffix'} is not a format the lab reads. Use one of {known}."
        )
    return f"{stem}{suffix}"


def list_files(home: Path) -> list[Path]:
    """The learner's own files in ``my-data/`` (newest first)."""
    folder = my_data_dir(home)
    if not folder.is_dir():
        return []
    files = [
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith(".")
    ]
    return sorted(files, key=lambda p: (-p.stat().st_mtime, p.name))


def save_upload(home: Path, name: str, data: bytes) -> Path:
    """Keep an uploaded file in ``my-data/`` (a different file of the same name gets -2, -3…)."""
    folder = my_data_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    clean = safe_name(name)
    target = folder / clean
    number = 2
    while target.exists() and target.read_bytes() != data:
        target = folder / f"{Path(clean).stem}-{number}{Path(clean).suffix}"
        number += 1
    if not target.exists():
        tmp = folder / f".{target.name}.part"
        tmp.write_bytes(data)
        tmp.replace(target)
    return target


def write_text(path: Path, text: str) -> Path:
    atomic_write_text(path, text)
    return path


def record(
    store: ProgressStore, action: str, dataset: str, details: Mapping[str, Any] | None = None
) -> Event:
    """Record what the learner did in the lab (the badges are derived from these events)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown own-data action {action!r}")
    return store.append(
        EVENT_KIND, None, None, {"action": action, "dataset": dataset, **(details or {})}
    )
