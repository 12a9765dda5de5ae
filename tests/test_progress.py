from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sandbox.errors import ProgressCorruptError, ProgressError
from sandbox.progress import FORMAT_VERSION, ProgressStore


def test_missing_file_is_an_empty_log(home: Path) -> None:
    progress = ProgressStore(home).load()
    assert progress.events == () and progress.learner_name is None
    assert not (home / "progress.json").exists()


def test_append_round_trips_and_documents_format(home: Path) -> None:
    store = ProgressStore(home)
    first = store.append("opened", "alpha")
    second = store.append("hint", "alpha", "q1", {"index": 0})
    loaded = store.load().events
    assert [e.id for e in loaded] == [first.id, second.id]
    assert loaded[1].details == {"index": 0} and loaded[1].task == "q1"
    raw = json.loads((home / "progress.json").read_text())
    assert raw["format_version"] == FORMAT_VERSION
    assert set(raw["events"][0]) == {"id", "ts", "kind", "challenge", "task", "details"}
    assert datetime.fromisoformat(raw["events"][0]["ts"]).tzinfo is not None


def test_unknown_event_kind_is_refused(home: Path) -> None:
    with pytest.raises(ValueError):
        ProgressStore(home).append("cheated", "alpha")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param('{"format_version": 1, "events": [', "not valid JSON", id="truncated"),
        pytest.param("", "not valid JSON", id="empty"),
        pytest.param("[1, 2]", "not a JSON object", id="not-object"),
        pytest.param('{"format_version": 99, "events": []}', "newer sandbox", id="future-version"),
        pytest.param(
            '{"format_version": 0, "events": []}', "format_version is 0", id="unknown-old-version"
        ),
        pytest.param('{"format_version": 1}', "'events' is missing", id="no-events"),
        pytest.param(
            '{"format_version": 1, "events": [{"id": "a", "ts": "yesterday", "kind": "verified"}]}',
            "event 0",
            id="bad-timestamp",
        ),
        pytest.param(
            '{"format_version": 1, "events": [{"id": "a", "ts": "2026-01-01T00:00:00+00:00", "kind": "bribe"}]}',
            "unknown kind 'bribe'",
            id="hand-edited-kind",
        ),
    ],
)
def test_corrupt_file_raises_names_file_and_is_never_modified(
    home: Path, content: str, problem: str
) -> None:
    home.mkdir(parents=True)
    path = home / "progress.json"
    path.write_text(content)
    store = ProgressStore(home)
    with pytest.raises(ProgressCorruptError, match=problem) as info:
        store.load()
    assert str(path) in str(info.value) and "backups" in str(info.value)
    for write in (
        lambda: store.append("opened", "alpha"),
        lambda: store.reset("all", None),
        lambda: store.set_learner_name("Ada"),
    ):
        with pytest.raises(ProgressCorruptError):
            write()
    assert path.read_text() == content
    assert not (home / "backups").exists() or not any((home / "backups").iterdir())


def test_reset_backs_up_first_and_appends_a_reset_event(home: Path) -> None:
    store = ProgressStore(home)
    store.append("verified", "alpha")
    before = (home / "progress.json").read_text()
    event, backup = store.reset("challenge", ["alpha"])
    assert backup is not None and backup.parent == home / "backups"
    assert backup.read_text() == before
    assert event.kind == "reset" and event.details["challenges"] == ["alpha"]
    assert [e.kind for e in store.load().events] == ["verified", "reset"]


def test_learner_name_is_validated_and_stored(home: Path) -> None:
    store = ProgressStore(home)
    store.set_learner_name("  Ada  ")
    assert store.load().learner_name == "Ada"
    with pytest.raises(ProgressError):
        store.set_learner_name("x" * 61)


def test_clock_is_injectable(home: Path) -> None:
    fixed = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    event = ProgressStore(home, clock=lambda: fixed).append("opened", "alpha")
    assert event.ts == fixed and ProgressStore(home).load().events[0].ts == fixed


def _append_many(home: str, n: int) -> None:
    store = ProgressStore(Path(home))
    for _ in range(n):
        store.append("hint", "alpha", "q1", {"index": 0})


