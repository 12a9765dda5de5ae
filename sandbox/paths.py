"""Where things live: the repository's content versus the learner's data home.

Content (challenges, starter notebooks, datasets) ships with the repository and
is read-only for the learner. Everything the learner produces lives in the data
home: ``--home`` on the CLI, else ``$SANDBOX_HOME``, else the platform's
user-data folder. See DESIGN §2 for what goes inside it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sandbox.errors import UsageError

APP_NAME = "data-science-sandbox"
HOME_ENV = "SANDBOX_HOME"
# Points the sandbox at another content tree (challenges/, notebooks/, datasets/); tests use it
# to run against a small fixture catalogue.
CONTENT_ENV = "SANDBOX_CONTENT"
KERNEL_NAME = "data-science-sandbox"
#: The event log inside a data home (its format is documented in sandbox/progress.py).
PROGRESS_FILE = "progress.json"

_REPO_ROOT = Path(__file__).resolve().parent.parent

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def repo_root() -> Path:
    """The repository checkout the package was installed from."""
    return _REPO_ROOT


def content_root() -> Path:
    """The folder holding challenges/ and notebooks/ (``$SANDBOX_CONTENT`` overrides)."""
    env = os.environ.get(CONTENT_ENV)
    return Path(env).resolve() if env else _REPO_ROOT


def challenges_dir() -> Path:
    return content_root() / "challenges"


def manifests_stamp(root: Path) -> tuple[int, int]:
    """A fingerprint of the catalogue under ``root``: changes when any manifest may have.

    (count, CRC-32) over the size and modification time of ``challenges/catalogue.toml``,
    each level and challenge folder and each ``challenge.toml``; a few dozen ``stat`` calls.
    Raises OSError when ``root/challenges`` cannot be listed.
    """
    import zlib

    stamps: list[tuple[str, int, int]] = []

    def add(path: str) -> None:
        info = os.stat(path)
        stamps.append((path, info.st_size, info.st_mtime_ns))

    with os.scandir(root / "challenges") as levels:
        for level in levels:
            if level.name == "catalogue.toml":
                add(level.path)
            elif level.name.startswith("level_") and level.is_dir():
                add(level.path)
                with os.scandir(level.path) as folders:
                    for folder in folders:
                        if folder.is_dir():
                            add(folder.path)
                            manifest = os.path.join(folder.path, "challenge.toml")
                            if os.path.exists(manifest):
                                add(manifest)
    stamps.sort()
    return len(stamps), zlib.crc32(repr(stamps).encode())


def notebooks_dir() -> Path:
    return content_root() / "notebooks"


def datasets_dir() -> Path:
    """Shipped datasets always come from the repository, whatever the content tree."""
    return _REPO_ROOT / "datasets"


def data_home(override: Path | str | None = None) -> Path:
    """Resolve the learner's data home (not created here).

    Order: an explicit ``override`` (the CLI's ``--home``), ``$SANDBOX_HOME``,
    then the platform user-data folder.
    """
    if override is not None and str(override) != "":
        return Path(override).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)).resolve()


# An example of a valid name of each kind, for the error message.
_SLUG_EXAMPLES = {"profile name": "'ada' or 'team-2'"}


def validate_slug(value: str, what: str = "challenge id") -> str:
    """Return ``value`` if it is a lowercase slug, else raise UsageError.

    Slugs are the only user-given names that become path parts, so this is the
    guard against ``../`` and absolute paths.
    """
    if not SLUG_RE.fullmatch(value):
        example = _SLUG_EXAMPLES.get(what, "'pandas-first-look'")
        raise UsageError(
            f"{value!r} is not a valid {what}: use lowercase letters, digits and single hyphens "
            f"(for example {example})."
        )
    return value


#: Set in every process the sandbox starts (kernels, JupyterLab, the dashboard): local-first
#: means no usage reports leave the machine. MLflow 3 sends telemetry unless told not to.
LOCAL_ONLY_ENV = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "1"}


def local_env(home: Path) -> dict[str, str]:
    """The environment for a child process working on the data home ``home``."""
    env = dict(os.environ)
    env.update(LOCAL_ONLY_ENV)
    env[HOME_ENV] = str(home)
    return env


DEFAULT_PROFILE = "default"
PROFILES_DIR = "profiles"


def profile_home(base: Path, profile: str | None) -> Path:
    """The data home of one learner profile.

    The default profile lives in the data home itself (so a single learner never
    sees profiles); each other profile is a complete data home of its own under
    ``profiles/<name>/``: its own store, workspace, backups and ML stores.
    """
    if profile is None or profile == DEFAULT_PROFILE:
        return base
    return base / PROFILES_DIR / validate_slug(profile, "profile name")


def list_profiles(base: Path) -> list[str]:
    """The default profile and every named profile that has a folder."""
    folder = base / PROFILES_DIR
    named = (
        sorted(p.name for p in folder.iterdir() if p.is_dir() and SLUG_RE.fullmatch(p.name))
        if folder.is_dir()
        else []
    )
    return [DEFAULT_PROFILE, *[n for n in named if n != DEFAULT_PROFILE]]


def workspace_dir(home: Path) -> Path:
    return home / "workspace"


def backups_dir(home: Path) -> Path:
    return home / "backups"


def exports_dir(home: Path) -> Path:
    """Where ``sandbox export`` writes when no --output is given."""
    return home / "exports"
