"""The Streamlit dashboard: pages in ``pages/``, shared pieces beside them.

With ``app.py`` this is the only package that imports streamlit. Every number a
page shows comes from the learner's stores: progress through
:class:`sandbox.game.GameEngine`, runs and studies through
:mod:`sandbox.integrations`, and query results from the shipped datasets
through :mod:`sandbox.sql_lab`. ``sandbox dashboard`` serves ``app.py`` through
:mod:`sandbox.ui.serve`, behind the Host, Origin and token checks of
:mod:`sandbox.ui.gate`.
"""
