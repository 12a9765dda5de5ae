"""The dashboard process and the servers it leaves behind.

``sandbox dashboard`` runs Streamlit as its child (:func:`run_dashboard`): signals reach
Streamlit, and when it exits the MLflow UI and JupyterLab that its pages started in the
background, for any profile of the data home, are stopped and reaped
(:func:`stop_background_servers`). Streamlit's environment asks for the labs' warm-up
(:mod:`sandbox.warmup`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sandbox import processes
from sandbox.paths import list_profiles, local_env, profile_home, repo_root


def dashboard_command(port: int, host: str, develop: bool = False) -> list[str]:
    """The ``streamlit run`` command line of the dashboard (``sandbox/ui/serve.py``: the app
    behind the access gate of :mod:`sandbox.dashboard_gate`).

    Streamlit's file watcher walks the checkout (``.venv`` included) and floods the log with
    "Inotify queue overflowed" on a large tree; learners never edit the pages, so it is off
    unless ``develop`` asks for pages that reload when their source changes.
    """
    return [
        sys.executable, "-m", "streamlit", "run", str(repo_root() / "sandbox" / "ui" / "serve.py"),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--server.enableXsrfProtection", "true", "--server.enableCORS", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "auto" if develop else "none",
    ]  # fmt: skip


def stop_background_servers(base: Path) -> list[str]:
    """Stop the MLflow UI and JupyterLab of every profile in ``base``; return what was stopped."""
    from sandbox import mlflow_ui
    from sandbox.jupyter import stop_lab

    stopped = []
    for profile in list_profiles(base):
        home = profile_home(base, profile)
        if mlflow_ui.stop(home):
            stopped.append(f"MLflow UI ({profile})")
        if stop_lab(home):
            stopped.append(f"JupyterLab ({profile})")
    return stopped


def dashboard_env(base: Path, token: str, hosts: list[str]) -> dict[str, str]:
    """Streamlit's environment: the data home, the access token and the hosts the gate admits
    (in the environment, which other users cannot read), and a warm-up of the labs."""
    from sandbox.dashboard_gate import HOSTS_ENV, TOKEN_ENV
    from sandbox.warmup import WARMUP_ENV

    return {**local_env(base), WARMUP_ENV: "1", TOKEN_ENV: token, HOSTS_ENV: ",".join(hosts)}


def run_dashboard(
    base: Path, port: int, host: str, token: str, hosts: list[str], develop: bool = False
) -> int:
    """Run the dashboard on the data home ``base`` until it exits; return its exit code."""
    return processes.run_forwarding_signals(
        dashboard_command(port, host, develop),
        dashboard_env(base, token, hosts),
        cleanup=lambda: stop_background_servers(base),
        cwd=repo_root(),  # the checkout's .streamlit/config.toml (theme, no telemetry) applies
    )
