"""Bridges to the heavy data-science libraries, shared by notebooks, the CLI and the dashboard.

``tracking`` (MLflow), ``tuning`` (Optuna), ``explain`` (SHAP and LIME) and
``diagnostics`` (Yellowbrick) all resolve their stores from the learner's data
home (:func:`sandbox.paths.data_home`), so a notebook kernel, ``sandbox`` on
the command line and the dashboard see the same runs and studies.

Importing this package or any of its modules is cheap: the libraries
themselves are imported inside the functions that use them (ruff TID253
enforces it), because ``sandbox status`` and the dashboard's home page must
start fast.

This module also holds the two things the figure-making modules share: the
integration errors and a pyplot scope that never opens a window and never
leaks figures between calls.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sandbox.errors import IntegrationError, NotEnoughTrialsError, UnknownStudyError

if TYPE_CHECKING:
    from types import ModuleType

    from matplotlib.figure import Figure

__all__ = [
    "IntegrationError",
    "NotEnoughTrialsError",
    "UnknownStudyError",
    "figure_scope",
    "headless_pyplot",
]


# GUI toolkits whose backends open windows (matplotlib's names for them). Tk in particular crashes
# when used from Streamlit's script threads. File backends and notebook backends are kept.
_WINDOWING_TOOLKITS = {"tk", "qt", "gtk3", "gtk4", "wx", "macosx"}

# pyplot keeps one global "current figure"; SHAP and Yellowbrick draw on it. Streamlit runs each
# session in its own thread, so figure construction is serialised to keep sessions from drawing
# on each other's figures.
_PYPLOT_LOCK = threading.RLock()


def headless_pyplot() -> ModuleType:
    """Return ``matplotlib.pyplot`` on a backend that never opens a window.

    The Agg backend is chosen unless the process already picked one that
    opens no window. Jupyter's inline backend (which ipykernel exports
    through ``MPLBACKEND``) is kept, so figures still show in notebooks; a
    windowing backend (Tk, Qt, GTK, wx, macOS) is replaced by Agg.
    """
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
        # Deciding before pyplot's first import avoids probing for GUI toolkits at all.
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.registry import backend_registry

    try:
        toolkit = backend_registry.resolve_backend(plt.get_backend())[1]  # type: ignore[no-untyped-call]
    except (RuntimeError, ValueError):  # a third-party backend matplotlib cannot classify
        toolkit = None
    if toolkit in _WINDOWING_TOOLKITS:
        plt.switch_backend("Agg")
    return plt


@contextmanager
def figure_scope(figsize: tuple[float, float] | None = None) -> Iterator[Figure]:
    """Yield a fresh current figure; on exit, close every figure opened inside the block.

    Closing only detaches figures from pyplot's registry: the Figure object
    the caller returns still renders with ``savefig`` or ``st.pyplot``. It
    also keeps Jupyter's inline backend from showing the figure a second time
    at the end of the cell.
    """
    with _PYPLOT_LOCK:
        plt = headless_pyplot()
        before = set(plt.get_fignums())
        fig = plt.figure(figsize=figsize)
        try:
            yield fig
        finally:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)
