"""Challenges: every challenge by level with its state, and one challenge in detail.

The detail view (``?challenge=<id>``) shows the tasks and their hint ladders and
offers the three actions on a challenge: open its notebook in JupyterLab, verify
it in a fresh kernel (the only way to earn XP), and reset it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from sandbox import summaries, workspace
from sandbox.catalogue import Challenge, Task
from sandbox.errors import SandboxError
from sandbox.game import ChallengeState, ChallengeStatus
from sandbox.learner import Learner
from sandbox.ui import components
from sandbox.ui.components import Snapshot

if TYPE_CHECKING:
    from sandbox.grading.verify import ProgressUpdate, VerificationResult

VERIFY_TIMEOUT_SECONDS = 120.0
OUTCOME_MARKS = {"PASS": "✅", "FAIL": "❌", "NOT_ATTEMPTED": "⭕", "ERROR": "⚠️"}


def select_challenge(challenge_id: str) -> None:
    st.query_params[components.CHALLENGE_PARAM] = challenge_id


def clear_selection() -> None:
    st.query_params.pop(components.CHALLENGE_PARAM, None)


# -- the list ---------------------------------------------------------------------------------

# The state filter's choices, in the order a learner thinks of them.
STATE_FILTERS = {
    "To do": ChallengeState.AVAILABLE,
    "In progress": ChallengeState.IN_PROGRESS,
    "Verified": ChallengeState.VERIFIED,
    "Locked": ChallengeState.LOCKED,
}


def xp_text(status: ChallengeStatus) -> str:
    """What a challenge is worth: what it earned once verified, else its nominal XP."""
    if status.state is ChallengeState.VERIFIED:
        return f"{status.xp_awarded} XP earned"
    return f"{status.challenge.xp} XP"


def task_line(challenge: Challenge, outcomes: dict[str, str]) -> str:
    return " ".join(f"{task} {mark}" for task, mark in summaries.task_marks(challenge, outcomes))


def show_challenge_row(status: ChallengeStatus, outcomes: dict[str, str]) -> None:
    challenge = status.challenge
    with st.container(border=True, gap="small"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button(
                challenge.title,
                key=f"open-{challenge.id}",
                on_click=select_challenge,
                args=(challenge.id,),
                type="tertiary",
                icon=":material/chevron_right:",
                icon_position="right",
                wrap=True,  # a long title wraps on a phone instead of being cut
            )
            components.state_badge(status.state)
        details = [xp_text(status), f"about {challenge.minutes} min", " · ".join(challenge.tags)]
        if status.state is ChallengeState.IN_PROGRESS and outcomes:
            details.append(task_line(challenge, outcomes))
        st.caption(" · ".join(details))


def level_label(row: summaries.LevelPath) -> str:
    level = row.level
    name = f"Level {level.number} · {level.name}"
    if row.finished:
        return f":material/check_circle: {name} — all {len(row.statuses)} verified, {row.xp_earned} XP earned"
    if all(s.state is ChallengeState.LOCKED for s in row.statuses):
        return f":material/lock: {name} — from {level.xp} XP · {len(row.statuses)} challenges"
    return f"{name} — {row.verified} of {len(row.statuses)} verified"


def show_filters(tags: list[str]) -> tuple[set[ChallengeState], set[str]]:
    state_col, tag_col = st.columns([3, 2], vertical_alignment="bottom")
    with state_col:
        chosen = st.pills(
            "Show", list(STATE_FILTERS), selection_mode="multi", key="challenge-states"
        )
    with tag_col:
        tagged = st.multiselect("Skill", tags, key="challenge-tags", placeholder="Any skill")
    return {STATE_FILTERS[c] for c in chosen or []}, set(tagged)


def show_list(snapshot: Snapshot) -> None:
    engine = snapshot.engine
    st.title("Challenges")
    st.caption(
        "Open a challenge to read its tasks, work on its notebook in JupyterLab and verify it. "
        "XP comes only from a clean verification."
    )
    upcoming = engine.next_challenge()
    if not snapshot.progress.events and upcoming is not None:
        st.info(f"Start with **{upcoming.title}**: it is open to you now.")
    catalogue = snapshot.learner.catalogue
    tags = sorted(
        {t for c in catalogue for t in c.tags}, key=lambda t: (-len(catalogue.with_tag(t)), t)
    )
    states, wanted_tags = show_filters(tags)
    filtering = bool(states or wanted_tags)

    def matches(status: ChallengeStatus) -> bool:
        return (not states or status.state in states) and (
            not wanted_tags or bool(wanted_tags & set(status.challenge.tags))
        )

    shown = 0
    for row in summaries.learning_path(engine):
        in_level = [s for s in row.statuses if matches(s)]
        if filtering and not in_level:
            continue
        shown += len(in_level)
        # Finished and later levels fold into their summary line; a filter opens what it finds.
        with st.expander(level_label(row), expanded=row.current or filtering):
            st.caption(row.level.blurb)
            if not row.statuses:
                st.caption("No challenges in this level yet.")
            for status in in_level:
                show_challenge_row(status, engine.task_outcomes(status.challenge.id))
    if filtering and not shown:
        st.info("No challenge matches these filters.", icon=":material/filter_alt_off:")


# -- one challenge ----------------------------------------------------------------------------


def lock_reasons(snapshot: Snapshot, challenge: Challenge) -> list[str]:
    engine, catalogue = snapshot.engine, snapshot.learner.catalogue
    reasons = []
    if challenge.level > engine.level.number:
        needed = catalogue.level(challenge.level)
        reasons.append(f"reach level {needed.number} ({needed.xp} XP)")
    waiting = [
        catalogue.challenges[p].title
        for p in challenge.prerequisites
        if engine.status(p).state is not ChallengeState.VERIFIED
    ]
    if waiting:
        reasons.append("verify " + ", ".join(f"**{title}**" for title in waiting))
    return reasons


def open_in_jupyterlab(learner: Learner, challenge: Challenge) -> None:
    from sandbox.jupyter import launch_lab

    try:
        opened = learner.open_challenge(challenge.id)
        with st.spinner("Starting JupyterLab…"):
            url = launch_lab(learner.home, opened.notebook)
    except (SandboxError, OSError) as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state[f"lab_url:{challenge.id}"] = url
    st.rerun()


def feedback_from(result: VerificationResult) -> dict[str, Any]:
    """What the page keeps of a VerificationResult to show it again after the rerun."""
    return {
        "passed": bool(result.passed),
        "xp_awarded": int(result.xp_awarded),
        "seconds": float(result.seconds),
        "seed": result.seed,
        "error": result.error,
        "tasks": [
            {"task": str(t.task), "outcome": t.outcome.value, "message": str(t.message)}
            for t in result.tasks
        ],
    }


def run_verification(learner: Learner, challenge: Challenge) -> None:
    # Imported on click: the grader pulls in nbclient, which Home and the list do not need.
    from sandbox.grading.verify import verify

    with st.status(f"Verifying {challenge.title} in a fresh kernel…", expanded=True) as box:
        bar = st.progress(0.0, text="Starting")

        def on_progress(update: ProgressUpdate) -> None:
            bar.progress(min(max(float(update.fraction), 0.0), 1.0), text=str(update.message))

        try:
            result = verify(
                learner, challenge.id, timeout=VERIFY_TIMEOUT_SECONDS, on_progress=on_progress
            )
        except SandboxError as exc:
            box.update(label="Verification could not run", state="error")
            feedback: dict[str, Any] = {"could_not_run": str(exc)}
        else:
            passed = bool(result.passed)
            box.update(
                label="Verified" if passed else "Not verified yet",
                state="complete" if passed else "error",
            )
            feedback = feedback_from(result)
    st.session_state[f"verification:{challenge.id}"] = feedback
    st.rerun()  # the verification may have changed XP, state and badges: show them fresh


def show_verification_feedback(challenge: Challenge) -> None:
    feedback = st.session_state.get(f"verification:{challenge.id}")
    if feedback is None:
        return
    if "could_not_run" in feedback:
        st.error(feedback["could_not_run"], icon=":material/error:")
        return
    seconds = feedback["seconds"]
    seed = feedback.get("seed")
    run = f"clean run in {seconds:.1f} s" + (
        "" if seed is None else f" on fresh data, variant {seed}"
    )
    if feedback["passed"]:
        gained = feedback["xp_awarded"]
        earned = f"+{gained} XP." if gained else "No new XP: this challenge was already verified."
        st.success(f"Every task passes ({run}). {earned}")
        if gained and not feedback.get("celebrated"):
            st.balloons()
            feedback["celebrated"] = True
    else:
        st.warning(f"Not verified yet ({run}). Fix the tasks below.")
    if feedback["error"]:
        st.error(feedback["error"])
    lines = [
        f"- {OUTCOME_MARKS.get(t['outcome'], '')} **{t['task']}** "
        f"{t['outcome'].replace('_', ' ').lower()} — {t['message']}"
        for t in feedback["tasks"]
    ]
    st.markdown("\n".join(lines))


def reset_challenge(learner: Learner, challenge: Challenge) -> None:
    try:
        outcome = learner.reset(challenge_id=challenge.id)
        for problem in outcome.not_restored:
            st.warning(problem, icon=":material/warning:")
    except (SandboxError, OSError) as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state.pop("confirm_reset", None)
    st.session_state.pop(f"verification:{challenge.id}", None)
    message = f"{challenge.title} is reset."
    if outcome.progress_backup:
        message += f" Progress backup: `{outcome.progress_backup}`."
    for notebook_backup in outcome.notebook_backups:
        message += f" Your notebook was backed up to `{notebook_backup}` and the starter restored."
    components.flash(message)
    st.rerun()


def show_reset_confirmation(learner: Learner, challenge: Challenge) -> None:
    st.warning(
        f"Reset **{challenge.title}**? Its XP is withdrawn and its hints start over, so it can "
        "be earned again (hints or solutions already seen still rule out the no-help bonus). "
        "progress.json is backed up first and your notebook is backed up before the starter "
        "replaces it."
    )
    yes_col, no_col, _ = st.columns([1, 1, 4])
    if yes_col.button("Yes, reset", key="reset-confirm", type="primary"):
        reset_challenge(learner, challenge)
    if no_col.button("Cancel", key="reset-cancel"):
        st.session_state.pop("confirm_reset", None)
        st.rerun()


HINT_CONFIRM_KEY = "confirm_hint"
OUTCOME_WORDS = {
    "PASS": "passes",
    "FAIL": "does not pass yet",
    "ERROR": "raised an error",
    "NOT_ATTEMPTED": "not attempted (a `____` is still there)",
}


def reveal_hint(learner: Learner, challenge: Challenge, task: Task) -> None:
    from sandbox.grading.hints import next_hint

    try:
        next_hint(learner, challenge, task)  # recorded; the page shows it from the log
    except SandboxError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state.pop(HINT_CONFIRM_KEY, None)
    st.rerun()


def ask_for_hint(learner: Learner, challenge: Challenge, task: Task) -> None:
    """A hint that would give up the no-help bonus asks first; any other is shown at once."""
    from sandbox.grading.hints import help_warning

    try:
        warning = help_warning(learner, challenge)
    except SandboxError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    if warning is None:
        reveal_hint(learner, challenge, task)
        return
    st.session_state[HINT_CONFIRM_KEY] = {
        "challenge": challenge.id,
        "task": task.id,
        "ask": warning,
    }
    st.rerun()


def show_hint_confirmation(learner: Learner, challenge: Challenge, task: Task, ask: str) -> None:
    from sandbox import ui_state

    st.warning(f"{ask} Show the hint?", icon=":material/lightbulb:")
    dont_ask = st.checkbox("Don't ask again", key="hint-dont-ask")
    with st.container(horizontal=True, gap="small"):
        show = st.button("Show the hint", key="hint-confirm", type="primary")
        keep = st.button("Keep the bonus", key="hint-cancel")
    if show:
        if dont_ask:
            try:
                ui_state.save_ask_before_help(learner.home, False)
            except (SandboxError, OSError) as exc:
                st.error(str(exc), icon=":material/error:")
                return
        reveal_hint(learner, challenge, task)
    if keep:
        st.session_state.pop(HINT_CONFIRM_KEY, None)
        st.rerun()


def show_hint_ladder(
    snapshot: Snapshot, challenge: Challenge, task: Task, outcome: str | None, started: bool
) -> None:
    """The hints seen so far, and a button for the next one, only where help is wanted: a
    started challenge, a task that does not pass, a ladder not yet climbed."""
    revealed = min(snapshot.engine.hints_seen(challenge.id, task.id), len(task.hints))
    for number, hint in enumerate(task.hints[:revealed], start=1):
        st.info(f"Hint {number}: {hint}", icon=":material/lightbulb:")
    if not started or outcome == "PASS":
        return
    if revealed >= len(task.hints):
        st.caption(
            f"That was the last hint. The reference answer: `sandbox solution {challenge.id} "
            f"{task.id}`, or ch.{task.id}.solution() in the notebook."
        )
        return
    pending = st.session_state.get(HINT_CONFIRM_KEY)
    if pending and (pending["challenge"], pending["task"]) == (challenge.id, task.id):
        show_hint_confirmation(snapshot.learner, challenge, task, pending["ask"])
        return
    label = "Need a hint?" if revealed == 0 else f"Show hint {revealed + 1}"
    if st.button(label, key=f"hint-{task.id}", icon=":material/lightbulb:", type="tertiary"):
        ask_for_hint(snapshot.learner, challenge, task)


def show_detail(snapshot: Snapshot, challenge: Challenge) -> None:
    learner, engine = snapshot.learner, snapshot.engine
    status = engine.status(challenge.id)
    # Verify, reset and hints wait until the learner has started: before, there is nothing
    # to verify, and a hint would mark the challenge "in progress".
    started = status.state in (ChallengeState.IN_PROGRESS, ChallengeState.VERIFIED)
    st.button("← All challenges", key="back", on_click=clear_selection, type="tertiary")
    st.title(challenge.title)
    components.state_badge(status.state)
    details = [f"Level {challenge.level}", xp_text(status), f"about {challenge.minutes} min"]
    if challenge.tags:
        details.append("tags " + ", ".join(f"`{t}`" for t in challenge.tags))
    if challenge.datasets:
        details.append("datasets " + ", ".join(f"`{d}`" for d in challenge.datasets))
    st.caption(" · ".join(details))
    st.markdown(challenge.summary)
    components.show_flashes()
    components.celebrate_new_badges(snapshot)

    if status.state is ChallengeState.VERIFIED and status.verified_at is not None:
        st.success(
            f"Verified on {summaries.local_time(status.verified_at)}: "
            f"{status.xp_awarded} XP earned."
        )
    elif status.state is ChallengeState.LOCKED:
        reasons = " and ".join(lock_reasons(snapshot, challenge))
        st.info(f"Locked: {reasons} first. Locked is only advice: you can still work on it.")
    if not started:
        st.info(
            "Start by opening the notebook in JupyterLab: fill in each `____`, check a task "
            "with ch.q1.check(), then come back to **Verify**.",
            icon=":material/play_arrow:",
        )

    with st.container(horizontal=True, gap="small"):
        if st.button(
            "Open in JupyterLab",
            key="open-lab",
            icon=":material/open_in_new:",
            type="secondary" if started else "primary",
        ):
            open_in_jupyterlab(learner, challenge)
        if started and st.button(
            "Verify", key="verify", type="primary", icon=":material/task_alt:"
        ):
            run_verification(learner, challenge)
        if started and st.button(
            "Reset this challenge…", key="reset-ask", icon=":material/restart_alt:"
        ):
            st.session_state["confirm_reset"] = challenge.id

    lab_url = st.session_state.get(f"lab_url:{challenge.id}")
    if lab_url:
        st.link_button("Go to JupyterLab", lab_url, icon=":material/arrow_outward:")
        st.caption(f"Your notebook: `{workspace.notebook_path(learner.home, challenge)}`")
    if st.session_state.get("confirm_reset") == challenge.id:
        show_reset_confirmation(learner, challenge)
    show_verification_feedback(challenge)

    outcomes = engine.task_outcomes(challenge.id)
    st.subheader("Tasks")
    marks = dict(summaries.task_marks(challenge, outcomes))
    if outcomes:
        st.caption(
            "Each task's latest check: "
            + " · ".join(f"{task} {mark}" for task, mark in marks.items())
        )
    bonus = engine.bonus_at_stake(challenge.id)
    if bonus:
        st.caption(
            f"Verify without hints or solutions for a {learner.catalogue.no_help_bonus_percent}% "
            f"XP bonus (+{bonus} XP); a hint gives it up."
        )
    for task in challenge.tasks:
        outcome = outcomes.get(task.id)
        with st.container(border=True):
            st.markdown(f"{marks[task.id]} **{task.id} · {task.title}**")
            st.markdown(task.prompt)
            last = OUTCOME_WORDS.get(outcome or "", "not checked yet")
            st.caption(f"Reads {', '.join(f'`{v}`' for v in task.variables)} · last check: {last}")
            show_hint_ladder(snapshot, challenge, task, outcome, started)


snapshot = components.load_snapshot()
selected = st.query_params.get(components.CHALLENGE_PARAM)
if selected:
    try:
        chosen = snapshot.learner.catalogue.get(selected)
    except SandboxError as exc:
        st.error(str(exc), icon=":material/error:")
        show_list(snapshot)
    else:
        show_detail(snapshot, chosen)
else:
    components.show_flashes()
    show_list(snapshot)
