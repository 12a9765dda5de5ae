from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandbox.catalogue import Catalogue, load_catalogue
from sandbox.game import ChallengeState, GameEngine, compute_streak, countable_events
from sandbox.progress import Event

_ids = itertools.count()
DAY0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def ev(
    kind: str, challenge: str | None = None, day: int = 0, task: str | None = None, **details: Any
) -> Event:
    return Event(
        f"e{next(_ids)}",
        DAY0 + timedelta(days=day, seconds=next(_ids)),
        kind,
        challenge,
        task,
        details,
    )


@pytest.fixture
def cat(fixture_content: Path) -> Catalogue:
    return load_catalogue(fixture_content)


def engine(cat: Catalogue, events: Iterable[Event], today_offset: int = 0) -> GameEngine:
    return GameEngine(cat, list(events), tz=UTC, today=(DAY0 + timedelta(days=today_offset)).date())


def test_empty_log(cat: Catalogue) -> None:
    g = engine(cat, [])
    assert g.xp == 0 and g.level.number == 1 and g.xp_to_next_level == 150
    assert g.streak().days == 0 and g.earned_badges() == []
    assert g.next_challenge() is not None and g.next_challenge().id == "alpha"


def test_xp_awarded_once_with_no_help_bonus(cat: Catalogue) -> None:
    g = engine(cat, [ev("verified", "alpha"), ev("verified", "alpha")])
    assert g.xp == 120  # 100 + 20 % bonus, once
    assert [p.xp for p in g.xp_history()] == [120]


def test_hint_or_solution_forfeits_bonus(cat: Catalogue) -> None:
    hinted = engine(cat, [ev("hint", "alpha", task="q1", index=0), ev("verified", "alpha")])
    solved = engine(cat, [ev("solution", "beta", task="q1"), ev("verified", "beta")])
    assert hinted.xp == 100 and solved.xp == 100
    assert hinted.status("alpha").hints_used == 1


def test_inline_checks_award_nothing(cat: Catalogue) -> None:
    g = engine(cat, [ev("checked", "alpha", task="q1", outcome="PASS", source="inline")])
    assert g.xp == 0 and g.status("alpha").state is ChallengeState.IN_PROGRESS


def test_levels_follow_thresholds(cat: Catalogue) -> None:
    g = engine(cat, [ev("verified", "alpha"), ev("hint", "beta"), ev("verified", "beta")])
    assert g.xp == 220 and g.level.number == 2 and g.next_level is None
    assert g.xp_to_next_level is None and g.level_progress == 1.0


def test_level_progress_fraction(cat: Catalogue) -> None:
    g = engine(cat, [ev("hint", "alpha"), ev("verified", "alpha")])
    assert g.level_progress == pytest.approx(100 / 150)


def test_challenge_states(cat: Catalogue) -> None:
    g = engine(cat, [])
    states = {s.challenge.id: s.state for s in g.statuses()}
    # beta needs alpha; gamma is level 2
    assert states == {
        "alpha": ChallengeState.AVAILABLE,
        "beta": ChallengeState.LOCKED,
        "gamma": ChallengeState.LOCKED,
    }
    g = engine(cat, [ev("verified", "alpha"), ev("opened", "gamma")])
    states = {s.challenge.id: s.state for s in g.statuses()}
    assert states == {
        "alpha": ChallengeState.VERIFIED,
        "beta": ChallengeState.AVAILABLE,
        "gamma": ChallengeState.IN_PROGRESS,
    }
    assert g.next_challenge().id == "gamma"  # in progress comes first


def test_reset_withdraws_xp_and_lets_the_challenge_be_earned_again(cat: Catalogue) -> None:
    events = [
        ev("verified", "alpha"),
        ev("reset", None, scope="challenge", challenges=["alpha"]),
    ]
    g = engine(cat, events)
    assert g.xp == 0 and g.status("alpha").state is ChallengeState.AVAILABLE
    g = engine(cat, [*events, ev("verified", "alpha")])
    assert g.xp == 120  # no help was ever seen: the bonus is earned again
    assert [p.xp for p in g.xp_history()] == [120, 0, 120]