def test_concurrent_writers_lose_no_events(home: Path) -> None:
    """Eight processes appending at once: the lock keeps every event."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(str(home), 25)) for _ in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(ProgressStore(home).load().events) == 200


def test_no_temp_files_left_behind(home: Path) -> None:
    store = ProgressStore(home)
    for _ in range(5):
        store.append("opened", "alpha")
    leftovers = [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def _log_of(home: Path, count: int) -> Path:
    path = home / "progress.json"
    home.mkdir(parents=True, exist_ok=True)
    events = [
        {
            "id": f"e{i}",
            "ts": f"2026-03-{1 + i % 28:02d}T10:00:00+00:00",
            "kind": "checked",
            "challenge": "alpha",
            "task": "q1",
            "details": {"outcome": "FAIL", "tasks": {"q1": "FAIL"}},
        }
        for i in range(count)
    ]
    path.write_text(json.dumps({"format_version": FORMAT_VERSION, "events": events}))
    return path


def test_a_grown_log_is_checked_from_where_it_grew_and_reads_as_a_fresh_parse(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.progress as progress_module

    path = _log_of(home, 50)
    ProgressStore(home).load()
    doc = json.loads(path.read_text())
    doc["events"].append({**doc["events"][0], "id": "late", "details": {"outcome": "PASS"}})
    path.write_text(json.dumps(doc))
    parsed = []
    real_parse = progress_module.parse_event
    monkeypatch.setattr(
        progress_module,
        "parse_event",
        lambda raw, *checked: parsed.append(raw) or real_parse(raw, *checked),
    )
    again = ProgressStore(home).load()
    assert [raw["id"] for raw in parsed] == ["late"], "only the appended event is checked"
    fresh = progress_module.parse_document(path, json.loads(path.read_text()))
    assert again == fresh and again.events[-1].details == {"outcome": "PASS"}


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda e: e.update(ts="yesterday"), "event 20: its timestamp"),
        (lambda e: e.update(id="e3"), "events 3 and 20 share the id 'e3'"),
        (lambda e: e["details"].update(tasks=["q1"]), "event 20: details.tasks"),
    ],
)
def test_a_hand_edit_inside_a_log_read_before_is_still_refused(
    home: Path, edit: Any, problem: str
) -> None:
    path = _log_of(home, 50)
    ProgressStore(home).load()
    doc = json.loads(path.read_text())
    edit(doc["events"][20])
    path.write_text(json.dumps(doc))
    before = path.read_bytes()
    with pytest.raises(ProgressCorruptError, match=problem):
        ProgressStore(home).load()
    assert path.read_bytes() == before


def test_a_log_the_store_appended_to_is_decoded_from_its_new_bytes_only(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.progress as progress_module

    store = ProgressStore(home)
    for _ in range(30):
        store.append("opened", "alpha")
    store.load()
    store.append("checked", "alpha", "q1", {"outcome": "PASS", "tasks": {"q1": "PASS"}})
    decoded: list[int] = []
    real_decode = progress_module._decode_json  # every decode goes through it
    monkeypatch.setattr(
        progress_module, "_decode_json", lambda data: decoded.append(len(data)) or real_decode(data)
    )
    again = ProgressStore(home).load()
    size = store.path.stat().st_size
    assert decoded and max(decoded) < size / 10, "only the appended event's bytes are decoded"
    monkeypatch.undo()
    fresh = progress_module.parse_document(store.path, json.loads(store.path.read_bytes()))
    assert again == fresh and again.events[-1].kind == "checked"


def _appended_by_hand(text: str, addition: str) -> str:
    end = "\n ]\n}\n"
    assert text.endswith(end)
    return text[: -len(end)] + addition + end


@pytest.mark.parametrize(
    "addition",
    [
        # An event whose key order and spacing differ from the store's: read like any other.
        ',{"kind": "opened", "id": "by-hand", "ts": "2026-03-02T10:00:00+00:00",'
        ' "challenge": "alpha", "task": null, "details": {}}',
        # A second "events" key: json keeps the last, so the log reads as that one event.
        '], "events": [{"id": "only", "ts": "2026-03-02T10:00:00+00:00", "kind": "opened",'
        ' "challenge": "alpha", "task": null, "details": {}}',
    ],
)
def test_bytes_appended_by_hand_read_as_a_fresh_parse_of_the_whole_file(
    home: Path, addition: str
) -> None:
    import sandbox.progress as progress_module

    store = ProgressStore(home)
    for _ in range(5):
        store.append("opened", "alpha")
    store.load()
    store.path.write_text(_appended_by_hand(store.path.read_text(), addition))
    again = ProgressStore(home).load()
    fresh = progress_module.parse_document(store.path, json.loads(store.path.read_bytes()))
    assert again == fresh


def test_a_bad_event_appended_by_hand_is_refused(home: Path) -> None:
    store = ProgressStore(home)
    for _ in range(5):
        store.append("opened", "alpha")
    store.load()
    bad = ',{"id": "x", "ts": "yesterday", "kind": "opened", "challenge": "alpha", "task": null,'
    store.path.write_text(_appended_by_hand(store.path.read_text(), bad + ' "details": {}}'))
    before = store.path.read_bytes()
    with pytest.raises(ProgressCorruptError, match="event 5: its timestamp"):
        ProgressStore(home).load()
    assert store.path.read_bytes() == before


def test_a_log_whose_last_array_is_not_the_events_is_decoded_in_full(home: Path) -> None:
    import sandbox.progress as progress_module

    store = ProgressStore(home)
    store.append("opened", "alpha")
    doc = json.loads(store.path.read_text())
    doc["notes"] = [{"id": "n1"}]  # a key after the events: appending goes into this array
    store.path.write_text(json.dumps(doc, indent=1) + "\n")
    first = ProgressStore(home).load()
    grown = ',\n  {"id": "n2", "ts": "2026-03-02T10:00:00+00:00", "kind": "opened",'
    grown += ' "challenge": "alpha", "task": null, "details": {}}'
    store.path.write_text(_appended_by_hand(store.path.read_text(), grown))
    again = ProgressStore(home).load()
    assert again == first, "what went into the notes array is not an event"
    fresh = progress_module.parse_document(store.path, json.loads(store.path.read_bytes()))
    assert again == fresh


def _as_rewritten(path: Path) -> bytes:
    """The bytes a full rewrite gives the log in ``path``."""
    doc = json.loads(path.read_bytes())
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def test_appending_writes_the_new_events_after_the_log_without_encoding_it_again(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.progress as progress_module

    store = ProgressStore(home)
    store.set_learner_name("Zoë")
    for index in range(40):
        store.append("checked", "alpha", "q1", {"outcome": "FAIL", "note": f"essai n° {index}"})
    encoded: list[int] = []
    real_dumps = json.dumps

    def dumps(value: Any, **kwargs: Any) -> str:
        text = real_dumps(value, **kwargs)
        encoded.append(len(text))
        return text

    monkeypatch.setattr(progress_module.json, "dumps", dumps)
    size = store.path.stat().st_size
    store.append_many(
        [
            ("hint", "alpha", "q1", {"index": 0, "text": "Σ über alles ✓"}),
            ("verified", "alpha", None, {"tasks": {"q1": "PASS"}, "seconds": 2.5}),
        ]
    )
    ProgressStore(home).append("opened", "beta")  # a second store object, the same file
    monkeypatch.undo()
    assert encoded and max(encoded) < size / 10, "only the new events were encoded"
    assert store.path.read_bytes() == _as_rewritten(store.path), "the bytes a rewrite gives"
    events = ProgressStore(home).load().events
    assert [e.kind for e in events[-3:]] == ["hint", "verified", "opened"]
    assert events[-3].details["text"] == "Σ über alles ✓" and len(events) == 43


def _laid_out(doc: dict[str, Any], layout: str) -> str:
    if layout == "compact":
        return json.dumps(doc)
    if layout == "events-before-learner":
        moved = {"format_version": doc["format_version"], "events": doc["events"]}
        return json.dumps({**moved, "learner": doc["learner"]}, indent=1) + "\n"
    assert layout == "no-events"
    return json.dumps({**doc, "events": []}, indent=1) + "\n"


@pytest.mark.parametrize("layout", ["compact", "events-before-learner", "no-events"])
def test_a_log_not_laid_out_as_the_store_writes_it_is_rewritten_on_append(
    home: Path, layout: str
) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    doc = json.loads(store.path.read_bytes())
    store.path.write_text(_laid_out(doc, layout))
    before = ProgressStore(home).load().events
    store.append("hint", "alpha", "q1", {"index": 0})
    after = ProgressStore(home).load().events
    assert after[: len(before)] == before and after[-1].kind == "hint"
    assert len(after) == len(before) + 1
    assert store.path.read_bytes() == _as_rewritten(store.path)
