"""What the dashboard's pages and the notebook show, computed without Streamlit."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandbox import summaries, ui_state
from sandbox.catalogue import Catalogue, load_catalogue
from sandbox.game import GameEngine
from sandbox.progress import Event

_ids = itertools.count()
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def ev(
    kind: str,
    challenge: str | None = None,
    days_ago: float = 0,
    task: str | None = None,
    **details: Any,
) -> Event:
    return Event(
        f"e{next(_ids)}",
        NOW - timedelta(days=days_ago, seconds=-next(_ids)),
        kind,
        challenge,
        task,
        details,
    )


@pytest.fixture
def cat(fixture_content: Path) -> Catalogue:
    return load_catalogue(fixture_content)


def engine(cat: Catalogue, events: list[Event]) -> GameEngine:
    return GameEngine(cat, events, tz=UTC, today=NOW.date())


def test_task_marks() -> None:
    assert [summaries.task_mark(o) for o in ("PASS", "FAIL", "ERROR", "NOT_ATTEMPTED", None)] == [
        "✓", "✗", "✗", "○", "○",
    ]  # fmt: skip


def test_recent_events_one_line_per_verification_and_no_inline_checks(cat: Catalogue) -> None:
    tasks = {"q1": "PASS", "q2": "PASS"}
    events = [
        ev("opened", "alpha"),
        ev("checked", "alpha", task="q1", source="inline", outcome="PASS"),
        ev("checked", "alpha", source="verify", outcome="FAIL", tasks={"q1": "PASS", "q2": "FAIL"}),
        ev("checked", "alpha", source="verify", outcome="PASS", tasks=tasks),
        ev("verified", "alpha", tasks=tasks),
    ]
    shown = summaries.recent_events(events, 10)
    assert [e.id for e in shown] == [events[4].id, events[2].id, events[0].id]
    with_inline = summaries.recent_events(events, 10, include_inline=True)
    assert events[1] in with_inline and events[3] not in with_inline
    assert summaries.describe_event(events[2], cat) == (
        "Verification of **Add up a list** did not pass (q2 to fix)"
    )
    assert [summaries.is_inline_check(e) for e in events] == [False, True, False, False, False]


def test_nearest_badge(cat: Catalogue) -> None:
    fresh = summaries.nearest_badge(engine(cat, []))
    assert fresh is not None and fresh.badge.id == "first-verified", "catalogue order breaks ties"
    one = engine(cat, [ev("verified", "alpha")])
    nearest = summaries.nearest_badge(one)
    assert nearest is not None and (nearest.current, nearest.target) == (1, 2)
    assert nearest.badge.id in {"level-1-done", "unaided-2"}


def test_streak_nudge(cat: Catalogue) -> None:
    assert summaries.streak_nudge(engine(cat, [])) is None, "nothing to restart yet"
    today = engine(cat, [ev("verified", "alpha")])
    assert summaries.streak_nudge(today) is None, "today already counts"
    going = engine(cat, [ev("verified", "alpha", days_ago=2), ev("verified", "beta", days_ago=1)])
    assert summaries.streak_nudge(going) == (
        "Keep your 2-day streak going: a passed check or a verified challenge today counts."
    )
    lapsed = engine(cat, [ev("verified", "alpha", days_ago=4)])
    nudge = summaries.streak_nudge(lapsed)
    assert nudge is not None and "last active day was 4 days ago" in nudge
    assert "starts a new streak" in nudge


def test_learning_path_folds_finished_levels_and_opens_the_current_one(cat: Catalogue) -> None:
    new = summaries.learning_path(engine(cat, []))
    assert [(r.level.number, r.finished, r.current) for r in new] == [
        (1, False, True),
        (2, False, False),
    ]
    done = engine(cat, [ev("verified", "alpha"), ev("verified", "beta")])
    rows = summaries.learning_path(done)
    assert [(r.level.number, r.finished, r.current) for r in rows] == [
        (1, True, False),
        (2, False, True),
    ]
    assert rows[0].xp_earned == done.xp and rows[0].verified == 2
    everything = engine(cat, [ev("verified", c) for c in ("alpha", "beta", "gamma")])
    assert not any(r.current for r in summaries.learning_path(everything))


def test_ui_state_remembers_home_and_the_help_question(home: Path) -> None:
    assert ui_state.load_home_seen(home) is None and ui_state.ask_before_help(home)
    ui_state.save_home_seen(home, NOW)
    ui_state.save_ask_before_help(home, False)
    assert ui_state.load_home_seen(home) == NOW and not ui_state.ask_before_help(home)
    ui_state.save_ask_before_help(home, True)
    assert ui_state.ask_before_help(home)
    (home / ui_state.UI_STATE_FILE).write_text('{"home_seen_at": "yesterday"}')
    assert ui_state.load_home_seen(home) is None, "an unreadable record is no record"


def test_only_badges_earned_since_the_last_look_are_news(cat: Catalogue) -> None:
    events = [ev("verified", "alpha", days_ago=3), ev("verified", "beta")]
    earned = engine(cat, events).earned_badges()
    since = NOW - timedelta(days=1)
    fresh = ui_state.not_yet_celebrated(earned, {}, since=since)
    assert fresh and all(b.earned_at is not None and b.earned_at > since for b in fresh)
    assert "first-verified" not in {b.badge.id for b in fresh}
    assert len(ui_state.not_yet_celebrated(earned, {})) == len(earned)
