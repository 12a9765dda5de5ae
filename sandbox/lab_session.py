"""The one SQL lab session of the dashboard process, built on the first query.

Building it reads every shipped dataset (scikit-learn's bundled sets included),
which takes a second or more, so the SQL Lab page shows the registry until a
query needs the tables. The session is shared by every browser tab: each query
runs on its own DuckDB cursor.
"""

from __future__ import annotations

import threading

from sandbox.sql_lab import SqlSession

_lock = threading.Lock()
_session: SqlSession | None = None


def existing() -> SqlSession | None:
    """The session if one was built already, without building it."""
    return _session


def get() -> SqlSession:
    """The session, built now if this is the first query of the process."""
    global _session
    with _lock:
        if _session is None:
            _session = SqlSession()
        return _session
