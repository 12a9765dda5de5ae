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


def show_challenge_row(status: ChallengeStatus) -> None:
    challenge = status.challenge
    with st.container(border=True):
        text_col, state_col, open_col = st.columns([6, 2, 1], vertical_alignment="center")
        with text_col:
            st.markdown(f"**{challenge.title}** — {challenge.summary}")
            tags = " · ".join(f"`{tag}`" for tag in challenge.tags)
            st.caption(f"{challenge.xp} XP · about {challenge.minutes} min · {tags}")
        with state_col:
            components.state_badge(status.state)
        open_col.button(
            "Open", key=f"open-{challenge.id}", on_click=select_challenge, args=(challenge.id,)
        )


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
    statuses = engine.statuses()
    for level in snapshot.learner.catalogue.levels:
        in_level = [s for s in statuses if s.challenge.level == level.number]
        verified = sum(1 for s in in_level if s.state is ChallengeState.VERIFIED)
        st.subheader(f"Level {level.number} · {level.name}")
        st.caption(f"{level.blurb} From {level.xp} XP · {verified} of {len(in_level)} verified.")
        if not in_level:
            st.caption("No challenges in this level yet.")
        for status in in_level:
            show_challenge_row(status)


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
    if feedback["passed"]:
        gained = feedback["xp_awarded"]
        earned = f"+{gained} XP." if gained else "No new XP: this challenge was already verified."
        st.success(f"Every task passes (clean run in {seconds:.1f} s). {earned}")
        if gained and not feedback.get("celebrated"):
            st.balloons()
            feedback["celebrated"] = True
    else:
        st.warning(f"Not verified yet (clean run in {seconds:.1f} s). Fix the tasks below.")
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


def show_hint_ladder(snapshot: Snapshot, challenge: Challenge, task: Task) -> None:
    revealed = min(snapshot.engine.hints_seen(challenge.id, task.id), len(task.hints))
    for number, hint in enumerate(task.hints[:revealed], start=1):
        st.info(f"Hint {number}: {hint}", icon=":material/lightbulb:")
    if revealed >= len(task.hints):
        st.caption("Every hint of this task is shown.")
        return
    label = f"Show next hint ({revealed + 1} of {len(task.hints)})"
    if st.button(label, key=f"hint-{task.id}"):
        try:
            snapshot.learner.store.append("hint", challenge.id, task.id, {"index": revealed})
        except SandboxError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.rerun()


def show_detail(snapshot: Snapshot, challenge: Challenge) -> None:
    learner, engine = snapshot.learner, snapshot.engine
    status = engine.status(challenge.id)
    st.button("← All challenges", key="back", on_click=clear_selection, type="tertiary")
    st.title(challenge.title)
    components.state_badge(status.state)
    details = [f"Level {challenge.level}", f"{challenge.xp} XP", f"about {challenge.minutes} min"]
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

    lab_col, verify_col, reset_col = st.columns(3)
    if lab_col.button("Open in JupyterLab", key="open-lab", icon=":material/open_in_new:"):
        open_in_jupyterlab(learner, challenge)
    if verify_col.button("Verify", key="verify", type="primary", icon=":material/task_alt:"):
        run_verification(learner, challenge)
    if reset_col.button("Reset this challenge…", key="reset-ask", icon=":material/restart_alt:"):
        st.session_state["confirm_reset"] = challenge.id

    lab_url = st.session_state.get(f"lab_url:{challenge.id}")
    if lab_url:
        st.link_button("Go to JupyterLab", lab_url, icon=":material/arrow_outward:")
        st.caption(f"Your notebook: `{workspace.notebook_path(learner.home, challenge)}`")
    if st.session_state.get("confirm_reset") == challenge.id:
        show_reset_confirmation(learner, challenge)
    show_verification_feedback(challenge)

    st.subheader("Tasks")
    bonus = learner.catalogue.no_help_bonus_percent
    if bonus and status.state is not ChallengeState.VERIFIED and not status.help_seen:
        st.caption(
            f"Verify without hints or solutions for a {bonus}% XP bonus; a hint gives it up."
        )
    for task in challenge.tasks:
        with st.container(border=True):
            st.markdown(f"**{task.id} · {task.title}**")
            st.markdown(task.prompt)
            st.caption("Reads " + ", ".join(f"`{v}`" for v in task.variables))
            show_hint_ladder(snapshot, challenge, task)


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