@pytest.mark.parametrize("help_kind", ["hint", "solution"])
@pytest.mark.parametrize("scope", ["challenge", "all"])
def test_help_seen_before_a_reset_still_forfeits_the_bonus(
    cat: Catalogue, help_kind: str, scope: str
) -> None:
    events = [ev(help_kind, "alpha", task="q1"), ev("verified", "alpha")]
    events.append(
        ev("reset", None, scope=scope, challenges=["alpha"] if scope == "challenge" else None)
    )
    g = engine(cat, [*events, ev("verified", "alpha")])
    assert g.xp == 100  # the hint (or solution) before the reset gave the bonus up for good
    assert [p.xp for p in g.xp_history()] == [100, 0, 100]
    status = g.status("alpha")
    assert status.help_seen and status.hints_used == 0 and status.solutions_used == 0
    # Help on one challenge never touches another's bonus.
    assert engine(cat, [*events, ev("verified", "beta")]).xp == 120


def test_help_after_a_reset_counts_like_help_before_it(cat: Catalogue) -> None:
    events = [
        ev("reset", None, scope="all", challenges=None),
        ev("hint", "alpha", task="q1"),
        ev("verified", "alpha"),
    ]
    assert engine(cat, events).xp == 100


def test_unaided_badge_ignores_verifications_after_help_forfeited_by_a_reset(
    cat: Catalogue,
) -> None:
    events = [
        ev("hint", "alpha", task="q1"),
        ev("reset", None, scope="challenge", challenges=["alpha"]),
        ev("verified", "alpha"),
        ev("verified", "beta"),
    ]
    assert "unaided-2" not in earned(engine(cat, events))


def test_hints_seen_per_task_start_over_after_a_reset(cat: Catalogue) -> None:
    events = [
        ev("hint", "alpha", task="q1", index=0),
        ev("hint", "alpha", task="q1", index=1),
        ev("hint", "alpha", task="q2", index=0),
    ]
    g = engine(cat, events)
    assert (g.hints_seen("alpha", "q1"), g.hints_seen("alpha", "q2")) == (2, 1)
    assert g.hints_seen("beta", "q1") == 0
    g = engine(cat, [*events, ev("reset", None, scope="challenge", challenges=["alpha"])])
    assert g.hints_seen("alpha", "q1") == 0 and g.status("alpha").help_seen


def test_reset_all(cat: Catalogue) -> None:
    g = engine(
        cat,
        [
            ev("verified", "alpha"),
            ev("verified", "beta"),
            ev("reset", scope="all", challenges=None),
        ],
    )
    assert g.xp == 0 and g.verified_count() == 0


def test_events_of_unknown_challenges_are_ignored(cat: Catalogue) -> None:
    assert engine(cat, [ev("verified", "removed-long-ago")]).xp == 0


D = date(2026, 1, 1)


def days(*offsets: int) -> set[date]:
    return {D + timedelta(days=o) for o in offsets}


@pytest.mark.parametrize(
    ("active", "today", "expected"),
    [
        pytest.param(set(), 0, 0, id="nothing"),
        pytest.param(days(0, 1, 2), 2, 3, id="three-days"),
        pytest.param(days(0, 1, 2), 3, 3, id="today-not-yet-active-keeps-run"),
        pytest.param(days(0, 1, 2), 4, 0, id="missed-a-day-no-freeze"),
        pytest.param(days(0, 2), 2, 1, id="gap-breaks-short-run"),
        pytest.param(days(*range(7), 8), 8, 8, id="freeze-after-seven-days-bridges-a-gap"),
        pytest.param(days(*range(7), 9), 9, 1, id="one-freeze-does-not-bridge-two-days"),
        pytest.param(days(*range(14), 15, 17), 17, 16, id="two-freezes-two-gaps"),
    ],
)
def test_streak_rule(active: set[date], today: int, expected: int) -> None:
    assert compute_streak(active, D + timedelta(days=today)).days == expected


def test_streak_counts_verified_and_passed_checks_only(cat: Catalogue) -> None:
    events = [
        ev("checked", "alpha", day=0, task="q1", outcome="PASS", source="inline"),
        ev("checked", "alpha", day=1, task="q1", outcome="FAIL", source="inline"),
        ev("opened", "alpha", day=1),
        ev("verified", "alpha", day=2),
    ]
    assert engine(cat, events[:2], today_offset=1).streak().days == 1
    assert (
        engine(cat, events, today_offset=2).streak().days == 1
    )  # day 1 had no pass: run restarted


