"""Expected values: the reference solution's artifacts, computed in a fresh process and cached.

The reference runs in its own process (``python -m sandbox.grading.reference``) with a
throwaway data home and working directory, never inside a learner's kernel, so MLflow and
Optuna state cannot leak either way. It writes its task variables in the same artifact
format as a learner's kernel (:mod:`sandbox.grading.artifacts`): data only, no pickle.

Cache
-----
Entries live in ``<data home>/cache/expected/<challenge>/<key>/`` for the shipped data and
``<key>-<seed>/`` for a data variant (see :mod:`sandbox.grading.seeds`). The key is a digest of
everything that shapes the values: the challenge's files (manifest, solution, probes,
starter notebook), the bytes of every shipped dataset, the sandbox's own source, and the
versions of the libraries that compute results (pandas, polars, numpy, scikit-learn, duckdb,
pyarrow, …). Each entry carries a seal: an HMAC-SHA256, keyed by a random secret in
``<data home>/cache/seal.key`` (mode 600), over the SHA-256 of every file in the entry. An
entry whose files were changed, added or removed afterwards fails its seal and is deleted
and recomputed, so a hand-edited entry never changes a verdict and never makes a later
honest notebook fail. During clean verification the verifier also watches the whole cache
(:class:`sandbox.grading.guard.CacheWatch`): a run that touches it is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.catalogue import Challenge
from sandbox.errors import GradingError
from sandbox.paths import datasets_dir, local_env, repo_root

CACHE_DIR = ("cache", "expected")
SEAL_FILE = "seal.json"
KEY_FILE = "seal.key"
REFERENCE_TIMEOUT = 600.0

#: Libraries whose versions change computed results; part of every cache key.
RESULT_LIBRARIES = (
    "pandas",
    "polars",
    "numpy",
    "scikit-learn",
    "scipy",
    "duckdb",
    "pyarrow",
    "pandera",
    "plotly",
    "matplotlib",
    "optuna",
    "mlflow",
    "shap",
    "lime",
    "yellowbrick",
    "skops",
)


def cache_root(home: Path) -> Path:
    return home.joinpath(*CACHE_DIR)


def _hash_files(digest: hashlib._Hash, files: Iterable[Path], root: Path) -> None:
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


_VERSIONS: str | None = None


def _library_versions() -> str:
    global _VERSIONS
    if _VERSIONS is None:
        from importlib import metadata

        found = []
        for name in RESULT_LIBRARIES:
            try:
                found.append(f"{name}=={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                found.append(f"{name}==absent")
        _VERSIONS = ";".join(found) + f";python=={sys.version_info[:3]}"
    return _VERSIONS


def cache_key(challenge: Challenge) -> str:
    """The digest of everything the expected values of ``challenge`` depend on."""
    digest = hashlib.sha256()
    digest.update(_library_versions().encode())
    folder = challenge.folder
    own = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    own = [p for p in own if p.parent.name not in ("wrong", "alternatives", "fabricated")]
    _hash_files(digest, own, folder)
    if challenge.notebook.exists():
        digest.update(challenge.notebook.read_bytes())
    data = datasets_dir()
    _hash_files(digest, [p for p in data.rglob("*") if p.is_file()], data)
    package = repo_root() / "sandbox"
    sources = [p for p in package.rglob("*.py") if "ui" not in p.relative_to(package).parts[:1]]
    _hash_files(digest, sources, package)
    return digest.hexdigest()[:24]


# ------------------------------------------------------------------------------------- seals


def _seal_key(home: Path) -> bytes:
    path = cache_root(home).parent / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            key = None
        if key is not None and len(key) == 32:
            return key
        fresh = secrets.token_bytes(32)
        tmp = path.with_name(f".{KEY_FILE}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(fresh)
        try:
            if key is None:
                # Create only if absent: verifications starting together (an import re-verifies
                # several at once) must agree on one key, or each would see the others' key as
                # a change to the cache and refuse.
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    continue  # another process made it first: read theirs
            else:
                os.replace(tmp, path)  # a damaged key: entries sealed with it are recomputed
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return fresh


def ensure_seal_key(home: Path) -> None:
    """Create the seal key now (verification creates it before the learner's kernel starts)."""
    _seal_key(home)


def seal_key(home: Path) -> bytes:
    """The data home's secret key (created if missing); also what the seed pools derive from."""
    return _seal_key(home)


def entry_files(entry: Path) -> dict[str, str]:
    """SHA-256 of every file in an entry (the seal excluded), keyed by relative path."""
    found = {}
    for path in sorted(entry.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(entry))] = "symlink"
        elif path.is_file() and path.name != SEAL_FILE:
            found[str(path.relative_to(entry))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _mac(key: bytes, challenge_id: str, cache_key_: str, files: dict[str, str]) -> str:
    message = json.dumps([challenge_id, cache_key_, files], sort_keys=True).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _seal(home: Path, entry: Path, challenge_id: str, key: str) -> str:
    files = entry_files(entry)
    mac = _mac(_seal_key(home), challenge_id, key, files)
    (entry / SEAL_FILE).write_text(json.dumps({"files": files, "mac": mac}), encoding="utf-8")
    return mac


def seal_holds(home: Path, entry: Path, challenge_id: str, key: str) -> bool:
    try:
        seal = json.loads((entry / SEAL_FILE).read_text(encoding="utf-8"))
        mac = str(seal["mac"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    expected = _mac(_seal_key(home), challenge_id, key, entry_files(entry))
    return hmac.compare_digest(mac, expected)


# ------------------------------------------------------------------------------------ lookups


@dataclass(frozen=True)
class ExpectedEntry:
    """A sealed folder of expected artifacts, and whether it was computed just now."""

    folder: Path
    computed: bool
    seal: str


def compute_reference(
    challenge: Challenge,
    out_dir: Path,
    timeout: float = REFERENCE_TIMEOUT,
    seed: int | None = None,
) -> None:
    """Run the reference solution of ``challenge`` in a fresh process, exporting to ``out_dir``,
    on the shipped data or (``seed``) on that variant of every dataset it reads."""
    # The scratch home is made and removed here, so a reference stopped at its timeout leaves
    # nothing behind either.
    with tempfile.TemporaryDirectory(
        prefix="sandbox-reference-", ignore_cleanup_errors=True
    ) as scratch:
        env = local_env(Path(scratch))
        env.setdefault("MPLBACKEND", "Agg")
        env["PYTHONUNBUFFERED"] = "1"
        argv = [
            sys.executable, "-m", "sandbox.grading.reference", challenge.id, str(out_dir), scratch,
        ]  # fmt: skip
        if seed is not None:
            argv.append(str(seed))
        try:
            done = subprocess.run(
                argv,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=timeout,
                text=True,
            )
        except subprocess.TimeoutExpired:
            raise GradingError(
                f"The reference solution of {challenge.id!r} did not finish within {timeout:.0f} s."
            ) from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        with contextlib.suppress(ValueError, TypeError, KeyError):
            message = json.loads(message)["error"]
        raise GradingError(
            message
            or f"The reference solution of {challenge.id!r} failed (exit code {done.returncode})."
        )


def entry_name(key: str, seed: int | None) -> str:
    """The cache folder of one content key and data variant (``None``: the shipped data)."""
    return key if seed is None else f"{key}-{seed}"


def ensure_expected(challenge: Challenge, home: Path, seed: int | None = None) -> ExpectedEntry:
    """The sealed expected artifacts of ``challenge`` in ``home``'s cache, computed if needed:
    on the shipped data, or on the variant ``seed`` of its datasets."""
    key = cache_key(challenge)
    name = entry_name(key, seed)
    folder = cache_root(home) / challenge.id
    entry = folder / name
    if entry.is_dir():
        if seal_holds(home, entry, challenge.id, name):
            return ExpectedEntry(entry, False, (entry / SEAL_FILE).read_text(encoding="utf-8"))
        shutil.rmtree(entry, ignore_errors=True)  # changed by hand: never trusted, recomputed
    for stale in folder.iterdir() if folder.is_dir() else []:
        if stale.name.split("-")[0] != key and not stale.name.startswith("."):
            shutil.rmtree(stale, ignore_errors=True)  # entries of older content or libraries
    # The reference writes into a private folder outside the data home; only a sealed copy
    # lands in the cache.
    with tempfile.TemporaryDirectory(prefix="sandbox-expected-") as scratch:
        produced = Path(scratch) / "artifacts"
        compute_reference(challenge, produced, seed=seed)
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=folder))
        shutil.copytree(produced, staging, dirs_exist_ok=True)
    _seal(home, staging, challenge.id, name)
    try:
        os.rename(staging, entry)
    except OSError:  # another process sealed the same entry first; use theirs if it holds
        shutil.rmtree(staging, ignore_errors=True)
        if not seal_holds(home, entry, challenge.id, name):
            raise GradingError(f"The expected-value cache {entry} could not be written.") from None
        return ExpectedEntry(entry, False, (entry / SEAL_FILE).read_text(encoding="utf-8"))
    return ExpectedEntry(entry, True, (entry / SEAL_FILE).read_text(encoding="utf-8"))


def remove_legacy_cache(home: Path) -> None:
    """Delete expected values cached as pickles by earlier versions (never loaded again)."""
    for stale in cache_root(home).glob("*.pickle"):
        with contextlib.suppress(OSError):
            stale.unlink()


def expected_values(challenge: Challenge | str, home: Path | None = None) -> dict[str, Any]:
    """The reference solution's value of every task variable of ``challenge``.

    This is the grader's answer key. Reading it counts as seeing the solution of every task
    of the challenge: a ``solution`` event is recorded for each (so the no-help bonus is
    forfeited), wherever it is called from. The judge itself reads the sealed cache directly.
    """
    from sandbox.catalogue import default_catalogue
    from sandbox.grading.artifacts import Artifacts
    from sandbox.learner import Learner

    learner = Learner.open(home)
    found = default_catalogue().get(challenge) if isinstance(challenge, str) else challenge
    learner.store.append_many(
        [("solution", found.id, task.id, {"source": "expected_values"}) for task in found.tasks]
    )
    artifacts = Artifacts(ensure_expected(found, learner.home).folder)
    return {name: artifacts.get(name) for name in artifacts.names}
