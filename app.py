"""The dashboard's entry point (`streamlit run app.py`): page setup and navigation only."""

import streamlit as st

st.set_page_config(page_title="Data Science Sandbox", page_icon="🧪", layout="wide")

pg = st.navigation(
    [
        st.Page("sandbox/ui/pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("sandbox/ui/pages/challenges.py", title="Challenges", icon=":material/extension:"),
        st.Page("sandbox/ui/pages/badges.py", title="Badges", icon=":material/military_tech:"),
        st.Page("sandbox/ui/pages/progress.py", title="Progress", icon=":material/monitoring:"),
        st.Page("sandbox/ui/pages/settings.py", title="Settings", icon=":material/settings:"),
    ]
)
pg.run()