def earned(g: GameEngine) -> set[str]:
    return {b.badge.id for b in g.earned_badges()}


def test_each_badge_rule_kind(cat: Catalogue) -> None:
    g = engine(cat, [ev("verified", "alpha", day=0)])
    assert earned(g) == {"first-verified"}
    g = engine(cat, [ev("verified", "alpha", day=0), ev("verified", "beta", day=1)], today_offset=1)
    assert earned(g) == {"first-verified", "level-1-done", "unaided-2"}
    g = engine(
        cat,
        [
            ev("verified", "alpha"),
            ev("hint", "beta"),
            ev("verified", "beta"),
            ev("verified", "gamma"),
        ],
    )
    assert "sql-all" in earned(g) and "xp-300" in earned(g) and "unaided-2" in earned(g)
    g = engine(
        cat, [ev("checked", "alpha", day=d, outcome="PASS") for d in range(3)], today_offset=2
    )
    assert earned(g) == {"streak-3"}


def test_badge_progress_and_date(cat: Catalogue) -> None:
    first = ev("verified", "alpha", day=0)
    g = engine(cat, [first, ev("opened", "beta", day=1)], today_offset=1)
    by_id = {b.badge.id: b for b in g.badges()}
    assert by_id["first-verified"].earned_at == first.ts
    assert (by_id["level-1-done"].current, by_id["level-1-done"].target) == (1, 2)
    assert (by_id["xp-300"].current, by_id["xp-300"].target) == (120, 300)


def test_streak_badge_survives_a_broken_streak(cat: Catalogue) -> None:
    events = [ev("checked", "alpha", day=d, outcome="PASS") for d in range(3)]
    g = engine(cat, [*events, ev("opened", "beta", day=10)], today_offset=10)
    assert g.streak().days == 0 and "streak-3" in earned(g)


def test_reset_takes_back_badges_until_earned_again(cat: Catalogue) -> None:
    g = engine(cat, [ev("verified", "alpha"), ev("reset", scope="all", challenges=None)])
    assert "first-verified" not in earned(g)


def simulate_everything(cat: Catalogue) -> list[Event]:
    """A diligent learner: a passed check every day for a month, then every challenge verified without help."""
    events = [
        ev("checked", c.id, day=d, task="q1", outcome="PASS", source="inline")
        for d, c in zip(range(30), itertools.cycle(list(cat)), strict=False)
    ]
    events += [ev("verified", c.id, day=29) for c in cat]
    # and the own-data lab: a table profiled, validated cleanly, and a baseline logged
    events += [
        ev("own_data", day=29, action="profiled", dataset="sales.csv", rows=10),
        ev("own_data", day=29, action="validated", dataset="sales.csv", passed=True),
        ev("own_data", day=29, action="baseline", dataset="sales.csv", run_ids=["r1", "r2"]),
    ]
    return events


def test_every_badge_of_the_fixture_catalogue_is_earnable(cat: Catalogue) -> None:
    assert earned(engine(cat, simulate_everything(cat), today_offset=29)) == {
        b.id for b in cat.badges
    }


def test_every_badge_of_the_real_catalogue_is_earnable() -> None:
    real = load_catalogue(Path(__file__).resolve().parent.parent)
    assert real.badges, "the real catalogue declares badges"
    g = engine(real, simulate_everything(real), today_offset=29)
    assert earned(g) == {b.id for b in real.badges}
    assert g.next_level is None  # verifying everything reaches the top level


def test_finishing_a_level_reaches_the_next() -> None:
    real = load_catalogue(Path(__file__).resolve().parent.parent)
    for level, nxt in itertools.pairwise(real.levels):
        done = [
            ev("hint", c.id) for c in real if c.level <= level.number
        ]  # no bonus: the plain XP must suffice
        done += [ev("verified", c.id) for c in real if c.level <= level.number]
        g = engine(real, done)
        assert g.level.number >= nxt.number, (
            f"finishing level {level.number} gives {g.xp} XP < {nxt.xp}"
        )


def walked_streak(active: set[date], today: date) -> int:
    """The streak rule walked one calendar day at a time: the reference the engine must match."""
    days = sorted(d for d in active if d <= today)
    run, freezes = 0, 0
    day = days[0] if days else today
    while days and day <= today:
        if day in active:
            run += 1
            if run % 7 == 0:
                freezes = min(freezes + 1, 2)
        elif day != today:
            run, freezes = (run, freezes - 1) if freezes else (0, 0)
        day += timedelta(days=1)
    return run


