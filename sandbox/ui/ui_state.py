"""What the dashboard remembers across browser sessions, in ``<data home>/ui_state.json``.

Streamlit's session state is lost on a browser refresh, so a badge would be
celebrated again on every visit. This small file remembers which badges the
dashboard has already celebrated. It holds no progress: losing it only means a
celebration may repeat, so an unreadable file is treated as empty.

File format (``format_version`` 1)
----------------------------------
.. code-block:: json

    {"format_version": 1,
     "celebrated_badges": {"first-verified": "2026-11-23T17:02:54.123456+00:00"}}

``celebrated_badges``
    Badge id → the ``earned_at`` (ISO 8601) that was celebrated. A badge that a
    reset took back and that was earned again has a new ``earned_at``, and is
    celebrated again.

Written atomically (temp file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from sandbox.game import BadgeStatus
from sandbox.progress import atomic_write_text

UI_STATE_FILE = "ui_state.json"
FORMAT_VERSION = 1


def ui_state_path(home: Path) -> Path:
    return home / UI_STATE_FILE


def load_celebrated(home: Path) -> dict[str, str]:
    """Badge id → celebrated ``earned_at``; empty when the file is missing or unreadable."""
    try:
        doc = json.loads(ui_state_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    celebrated = doc.get("celebrated_badges") if isinstance(doc, dict) else None
    if not isinstance(celebrated, dict):
        return {}
    return {str(k): str(v) for k, v in celebrated.items()}


def save_celebrated(home: Path, celebrated: Mapping[str, str]) -> None:
    doc = {"format_version": FORMAT_VERSION, "celebrated_badges": dict(sorted(celebrated.items()))}
    atomic_write_text(ui_state_path(home), json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def not_yet_celebrated(
    earned: Iterable[BadgeStatus], celebrated: Mapping[str, str]
) -> list[BadgeStatus]:
    """Earned badges whose current ``earned_at`` has not been celebrated."""
    return [
        b
        for b in earned
        if b.earned_at is not None and celebrated.get(b.badge.id) != b.earned_at.isoformat()
    ]


def mark_celebrated(home: Path, badges: Iterable[BadgeStatus]) -> None:
    """Remember these badges as celebrated (keeping the ones remembered before)."""
    celebrated = load_celebrated(home)
    for status in badges:
        if status.earned_at is not None:
            celebrated[status.badge.id] = status.earned_at.isoformat()
    save_celebrated(home, celebrated)
