"""Every dashboard page, run with AppTest against a tmp data home in three states.

Expected figures are computed from the store through GameEngine, never copied
from the page, so a page that shows the wrong number fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from sandbox.errors import VerificationError
from sandbox.game import ChallengeState, GameEngine
from sandbox.learner import Learner
from sandbox.progress import Event, ProgressStore
from sandbox.ui import components
from sandbox.workspace import notebook_path

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = ("home", "challenges", "badges", "progress", "settings")
STATES = ("empty", "midway", "complete")
STATE_LABELS = {
    ChallengeState.LOCKED: "Locked",
    ChallengeState.AVAILABLE: "Available",
    ChallengeState.IN_PROGRESS: "In progress",
    ChallengeState.VERIFIED: "Verified",
}

pytestmark = pytest.mark.usefixtures("fixture_content")


# -- learner states -----------------------------------------------------------------------------


def store_at(home: Path, when: datetime) -> ProgressStore:
    return ProgressStore(home, clock=lambda: when)


def fill(home: Path, state: str) -> None:
    """Write one of the three learner states through the real store."""
    now = datetime.now(UTC)
    if state == "midway":
        store = ProgressStore(home)
        store.append("opened", "alpha")
        store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
        store.append("verified", "alpha", None, {"tasks": {"q1": "PASS", "q2": "PASS"}})
        store.append("opened", "beta")
        store.append("hint", "beta", "q1", {"index": 0})
        store.append("checked", "beta", "q1", {"source": "inline", "outcome": "FAIL"})
    elif state == "complete":
        # One challenge a day for three days and the own-data lab's three steps: every badge
        # of the fixture catalogue, streak included.
        for days_ago, challenge in ((2, "alpha"), (1, "beta"), (0, "gamma")):
            store = store_at(home, now - timedelta(days=days_ago))
            store.append("opened", challenge)
            store.append("verified", challenge, None, {"tasks": {"q1": "PASS"}})
        for action, extra in (
            ("profiled", {}),
            ("validated", {"passed": True}),
            ("baseline", {"run_ids": ["r"]}),
        ):
            store.append("own_data", None, None, {"action": action, "dataset": "mine.csv", **extra})
    else:
        assert state == "empty"


def engine_of(home: Path) -> GameEngine:
    return Learner.open(home).engine()


def events_of(home: Path) -> list[Event]:
    return list(ProgressStore(home).load().events)


# -- running pages ------------------------------------------------------------------------------


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page != "home":
        at.switch_page(f"sandbox/ui/pages/{page}.py")
        if query:
            at.query_params.update(query)
        at.run()
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"expected one {label!r} metric, got {values}"
    return values[0]


def texts(elements: Any) -> list[str]:
    return [e.value for e in elements]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, texts(at.exception)
    assert not at.error, texts(at.error)


# Charts by their alt text (an unselectable Vega-Lite chart carries no key in its message).
CHARTS = {
    "xp-over-time": "XP over time",
    "activity": "Events per day",
    "levels": "Verified challenges per level",
    "skills": "Verified challenges per skill",
    "metric-bars": " per run",
    "sql-chart": "chart of the query result",
    "tuning-history": "Optimisation history",
    "tuning-importance": "Parameter importances",
    "lime-weights": "LIME weights of row",
}


def charts_of(at: AppTest, key: str) -> list[Any]:
    return [c for c in at.get("vega_lite_chart") if CHARTS[key] in c.proto.alt]


def chart_spec(at: AppTest, key: str) -> dict[str, Any]:
    """The Vega-Lite spec of the page's one chart ``key``, with its rows back under
    ``data.values`` (Streamlit sends a spec's top-level rows apart from it, as Arrow)."""
    import pyarrow as pa

    assert not at.get("plotly_chart"), "no page needs Streamlit's Plotly bundle"
    charts = charts_of(at, key)
    assert len(charts) == 1, f"expected one chart {key!r}"
    spec: dict[str, Any] = json.loads(charts[0].proto.spec)
    if charts[0].proto.data.data:
        rows = pa.ipc.open_stream(charts[0].proto.data.data).read_all().to_pylist()
        spec["data"] = {"values": rows}
    return spec


def chart_rows(at: AppTest, key: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = chart_spec(at, key)["data"]["values"]
    return rows


def no_chart(at: AppTest, key: str) -> bool:
    return not charts_of(at, key)


# -- every page, every state ----------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_errors(page: str, state: str, home: Path) -> None:
    fill(home, state)
    at = open_page(page)
    assert_clean(at)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("state", STATES)
def test_home_figures_equal_the_engine(state: str, home: Path) -> None:
    fill(home, state)
    at = open_page("home")
    engine = engine_of(home)
    assert metric(at, "XP") == str(engine.xp)
    # The level's full name is a heading (it wraps), not a metric (which clips it).
    assert f"Level {engine.level.number} · {engine.level.name}" in texts(at.subheader)
    assert metric(at, "Streak (days)") == str(engine.streak().days)
    badges = len(Learner.open(home).catalogue.badges)
    assert metric(at, "Badges") == f"{len(engine.earned_badges())} of {badges}"
    bar_text = at.get("progress")[0].proto.text
    if engine.next_level is None:
        assert "Top level" in bar_text
    else:
        assert bar_text.startswith(
            f"{engine.xp_to_next_level} XP to level {engine.next_level.number}"
        )


def test_home_follows_every_change_to_the_log_even_one_of_the_same_size(home: Path) -> None:
    fill(home, "midway")
    store = ProgressStore(home)
    store.set_learner_name("Ada")
    at = open_page("home")
    assert texts(at.title) == ["Welcome back, Ada"]
    xp_before = metric(at, "XP")

    store.append("verified", "beta", None, {"tasks": {"q1": "PASS"}})
    at.run()
    assert metric(at, "XP") == str(engine_of(home).xp) != xp_before

    # Same size, same second: only the bytes tell the two logs apart.
    log = home / "progress.json"
    before = log.stat()
    log.write_bytes(log.read_bytes().replace(b'"Ada"', b'"Bob"'))
    assert log.stat().st_size == before.st_size
    at.run()
    assert texts(at.title) == ["Welcome back, Bob"]


def test_an_unchanged_log_is_replayed_once_for_all_runs(home: Path) -> None:
    fill(home, "midway")
    learner = Learner.open(home)
    first = components.load_snapshot(learner)
    again = components.load_snapshot(Learner.open(home))
    assert again.engine is first.engine and again.progress is first.progress

    ProgressStore(home).append("opened", "gamma")
    changed = components.load_snapshot(learner)
    assert changed.engine is not first.engine
    assert [e.kind for e in changed.progress.events] == [e.kind for e in events_of(home)]
    assert changed.engine.status("gamma").state is engine_of(home).status("gamma").state


def test_home_for_a_new_learner_points_to_the_first_challenge(home: Path) -> None:
    at = open_page("home")
    first = engine_of(home).next_challenge()
    assert first is not None
    assert at.info, "a brand-new learner gets a next step"
    assert any(first.title in m for m in texts(at.markdown))
    assert at.button(key="continue").label == "Start"
    assert not (home / "progress.json").exists(), "looking at Home writes nothing"


@pytest.mark.parametrize("page", ("challenges", "badges", "progress"))
def test_empty_pages_suggest_a_next_step(page: str) -> None:
    at = open_page(page)
    assert_clean(at)
    assert at.info, f"{page} explains what to do for a brand-new learner"


def test_settings_for_a_new_learner_has_nothing_to_export_or_reset() -> None:
    at = open_page("settings")
    assert_clean(at)
    assert not at.download_button
    assert not [b for b in at.button if b.label == "Reset all progress"]
    assert any("Nothing to reset" in c for c in texts(at.caption))


def test_a_malformed_catalogue_is_an_error_not_a_crash(fixture_content: Path) -> None:
    manifest = fixture_content / "challenges" / "catalogue.toml"
    manifest.write_text(manifest.read_text() + "\nsurprise = 1\n")
    for page in PAGES:
        at = open_page(page)
        assert not at.exception, page
        assert any("surprise" in e for e in texts(at.error)), page


def test_continue_opens_the_next_challenge(home: Path) -> None:
    fill(home, "midway")
    at = open_page("home")
    upcoming = engine_of(home).next_challenge()
    assert upcoming is not None
    at.button(key="continue").click().run()
    assert_clean(at)
    assert at.query_params.get("challenge") in (upcoming.id, [upcoming.id])
    assert texts(at.title) == [upcoming.title]


def activity_lines(at: AppTest) -> list[str]:
    return next(m for m in texts(at.markdown) if m.startswith("- ")).splitlines()


def test_recent_activity_lists_the_newest_events(home: Path) -> None:
    fill(home, "midway")
    at = open_page("home")
    lines = activity_lines(at)
    # Newest first, inline checks hidden: hint, opened beta, verified alpha, opened alpha.
    assert len(lines) == 4
    assert "Hint 1" in lines[0] and "Verified" in lines[2] and "Checked" not in " ".join(lines)
    at.toggle(key="home-inline-checks").set_value(True).run()
    lines = activity_lines(at)
    assert len(lines) == len(events_of(home)) == 6
    assert "Checked" in lines[0] and "fail" in lines[0]


def test_recent_activity_has_one_line_per_verification(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    failed = {"source": "verify", "outcome": "FAIL", "tasks": {"q1": "PASS", "q2": "FAIL"}}
    store.append("checked", "alpha", None, failed)
    passed = {"q1": "PASS", "q2": "PASS"}
    store.append_many(
        [
            ("checked", "alpha", None, {"source": "verify", "outcome": "PASS", "tasks": passed}),
            ("verified", "alpha", None, {"tasks": passed}),
        ]
    )
    lines = activity_lines(open_page("home"))
    xp = engine_of(home).xp
    assert len(lines) == 3, lines
    assert lines[0].endswith(f"Verified **Add up a list** (+{xp} XP)")
    assert lines[1].endswith("Verification of **Add up a list** did not pass (q2 to fix)")
    assert not [t for t in open_page("home").toggle if t.key == "home-inline-checks"], (
        "no inline checks: nothing to show or hide"
    )


def test_completed_home_has_no_next_challenge(home: Path) -> None:
    fill(home, "complete")
    at = open_page("home")
    assert engine_of(home).next_challenge() is None
    assert not [b for b in at.button if b.key == "continue"]
    assert any("Every challenge is verified" in s for s in texts(at.success))


def new_badge_messages(at: AppTest) -> list[str]:
    return [m for m in texts(at.success) if "new badge" in m.lower()]


def test_new_badges_are_celebrated_once_since_home_was_last_seen(home: Path) -> None:
    fill(home, "midway")
    earned = engine_of(home).earned_badges()
    assert earned
    first = open_page("home")
    # Badges earned before the learner ever looked are not news: the Badges page lists them.
    assert not new_badge_messages(first)
    seen = json.loads((home / "ui_state.json").read_text())["home_seen_at"]
    assert datetime.fromisoformat(seen) == max(e.ts for e in events_of(home))

    store = ProgressStore(home)
    for challenge in ("beta", "gamma"):
        store.append("verified", challenge, None, {"tasks": {"q1": "PASS"}})
    before = {b.badge.id for b in earned}
    newly = [b for b in engine_of(home).earned_badges() if b.badge.id not in before]
    assert len(newly) >= 2, "level 1 done, every sql challenge, 300 XP: at once"
    later = open_page("home")
    messages = new_badge_messages(later)
    assert len(messages) == 1, "one combined message"
    assert messages[0].startswith(f"{len(newly)} new badges")
    assert all(b.badge.name in messages[0] for b in newly)
    remembered = json.loads((home / "ui_state.json").read_text())["celebrated_badges"]
    assert {b.badge.id for b in newly} <= set(remembered)

    again = open_page("home")  # a fresh session, as after a browser refresh
    assert not new_badge_messages(again)


def test_a_badge_earned_on_the_challenge_page_is_not_celebrated_again_on_home(
    home: Path,
) -> None:
    fill(home, "midway")
    detail = open_page("challenges", {"challenge": "beta"})  # runs Home first: Home seen
    assert not new_badge_messages(detail)
    ProgressStore(home).append("verified", "beta", None, {"tasks": {"q1": "PASS"}})
    detail.run()
    assert new_badge_messages(detail) == [
        "New badge: 🧭 **Explorer** — Verify every level 1 challenge."
    ]
    assert not new_badge_messages(open_page("home"))


def test_home_shows_streak_freezes_and_the_nearest_badge(home: Path) -> None:
    from sandbox import summaries

    now = datetime.now(UTC)
    for days_ago in range(7, -1, -1):  # eight days in a row: the 7th earned a freeze
        store_at(home, now - timedelta(days=days_ago)).append(
            "checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"}
        )
    engine = engine_of(home)
    assert engine.streak().freezes_left == 1
    at = open_page("home")
    assert any("1 freeze left" in c for c in texts(at.caption))
    nearest = summaries.nearest_badge(engine)
    assert nearest is not None
    shown = " ".join(texts(at.markdown))
    assert f"**{nearest.badge.name}**" in shown
    bars = [p.proto.text for p in at.get("progress")]
    assert f"{nearest.current} / {nearest.target}" in bars


def test_home_welcomes_a_lapsed_learner_back(home: Path) -> None:
    now = datetime.now(UTC)
    store = store_at(home, now - timedelta(days=5))
    store.append("opened", "alpha")
    store.append("verified", "alpha", None, {"tasks": {"q1": "PASS"}})
    at = open_page("home")
    assert metric(at, "Streak (days)") == "0"
    assert any("last active day was 5 days ago" in i and "new streak" in i for i in texts(at.info))
    store_at(home, now).append("checked", "beta", "q1", {"source": "inline", "outcome": "PASS"})
    assert not [i for i in texts(open_page("home").info) if "streak" in i], "today counts"


# -- challenges ---------------------------------------------------------------------------------


def state_badges(at: AppTest) -> list[str]:
    return [m for m in texts(at.markdown) if "-badge[" in m]


@pytest.mark.parametrize("state", STATES)
def test_challenge_list_shows_each_state(state: str, home: Path) -> None:
    fill(home, state)
    at = open_page("challenges")
    statuses = engine_of(home).statuses()
    shown = state_badges(at)
    assert len(shown) == len(statuses)
    for badge, status in zip(shown, statuses, strict=True):
        assert badge.endswith(f" {STATE_LABELS[status.state]}]"), (status.challenge.id, badge)


def test_open_button_shows_the_detail_view(home: Path) -> None:
    at = open_page("challenges")
    at.button(key="open-alpha").click().run()
    assert_clean(at)
    challenge = Learner.open(home).catalogue.get("alpha")
    assert texts(at.title) == [challenge.title]
    shown = " ".join(texts(at.markdown))
    for task in challenge.tasks:
        assert task.prompt in shown
    at.button(key="back").click().run()
    assert texts(at.title) == ["Challenges"]


def test_unknown_challenge_in_the_url_is_an_error_not_a_crash(home: Path) -> None:
    at = open_page("challenges", {"challenge": "nope"})
    assert not at.exception
    assert any("nope" in e for e in texts(at.error))
    assert "Challenges" in texts(at.title)


def test_hint_button_records_exactly_one_hint(home: Path) -> None:
    fill(home, "midway")
    at = open_page("challenges", {"challenge": "beta"})
    task = Learner.open(home).catalogue.get("beta").tasks[0]
    before = [e for e in events_of(home) if e.kind == "hint"]
    shown_before = [i for i in texts(at.info) if i.startswith("Hint ")]
    assert len(shown_before) == len(before) == 1

    at.button(key=f"hint-{task.id}").click().run()
    assert_clean(at)
    hints = [e for e in events_of(home) if e.kind == "hint"]
    assert len(hints) == len(before) + 1
    new = hints[-1]
    assert (new.challenge, new.task, dict(new.details)) == ("beta", task.id, {"index": 1})
    shown = [i for i in texts(at.info) if i.startswith("Hint ")]
    assert shown == [f"Hint {n}: {h}" for n, h in enumerate(task.hints, start=1)]
    assert not [b for b in at.button if b.key == f"hint-{task.id}"], "the ladder is exhausted"


def test_reset_challenge_asks_first_then_backs_up(home: Path) -> None:
    fill(home, "midway")
    challenge = Learner.open(home).catalogue.get("alpha")
    workspace_copy = notebook_path(home, challenge)
    workspace_copy.parent.mkdir(parents=True)
    workspace_copy.write_text('{"edited": true}')
    xp_before, alpha_xp = engine_of(home).xp, engine_of(home).status("alpha").xp_awarded
    assert alpha_xp > 0

    at = open_page("challenges", {"challenge": "alpha"})
    at.button(key="reset-ask").click().run()
    assert not [e for e in events_of(home) if e.kind == "reset"], "asking resets nothing"
    at.button(key="reset-cancel").click().run()
    assert not [b for b in at.button if b.key == "reset-confirm"]

    at.button(key="reset-ask").click().run()
    at.button(key="reset-confirm").click().run()
    assert_clean(at)
    resets = [e for e in events_of(home) if e.kind == "reset"]
    assert len(resets) == 1 and resets[0].details["challenges"] == ["alpha"]
    backup = Path(resets[0].details["backup"])
    assert backup.is_file()
    assert engine_of(home).xp == xp_before - alpha_xp
    assert engine_of(home).status("alpha").state is not ChallengeState.VERIFIED
    assert workspace_copy.read_bytes() == challenge.notebook.read_bytes(), "starter restored"
    assert any(str(backup) in s for s in texts(at.success))


def test_hints_start_over_after_a_reset(home: Path) -> None:
    fill(home, "midway")
    ProgressStore(home).reset("challenge", ["beta"])
    ProgressStore(home).append("opened", "beta")
    at = open_page("challenges", {"challenge": "beta"})
    assert not [i for i in texts(at.info) if i.startswith("Hint ")]
    assert at.button(key="hint-q1").label == "Need a hint?"
    # The hint seen before the reset still rules out the no-help bonus: no bonus offer.
    assert not [c for c in texts(at.caption) if "bonus" in c]
    untouched = open_page("challenges", {"challenge": "gamma"})
    assert [c for c in texts(untouched.caption) if "bonus" in c], "an unhelped challenge offers it"


def expanders(at: AppTest) -> dict[str, bool]:
    """Each level's summary line → whether it is shown open."""
    return {e.label: e.proto.expanded for e in at.expander}


def test_challenge_list_folds_finished_levels_and_opens_the_current_one(home: Path) -> None:
    store = ProgressStore(home)
    for challenge in ("alpha", "beta"):
        store.append("opened", challenge)
        store.append("verified", challenge, None, {"tasks": {"q1": "PASS"}})
    engine = engine_of(home)
    assert engine.level.number == 2
    earned = engine.status("alpha").xp_awarded + engine.status("beta").xp_awarded
    at = open_page("challenges")
    assert_clean(at)
    assert expanders(at) == {
        f":material/check_circle: Level 1 · Explorer — all 2 verified, {earned} XP earned": False,
        "Level 2 · Cleaner — 0 of 1 verified": True,
    }

    fresh = open_page("challenges")  # a new learner: level 1 open, level 2 folded and locked
    ProgressStore(home).reset("all", None)
    fresh = open_page("challenges")
    assert expanders(fresh) == {
        "Level 1 · Explorer — 0 of 2 verified": True,
        ":material/lock: Level 2 · Cleaner — from 150 XP · 1 challenges": False,
    }


def test_verified_cards_show_the_xp_earned_and_started_ones_their_tasks(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.append("verified", "alpha", None, {"tasks": {"q1": "PASS", "q2": "PASS"}})
    store.append("opened", "gamma")
    store.append("checked", "gamma", "q1", {"source": "inline", "outcome": "FAIL"})
    earned = engine_of(home).status("alpha").xp_awarded
    assert earned == 120
    captions = texts(open_page("challenges").caption)
    assert any(c.startswith(f"{earned} XP earned · about") for c in captions)
    assert any(c.startswith("100 XP · about") for c in captions), "beta: its nominal XP"
    assert any(c.startswith("150 XP") and c.endswith("q1 ✗") for c in captions)


def test_challenge_list_filters_by_state_and_skill(home: Path) -> None:
    fill(home, "midway")  # alpha verified, beta in progress, gamma locked
    at = open_page("challenges")
    at.button_group(key="challenge-states").set_value(["In progress"]).run()
    assert_clean(at)
    assert [b.key for b in at.button if b.key.startswith("open-")] == ["open-beta"]
    assert all(e.proto.expanded for e in at.expander), "a filter opens what it finds"
    at.button_group(key="challenge-states").set_value([]).run()
    at.multiselect(key="challenge-tags").set_value(["python"]).run()
    assert [b.key for b in at.button if b.key.startswith("open-")] == ["open-alpha", "open-gamma"]
    at.button_group(key="challenge-states").set_value(["To do"]).run()
    assert not [b for b in at.button if b.key.startswith("open-")]
    assert any("No challenge matches" in i for i in texts(at.info))


def task_headings(at: AppTest) -> list[str]:
    return [m for m in texts(at.markdown) if " · " in m and m.split(" ")[1].startswith("**q")]


def test_challenge_page_shows_each_tasks_latest_outcome(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "FAIL"})
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    at = open_page("challenges", {"challenge": "alpha"})
    assert task_headings(at) == ["✓ **q1 · Total**", "○ **q2 · Count**"]
    assert any("last check: passes" in c for c in texts(at.caption))
    assert any("last check: not checked yet" in c for c in texts(at.caption))
    # A verification run names every task; the latest outcome wins.
    failed = {"source": "verify", "outcome": "FAIL", "tasks": {"q1": "PASS", "q2": "FAIL"}}
    store.append("checked", "alpha", None, failed)
    at = open_page("challenges", {"challenge": "alpha"})
    assert task_headings(at) == ["✓ **q1 · Total**", "✗ **q2 · Count**"]
    assert any(c == "Each task's latest check: q1 ✓ · q2 ✗" for c in texts(at.caption))


def test_no_hint_button_on_a_task_that_passes(home: Path) -> None:
    store = ProgressStore(home)
    store.append("opened", "alpha")
    store.append("checked", "alpha", "q1", {"source": "inline", "outcome": "PASS"})
    at = open_page("challenges", {"challenge": "alpha"})
    assert [b.key for b in at.button if b.key and b.key.startswith("hint-")] == ["hint-q2"]


def test_the_first_hint_asks_before_giving_up_the_bonus(home: Path) -> None:
    from sandbox import ui_state

    ProgressStore(home).append("opened", "alpha")
    at = open_page("challenges", {"challenge": "alpha"})
    at.button(key="hint-q1").click().run()
    assert_clean(at)
    question = " ".join(texts(at.warning))
    assert "gives up the 20 % no-help bonus of alpha (+20 XP)" in question
    assert not [e for e in events_of(home) if e.kind == "hint"], "asking records nothing"
    at.button(key="hint-cancel").click().run()
    assert not at.warning and not [e for e in events_of(home) if e.kind == "hint"]

    at.button(key="hint-q1").click().run()
    at.button(key="hint-confirm").click().run()
    assert_clean(at)
    assert [(e.task, dict(e.details)) for e in events_of(home) if e.kind == "hint"] == [
        ("q1", {"index": 0})
    ]
    assert [i for i in texts(at.info) if i.startswith("Hint 1: ")]
    assert ui_state.ask_before_help(home), "not ticked: the next challenge asks again"

    # Once per challenge: the bonus is gone, so the next hint (any task) is shown at once.
    at.button(key="hint-q2").click().run()
    assert len([e for e in events_of(home) if e.kind == "hint"]) == 2 and not at.warning


def test_dont_ask_again_is_remembered_for_every_door(home: Path) -> None:
    from sandbox import ui_state
    from sandbox.grading.hints import help_warning

    ProgressStore(home).append("opened", "alpha")
    ProgressStore(home).append("opened", "beta")
    at = open_page("challenges", {"challenge": "alpha"})
    at.button(key="hint-q1").click().run()
    at.checkbox(key="hint-dont-ask").check().run()
    at.button(key="hint-confirm").click().run()
    assert_clean(at)
    assert not ui_state.ask_before_help(home)
    learner = Learner.open(home)
    assert help_warning(learner, learner.catalogue.get("beta")) is None, "nor the CLI, nor ch"
    beta = open_page("challenges", {"challenge": "beta"})
    beta.button(key="hint-q1").click().run()
    assert not beta.warning and [e.challenge for e in events_of(home) if e.kind == "hint"] == [
        "alpha",
        "beta",
    ]


def test_a_challenge_never_opened_offers_to_open_it_not_verify_or_hints(home: Path) -> None:
    at = open_page("challenges", {"challenge": "alpha"})
    assert_clean(at)
    keys = [b.key for b in at.button]
    assert "open-lab" in keys
    assert not [k for k in keys if k in ("verify", "reset-ask") or k.startswith("hint-")]
    assert at.button(key="open-lab").proto.type == "primary", "the next step is the main action"
    assert any("Start by opening the notebook" in i for i in texts(at.info))
    ProgressStore(home).append("opened", "alpha")
    at = open_page("challenges", {"challenge": "alpha"})
    assert {"verify", "reset-ask", "hint-q1", "hint-q2"} <= {b.key for b in at.button}


# The grading package and the JupyterLab launcher are separate modules; these tests hold the
# page to their agreed API with stand-ins, so the page is checked without starting a kernel.


class FakeOutcome(Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    NOT_ATTEMPTED = "NOT_ATTEMPTED"
    ERROR = "ERROR"


@dataclass
class FakeTask:
    task: str
    outcome: FakeOutcome
    message: str


@dataclass
class FakeResult:
    passed: bool
    tasks: tuple[FakeTask, ...]
    xp_awarded: int
    seconds: float
    error: str | None = None
    seed: int | None = None


@dataclass
class FakeUpdate:
    message: str
    fraction: float


def install_fake_verify(
    monkeypatch: pytest.MonkeyPatch, verify: Callable[..., FakeResult]
) -> list[float]:
    fractions: list[float] = []

    def recording_verify(learner: Learner, challenge_id: str, **kwargs: Any) -> FakeResult:
        def notify(update: FakeUpdate) -> None:
            fractions.append(update.fraction)
            kwargs["on_progress"](update)

        return verify(learner, challenge_id, notify)

    module = types.ModuleType("sandbox.grading.verify")
    module.verify = recording_verify  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sandbox.grading.verify", module)
    return fractions


def test_verify_shows_live_progress_and_the_new_xp(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def passing(learner: Learner, challenge_id: str, notify: Callable[[FakeUpdate], None]) -> Any:
        notify(FakeUpdate("starting a fresh kernel", 0.0))
        before = learner.engine().xp
        learner.store.append("verified", challenge_id, None, {"tasks": {"q1": "PASS"}})
        notify(FakeUpdate("graded every task", 1.0))
        tasks = (FakeTask("q1", FakeOutcome.PASS, "Correct."),)
        return FakeResult(True, tasks, learner.engine().xp - before, 1.5, seed=42)

    fractions = install_fake_verify(monkeypatch, passing)
    ProgressStore(home).append("opened", "beta")
    at = open_page("challenges", {"challenge": "beta"})
    at.button(key="verify").click().run()
    assert_clean(at)
    assert fractions == [0.0, 1.0]
    engine = engine_of(home)
    gained = engine.status("beta").xp_awarded
    assert gained > 0
    assert any(f"+{gained} XP" in s for s in texts(at.success))
    assert any("on fresh data, variant 42" in s for s in texts(at.success))
    assert any("Correct." in m for m in texts(at.markdown))
    assert state_badges(at) == [":green-badge[:material/check_circle: Verified]"]


def test_verify_failures_and_errors_are_shown_not_raised(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(learner: Learner, challenge_id: str, notify: Callable[[FakeUpdate], None]) -> Any:
        tasks = (
            FakeTask("q1", FakeOutcome.FAIL, "`total` is 30; expected 31."),
            FakeTask("q2", FakeOutcome.NOT_ATTEMPTED, "The task cell still contains ____."),
        )
        return FakeResult(False, tasks, 0, 2.0)

    install_fake_verify(monkeypatch, failing)
    ProgressStore(home).append("opened", "alpha")
    at = open_page("challenges", {"challenge": "alpha"})
    at.button(key="verify").click().run()
    assert not at.exception
    assert at.warning and "expected 31" in " ".join(texts(at.markdown))
    assert engine_of(home).xp == 0

    def broken(learner: Learner, challenge_id: str, notify: Callable[[FakeUpdate], None]) -> Any:
        raise VerificationError("There is no workspace notebook for 'alpha' yet.")

    install_fake_verify(monkeypatch, broken)
    at.button(key="verify").click().run()
    assert not at.exception
    assert any("no workspace notebook" in e for e in texts(at.error))


def test_open_in_jupyterlab_prepares_the_notebook_and_records_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: list[tuple[Path, Path]] = []
    url = "http://127.0.0.1:8888/lab/tree/level_1/alpha.ipynb?token=abc"

    def launch_lab(data_home: Path, notebook: Path) -> str:
        launched.append((data_home, notebook))
        return url

    module = types.ModuleType("sandbox.jupyter")
    module.launch_lab = launch_lab  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sandbox.jupyter", module)
    at = open_page("challenges", {"challenge": "alpha"})
    at.button(key="open-lab").click().run()
    assert_clean(at)
    challenge = Learner.open(home).catalogue.get("alpha")
    assert launched == [(home, notebook_path(home, challenge))]
    assert notebook_path(home, challenge).is_file()
    assert [e.kind for e in events_of(home)] == ["opened"]
    assert [b.proto.url for b in at.get("link_button")] == [url]


# -- badges and progress ------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_badges_page_matches_the_engine(state: str, home: Path) -> None:
    fill(home, state)
    at = open_page("badges")
    badges = engine_of(home).badges()
    earned = [b for b in badges if b.earned]
    locked = [b for b in badges if not b.earned]
    assert f"{len(earned)} of {len(badges)} earned" in texts(at.caption)[0]
    dates = [m for m in texts(at.markdown) if m.startswith("Earned on")]
    assert dates == [
        f"Earned on **{b.earned_at.astimezone():%Y-%m-%d}**"
        for b in engine_of(home).earned_badges()
        if b.earned_at
    ]
    bars = [p.proto.text for p in at.get("progress")]
    assert bars == [f"{b.current} / {b.target}" for b in locked]
    if not earned:
        assert at.info, "no badges yet: the page says which is nearest"


@pytest.mark.parametrize("state", STATES)
def test_progress_charts_come_from_the_events(state: str, home: Path) -> None:
    fill(home, state)
    at = open_page("progress")
    engine = engine_of(home)
    events = events_of(home)
    assert metric(at, "XP") == str(engine.xp)
    assert metric(at, "Events recorded") == str(len(events))
    assert metric(at, "Active days") == str(len(engine.active_days()))

    history = engine.xp_history()
    if history:
        # From 0 at the first event, through every change, to the current total.
        expected_xp = [0, *(p.xp for p in history), engine.xp]
        points = chart_rows(at, "xp-over-time")
        assert [p["xp"] for p in points] == expected_xp
        # Local wall-clock times without an offset: the browser reads them as local time.
        first = min(e.ts for e in events).astimezone().replace(tzinfo=None)
        assert points[0]["time"] == first.isoformat(timespec="seconds")
        assert [p["time"] for p in points[1:-1]] == [
            p.ts.astimezone().replace(tzinfo=None).isoformat(timespec="seconds") for p in history
        ]
    else:
        assert no_chart(at, "xp-over-time")

    if events:
        cells = chart_rows(at, "activity")
        per_day = Counter(e.ts.astimezone().date().isoformat() for e in events)
        assert {c["day"]: c["events"] for c in cells if c["events"]} == dict(per_day)
        today = datetime.now().astimezone().date().isoformat()
        assert max(c["day"] for c in cells) == today, "no cell after today"

    statuses = engine.statuses()
    verified_per_level = [
        sum(
            1
            for s in statuses
            if s.challenge.level == lv.number and s.state is ChallengeState.VERIFIED
        )
        for lv in engine.catalogue.levels
    ]
    levels = chart_rows(at, "levels")
    assert [r["count"] for r in levels if r["status"] == "Verified"] == verified_per_level
    assert [r["count"] for r in levels if r["status"] == "To do"] == [
        len(lv.challenges) - done
        for lv, done in zip(engine.catalogue.levels, verified_per_level, strict=True)
    ]
    skills = [r for r in chart_rows(at, "skills") if r["status"] == "Verified"]
    assert skills
    for row in skills:
        expected = sum(
            1
            for s in statuses
            if row["group"] in s.challenge.tags and s.state is ChallengeState.VERIFIED
        )
        assert row["count"] == expected, row["group"]


def test_progress_charts_ten_skills_and_folds_the_rest_into_a_table(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox import summaries

    monkeypatch.delenv("SANDBOX_CONTENT")  # the real catalogue: dozens of skills
    ProgressStore(home).append("verified", "pandas-first-look")
    engine = engine_of(home)
    by_tag = summaries.completion_by_tag(engine)
    assert len(by_tag) > 20
    at = open_page("progress")
    assert_clean(at)
    skills = chart_spec(at, "skills")
    verified = [r for r in skills["data"]["values"] if r["status"] == "Verified"]
    assert [r["group"] for r in verified] == [row.label for row in by_tag[:10]]
    assert [r["label"] for r in verified] == [f"{row.verified}/{row.total}" for row in by_tag[:10]]
    assert skills["encoding"]["y"]["sort"] == [row.label for row in by_tag[:10]], "in this order"
    legend = skills["layer"][0]["encoding"]["color"]["legend"]
    assert legend["orient"] == "top", "the legend sits above the bars"
    assert [e.label for e in at.expander] == [f"All {len(by_tag)} skills"]
    table = at.dataframe[0].value
    assert list(table["skill"]) == [row.label for row in by_tag]
    assert list(table["verified"]) == [row.verified for row in by_tag]


def test_activity_calendar_spans_the_learners_own_weeks(home: Path) -> None:
    now = datetime.now(UTC)
    for days_ago in (4, 3, 1, 0):
        store_at(home, now - timedelta(days=days_ago)).append("opened", "alpha")
    at = open_page("progress")
    calendar = chart_spec(at, "activity")
    weeks = sorted({c["week"] for c in calendar["data"]["values"]})
    assert len(weeks) == 4, "a month for a five-day learner, not a quarter of empty weeks"
    assert calendar["width"] == calendar["height"] == {"step": 26}, "square cells"
    today = now.astimezone().date()
    first_monday = today - timedelta(days=today.weekday(), weeks=3)
    assert weeks[0] == first_monday.isoformat()
    axis = calendar["encoding"]["x"]["axis"]
    assert axis["values"][0] == first_monday.isoformat()
    assert f"'{first_monday.isoformat()}' ? '{first_monday:%b %Y}'" in axis["labelExpr"], (
        "months, not dates"
    )


# -- settings -----------------------------------------------------------------------------------


def test_settings_shows_the_data_home(home: Path) -> None:
    at = open_page("settings")
    assert str(home) in texts(at.code)


def test_name_change_persists_in_the_store(home: Path) -> None:
    fill(home, "midway")
    at = open_page("settings")
    next(t for t in at.text_input if t.label == "Name shown on the Home page").set_value(
        "Ada Lovelace"
    )
    next(b for b in at.button if b.label == "Save name").click().run()
    assert_clean(at)
    assert ProgressStore(home).load().learner_name == "Ada Lovelace"
    assert texts(open_page("home").title) == ["Welcome back, Ada Lovelace"]


def test_reset_everything_needs_the_typed_word_and_backs_up(home: Path) -> None:
    fill(home, "midway")
    before = (home / "progress.json").read_bytes()
    at = open_page("settings")
    reset_input = next(t for t in at.text_input if "RESET" in t.label)
    reset_button = next(b for b in at.button if b.label == "Reset all progress")

    reset_input.set_value("reset")
    reset_button.click().run()
    assert any("Nothing was reset" in e for e in texts(at.error))
    assert not [e for e in events_of(home) if e.kind == "reset"]
    assert not (home / "backups").exists()

    next(t for t in at.text_input if "RESET" in t.label).set_value("RESET")
    next(b for b in at.button if b.label == "Reset all progress").click().run()
    assert_clean(at)
    resets = [e for e in events_of(home) if e.kind == "reset"]
    assert len(resets) == 1 and resets[0].details["scope"] == "all"
    backup = Path(resets[0].details["backup"])
    assert backup.read_bytes() == before
    assert any(str(backup) in s for s in texts(at.success))
    assert engine_of(home).xp == 0


def test_reset_everything_is_not_styled_as_the_main_action(home: Path) -> None:
    fill(home, "midway")
    at = open_page("settings")
    reset = next(b for b in at.button if b.label == "Reset all progress")
    assert reset.proto.type != "primary"


def test_export_offers_the_progress_file(home: Path) -> None:
    at = open_page("settings")
    assert not at.download_button, "nothing to export for a new learner"
    fill(home, "midway")
    at = open_page("settings")
    assert [b.label for b in at.download_button] == ["Download progress.json"]


# -- a damaged store ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_corrupt_progress_shows_an_error_and_leaves_the_file(page: str, home: Path) -> None:
    home.mkdir(parents=True)
    damaged = b'{"format_version": 1, "events": [ {"id": '
    (home / "progress.json").write_bytes(damaged)
    at = open_page(page)
    assert not at.exception
    assert any("cannot be read" in e and "progress.json" in e for e in texts(at.error))
    assert (home / "progress.json").read_bytes() == damaged
    assert sorted(p.name for p in home.iterdir()) == ["progress.json"]


# -- the real grader ----------------------------------------------------------------------------


def fill_in_alpha(home: Path, answers: dict[str, str]) -> None:
    """Put answers into the learner's copy of the fixture's alpha notebook (task cells q1, q2)."""
    path = Learner.open(home).open_challenge("alpha").notebook
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("task:"):
                cell["source"] = answers[tag.removeprefix("task:")]
    path.write_text(json.dumps(notebook))


@pytest.mark.kernel
def test_verify_runs_the_real_grader_and_awards_xp(home: Path) -> None:
    fill_in_alpha(home, {"q1": "total = sum(numbers)", "q2": "count = len(numbers)"})
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.switch_page("sandbox/ui/pages/challenges.py")
    at.query_params["challenge"] = "alpha"
    at.run()
    at.button(key="verify").click().run()
    assert_clean(at)
    engine = engine_of(home)
    assert engine.status("alpha").state is ChallengeState.VERIFIED
    assert any(f"+{engine.xp} XP" in s for s in texts(at.success))
    first_xp = engine.xp
    assert first_xp > 0
    at.button(key="verify").click().run()  # verifying again awards nothing
    assert_clean(at)
    engine = engine_of(home)
    assert engine.xp == first_xp and len(engine.xp_history()) == 1
    assert [e.kind for e in events_of(home)].count("verified") == 2
    at.switch_page("sandbox/ui/pages/home.py").run()
    assert metric(at, "XP") == str(engine.xp)


@pytest.mark.kernel
def test_verify_with_a_wrong_answer_shows_the_grader_message(home: Path) -> None:
    fill_in_alpha(home, {"q1": "total = sum(numbers)", "q2": "count = len(numbers) + 1"})
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.switch_page("sandbox/ui/pages/challenges.py")
    at.query_params["challenge"] = "alpha"
    at.run()
    at.button(key="verify").click().run()
    assert not at.exception
    assert at.warning
    feedback = next(m for m in texts(at.markdown) if "**q2**" in m)
    assert "q2** fail" in feedback and "`count`" in feedback
    assert engine_of(home).xp == 0
    checked = [e for e in events_of(home) if e.kind == "checked"]
    assert [e.details["outcome"] for e in checked] == ["FAIL"]


# -- labs: empty states ---------------------------------------------------------------------------

LAB_PAGES = ("sql_lab", "experiments", "tuning", "explain")
HEAVY_MODULES = ("shap", "lime", "sklearn", "mlflow")


@pytest.fixture
def fresh_mlflow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """MLflow keeps the tracking URI in a module global and in the environment; reset both."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    yield
    if "mlflow" in sys.modules:
        import mlflow

        mlflow.set_tracking_uri(None)  # type: ignore[arg-type]
        mlflow.set_registry_uri(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("page", LAB_PAGES)
def test_lab_pages_explain_their_empty_state_and_create_nothing(page: str, home: Path) -> None:
    at = open_page(page)
    assert_clean(at)
    assert at.title
    assert at.info, f"{page} tells a new learner what to do first"
    assert not home.exists(), "looking at a lab page writes nothing"


def test_empty_experiments_and_tuning_show_how_to_start() -> None:
    experiments = open_page("experiments")
    assert any(
        "tracking.configure" in c and "mlflow.start_run" in c for c in texts(experiments.code)
    )
    tuning_page = open_page("tuning")
    assert any("tuning.create_study" in c and ".optimize(" in c for c in texts(tuning_page.code))


def test_lab_pages_do_not_need_a_readable_progress_file(home: Path) -> None:
    home.mkdir(parents=True)
    damaged = b'{"format_version": 1, "events": [ {"id": '
    (home / "progress.json").write_bytes(damaged)
    for page in LAB_PAGES:
        at = open_page(page)
        assert_clean(at)
    assert (home / "progress.json").read_bytes() == damaged


def test_a_malformed_catalogue_stops_the_learner_labs_but_not_sql(fixture_content: Path) -> None:
    manifest = fixture_content / "challenges" / "catalogue.toml"
    manifest.write_text(manifest.read_text() + "\nsurprise = 1\n")
    for page in ("experiments", "tuning", "explain"):
        at = open_page(page)
        assert not at.exception, page
        assert any("surprise" in e for e in texts(at.error)), page
    assert_clean(open_page("sql_lab"))  # the SQL lab reads only the shipped datasets


# -- SQL Lab ------------------------------------------------------------------------------------


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql-text").set_value(sql)
    next(b for b in at.button if b.label == "Run query").click().run()
    return at


def test_sql_lab_runs_a_query_and_shows_pandas_row_count() -> None:
    from sandbox import datasets

    at = open_page("sql_lab")
    run_sql(at, "SELECT country, COUNT(*) AS orders FROM retail_sales GROUP BY country")
    assert_clean(at)
    per_country = datasets.load("retail_sales")["country"].value_counts()
    assert any(c.startswith(f"{len(per_country)} rows in ") for c in texts(at.caption))
    shown = at.dataframe[-1].value
    assert dict(zip(shown["country"], shown["orders"], strict=True)) == per_country.to_dict()
    bars = chart_spec(at, "sql-chart")  # a bar chart of the result's first two columns
    assert bars["mark"]["type"] == "bar"
    assert (bars["encoding"]["x"]["title"], bars["encoding"]["y"]["title"]) == ("country", "orders")
    drawn = {r["x"]: r["y"] for r in bars["data"]["values"]}
    assert drawn == per_country.to_dict()
    # After the first query the schema browser shows DuckDB's types.
    assert any("BIGINT" in str(df.value.get("type", "")) for df in at.dataframe[:-1])


def test_sql_lab_samples_fill_the_editor() -> None:
    from sandbox.sql_lab import SAMPLE_QUERIES

    at = open_page("sql_lab")
    name = "Churn rate by contract"
    at.selectbox(key="sql-sample").set_value(name).run()
    assert at.text_area(key="sql-text").value == SAMPLE_QUERIES[name]
    next(b for b in at.button if b.label == "Run query").click().run()
    assert_clean(at)
    assert at.dataframe[-1].value.shape[0] > 0


def test_sql_lab_shows_refusals_and_truncation_plainly(tmp_path: Path) -> None:
    at = open_page("sql_lab")
    target = tmp_path / "stolen.csv"
    run_sql(at, f"COPY churn TO '{target}'")
    assert not at.exception
    assert any("COPY statements" in e for e in texts(at.error))
    assert not target.exists()
    run_sql(at, "SELECT * FROM read_csv('/etc/passwd')")
    assert any("only the shipped datasets" in e for e in texts(at.error))
    run_sql(at, "SELECT a.age FROM churn a, churn b")
    assert not at.exception and not at.error
    assert any("first 10,000 rows" in w for w in texts(at.warning))
    assert len(at.dataframe[-1].value) == 10_000


def test_sql_lab_charts_only_what_a_chart_can_draw() -> None:
    at = open_page("sql_lab")
    run_sql(
        at,
        "SELECT [1, 2] AS numbers, INTERVAL 1 DAY AS gap, 'a' AS label, 2.5 AS amount, "
        "DATE '2024-01-01' AS day",
    )
    assert_clean(at)
    x_box = next(box for box in at.selectbox if box.label == "x")
    assert x_box.options == ["label", "amount", "day"]
    marks = {"bar": "bar", "line": "line", "scatter": "circle", "histogram": "bar"}
    for kind, mark in marks.items():
        next(box for box in at.selectbox if box.label == "Chart").set_value(kind).run()
        assert_clean(at)
        spec = chart_spec(at, "sql-chart")
        assert spec["mark"]["type"] == mark
        assert spec["encoding"]["x"]["title"] == "label"
        (row,) = spec["data"]["values"]
        assert row["x"] == "a"
        if kind == "histogram":
            assert spec["encoding"]["y"]["aggregate"] == "count"
        else:
            assert (spec["encoding"]["y"]["title"], row["y"]) == ("amount", 2.5)
    # A date is a local wall-clock time for the browser, not UTC midnight.
    next(box for box in at.selectbox if box.label == "x").set_value("day").run()
    spec = chart_spec(at, "sql-chart")
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["data"]["values"][0]["x"] == "2024-01-01T00:00:00.000"


# -- Experiments --------------------------------------------------------------------------------


def log_two_runs(home: Path) -> list[str]:
    """Two real runs in the home's MLflow store; returns their ids."""
    import mlflow

    from sandbox.integrations import tracking

    tracking.configure(home, experiment="first-model")
    ids = []
    for name, depth, accuracy in (("shallow", 2, 0.84), ("deep", 8, 0.91)):
        with mlflow.start_run(run_name=name) as run:
            mlflow.log_param("max_depth", depth)
            mlflow.log_metric("accuracy", accuracy)
            ids.append(run.info.run_id)
    return ids


@pytest.mark.usefixtures("fresh_mlflow")
def test_experiments_shows_the_runs_the_integration_reports(home: Path) -> None:
    from sandbox.integrations import tracking

    log_two_runs(home)
    runs = tracking.runs_frame(home)
    at = open_page("experiments")
    assert_clean(at)
    assert metric(at, "Runs") == str(len(runs)) == "2"
    assert metric(at, "Experiments") == "1"
    table = at.dataframe[0].value
    assert sorted(table["metrics.accuracy"]) == sorted(runs["metrics.accuracy"])
    bars = chart_spec(at, "metric-bars")
    assert [b["value"] for b in bars["data"]["values"]] == sorted(
        runs["metrics.accuracy"], reverse=True
    )
    assert [b["run"].split(" (")[0] for b in bars["data"]["values"]] == ["deep", "shallow"]
    assert bars["encoding"]["y"]["title"] == "accuracy"

    at.text_input(key="experiments-filter").set_value("metrics.accuracy > 0.9").run()
    assert metric(at, "Runs") == "1"
    at.text_input(key="experiments-filter").set_value("metrics.accuracy >>> 3").run()
    assert not at.exception
    assert any("filter" in e for e in texts(at.error))


@pytest.mark.slow  # over ~20 s: second tier
@pytest.mark.usefixtures("fresh_mlflow")
def test_mlflow_ui_starts_once_on_loopback_and_stops(home: Path) -> None:
    import os
    import signal
    import time
    import urllib.request

    from sandbox import mlflow_ui, ui_state

    log_two_runs(home)
    at = open_page("experiments")
    at.button(key="mlflow-ui-start").click().run()
    assert_clean(at)
    record = ui_state.load_mlflow_ui(home)
    assert record is not None
    try:
        deadline = time.monotonic() + 150
        while not at.get("link_button") and time.monotonic() < deadline:
            assert not at.exception
            time.sleep(1)
            at.run()
        url = f"http://127.0.0.1:{record['port']}"
        assert [b.proto.url for b in at.get("link_button")] == [url]
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            assert response.status == 200

        again = open_page("experiments")  # another session (a refresh) finds the same server
        assert [b.proto.url for b in again.get("link_button")] == [url]
        assert not [b for b in again.button if b.key == "mlflow-ui-start"]
        assert ui_state.load_mlflow_ui(home) == record

        again.button(key="mlflow-ui-stop").click().run()
        assert ui_state.load_mlflow_ui(home) is None
        gone = time.monotonic() + 30
        while mlflow_ui.answers(record["port"]) and time.monotonic() < gone:
            time.sleep(0.5)
        assert not mlflow_ui.answers(record["port"])
        assert [b.key for b in again.button if b.key == "mlflow-ui-start"] == ["mlflow-ui-start"]
    finally:
        if mlflow_ui.answers(record["port"]):
            os.killpg(record["pid"], signal.SIGTERM)


# -- Tuning -------------------------------------------------------------------------------------


def tuning_objective(trial: Any) -> float:
    x = trial.suggest_float("x", -5.0, 5.0)
    depth = trial.suggest_int("depth", 1, 8)
    return float(-((x - 1.0) ** 2) - (depth - 3) ** 2)


def test_tuning_shows_the_study_the_integration_reports(home: Path) -> None:
    from sandbox.integrations import tuning

    tuning.create_study("lonely", seed=0, home=home).optimize(tuning_objective, n_trials=1)
    tuning.create_study("search", seed=0, home=home).optimize(tuning_objective, n_trials=6)
    info = {s.name: s for s in tuning.list_studies(home)}
    at = open_page("tuning")
    assert_clean(at)
    assert at.selectbox(key="tuning-study").value == "search"  # the newest
    search = info["search"]
    assert search.best_value is not None
    assert metric(at, "Trials") == str(search.n_trials) == "6"
    assert metric(at, "Best value") == f"{search.best_value:.6g}"
    history = chart_rows(at, "tuning-history")
    trials = tuning.trials_frame("search", home)
    values = [r["value"] for r in history if r["series"] == "Objective value"]
    assert values == pytest.approx(list(trials["value"])), "one point per trial"
    best = [r["value"] for r in history if r["series"] == "Best value"]
    assert best == pytest.approx(list(trials["value"].cummax())), "the best so far (maximize)"
    assert best[-1] == pytest.approx(search.best_value)
    assert len(at.dataframe[0].value) == search.n_trials
    assert no_chart(at, "tuning-importance")
    at.toggle(key="tuning-importances").set_value(True).run()
    assert_clean(at)
    import optuna

    evaluator = optuna.importance.FanovaImportanceEvaluator(seed=0)
    expected = optuna.importance.get_param_importances(
        tuning.load_study("search", home), evaluator=evaluator
    )
    importance = chart_rows(at, "tuning-importance")
    assert [r["name"] for r in importance] == list(expected), "the most important first"
    assert [r["score"] for r in importance] == pytest.approx(list(expected.values()))

    at.selectbox(key="tuning-study").set_value("lonely").run()
    assert_clean(at)
    assert metric(at, "Trials") == "1"
    assert any("at least 2 completed trials" in i for i in texts(at.info))


def test_tuning_trials_table_shows_what_a_learner_reads(home: Path) -> None:
    from sandbox.integrations import tuning

    def objective(trial: Any) -> float:
        trial.set_user_attr("note", "ok")
        return tuning_objective(trial)

    study = tuning.create_study("search", seed=0, home=home)
    study.enqueue_trial({"x": 1.0, "depth": 3})  # leaves an Optuna system attribute behind
    study.optimize(objective, n_trials=3)
    raw = tuning.trials_frame("search", home)
    assert [c for c in raw.columns if c.startswith("system_attrs_")], "Optuna's bookkeeping"
    at = open_page("tuning")
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table.columns) == ["trial", "value", "state", "seconds", "depth", "x", "note"]
    assert list(table["x"]) == pytest.approx(list(raw["params_x"]))
    assert table["seconds"].notna().all()


# -- Explain ------------------------------------------------------------------------------------


def test_explain_first_render_imports_no_heavy_library(home: Path) -> None:
    probe = f"""
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(APP)!r}, default_timeout=60).run()
at.switch_page("sandbox/ui/pages/explain.py").run()
assert not at.exception, [e.value for e in at.exception]
assert [b.label for b in at.button if b.key == "explain-compute"] == ["Explain"]
print([m for m in {HEAVY_MODULES!r} if m in sys.modules])
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow  # over ~20 s: second tier
def test_explain_built_in_model_shows_shap_and_lime_for_one_row() -> None:
    from sandbox import explain_cases
    from sandbox.integrations import explain

    at = AppTest.from_file(str(APP), default_timeout=300).run()
    at.switch_page("sandbox/ui/pages/explain.py").run()
    at.button(key="explain-compute").click().run()
    assert_clean(at)
    assert len(at.get("image")) == 2, "a beeswarm and a waterfall"
    lime_chart = chart_rows(at, "lime-weights")

    # The same seeded model, explained directly, gives the same row-0 comparison.
    case = explain_cases.built_in_case("forest-breast-cancer")
    overall = explain_cases.explain_globally(case, 1)
    weights = explain.lime_explanation(case.model, case.reference, case.rows.iloc[0], class_index=1)
    agreement = explain.compare_local(overall.shap[0], weights)
    assert [r["feature"] for r in lime_chart] == [name for name, _ in weights]
    assert [r["weight"] for r in lime_chart] == pytest.approx([w for _, w in weights])
    table = at.table[-1].value  # a static table: its sentences wrap instead of being cut
    assert list(table["feature"]) == [a.feature for a in agreement]
    assert list(table["SHAP value"]) == pytest.approx([a.shap_value for a in agreement], abs=1e-4)
    assert list(table["LIME weight"]) == [
        "—" if a.lime_weight is None else f"{a.lime_weight:.4f}" for a in agreement
    ]
    assert list(table["LIME rank"]) == [
        "—" if a.lime_rank is None else str(a.lime_rank) for a in agreement
    ]
    agree = sum(1 for a in agreement if a.agrees)
    assert any(f"agree on {agree} of the {len(agreement)}" in c for c in texts(at.caption))

    at.number_input(key="explain-row:forest-breast-cancer").set_value(3)
    at.button(key="explain-row-button").click().run()
    assert_clean(at)
    assert texts(at.subheader)[1] == "One row, two explanations: row 3"


@pytest.mark.usefixtures("fresh_mlflow")
def test_explain_offers_logged_models_it_can_explain_and_says_why_not(home: Path) -> None:
    import mlflow
    import mlflow.sklearn
    from sklearn.tree import DecisionTreeClassifier

    from sandbox import datasets
    from sandbox.integrations import tracking

    frame = datasets.load("breast_cancer")
    X, y = frame.drop(columns="target"), frame["target"]
    tracking.configure(home, experiment="explain-me")
    trusted = ["sklearn.tree._tree.Tree"]
    with mlflow.start_run(run_name="with-signature"):
        model = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
        mlflow.sklearn.log_model(
            model,
            name="tree",
            input_example=X.head(3),
            pip_requirements=["scikit-learn"],
            skops_trusted_types=trusted,
        )
    with mlflow.start_run(run_name="no-signature"):
        bare = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X.to_numpy(), y)
        mlflow.sklearn.log_model(
            bare, name="bare", pip_requirements=["scikit-learn"], skops_trusted_types=trusted
        )

    at = AppTest.from_file(str(APP), default_timeout=300).run()
    at.switch_page("sandbox/ui/pages/explain.py").run()
    at.radio(key="explain-source").set_value("A model from your MLflow runs").run()
    at.button(key="explain-find").click().run()
    assert_clean(at)
    offered = at.selectbox(key="explain-logged")
    assert [option.split(" (")[0] for option in offered.options] == ["tree"]
    assert any("`breast_cancer`" in c for c in texts(at.caption))
    reasons = " ".join(texts(at.markdown))
    assert "**bare" in reasons and "without named inputs" in reasons

    at.button(key="explain-compute").click().run()
    assert_clean(at)
    assert len(at.get("image")) == 2


# -- profiles -----------------------------------------------------------------------------------


def profile_box(at: AppTest) -> Any:
    return next(box for box in at.selectbox if box.label == "Profile shown")


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    return at


def test_switching_profile_makes_home_show_that_profiles_store(home: Path) -> None:
    from sandbox.paths import profile_home

    fill(home, "midway")
    ada = profile_home(home, "ada")
    fill(ada, "complete")
    default_xp, ada_xp = engine_of(home).xp, Learner.open(home, "ada").engine().xp
    assert default_xp != ada_xp

    at = open_page("settings")
    choice = profile_box(at)
    assert choice.options == ["default", "ada"] and choice.value == "default"
    choice.set_value("ada")
    submit(at, "Switch")
    assert_clean(at)
    assert json.loads((home / "dashboard.json").read_text()) == {
        "format_version": 1,
        "profile": "ada",
    }
    assert str(ada) in texts(at.code), "Settings now shows the profile's own data home"

    at.switch_page("sandbox/ui/pages/home.py").run()
    assert metric(at, "XP") == str(ada_xp)
    assert any("Profile **ada**" in c for c in texts(at.sidebar.caption))
    assert metric(open_page("home"), "XP") == str(ada_xp), "a new session follows the switch"
    assert metric(open_page("progress"), "XP") == str(ada_xp)

    at = open_page("settings")
    profile_box(at).set_value("default")
    submit(at, "Switch")
    assert metric(open_page("home"), "XP") == str(default_xp)


def test_creating_a_profile_validates_the_name(home: Path) -> None:
    at = open_page("settings")
    at.text_input(key="profile-new").set_value("../x")
    submit(at, "Create and switch")
    assert not at.exception
    assert any(
        "not a valid profile name" in e and "'ada'" in e and "pandas-first-look" not in e
        for e in texts(at.error)
    ), "the example is a profile name, not a challenge id"
    assert not (home / "profiles").exists() and not (home.parent / "x").exists()
    assert not (home / "dashboard.json").exists()

    at.text_input(key="profile-new").set_value("bob")
    submit(at, "Create and switch")
    assert_clean(at)
    assert (home / "profiles" / "bob").is_dir()
    assert json.loads((home / "dashboard.json").read_text())["profile"] == "bob"
    assert profile_box(at).value == "bob"
    assert metric(open_page("home"), "XP") == "0"

    at.text_input(key="profile-new").set_value("bob")
    submit(at, "Create and switch")
    assert any("already a profile called 'bob'" in e for e in texts(at.error))


def test_a_remembered_profile_that_is_gone_falls_back_to_default(home: Path) -> None:
    from sandbox import active_profile

    fill(home, "midway")
    (home / "profiles" / "gone").mkdir(parents=True)
    active_profile.save(home, "gone")
    assert active_profile.load(home) == "gone"
    (home / "profiles" / "gone").rmdir()
    assert active_profile.load(home) == "default"
    (home / "dashboard.json").write_text('{"profile": "../../etc"}')
    assert active_profile.load(home) == "default"
    (home / "dashboard.json").write_text("not json")
    assert active_profile.load(home) == "default"
    assert metric(open_page("home"), "XP") == str(engine_of(home).xp)