@pytest.mark.parametrize("seed", range(6))
def test_streak_matches_the_day_by_day_rule(seed: int) -> None:
    rng = random.Random(seed)
    active = {D + timedelta(days=o) for o in range(120) if rng.random() < 0.8}
    for offset in range(0, 125, 3):
        today = D + timedelta(days=offset)
        assert compute_streak(active, today).days == walked_streak(active, today), offset


@pytest.mark.parametrize("seed", range(4))
def test_streak_badge_is_earned_when_the_day_by_day_rule_first_reaches_it(
    cat: Catalogue, seed: int
) -> None:
    rng = random.Random(seed)
    events = [
        ev("checked", "alpha", day=d, task="q1", outcome=rng.choice(["PASS", "PASS", "FAIL"]))
        for d in range(40)
        if rng.random() < 0.7
    ]
    expected = None
    active: set[date] = set()
    for event in events:
        if event.details["outcome"] == "PASS":
            active.add(event.ts.date())
        if expected is None and walked_streak(active, event.ts.date()) >= 3:
            expected = event.ts
    by_id = {b.badge.id: b for b in engine(cat, events, today_offset=40).badges()}
    assert by_id["streak-3"].earned_at == expected


def test_events_dated_year_1_and_9999_count_like_any_other(cat: Catalogue) -> None:
    ancient = Event("old", datetime(1, 1, 1, 12, tzinfo=UTC), "verified", "alpha", None, {})
    future = Event("far", datetime(9999, 12, 30, 12, tzinfo=UTC), "checked", "beta", "q1", {
        "outcome": "PASS"
    })  # fmt: skip
    recent = [ev("checked", "beta", day=d, task="q1", outcome="PASS") for d in range(3)]
    g = engine(cat, [ancient, *recent, future], today_offset=2)
    assert g.xp == 120 and g.streak().days == 3  # the far future is not today's streak
    assert len(g.active_days()) == 5 and "streak-3" in earned(g)


# -- time is not trusted; imports are claims ------------------------------------------------------


def brute_force_streak(active: set[date], today: date) -> tuple[int, int]:
    """The streak rule walked day by day: the reference for compute_streak."""
    days = sorted(d for d in active if d <= today)
    run = freezes = 0
    day = days[0] if days else today
    while days and day <= today:
        if day in active:
            run += 1
            if run % 7 == 0:
                freezes = min(freezes + 1, 2)
        elif day != today:
            run, freezes = (run, freezes - 1) if freezes else (0, 0)
        day += timedelta(days=1)
    return run, freezes


def test_the_streak_agrees_with_the_day_by_day_rule() -> None:
    import random

    rng = random.Random(7)
    for _ in range(300):
        active = {D + timedelta(days=rng.randrange(60)) for _ in range(rng.randrange(0, 40))}
        today = D + timedelta(days=rng.randrange(0, 70))
        streak = compute_streak(active, today)
        assert (streak.days, streak.freezes_left) == brute_force_streak(active, today)


def test_an_ancient_active_day_does_not_walk_the_calendar() -> None:
    """One day in 1970 and today: two steps, not 20,000 (the rule's answer is unchanged)."""
    today = date(2026, 11, 30)
    streak = compute_streak({date(1970, 1, 2), today - timedelta(days=1), today}, today)
    assert (streak.days, streak.freezes_left, streak.active_today) == (2, 0, True)


def test_imported_verified_events_earn_nothing(cat: Catalogue) -> None:
    imported = ev("verified", "alpha", imported=True)
    opened = ev("opened", "alpha")
    assert countable_events([opened, imported]) == [opened]
    g = engine(cat, [ev("opened", "alpha"), imported])
    assert g.xp == 0 and g.verified_count() == 0 and g.earned_badges() == []
    assert g.status("alpha").state is ChallengeState.IN_PROGRESS
    again = engine(cat, [ev("opened", "alpha"), imported, ev("verified", "alpha", day=1)])
    assert again.xp == 120 and again.status("alpha").state is ChallengeState.VERIFIED
    # Only verified events are claims: an imported hint still forfeits the bonus.
    hinted = engine(
        cat, [ev("hint", "alpha", task="q1", index=0, imported=True), ev("verified", "alpha")]
    )
    assert hinted.xp == 100


