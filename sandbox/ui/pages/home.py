"""Home: where the learner stands, what to do next, and what happened lately."""

from __future__ import annotations

import streamlit as st

from sandbox import summaries
from sandbox.game import ChallengeState
from sandbox.ui import components

RECENT_EVENTS = 8

snapshot = components.load_snapshot()
engine = snapshot.engine
catalogue = snapshot.learner.catalogue
name = snapshot.progress.learner_name

st.title(f"Welcome back, {name}" if name else "Welcome to the Data Science Sandbox")
components.show_flashes()
components.celebrate_new_badges(snapshot)

level, next_level, streak = engine.level, engine.next_level, engine.streak()
earned = engine.earned_badges()

level_col, xp_col, streak_col, badges_col = st.columns(4)
level_col.metric("Level", f"{level.number} · {level.name}")
xp_col.metric("XP", engine.xp)
streak_col.metric(
    "Streak (days)",
    streak.days,
    help=(
        "Local days in a row with a verified challenge or a passed check. "
        f"Freezes left: {streak.freezes_left} (each covers one missed day)."
    ),
)
badges_col.metric("Badges", f"{len(earned)} of {len(catalogue.badges)}")

if next_level is None:
    st.progress(1.0, text=f"Top level reached: {level.name}")
else:
    st.progress(
        engine.level_progress,
        text=f"{engine.xp_to_next_level} XP to level {next_level.number} · {next_level.name}",
    )

if not snapshot.progress.events:
    st.info(
        "New here? Pick the challenge below, open its notebook in JupyterLab, replace the "
        "`____` placeholders and press **Verify**. XP, levels and badges come only from "
        "verified work.",
        icon=":material/waving_hand:",
    )

st.subheader("Next up")
upcoming = engine.next_challenge()
if upcoming is not None:
    status = engine.status(upcoming.id)
    with st.container(border=True):
        st.markdown(f"**{upcoming.title}** · level {upcoming.level} · {upcoming.xp} XP")
        st.caption(f"{upcoming.summary} About {upcoming.minutes} min.")
        components.state_badge(status.state)
        in_progress = status.state is ChallengeState.IN_PROGRESS
        if st.button("Continue" if in_progress else "Start", key="continue", type="primary"):
            components.go_to_challenge(upcoming.id)
elif catalogue.challenges and engine.verified_count() == len(catalogue.challenges):
    st.success(
        "Every challenge is verified. See how you got here on the Progress page.",
        icon=":material/emoji_events:",
    )
elif catalogue.challenges:
    st.info(
        "The challenges left are locked until you reach their level or verify their "
        "prerequisites. Locked is only advice: you can still open any of them on the "
        "Challenges page."
    )
else:
    st.info("The catalogue has no challenges yet.")

st.subheader("Recent activity")
recent = summaries.recent_events(snapshot.progress.events, RECENT_EVENTS)
if not recent:
    st.caption("Nothing yet: what you open, check and verify shows up here.")
else:
    gains = summaries.xp_gains(engine)
    lines = [
        f"- {summaries.local_time(event.ts)} · "
        + summaries.describe_event(event, catalogue, gains.get((event.ts, event.challenge)))
        for event in recent
    ]
    st.markdown("\n".join(lines))
