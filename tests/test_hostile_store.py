"""A damaged or hostile progress.json: every command stops with one clear line and changes nothing.

Each case is a real file on disk; each command runs through the real CLI. After every
one: exit code 1, a message naming the file and the way out (backups/), no traceback,
the file byte-identical, nothing new under backups/ and no temp file left behind.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sandbox import progress as progress_module
from sandbox import workspace
from sandbox.catalogue import default_catalogue
from sandbox.cli import app
from sandbox.errors import ProgressCorruptError, ProgressError, StorageError
from sandbox.progress import ProgressStore

runner = CliRunner()
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _content(fixture_content: Path) -> Path:
    return fixture_content


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "a" * 32,
        "ts": (NOW - timedelta(hours=1)).isoformat(),
        "kind": "opened",
        "challenge": "alpha",
        "task": None,
        "details": {},
    }
    base.update(fields)
    return base


def document(*events: dict[str, Any], name: Any = None, **top: Any) -> bytes:
    doc: dict[str, Any] = {"format_version": 1, "learner": {"name": name}, "events": list(events)}
    doc.update(top)
    return json.dumps(doc).encode()


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = {"x": value}
    return value


GOOD = document(event())

# name → (file bytes, words the store's message must contain)
CASES: dict[str, tuple[bytes, str]] = {
    "binary-garbage": (bytes(range(256)) * 8, "not UTF-8"),
    "null-bytes": (b"\x00" * 200, "not valid JSON"),
    "utf-16": (GOOD.decode().encode("utf-16"), "not UTF-8"),
    "utf-8-bom": (b"\xef\xbb\xbf" + GOOD, "byte-order mark"),
    "empty": (b"", "not valid JSON"),
    "truncated": (GOOD[: len(GOOD) // 2], "not valid JSON"),
    "nested-1000": (
        b'{"format_version": 1, "events": [' + b"[" * 1000 + b"]" * 1000 + b"]}",
        "nested more than",
    ),
    "nested-100000-unbalanced": (b"[" * 100_000, "nested more than"),
    "deep-details": (document(event(details=nested(20))), "event 0"),
    "nan": (GOOD.replace(b'"details": {}', b'"details": {"seconds": NaN}'), "NaN"),
    "lone-surrogate": (GOOD.replace(b'"details": {}', b'"details": {"x": "\\ud800"}'), "event 0"),
    "top-level-list": (b"[]", "not a JSON object"),
    "events-not-list": (document(events={}), "'events'"),
    "year-9999-with-offset": (document(event(ts="9999-12-31T23:00:00-05:00")), "out of range"),
    "year-1-with-offset": (document(event(ts="0001-01-01T00:30:00+01:00")), "out of range"),
    "before-1970": (document(event(ts="1969-12-31T23:59:59+00:00")), "out of range"),
    "naive-timestamp": (document(event(ts="2026-11-01T10:00:00")), "no UTC offset"),
    "timestamp-number": (document(event(ts=1_700_000_000)), "not an ISO 8601"),
    "id-number": (document(event(id=7)), "its id"),
    "challenge-path": (document(event(challenge="../../etc/passwd")), "not a challenge id"),
    "task-object": (document(event(task={"q": 1})), "not a task id"),
    "challenge-list-after-a-valid-one": (
        document(event(), event(id="b" * 32, challenge=["alpha"])),
        "event 1: its challenge",
    ),
    "task-list-after-a-valid-one": (
        document(event(task="q1"), event(id="b" * 32, task=["q1"])),
        "event 1: its task",
    ),
    "details-list": (document(event(details=[])), "not an object"),
    "tasks-not-a-map": (document(event(kind="verified", details={"tasks": [1]})), "details.tasks"),
    "imported-not-a-flag": (document(event(details={"imported": "yes"})), "details.imported"),
    "reset-targets-number": (
        document(event(kind="reset", challenge=None, details={"challenges": 5})),
        "details.challenges",
    ),
    "unknown-kind": (document(event(), event(id="b" * 32, kind="bribe")), "event 1"),
    "duplicate-ids": (document(event(), event(kind="hint")), "share the id"),
    "name-with-escape-codes": (document(event(), name="Ada\x1b[31m"), "unprintable"),
    "name-100000-chars": (document(event(), name="x" * 100_000), "at most 60"),
    "future-format": (json.dumps({"format_version": 7, "events": []}).encode(), "newer sandbox"),
}


def store_path(home: Path) -> Path:
    return home / "progress.json"


def write_store(home: Path, content: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = store_path(home)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("content", "words"), list(CASES.values()), ids=list(CASES))
def test_the_reader_names_the_file_the_problem_and_the_way_out(
    home: Path, content: bytes, words: str
) -> None:
    path = write_store(home, content)
    with pytest.raises(ProgressCorruptError) as info:
        ProgressStore(home).load()
    message = str(info.value)
    assert str(path) in message and words in message and "backups" in message
    assert "\x1b" not in message and len(message) < 1000
    assert path.read_bytes() == content


def test_the_message_points_at_the_newest_backup(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    backup = store.backup("manual")
    assert backup is not None
    store_path(home).write_bytes(b"{")
    with pytest.raises(ProgressCorruptError, match=backup.name):
        store.load()


def test_size_and_event_caps_are_explicit(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = [event(id=f"{i:032x}") for i in range(5)]
    content = document(*events)
    write_store(home, content)
    monkeypatch.setattr(progress_module, "MAX_EVENTS", 4)
    with pytest.raises(ProgressCorruptError, match="5 events, more than the 4 allowed"):
        ProgressStore(home).load()
    monkeypatch.setattr(progress_module, "MAX_STORE_BYTES", len(content) - 1)
    with pytest.raises(ProgressCorruptError, match="larger than"):
        ProgressStore(home).load()
    assert store_path(home).read_bytes() == content


def prepare_world(home: Path, tmp_path: Path) -> dict[str, str]:
    """A workspace notebook (so `check` reaches the store) and a valid export to import."""
    catalogue = default_catalogue()
    workspace.prepare(home, catalogue.get("alpha"))
    export = tmp_path / "valid-export.json"
    export.write_text(
        json.dumps(
            {
                "format": "data-science-sandbox-export",
                "format_version": 1,
                "progress": json.loads(GOOD),
            }
        )
    )
    return {
        "EXPORT": str(export),
        "OUT": str(tmp_path / "out.json"),
        "ZIP": str(tmp_path / "out.zip"),
        "DIR": str(tmp_path / "badges"),
    }


COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["list"],
    ["badges"],
    ["log"],
    ["profiles"],
    ["reset", "--all", "-y"],
    ["reset", "--level", "1", "-y"],
    ["reset", "--challenge", "alpha", "-y"],
    ["hint", "alpha"],
    ["solution", "alpha", "q1"],
    ["open", "alpha", "--no-launch"],
    ["check", "alpha"],
    ["watch", "alpha", "--max-checks", "1"],
    ["export"],
    ["export", "-o", "{OUT}"],
    ["export", "--with-notebooks", "-o", "{ZIP}"],
    ["export", "--format", "openbadges", "-o", "{DIR}"],
    ["import", "{EXPORT}", "--force"],
    ["doctor"],
]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def run(args: list[str]) -> tuple[int, str, BaseException | None]:
    result = runner.invoke(app, args)
    unexpected = None if isinstance(result.exception, SystemExit) else result.exception
    return result.exit_code, result.stdout + result.stderr, unexpected


@pytest.mark.parametrize(("content", "words"), list(CASES.values()), ids=list(CASES))
def test_every_command_stops_cleanly_and_changes_nothing(
    home: Path, tmp_path: Path, content: bytes, words: str
) -> None:
    names = prepare_world(home, tmp_path)
    path = write_store(home, content)
    before = files_under(home)
    for template in COMMANDS:
        args = [part.format(**names) for part in template]
        code, output, exception = run(args)
        where = f"`sandbox {' '.join(template)}`"
        assert exception is None, f"{where} raised {exception!r}"
        assert code == 1, f"{where} exited {code}: {output}"
        assert str(path) in output and "backups" in output, f"{where}: {output}"
        assert "Traceback" not in output and "\x1b[31m" not in output, where
        assert path.read_bytes() == content, f"{where} changed the store"
        assert files_under(home) == before, f"{where} left files: {files_under(home)}"
        assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.zip").exists()


def test_an_unwritable_data_home_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    """A data home that is a file, and a lock path that is a folder: no traceback anywhere."""
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("not a folder")
    for args in (["status"], ["hint", "alpha"], ["reset", "--all", "-y"], ["doctor"]):
        code, output, exception = run(args)
        assert exception is None and code == 1, (args, output)
        assert str(home) in output and "Traceback" not in output, (args, output)
    assert home.read_text() == "not a folder"

    other = tmp_path / "other-home"
    store = ProgressStore(other)
    store.append("opened", "alpha")
    content = store.path.read_bytes()
    store.lock_path.unlink()
    store.lock_path.mkdir()
    with pytest.raises(StorageError, match="lock file"):
        store.append("opened", "beta")
    code, output, exception = run(["--home", str(other), "hint", "alpha", "--yes"])
    assert exception is None and code == 1 and str(store.lock_path) in output, output
    assert store.path.read_bytes() == content


def test_the_store_refuses_names_and_kinds_it_would_not_read_back(home: Path) -> None:
    store = ProgressStore(home)
    for bad in ("x" * 61, "Ada\x07", "tab\there"):
        with pytest.raises(ProgressError, match="printable"):
            store.set_learner_name(bad)
    assert not store.path.exists()


@pytest.mark.parametrize(
    "writer",
    [
        pytest.param(lambda s: s.append("opened", "alpha"), id="append"),
        pytest.param(lambda s: s.reset("all", None), id="reset"),
        pytest.param(lambda s: s.backup("manual"), id="backup"),
        pytest.param(lambda s: s.merge_events([]), id="merge"),
    ],
)
def test_writes_refuse_a_damaged_store(home: Path, writer: Callable[[ProgressStore], Any]) -> None:
    content = CASES["year-9999-with-offset"][0]
    write_store(home, content)
    with pytest.raises(ProgressCorruptError):
        writer(ProgressStore(home))
    assert store_path(home).read_bytes() == content
    assert not (home / "backups").exists()


def test_a_store_written_by_this_sandbox_reads_back(home: Path, tmp_path: Path) -> None:
    """The reader is strict, never stricter than the writer: everything the product records reads."""
    store = ProgressStore(home)
    store.set_learner_name("Ada Lovelace-Byron, née Byron")
    store.append("opened", "alpha")
    store.append("hint", "alpha", "q1", {"index": 0})
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    store.append(
        "checked", "alpha", None, {"source": "verify", "outcome": "PASS", "tasks": {"q1": "PASS"}}
    )
    store.append("verified", "alpha", None, {"tasks": {"q1": "PASS"}, "seconds": 2.5})
    store.append("solution", "beta", "q1")
    store.reset("level", ["alpha", "beta", "gamma"])
    copy = tmp_path / "copy"
    shutil.copytree(home, copy)
    assert len(ProgressStore(copy).load().events) == 7


@pytest.mark.parametrize("depth", range(5, 10))
@pytest.mark.parametrize("innermost", [0, {}, []], ids=["scalar", "empty-object", "empty-list"])
def test_details_depth_is_judged_alike_from_the_bytes_and_event_by_event(
    home: Path, depth: int, innermost: Any
) -> None:
    """A log's bytes tell when no details can be too deep; at the limit, the event-by-event
    check decides, so a log is accepted or refused exactly as that check alone would."""
    details = innermost
    for _ in range(depth):
        details = {"x": details}
    raw = event(details=details)
    write_store(home, document(raw))
    if depth + 1 <= progress_module.MAX_DETAILS_DEPTH:  # the innermost value's level
        progress_module.parse_event(raw)
        assert ProgressStore(home).load().events[0].details == details
    else:
        with pytest.raises(progress_module.InvalidDocument, match="nested more than"):
            progress_module.parse_event(raw)
        with pytest.raises(ProgressCorruptError, match="event 0: its details are nested more"):
            ProgressStore(home).load()


def test_plain_details_are_checked_once_from_the_bytes(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[Any] = []
    real = progress_module._details_problem
    monkeypatch.setattr(progress_module, "_details_problem", lambda d: checked.append(d) or real(d))
    plain = [event(id=f"{i:032x}", details={"tasks": {"q1": "PASS"}}) for i in range(20)]
    write_store(home, document(*plain))
    assert len(ProgressStore(home).load().events) == 20
    assert checked == [], "a plain log's details are known valid from its bytes"
    # An escaped surrogate pair is valid text, but its bytes alone cannot tell: every event's
    # details are checked, and the pair reads back as the one character it encodes.
    other = home / "other"  # a log read for the first time
    write_store(other, document(*plain, event(id="e" * 32, details={"x": "\U0001f600"})))
    assert ProgressStore(other).load().events[-1].details == {"x": "\U0001f600"}
    assert len(checked) == 21


@pytest.mark.parametrize(
    ("text", "deeper_than_3"),
    [
        pytest.param(b"[[[]]]", False, id="three"),
        pytest.param(b'{"a": [[{"b": 1}]]}', True, id="four-mixed"),
        pytest.param(b'["[[[[", "]]]]"]', False, id="brackets-in-strings"),
        pytest.param(b'["\\"[[[[", 1]', False, id="escaped-quote-in-string"),
        pytest.param(b'["\\\\", [[[1]]]]', True, id="escaped-backslash-then-nesting"),
        pytest.param(b"[[[[", False, id="unbalanced-left-to-the-parser"),
    ],
)
def test_the_nesting_check_skips_strings(text: bytes, deeper_than_3: bool) -> None:
    assert progress_module._nesting_exceeds(text, 3) is deeper_than_3
