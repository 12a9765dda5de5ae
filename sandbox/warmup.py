"""Warming the dashboard's server process up in the background, once, after it starts.

The labs' first actions each pay a one-time cost in a fresh server process: importing
MLflow (~2 s), SHAP (~3 s) and scikit-learn, and reading every shipped dataset into the
SQL Lab's DuckDB session. ``sandbox dashboard`` asks for a warm-up (``SANDBOX_WARMUP=1``
in Streamlit's environment); ``app.py`` then starts one daemon thread that does that work
a few seconds after the first page, so a learner who reaches a lab finds it ready. It
warms nothing up in tests (AppTest runs ``app.py`` without the variable) and it changes
nothing a page shows: a page that gets there first simply does the work itself.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
import time
from collections.abc import Callable

WARMUP_ENV = "SANDBOX_WARMUP"
# Let the first page render before the imports compete with it for the interpreter.
DELAY_SECONDS = 3.0
MODULES = ("sklearn.ensemble", "mlflow", "mlflow.sklearn", "shap", "lime.lime_tabular", "optuna")

_lock = threading.Lock()
_thread: threading.Thread | None = None
#: What the warm-up finished, in order, with the seconds each step took (for the benchmark).
done: list[tuple[str, float]] = []


def wanted() -> bool:
    return os.environ.get(WARMUP_ENV) == "1"


def _work(delay: float) -> None:
    time.sleep(delay)
    for module in MODULES:
        _step(f"import {module}", functools.partial(importlib.import_module, module))
    from sandbox import lab_session

    _step("SQL Lab session", lab_session.get)


def _step(name: str, action: Callable[[], object]) -> None:
    started = time.monotonic()
    try:
        action()
    except Exception:  # a missing optional library: the page reports it when it is used
        return
    done.append((name, time.monotonic() - started))


def start_once(delay: float = DELAY_SECONDS) -> bool:
    """Start the warm-up thread unless it was started before; return whether it started now."""
    global _thread
    with _lock:
        if _thread is not None:
            return False
        _thread = threading.Thread(target=_work, args=(delay,), name="sandbox-warmup", daemon=True)
        _thread.start()
        return True


def wait(timeout: float | None = None) -> bool:
    """Wait for a started warm-up to finish; return whether it has (False: none started)."""
    thread = _thread
    if thread is None:
        return False
    thread.join(timeout)
    return not thread.is_alive()
