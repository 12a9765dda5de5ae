"""The Docker image's recipe, exercised without a Docker engine.

The Dockerfile's build step is `scripts/setup` with VENV=/opt/venv; this test runs that
same script into a fresh virtual environment, then runs the image's default command and
its health check (on a free port) and `sandbox status` with the image's environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from filelock import FileLock

from sandbox.jupyter import free_port

ROOT = Path(__file__).resolve().parent.parent
# The learner's environment (requirements.txt only) installs in 2–3 minutes from a warm pip
# cache; this stays well under pytest's 900 s timeout for the test that builds it.
BUILD_TIMEOUT_SECONDS = 780
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instruction(name: str) -> list[str]:
    """Every value of a Dockerfile instruction (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.+)$", text, re.MULTILINE)]


def exec_form(value: str) -> list[str]:
    assert value.startswith("["), f"use the exec form: {value}"
    return list(json.loads(value))


def test_dockerfile_shape() -> None:
    assert instruction("FROM") == ["python:3.11-slim"]
    users = instruction("USER")
    assert users and users[-1] not in ("root", "0")
    assert "/data" in instruction("VOLUME")[0]
    assert instruction("EXPOSE") == ["8501 8888"]
    env = " ".join(instruction("ENV"))
    assert "SANDBOX_HOME=/data" in env and "/opt/venv/bin" in env
    assert any("VENV=/opt/venv" in run and "scripts/setup" in run for run in instruction("RUN"))
    assert "/_stcore/health" in instruction("HEALTHCHECK")[0]
    assert exec_form(instruction("CMD")[0])[:2] == ["sandbox", "dashboard"]


DEV_TOOLS = ("pytest", "playwright", "mypy", "ruff")


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    return {line.split("==")[0].lower(): line for line in lines if "==" in line and line[0] != "#"}


def test_running_and_developing_requirements_are_split() -> None:
    running, developing = pins("requirements.txt"), pins("requirements-dev.txt")
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert not set(running) & set(developing), "each package is pinned in one file"
    assert not set(DEV_TOOLS) & set(running)
    assert set(DEV_TOOLS) | {"pytest-timeout", "pytest-xdist"} <= set(developing)
    assert all(line.count("==") == 1 for line in [*running.values(), *developing.values()])
    # The image and the dashboard script install what running needs; the tests add the rest.
    assert "--dev" not in (ROOT / "scripts" / "dashboard").read_text()
    assert "scripts/setup --dev" in (ROOT / "scripts" / "test").read_text()


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The image's environment, built by the image's own recipe, once per test session."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # this session's folder, shared by its workers
    venv = root / "image-venv"
    built = venv / ".built-by-the-image-recipe"
    # Tests on other workers wait for the one build instead of installing a second copy.
    with FileLock(str(root / "image-venv.lock")):
        if not built.exists():
            shutil.rmtree(venv, ignore_errors=True)  # a build that failed half-way
            _build(venv)
            built.touch()
    return venv


def _build(venv: Path) -> None:
    build = next(run for run in instruction("RUN") if "scripts/setup" in run)
    command = build.split("&&")[0].replace("/opt/venv", str(venv))
    # Within pytest's own timeout, and the whole install (pip and its builds) stops with it.
    build_process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = build_process.communicate(timeout=BUILD_TIMEOUT_SECONDS)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build_process.pid, signal.SIGKILL)
        build_process.wait()
    assert build_process.returncode == 0, out[-2000:] + err[-2000:]


def image_env(venv: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "VIRTUAL_ENV"))}
    env.update({"PATH": f"{venv / 'bin'}:{env.get('PATH', '')}", "SANDBOX_HOME": str(data)})
    return env


@pytest.mark.slow
def test_sandbox_commands_run_in_the_image_environment(image_venv: Path, tmp_path: Path) -> None:
    env = image_env(image_venv, tmp_path / "data")
    status = subprocess.run(
        ["sandbox", "status", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["data_home"] == str(tmp_path / "data")
    doctor = subprocess.run(
        ["sandbox", "doctor", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    checks = {c["name"]: c["ok"] for c in json.loads(doctor.stdout)["checks"]}
    assert checks["jupyter kernel"] and checks["data home writable"], doctor.stdout
    probe = "import importlib.util as u; print([m for m in {!r} if u.find_spec(m)])"
    tools = subprocess.run(
        ["python", "-c", probe.format(DEV_TOOLS)], env=env, capture_output=True, text=True
    )
    assert tools.stdout.strip() == "[]", "the learner's environment has no test or lint tools"


@pytest.mark.slow
def test_default_command_serves_and_passes_the_health_check(
    image_venv: Path, tmp_path: Path
) -> None:
    env = image_env(image_venv, tmp_path / "data")
    port = str(free_port())
    command = [port if part == "8501" else part for part in exec_form(instruction("CMD")[0])]
    health = [
        part.replace("8501", port)
        for part in exec_form(instruction("HEALTHCHECK")[0].split("CMD", 1)[1].strip())
    ]
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline_checks = 60
        for _ in range(deadline_checks):
            if subprocess.run(health, env=env, capture_output=True, timeout=10).returncode == 0:
                break
            assert server.poll() is None, "the dashboard exited"
            time.sleep(1)
        else:
            raise AssertionError(f"health check never passed: {shlex.join(health)}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
