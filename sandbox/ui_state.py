"""What the doors remember for a learner besides progress, in ``<data home>/ui_state.json``.

Streamlit's session state is lost on a browser refresh, so a badge would be
celebrated again on every visit, and a background MLflow UI would be forgotten
and started a second time. This small file remembers both, when the learner
last saw Home, and whether to ask before a hint or a solution gives up the
no-help bonus (a choice the dashboard, the notebook and the command line share).
It holds no progress: losing it only means a celebration may repeat, a question
is asked again or the MLflow UI is looked for again, so an unreadable file is
treated as empty.

File format (``format_version`` 1)
----------------------------------
.. code-block:: json

    {"format_version": 1,
     "celebrated_badges": {"first-verified": "2026-11-23T17:02:54.123456+00:00"},
     "home_seen_at": "2026-11-24T08:00:00+00:00",
     "ask_before_help": false,
     "mlflow_ui": {"pid": 4242, "port": 50123, "started": "2026-11-23T17:05:00+00:00"}}

``celebrated_badges``
    Badge id → the ``earned_at`` (ISO 8601) that was celebrated. A badge that a
    reset took back and that was earned again has a new ``earned_at``, and is
    celebrated again.
``home_seen_at`` (optional)
    When the dashboard's Home page was last shown: only badges earned after it are
    new there. Absent until Home is first shown.
``ask_before_help`` (optional)
    ``false`` once the learner ticked "don't ask again": a hint or a solution no
    longer asks before giving up the no-help bonus. Absent means ask.
``mlflow_ui`` (optional)
    The MLflow UI the Experiments page started in the background for this data
    home: its process id (also its process group), its port on 127.0.0.1 and
    when it was started. Absent when none was started or it was stopped.

Each writer replaces only its own key. Written atomically (temp file in the
same folder, then ``os.replace``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sandbox.files import atomic_write_text
from sandbox.game import BadgeStatus

UI_STATE_FILE = "ui_state.json"
FORMAT_VERSION = 1


def ui_state_path(home: Path) -> Path:
    return home / UI_STATE_FILE


def _load(home: Path) -> dict[str, Any]:
    try:
        doc = json.loads(ui_state_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _save_key(home: Path, key: str, value: Any) -> None:
    """Set (or, with ``None``, drop) one top-level key, keeping the others."""
    doc = _load(home)
    doc["format_version"] = FORMAT_VERSION
    if value is None:
        doc.pop(key, None)
    else:
        doc[key] = value
    atomic_write_text(ui_state_path(home), json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def load_celebrated(home: Path) -> dict[str, str]:
    """Badge id → celebrated ``earned_at``; empty when the file is missing or unreadable."""
    celebrated = _load(home).get("celebrated_badges")
    if not isinstance(celebrated, dict):
        return {}
    return {str(k): str(v) for k, v in celebrated.items()}


def save_celebrated(home: Path, celebrated: Mapping[str, str]) -> None:
    _save_key(home, "celebrated_badges", dict(sorted(celebrated.items())))


def load_mlflow_ui(home: Path) -> dict[str, Any] | None:
    """The recorded background MLflow UI (``pid``, ``port``, ``started``), if any."""
    record = _load(home).get("mlflow_ui")
    if not isinstance(record, dict):
        return None
    try:
        return {
            "pid": int(record["pid"]),
            "port": int(record["port"]),
            "started": str(record["started"]),
        }
    except (KeyError, TypeError, ValueError):
        return None


def save_mlflow_ui(home: Path, record: Mapping[str, Any] | None) -> None:
    """Record the background MLflow UI, or forget it with ``None``."""
    _save_key(home, "mlflow_ui", None if record is None else dict(record))


def load_home_seen(home: Path) -> datetime | None:
    """When Home was last shown; None if never (or the record is unreadable)."""
    value = _load(home).get("home_seen_at")
    if not isinstance(value, str):
        return None
    try:
        seen = datetime.fromisoformat(value)
    except ValueError:
        return None
    return seen if seen.tzinfo is not None else None


def save_home_seen(home: Path, when: datetime) -> None:
    _save_key(home, "home_seen_at", when.isoformat())


def ask_before_help(home: Path) -> bool:
    """Whether a hint or a solution asks before giving up the no-help bonus (default: yes)."""
    return _load(home).get("ask_before_help") is not False


def save_ask_before_help(home: Path, ask: bool) -> None:
    _save_key(home, "ask_before_help", None if ask else False)


def not_yet_celebrated(
    earned: Iterable[BadgeStatus], celebrated: Mapping[str, str], since: datetime | None = None
) -> list[BadgeStatus]:
    """Earned badges whose current ``earned_at`` has not been celebrated, and (with ``since``)
    that were earned after it: a badge earned before the learner last looked is not news."""
    return [
        b
        for b in earned
        if b.earned_at is not None
        and celebrated.get(b.badge.id) != b.earned_at.isoformat()
        and (since is None or b.earned_at > since)
    ]


def mark_celebrated(home: Path, badges: Iterable[BadgeStatus]) -> None:
    """Remember these badges as celebrated (keeping the ones remembered before)."""
    celebrated = load_celebrated(home)
    for status in badges:
        if status.earned_at is not None:
            celebrated[status.badge.id] = status.earned_at.isoformat()
    save_celebrated(home, celebrated)
