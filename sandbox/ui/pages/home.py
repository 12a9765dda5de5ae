"""Home: where the learner stands, what to do next, and what happened lately."""

from __future__ import annotations

import streamlit as st

from sandbox import summaries
from sandbox.game import FREEZE_EVERY_DAYS, ChallengeState
from sandbox.ui import components

RECENT_EVENTS = 8

snapshot = components.load_snapshot()
engine = snapshot.engine
catalogue = snapshot.learner.catalogue
events = snapshot.progress.events
name = snapshot.progress.learner_name

st.title(f"Welcome back, {name}" if name else "Welcome to the Data Science Sandbox")
components.show_flashes()
components.celebrate_new_badges(snapshot, on_home=True)

level, next_level, streak = engine.level, engine.next_level, engine.streak()
earned = engine.earned_badges()

# The level's full name as a heading: it wraps on a narrow screen, where a metric would clip it.
st.subheader(f"Level {level.number} · {level.name}", anchor=False)
if next_level is None:
    st.progress(1.0, text=f"Top level reached: {level.name}")
else:
    st.progress(
        engine.level_progress,
        text=f"{engine.xp_to_next_level} XP to level {next_level.number} · {next_level.name}",
    )

xp_col, streak_col, badges_col = st.columns(3)
xp_col.metric("XP", engine.xp)
with streak_col:
    st.metric(
        "Streak (days)",
        streak.days,
        help="Local days in a row with a verified challenge or a passed check.",
    )
    freezes = "freeze" if streak.freezes_left == 1 else "freezes"
    st.caption(
        f"❄️ {streak.freezes_left} {freezes} left: each covers one missed day."
        if streak.freezes_left
        else f"❄️ No freeze yet: every {FREEZE_EVERY_DAYS}th day of a streak earns one."
    )
badges_col.metric("Badges", f"{len(earned)} of {len(catalogue.badges)}")

nudge = summaries.streak_nudge(engine)
if nudge:
    st.info(nudge, icon=":material/local_fire_department:")

if not events:
    st.info(
        "New here? Pick the challenge below, open its notebook in JupyterLab, replace the "
        "`____` placeholders and press **Verify**. XP, levels and badges come only from "
        "verified work.",
        icon=":material/waving_hand:",
    )

next_col, badge_col = st.columns(2, gap="medium")
with next_col:
    st.subheader("Next up", anchor=False)
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

with badge_col:
    st.subheader("Nearest badge", anchor=False)
    nearest = summaries.nearest_badge(engine)
    if nearest is None:
        st.success("You have earned every badge.", icon=":material/emoji_events:")
    else:
        with st.container(border=True):
            st.markdown(f"{nearest.badge.icon} **{nearest.badge.name}**")
            st.caption(nearest.badge.description)
            st.progress(
                nearest.current / nearest.target,
                text=f"{nearest.current} / {nearest.target}",
            )

st.subheader("Recent activity", anchor=False)
inline_checks = sum(1 for e in events if summaries.is_inline_check(e))
show_inline = bool(inline_checks) and st.toggle(
    f"Show inline checks ({inline_checks})",
    key="home-inline-checks",
    help="The ch.qN.check() calls in your notebooks: feedback, not progress.",
)
recent = summaries.recent_events(events, RECENT_EVENTS, include_inline=show_inline)
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
