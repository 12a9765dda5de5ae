"""Badges: the ones earned (with the date) and the ones still locked (with progress)."""

from __future__ import annotations

import streamlit as st

from sandbox.game import BadgeStatus
from sandbox.ui import components

CARDS_PER_ROW = 3


def show_earned(status: BadgeStatus) -> None:
    badge = status.badge
    with st.container(border=True):
        st.markdown(f"### {badge.icon} {badge.name}")
        st.caption(badge.description)
        if status.earned_at is not None:
            st.markdown(f"Earned on **{status.earned_at.astimezone():%Y-%m-%d}**")  # local date


def show_locked(status: BadgeStatus) -> None:
    badge = status.badge
    with st.container(border=True):
        st.markdown(f"### :material/lock: {badge.icon} {badge.name}")
        st.caption(badge.description)
        fraction = status.current / status.target if status.target else 0.0
        st.progress(fraction, text=f"{status.current} / {status.target}")


def show_cards(items: list[BadgeStatus], earned: bool) -> None:
    for start in range(0, len(items), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, status in zip(columns, items[start : start + CARDS_PER_ROW], strict=False):
            with column:
                (show_earned if earned else show_locked)(status)


snapshot = components.load_snapshot()
statuses = snapshot.engine.badges()
earned = snapshot.engine.earned_badges()
locked = [s for s in statuses if not s.earned]

st.title("Badges")
if not statuses:
    st.info("The catalogue declares no badges yet.")
    st.stop()
st.caption(f"{len(earned)} of {len(statuses)} earned. Badges follow from verified work only.")

st.subheader("Earned")
if earned:
    show_cards(earned, earned=True)
else:
    closest = max(locked, key=lambda s: s.current / s.target if s.target else 0.0)
    st.info(
        f"No badges yet. The nearest is {closest.badge.icon} **{closest.badge.name}**: "
        f"{closest.badge.description}",
        icon=":material/military_tech:",
    )

st.subheader("Still to earn")
if locked:
    show_cards(locked, earned=False)
else:
    st.success("You have earned every badge.", icon=":material/emoji_events:")
