"""Every dashboard page, run with AppTest against a tmp data home in three states.

Expected figures are computed from the store through GameEngine, never copied
from the page, so a page that shows the wrong number fails.
"""

from __future__ import annotations

import json
import sys
import types
from collections import Counter
from collections.abc import Callable
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
        # One challenge a day for three days: every badge of the fixture catalogue, streak included.
        for days_ago, challenge in ((2, "alpha"), (1, "beta"), (0, "gamma")):
            store = store_at(home, now - timedelta(days=days_ago))
            store.append("opened", challenge)
            store.append("verified", challenge, None, {"tasks": {"q1": "PASS"}})
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


def plotly_spec(at: AppTest, key: str) -> dict[str, Any]:
    charts = [c for c in at.get("plotly_chart") if key in c.proto.id]
    assert len(charts) == 1, f"expected one chart {key!r}"
    spec: dict[str, Any] = json.loads(charts[0].proto.spec)
    return spec


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
    assert metric(at, "Level") == f"{engine.level.number} · {engine.level.name}"
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


def test_recent_activity_lists_the_newest_events(home: Path) -> None:
    fill(home, "midway")
    at = open_page("home")
    activity = next(m for m in texts(at.markdown) if m.startswith("- "))
    lines = activity.splitlines()
    assert len(lines) == min(8, len(events_of(home)))
    assert "Hint 1" in lines[1] and "Verified" in lines[3]  # newest first


def test_completed_home_has_no_next_challenge(home: Path) -> None:
    fill(home, "complete")
    at = open_page("home")
    assert engine_of(home).next_challenge() is None
    assert not [b for b in at.button if b.key == "continue"]
    assert any("Every challenge is verified" in s for s in texts(at.success))


def test_new_badges_are_celebrated_once_across_sessions(home: Path) -> None:
    fill(home, "midway")
    earned = engine_of(home).earned_badges()
    assert earned
    first = open_page("home")
    celebrated = [s for s in texts(first.success) if s.startswith("New badge")]
    assert len(celebrated) == len(earned)
    assert all(b.badge.name in " ".join(celebrated) for b in earned)
    remembered = json.loads((home / "ui_state.json").read_text())["celebrated_badges"]
    assert set(remembered) == {b.badge.id for b in earned}

    again = open_page("home")  # a fresh session, as after a browser refresh
    assert not [s for s in texts(again.success) if s.startswith("New badge")]

    store = ProgressStore(home)
    store.append("opened", "beta")
    store.append("verified", "beta", None, {"tasks": {"q1": "PASS"}})
    newly = {b.badge.id for b in engine_of(home).earned_badges()} - set(remembered)
    assert newly
    later = open_page("home")
    assert len([s for s in texts(later.success) if s.startswith("New badge")]) == len(newly)


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
    at = open_page("challenges", {"challenge": "beta"})
    assert not [i for i in texts(at.info) if i.startswith("Hint ")]
    assert at.button(key="hint-q1").label.startswith("Show next hint (1 of")


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
        return FakeResult(True, tasks, learner.engine().xp - before, 1.5)

    fractions = install_fake_verify(monkeypatch, passing)
    at = open_page("challenges", {"challenge": "beta"})
    at.button(key="verify").click().run()
    assert_clean(at)
    assert fractions == [0.0, 1.0]
    engine = engine_of(home)
    gained = engine.status("beta").xp_awarded
    assert gained > 0
    assert any(f"+{gained} XP" in s for s in texts(at.success))
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
        assert plotly_spec(at, "xp-over-time")["data"][0]["y"] == expected_xp
    else:
        assert not [c for c in at.get("plotly_chart") if "xp-over-time" in c.proto.id]

    if events:
        heat = plotly_spec(at, "activity")["data"][0]
        cells = {
            day: count
            for row_days, row in zip(heat["customdata"], heat["z"], strict=True)
            for day, count in zip(row_days, row, strict=True)
            if count
        }
        per_day = Counter(e.ts.astimezone().date().isoformat() for e in events)
        assert cells == dict(per_day)

    statuses = engine.statuses()
    verified_per_level = [
        sum(
            1
            for s in statuses
            if s.challenge.level == lv.number and s.state is ChallengeState.VERIFIED
        )
        for lv in engine.catalogue.levels
    ]
    assert plotly_spec(at, "levels")["data"][0]["x"] == verified_per_level
    skills = plotly_spec(at, "skills")["data"][0]
    for tag, shown in zip(skills["y"], skills["x"], strict=True):
        expected = sum(
            1 for s in statuses if tag in s.challenge.tags and s.state is ChallengeState.VERIFIED
        )
        assert shown == expected, tag


# -- settings -----------------------------------------------------------------------------------


def test_settings_shows_the_data_home(home: Path) -> None:
    at = open_page("settings")
    assert str(home) in texts(at.code)


def test_name_change_persists_in_the_store(home: Path) -> None:
    fill(home, "midway")
    at = open_page("settings")
    at.text_input[0].set_value("Ada Lovelace")
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
    from sandbox import workspace

    challenge = Learner.open(home).catalogue.get("alpha")
    path, _ = workspace.prepare(home, challenge)
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
