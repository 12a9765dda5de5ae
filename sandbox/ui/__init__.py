"""The Streamlit dashboard: pages in ``pages/``, the Streamlit pieces they share in
``components``.

With ``app.py`` this is the only package that imports streamlit, and it holds nothing
else: what the pages compute without Streamlit lives in the core (``sandbox.summaries``,
``sandbox.charts``, ``sandbox.explain_cases``, ``sandbox.lab_session``, ``sandbox.mlflow_ui``,
``sandbox.ui_state``, ``sandbox.active_profile``), where it is tested without a page. Every number a
page shows comes from the learner's stores: progress through
:class:`sandbox.game.GameEngine`, runs and studies through
:mod:`sandbox.integrations`, and query results from the shipped datasets
through :mod:`sandbox.sql_lab`. ``sandbox dashboard`` serves ``app.py`` through
:mod:`sandbox.ui.serve`, behind the Host, Origin and token checks of
:mod:`sandbox.dashboard_gate`.
"""
