"""Imports are claims, not proof: forged or implausible exports earn nothing and change nothing.

Real files through the real CLI. The last tests run real kernels: a genuine export with
its notebooks round-trips with the same status after re-verification, and a claim whose
notebook does not pass stays unearned.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nbformat
import pytest
from typer.testing import CliRunner

from sandbox import transfer, workspace
from sandbox.cli import app
from sandbox.grading.reference import solved_notebook
from sandbox.learner import Learner
from sandbox.progress import ProgressStore

runner = CliRunner()
NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def event(
    kind: str, challenge: str | None = "alpha", ago: timedelta = timedelta(hours=1), **extra: Any
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "ts": (NOW - ago).isoformat(),
        "kind": kind,
        "challenge": challenge,
        "task": extra.pop("task", None),
        "details": extra,
    }


def export_doc(*events: dict[str, Any], name: Any = "Ada") -> dict[str, Any]:
    return {
        "format": "data-science-sandbox-export",
        "format_version": 1,
        "exported_at": NOW.isoformat(),
        "progress": {"format_version": 1, "learner": {"name": name}, "events": list(events)},
    }


def write_export(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc))
    return path


def write_archive(
    path: Path,
    doc: dict[str, Any],
    members: dict[str, bytes],
    swapped: dict[str, bytes] | None = None,
    manifest: bool = True,
) -> Path:
    """A zip as `export --with-notebooks` writes it — or as a forger would, manifest and all.

    ``swapped`` replaces members after the manifest was computed (a file changed in transit).
    """
    files = {"export.json": json.dumps(doc).encode(), **members}
    hashes = {
        "format": "data-science-sandbox-archive",
        "format_version": 1,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if manifest:
            archive.writestr("manifest.json", json.dumps(hashes))
        for name, data in {**files, **(swapped or {})}.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def status(*profile: str) -> dict[str, Any]:
    code, out = cli(*profile, "status", "--json")
    assert code == 0, out
    data: dict[str, Any] = json.loads(out)
    return data


def test_a_forged_export_earns_nothing(home: Path, tmp_path: Path) -> None:
    forged = export_doc(
        event("opened"),
        *(event("verified", cid, tasks={"q1": "PASS"}) for cid in ("alpha", "beta", "gamma")),
    )
    code, out = cli("import", str(write_export(tmp_path / "forged.json", forged)))
    assert code == 0, out
    assert "Imported, not re-verified" in out and "alpha, beta, gamma" in out
    assert "carries no notebooks" in out and "XP here: 0." in out
    now = status()
    assert (now["xp"], now["badges"], now["verified"]) == (0, 0, 0)
    _, doctor = cli("doctor")
    assert "imported, not re-verified" in doctor and "alpha, beta, gamma" in doctor
    code, listed = cli("list", "--json")
    claims = {c["id"] for c in json.loads(listed)["challenges"] if c["imported_not_reverified"]}
    assert code == 0 and claims == {"alpha", "beta", "gamma"}
    _, table = cli("list")
    assert table.count("imported, not re-verified") == 3


def test_implausible_claims_are_rejected_together_and_nothing_changes(
    home: Path, tmp_path: Path
) -> None:
    doc = export_doc(
        event("opened"),
        event("verified", ago=-timedelta(days=365 * 973)),  # dated 2999
        {**event("hint", task="q1", index=0), "ts": "0001-01-01T00:30:00+01:00"},
        {**event("hint", task="q1", index=0), "ts": "9999-12-31T23:00:00-05:00"},
        {**event("opened"), "ts": "2020-05-01T10:00:00+00:00"},
        event("opened", "no-such-challenge"),
        event("checked", task="q9", outcome="PASS"),
        event("bribe"),
        name="x\x1b[31m" * 25_000,
    )
    source = write_export(tmp_path / "suspicious.json", doc)
    code, out = cli("import", str(source))
    assert code == 1, out
    message = out.strip()
    assert message.count("\n") == 0 and "\x1b" not in message and len(message) < 3000
    for words in (
        str(source),
        "nothing changed",
        "8 problems",
        "event 1 (verified alpha): it is dated 2999",
        "in the future",
        "event 2: its timestamp",
        "out of range",
        "before the sandbox existed",
        "'no-such-challenge' does not exist here",
        "has no task 'q9'",
        "unknown kind 'bribe'",
        "at most 60",
        "Export again",
    ):
        assert words in message, words
    assert "progress file" not in message and "restore a copy" not in message
    assert not (home / "progress.json").exists()


def test_caps_on_size_and_events_are_stated(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_export(tmp_path / "big.json", export_doc(*(event("opened") for _ in range(50))))
    monkeypatch.setattr(transfer, "MAX_IMPORT_EVENTS", 40)
    code, out = cli("import", str(source))
    assert code == 1 and "holds 50 events" in out and "at most" in out and "40 events" in out
    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 1024)
    code, out = cli("import", str(source))
    assert code == 1 and "larger than" in out and str(source) in out
    assert not (home / "progress.json").exists()


def test_imported_names_follow_the_same_rule_as_everywhere(home: Path, tmp_path: Path) -> None:
    ok = write_export(tmp_path / "ok.json", export_doc(event("opened"), name="Ada Lovelace"))
    assert cli("import", str(ok))[0] == 0
    assert Learner.open().progress().learner_name == "Ada Lovelace"
    for bad in ("x" * 61, "Ada\u202eevil", "line\nbreak"):
        source = write_export(tmp_path / "named.json", export_doc(event("opened"), name=bad))
        code, out = cli("--profile", "other", "import", str(source))
        assert code == 1 and "learner name" in out, bad
        assert not (home / "profiles" / "other" / "progress.json").exists()


def test_a_future_dated_event_in_the_store_cannot_dodge_a_reset(home: Path) -> None:
    """The store reads it (it is well-formed), doctor flags it, and reset cuts by position."""
    store = ProgressStore(home)
    store.append("opened", "alpha")
    doc = json.loads(store.path.read_text())
    doc["events"].append(event("verified", tasks={"q1": "PASS"}, ago=-timedelta(days=365 * 973)))
    store.path.write_text(json.dumps(doc))
    assert status()["xp"] == 120
    code, doctor = cli("doctor")
    assert code == 1 and "cannot be true" in doctor and "in the future" in doctor
    assert cli("reset", "--all", "-y")[0] == 0
    assert status()["xp"] == 0 and status()["verified"] == 0


def test_doctor_flags_events_from_before_the_sandbox(home: Path) -> None:
    store = ProgressStore(home, clock=lambda: datetime(2021, 3, 1, tzinfo=UTC))
    store.append("opened", "alpha")
    code, out = cli("doctor")
    assert code == 1 and "before the sandbox existed" in out and str(store.path) in out


# -- archives --------------------------------------------------------------------------------


def notebook_bytes(challenge_id: str, solved: bool = False) -> bytes:
    challenge = Learner.open().catalogue.get(challenge_id)
    if solved:
        return nbformat.writes(solved_notebook(challenge)).encode()  # type: ignore[no-untyped-call]
    return challenge.notebook.read_bytes()


def test_an_archive_round_trips_its_notebooks(home: Path, tmp_path: Path) -> None:
    learner = Learner.open()
    path, _ = workspace.prepare(home, learner.catalogue.get("beta"))
    path.write_bytes(path.read_bytes().replace(b"____", b"42", 1))
    learner.store.append("opened", "beta")
    archive = tmp_path / "mine.zip"
    code, out = cli("export", "--with-notebooks", "-o", str(archive))
    assert code == 0 and "1 notebook(s)" in out
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == [
            "export.json",
            "manifest.json",
            "workspace/level_1/beta.ipynb",
        ]
    code, out = cli("--profile", "laptop", "import", str(archive))
    assert code == 0, out
    copy = home / "profiles" / "laptop" / "workspace" / "level_1" / "beta.ipynb"
    assert copy.read_bytes() == path.read_bytes()
    code, out = cli("export", "--with-notebooks")  # no --output: a new zip in the data home
    assert code == 0 and f"to {home / 'exports'}" in out and out.rstrip().endswith(".zip")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param("tamper", "does not match its SHA-256", id="tampered-notebook"),
        pytest.param("traversal", "is not a notebook of this catalogue", id="path-traversal"),
        pytest.param("no-manifest", "lacks manifest.json", id="no-manifest"),
        pytest.param("not-a-notebook", "is not a notebook", id="not-a-notebook"),
        pytest.param("damaged", "damaged", id="damaged-zip"),
    ],
)
def test_a_doctored_archive_is_refused(home: Path, tmp_path: Path, change: str, words: str) -> None:
    doc = export_doc(event("opened"))
    members = {"workspace/level_1/alpha.ipynb": notebook_bytes("alpha")}
    archive = tmp_path / "archive.zip"
    if change == "traversal":
        members["../../outside.ipynb"] = b"{}"
    if change == "not-a-notebook":
        members["workspace/level_1/alpha.ipynb"] = b"print('hello')"
    swapped = {"workspace/level_1/alpha.ipynb": b'{"cells": []}'} if change == "tamper" else None
    write_archive(archive, doc, members, swapped, manifest=change != "no-manifest")
    if change == "damaged":
        archive.write_bytes(archive.read_bytes()[:200])
    code, out = cli("import", str(archive))
    assert code == 1 and words in out and str(archive) in out, out
    assert "Traceback" not in out
    assert not (home / "progress.json").exists() and not (home / "workspace").exists()


def test_a_zip_bomb_is_stopped_at_the_cap(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "MAX_NOTEBOOK_BYTES", 1024 * 1024)
    bomb = b'{"cells": [], "pad": "' + b"0" * (50 * 1024 * 1024) + b'"}'
    archive = write_archive(
        tmp_path / "bomb.zip", export_doc(event("opened")), {"workspace/level_1/alpha.ipynb": bomb}
    )
    assert archive.stat().st_size < 200 * 1024
    code, out = cli("import", str(archive))
    assert code == 1 and "unpacks to more than 1 MB" in out
    assert not (home / "progress.json").exists()


# -- re-verification with real kernels ---------------------------------------------------------


@pytest.mark.kernel
def test_a_genuine_export_round_trips_and_a_false_claim_stays_unearned(
    home: Path, tmp_path: Path
) -> None:
    from sandbox.grading.verify import verify

    learner = Learner.open()
    for challenge_id in ("alpha", "beta"):
        path, _ = workspace.prepare(home, learner.catalogue.get(challenge_id))
        path.write_bytes(notebook_bytes(challenge_id, solved=True))
    learner.store.append("hint", "beta", "q1", {"index": 0})
    assert verify(learner, "alpha").passed and verify(learner, "beta").passed
    original = status()
    assert original["xp"] == 220 and original["verified"] == 2
    archive = tmp_path / "genuine.zip"
    assert cli("export", "--with-notebooks", "-o", str(archive))[0] == 0

    code, out = cli("--profile", "laptop", "import", str(archive))
    assert code == 0, out
    assert "Re-verifying 2 imported challenge(s) in clean kernels" in out
    assert "[1/2] ✓" in out and "[2/2] ✓" in out and "not re-verified" not in out
    restored = status("--profile", "laptop")
    for key in ("xp", "level", "badges_earned", "verified", "streak_days", "next_challenge"):
        assert restored[key] == original[key], key

    # A forger adds a verified gamma with a notebook that does not pass: it earns nothing.
    with zipfile.ZipFile(archive) as zipped:
        doc = json.loads(zipped.read("export.json"))
        members = {n: zipped.read(n) for n in zipped.namelist() if n.startswith("workspace/")}
    doc["progress"]["events"].append(event("verified", "gamma", tasks={"q1": "PASS"}))
    members["workspace/level_2/gamma.ipynb"] = notebook_bytes("gamma")
    forged = write_archive(tmp_path / "forged.zip", doc, members)
    code, out = cli("--profile", "forger", "import", str(forged))
    assert code == 0, out
    assert "✗ gamma did not pass" in out and "Imported, not re-verified" in out
    assert status("--profile", "forger")["xp"] == original["xp"]


def test_no_verify_places_notebooks_and_leaves_the_claims_pending(
    home: Path, tmp_path: Path
) -> None:
    doc = export_doc(event("opened"), event("verified", tasks={"q1": "PASS"}))
    notebook = notebook_bytes("alpha", solved=True)
    archive = write_archive(tmp_path / "a.zip", doc, {"workspace/level_1/alpha.ipynb": notebook})
    code, out = cli("import", str(archive), "--no-verify")
    assert code == 0 and "Re-verifying" not in out
    assert "Imported, not re-verified" in out and "alpha" in out
    assert (home / "workspace" / "level_1" / "alpha.ipynb").read_bytes() == notebook
    assert status()["xp"] == 0
