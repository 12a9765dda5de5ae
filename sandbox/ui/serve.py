"""What ``sandbox dashboard`` serves: ``app.py`` behind the gate of :mod:`sandbox.dashboard_gate`.

``streamlit run sandbox/ui/serve.py`` finds the ``st.App`` below and serves the same
pages as ``streamlit run app.py``, with every request and websocket passing the gate
first (Host, Origin and the dashboard token).
"""

import streamlit as st
from starlette.middleware import Middleware

from sandbox.dashboard_gate import Gate
from sandbox.paths import repo_root

app = st.App(str(repo_root() / "app.py"), middleware=[Middleware(Gate)])
