"""Pieces shared by the dashboard's pages: loading the learner, errors, labels, messages.

Every page starts with :func:`open_learner` or :func:`load_snapshot`, which open
the profile chosen on the Settings page (remembered in ``dashboard.json``, see
:mod:`sandbox.active_profile`). A problem the core reports as a
:class:`~sandbox.errors.SandboxError` (a corrupt progress.json, a malformed
catalogue) is shown with ``st.error`` and its message, and the page stops there:
no traceback, and nothing is written.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NoReturn

import streamlit as st

from sandbox import active_profile, ui_state
from sandbox.catalogue import Catalogue, Challenge
from sandbox.errors import SandboxError
from sandbox.game import BadgeStatus, ChallengeState, GameEngine
from sandbox.learner import Learner
from sandbox.paths import DEFAULT_PROFILE, data_home
from sandbox.progress import Progress

# As registered with st.navigation in app.py (paths are relative to app.py).
CHALLENGES_PAGE = "sandbox/ui/pages/challenges.py"

# The Challenges page shows one challenge when the URL carries ?challenge=<id>,
# so a refresh or a shared link keeps the selection.
CHALLENGE_PARAM = "challenge"

_FLASH_KEY = "flash_messages"

BadgeColor = Literal["gray", "blue", "orange", "green"]

# label, badge colour, icon
STATE_LABELS: dict[ChallengeState, tuple[str, BadgeColor, str]] = {
    ChallengeState.LOCKED: ("Locked", "gray", ":material/lock:"),
    ChallengeState.AVAILABLE: ("Available", "blue", ":material/radio_button_unchecked:"),
    ChallengeState.IN_PROGRESS: ("In progress", "orange", ":material/pending:"),
    ChallengeState.VERIFIED: ("Verified", "green", ":material/check_circle:"),
}


@dataclass(frozen=True)
class Snapshot:
    """The learner and their progress as read at the start of this page run."""

    learner: Learner
    progress: Progress
    engine: GameEngine


def stop_with_error(exc: SandboxError) -> NoReturn:
    st.error(str(exc), icon=":material/error:")
    st.stop()


def base_home() -> Path:
    """The data home the profiles live in (``$SANDBOX_HOME`` or the platform default)."""
    return data_home()


def current_profile() -> str:
    """The profile chosen on the Settings page (the default one until a switch)."""
    return active_profile.load(base_home())


def open_learner() -> Learner:
    """The active profile's learner with the catalogue; stops the page on a core error."""
    profile = current_profile()
    if profile != DEFAULT_PROFILE:
        # A single learner never sees profiles; someone who made more is reminded which is open.
        st.sidebar.caption(f"Profile **{profile}** · switch on the Settings page")
    try:
        return Learner.open(None, profile)
    except SandboxError as exc:
        stop_with_error(exc)


@dataclass(frozen=True)
class _Replayed:
    """A log's exact bytes with what they parse and replay to, under one catalogue."""

    catalogue: Catalogue
    log: bytes
    progress: Progress
    engine: GameEngine


# Store path → its last replay, shared by every session of this server process.
_replayed: dict[Path, _Replayed] = {}
_replayed_lock = threading.Lock()
_REPLAYS_KEPT = 4  # a few profiles; each entry holds one parsed log


def _replay(learner: Learner) -> tuple[Progress, GameEngine]:
    """The learner's progress and engine, parsed and replayed again only when the log's bytes
    (or the catalogue) changed since the last run that read them.

    Parsing and replaying a long log costs seconds (about 2 s for 100,000 events), and
    most page runs find the log as the previous run left it.
    """
    path = learner.store.path
    try:
        log = path.read_bytes()
    except OSError:
        log = None  # no log yet (nothing to keep), or one the store's own read reports
    with _replayed_lock:
        kept = _replayed.get(path)
    if kept is not None and kept.catalogue is learner.catalogue and kept.log == log:
        return kept.progress, kept.engine
    # Exactly the bytes compared above are parsed, so what is kept matches its key.
    progress = learner.store.load(log)
    engine = GameEngine(learner.catalogue, progress.events)
    if log is not None:
        with _replayed_lock:
            _replayed.pop(path, None)
            _replayed[path] = _Replayed(learner.catalogue, log, progress, engine)
            while len(_replayed) > _REPLAYS_KEPT:
                del _replayed[next(iter(_replayed))]  # the least recently replayed
    return progress, engine


