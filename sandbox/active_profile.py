"""Which learner profile the dashboard shows, remembered in ``<base data home>/dashboard.json``.

Profiles (:func:`sandbox.paths.profile_home`) are complete data homes of their
own: the default profile is the base data home itself, every other one lives in
``profiles/<name>/``. The dashboard's choice is kept in the *base* data home,
beside the profiles, so every page and every browser tab follows a switch, and
a refresh keeps it. The command line does not read this file: it takes
``--profile NAME`` on each command.

File format (``format_version`` 1)
----------------------------------
.. code-block:: json

    {"format_version": 1, "profile": "ada"}

``profile``
    A profile name (a slug, see :func:`sandbox.paths.validate_slug`) or
    ``"default"``. A missing or unreadable file, an invalid name, or a profile
    whose folder is gone all mean the default profile: the file only remembers
    a choice and holds no progress.

Written atomically (temp file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import json
from pathlib import Path

from sandbox.errors import UsageError
from sandbox.files import atomic_write_text
from sandbox.paths import DEFAULT_PROFILE, list_profiles, profile_home, validate_slug

DASHBOARD_FILE = "dashboard.json"
FORMAT_VERSION = 1


def choice_path(base: Path) -> Path:
    return base / DASHBOARD_FILE


def load(base: Path) -> str:
    """The profile the dashboard shows: the remembered one if it still exists, else the default."""
    try:
        doc = json.loads(choice_path(base).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DEFAULT_PROFILE
    name = doc.get("profile") if isinstance(doc, dict) else None
    if not isinstance(name, str) or name not in list_profiles(base):
        return DEFAULT_PROFILE
    return name


def save(base: Path, name: str) -> None:
    """Remember ``name`` (validated) as the dashboard's profile."""
    if name != DEFAULT_PROFILE:
        validate_slug(name, "profile name")
    doc = {"format_version": FORMAT_VERSION, "profile": name}
    atomic_write_text(choice_path(base), json.dumps(doc, indent=1) + "\n")


def create(base: Path, name: str) -> Path:
    """Create the folder of a new profile (so it is listed) and return its data home.

    Raises UsageError for a name that is not a slug (``../x``, ``Ada``) or that
    is taken by an existing profile.
    """
    name = name.strip()
    if name in list_profiles(base):
        raise UsageError(f"There is already a profile called {name!r}: switch to it instead.")
    home = profile_home(base, validate_slug(name, "profile name"))
    home.mkdir(parents=True, exist_ok=False)
    return home
