"""The dashboard's entry point (`streamlit run app.py`): page setup and navigation only."""

import streamlit as st

from sandbox import warmup

st.set_page_config(page_title="Data Science Sandbox", page_icon="🧪", layout="wide")
if warmup.wanted():  # under `sandbox dashboard`: ready the labs in the background, once
    warmup.start_once()

pg = st.navigation(
    {
        "Sandbox": [
            st.Page("sandbox/ui/pages/home.py", title="Home", icon=":material/home:", default=True),
            st.Page(
                "sandbox/ui/pages/challenges.py", title="Challenges", icon=":material/extension:"
            ),
            st.Page("sandbox/ui/pages/badges.py", title="Badges", icon=":material/military_tech:"),
            st.Page("sandbox/ui/pages/progress.py", title="Progress", icon=":material/monitoring:"),
            st.Page("sandbox/ui/pages/settings.py", title="Settings", icon=":material/settings:"),
        ],
        "Labs": [
            st.Page("sandbox/ui/pages/sql_lab.py", title="SQL Lab", icon=":material/database:"),
            st.Page(
                "sandbox/ui/pages/experiments.py", title="Experiments", icon=":material/science:"
            ),
            st.Page("sandbox/ui/pages/tuning.py", title="Tuning", icon=":material/tune:"),
            st.Page("sandbox/ui/pages/explain.py", title="Explain", icon=":material/psychology:"),
            st.Page(
                "sandbox/ui/pages/own_data.py", title="Your data", icon=":material/table_view:"
            ),
        ],
    },
    expanded=True,
)
pg.run()