def load_snapshot(learner: Learner | None = None) -> Snapshot:
    """Read the store once for this run; stops the page (file untouched) if it cannot be read.

    The log is read on every run (the CLI and notebooks write to the same store); it is
    parsed and replayed only when its bytes differ from the last run's.
    """
    learner = learner or open_learner()
    try:
        progress, engine = _replay(learner)
    except SandboxError as exc:
        stop_with_error(exc)
    return Snapshot(learner, progress, engine)


def state_badge(state: ChallengeState) -> None:
    label, color, icon = STATE_LABELS[state]
    st.badge(label, icon=icon, color=color)


def go_to_challenge(challenge_id: str) -> NoReturn:
    st.switch_page(CHALLENGES_PAGE, query_params={CHALLENGE_PARAM: challenge_id})


def flash(message: str) -> None:
    """Show ``message`` as a success on the next run (after an action and ``st.rerun``)."""
    st.session_state.setdefault(_FLASH_KEY, []).append(message)


def show_flashes() -> None:
    for message in st.session_state.pop(_FLASH_KEY, []):
        st.success(message, icon=":material/check:")


def celebrate_new_badges(snapshot: Snapshot, on_home: bool = False) -> None:
    """Celebrate, with one message, the badges earned since the learner last saw Home that
    were not celebrated yet (remembered on disk); ``on_home`` also remembers this visit.

    A learner who never saw Home gets no celebration: badges earned before the first look
    are not news (they show on the Badges page)."""
    home = snapshot.learner.home
    seen = ui_state.load_home_seen(home)
    earned = snapshot.engine.earned_badges()
    fresh = (
        []
        if seen is None
        else ui_state.not_yet_celebrated(earned, ui_state.load_celebrated(home), since=seen)
    )
    if fresh:
        st.balloons()
        st.success(new_badges_message(fresh), icon=":material/military_tech:")
    # If the file cannot be written, only the memory is lost: a badge may be celebrated again.
    with contextlib.suppress(OSError):
        if fresh:
            ui_state.mark_celebrated(home, fresh)
        if on_home and home.is_dir():  # a visit never creates a data home
            events = snapshot.progress.events
            newest = max((e.ts for e in events), default=datetime.now(UTC))
            if seen is None or newest > seen:
                ui_state.save_home_seen(home, newest)


def new_badges_message(fresh: list[BadgeStatus]) -> str:
    """One line for every badge just earned."""
    if len(fresh) == 1:
        badge = fresh[0].badge
        return f"New badge: {badge.icon} **{badge.name}** — {badge.description}"
    names = ", ".join(f"{b.badge.icon} **{b.badge.name}**" for b in fresh)
    return f"{len(fresh)} new badges: {names}. See them on the Badges page."


def challenges_teaching(catalogue: Catalogue, tags: tuple[str, ...], level: int) -> list[Challenge]:
    """The challenges carrying any of ``tags``; failing those, every challenge of ``level``."""
    tagged = [c for c in catalogue if set(c.tags) & set(tags)]
    return tagged or catalogue.in_level(level)


def show_challenges_to_learn(catalogue: Catalogue, tags: tuple[str, ...], level: int) -> None:
    """An empty state's pointer to the challenges that teach this page's tool."""
    challenges = challenges_teaching(catalogue, tags, level)
    levels = {lv.number: lv for lv in catalogue.levels}
    if challenges:
        st.markdown("Challenges that teach this:")
        for challenge in challenges:
            if st.button(
                f"{challenge.title} · level {challenge.level}",
                key=f"learn-{challenge.id}",
                icon=":material/school:",
                type="tertiary",
            ):
                go_to_challenge(challenge.id)
    elif level in levels:
        st.caption(f"Level {level} · {levels[level].name} teaches this: see the Challenges page.")
