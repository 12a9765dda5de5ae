"""The Streamlit dashboard: pages in ``pages/``, shared pieces beside them.

With ``app.py`` this is the only package that imports streamlit. Every number a
page shows comes from the learner's store through :class:`sandbox.game.GameEngine`.
"""
