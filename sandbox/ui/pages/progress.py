"""Progress: XP over time, an activity calendar, and completion by skill and by level.

Every chart is drawn from the event log through the game engine.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from sandbox import charts, summaries
from sandbox.ui import components

SKILLS_CHARTED = 10

snapshot = components.load_snapshot()
engine = snapshot.engine
catalogue = snapshot.learner.catalogue
events = snapshot.progress.events
per_day = summaries.events_per_day(events, engine.tz)

st.title("Progress")
xp_col, verified_col, days_col, events_col = st.columns(4)
xp_col.metric("XP", engine.xp)
verified_col.metric("Verified", f"{engine.verified_count()} of {len(catalogue.challenges)}")
days_col.metric(
    "Active days",
    len(engine.active_days()),
    help="Days with a verified challenge or a passed check: the days that count for streaks.",
)
events_col.metric("Events recorded", len(events))

if not events:
    st.info(
        "Your charts fill in as you work: open a challenge, check your answers and verify it. "
        "Meanwhile, the skills below show what there is to learn.",
        icon=":material/insights:",
    )

st.subheader("XP over time")
history = engine.xp_history()
if history:
    first_event = min(event.ts for event in events)
    figure = charts.xp_over_time(history, catalogue, first_event, datetime.now(UTC))
    st.vega_lite_chart(spec=figure, key="xp-over-time", alt="XP over time")
else:
    st.caption("No XP yet: XP arrives when a challenge passes verification.")

st.subheader("Activity")
if events:
    first_day = min(per_day)
    weeks = charts.calendar_weeks(first_day, engine.today)
    calendar = charts.activity_calendar(per_day, engine.today, weeks)
    # Drawn at its own width (square cells) unless the history is long enough to fill the page.
    fixed = charts.calendar_is_fixed(weeks)
    st.vega_lite_chart(
        spec=calendar,
        key="activity",
        width="content" if fixed else "stretch",
        alt="Events per day",
    )
    days = "day" if len(per_day) == 1 else "days"
    st.caption(f"{len(events)} events on {len(per_day)} {days}, by local day. Darker is busier.")
else:
    st.caption("No activity yet.")

levels_col, tags_col = st.columns(2)
with levels_col:
    st.subheader("Levels")
    levels = charts.completion_bars(summaries.completion_by_level(engine))
    st.vega_lite_chart(spec=levels, key="levels", alt="Verified challenges per level")
with tags_col:
    st.subheader("Skills")
    by_tag = summaries.completion_by_tag(engine)
    if by_tag:
        # The skills most challenges teach; the full list folds into a compact table.
        st.vega_lite_chart(
            spec=charts.completion_bars(by_tag[:SKILLS_CHARTED]),
            key="skills",
            alt="Verified challenges per skill",
        )
        if len(by_tag) > SKILLS_CHARTED:
            with st.expander(f"All {len(by_tag)} skills"):
                st.dataframe(
                    {
                        "skill": [row.label for row in by_tag],
                        "verified": [row.verified for row in by_tag],
                        "challenges": [row.total for row in by_tag],
                        "done": [row.verified / row.total for row in by_tag],
                    },
                    hide_index=True,
                    column_config={
                        "done": st.column_config.ProgressColumn(
                            "done", min_value=0.0, max_value=1.0, format="percent"
                        )
                    },
                    key="skills-table",
                )
    else:
        st.caption("No challenge carries a skill tag yet.")