def test_a_reset_cuts_by_position_in_the_log_not_by_timestamp(cat: Catalogue) -> None:
    far_future = Event("f", datetime(2999, 1, 1, tzinfo=UTC), "verified", "alpha", None, {})
    reset_all = Event("r", DAY0, "reset", None, None, {"scope": "all", "challenges": None})
    assert engine(cat, [far_future, reset_all]).xp == 0
    # And an event recorded after the reset counts, whatever its (older) timestamp says.
    old = Event("o", DAY0 - timedelta(days=30), "verified", "alpha", None, {})
    assert engine(cat, [far_future, reset_all, old]).xp == 120


def test_own_data_badges_need_real_lab_work() -> None:
    real = load_catalogue(Path(__file__).resolve().parent.parent)
    lab = {b.id for b in real.badges if b.rule.kind.startswith("own_data_")}
    assert lab == {"own-data-profiled", "own-data-validated", "own-data-baseline"}
    failed = [
        ev("own_data", action="profiled", dataset="a.csv"),
        ev("own_data", action="validated", dataset="a.csv", passed=False),
        ev("own_data", action="baseline", dataset="a.csv", run_ids=[]),
    ]
    g = engine(real, failed)
    assert earned(g) & lab == {"own-data-profiled"}
    assert g.xp == 0 and g.streak().days == 0  # the lab earns no XP and no active day
    passed = [
        *failed,
        ev("own_data", action="validated", dataset="a.csv", passed=True),
        ev("own_data", action="baseline", dataset="a.csv", run_ids=["abc"]),
        ev("reset", scope="all", challenges=None),
    ]
    assert earned(engine(real, passed)) & lab == lab  # a reset undoes challenges, not lab work


def test_each_tasks_latest_outcome_since_the_last_reset(cat: Catalogue) -> None:
    inline = {"source": "inline"}
    events = [
        ev("checked", "alpha", task="q1", outcome="FAIL", **inline),
        ev("checked", "alpha", task="q1", outcome="PASS", **inline),
        ev(
            "checked", "alpha", source="verify", outcome="FAIL", tasks={"q1": "PASS", "q2": "ERROR"}
        ),
    ]
    g = engine(cat, events)
    assert g.task_outcomes("alpha") == {"q1": "PASS", "q2": "ERROR"}
    assert g.task_outcomes("beta") == {}
    later = engine(cat, [*events, ev("checked", "alpha", task="q1", outcome="FAIL", **inline)])
    assert later.task_outcomes("alpha") == {"q1": "FAIL", "q2": "ERROR"}
    verified = engine(cat, [*events, ev("verified", "alpha", tasks={"q1": "PASS", "q2": "PASS"})])
    assert verified.task_outcomes("alpha") == {"q1": "PASS", "q2": "PASS"}
    reset = engine(cat, [*events, ev("reset", "alpha", scope="challenge", challenges=["alpha"])])
    assert reset.task_outcomes("alpha") == {}
    # An imported verification claims nothing here, its outcomes included.
    imported = engine(cat, [ev("verified", "beta", tasks={"q1": "PASS"}, imported=True)])
    assert imported.task_outcomes("beta") == {}


def test_bonus_at_stake(cat: Catalogue) -> None:
    assert engine(cat, []).bonus_at_stake("alpha") == 20  # 20 % of 100 XP
    assert engine(cat, []).bonus_at_stake("gamma") == 30
    assert engine(cat, [ev("hint", "alpha", task="q1", index=0)]).bonus_at_stake("alpha") == 0
    assert engine(cat, [ev("solution", "alpha", task="q1")]).bonus_at_stake("alpha") == 0
    assert engine(cat, [ev("verified", "alpha")]).bonus_at_stake("alpha") == 0, "XP settled"
    helped_then_reset = [
        ev("hint", "alpha", task="q1", index=0),
        ev("reset", "alpha", scope="challenge", challenges=["alpha"]),
    ]
    assert engine(cat, helped_then_reset).bonus_at_stake("alpha") == 0, "gone for good"
    assert engine(cat, helped_then_reset).bonus_at_stake("beta") == 20
