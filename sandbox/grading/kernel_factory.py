"""Warm kernels for the authoring check: one process imports a challenge's libraries once and
forks a fresh kernel from itself for each notebook run.

``sandbox dev check`` runs each challenge's notebook a dozen times or more (the starter, the
reference, every wrong, fabricated and alternative answer). A kernel started from scratch
imports pandas, scikit-learn or MLflow again every time, seconds of each run. A kernel forked
from the factory starts with those modules imported and nothing else done: no cell of any
notebook ever runs in the factory, each kernel is a new process with the run's own
environment, working directory and random state, and it is gone when the run ends. Clean
verification of a learner's notebook keeps starting its kernel from scratch.

``python -m sandbox.grading.kernel_factory SOCKET MODULE...`` imports the modules, says
``ready`` on stdout, then answers one JSON request per connection on the Unix socket
``SOCKET``::

    {"op": "spawn", "argv": [..., "-m", "ipykernel_launcher", "-f", "kernel.json"],
     "env": {...}, "cwd": "/path"}        → {"pid": 1234}  (a kernel in a session of its own)
    {"op": "poll", "pid": 1234}           → {"alive": true}
    {"op": "signal", "pid": 1234, "signum": 9} → {"sent": true}  (to the kernel's process group)
    {"op": "kill"}                        → {"killed": 3}  (every kernel and what it started)

The factory is a child subreaper, so whatever a kernel starts, even detached with ``setsid``
or a double fork, stays the factory's descendant until ``kill`` ends it; it dies with the
process that started it.

The factory reaps a kernel as soon as it ends, and then its pid is free for any new process
on the machine. So the kernel manager neither polls nor signals a kernel by its pid: it asks
the factory, which signals only a kernel it has not reaped yet.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

from sandbox.catalogue import Challenge
from sandbox.errors import GradingError

READY_TIMEOUT = 120.0
#: The kernel's own machinery, imported in the factory whatever the challenge.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython")


def modules_to_preload(challenge: Challenge) -> list[str]:
    """Modules the challenge's notebook and solution import, and the libraries that the
    sandbox's modules they import load when called (``sandbox.integrations.explain`` loads shap
    inside its functions). Not the sandbox's own modules: they read the data home and the data
    variant from the environment of each run."""
    from sandbox.grading.reference import read_notebook

    cells = read_notebook(challenge.notebook).cells
    sources = [str(c.source) for c in cells if c.cell_type == "code"]
    sources.append(challenge.solution_file.read_text(encoding="utf-8"))
    modules: list[str] = []
    ours: list[str] = []
    # Names bound by an import stay bound in later cells: one kernel runs them all.
    notebook_names: dict[str, str] = {}
    for source in sources:
        for name in _imports(source, notebook_names):
            (ours if name.split(".")[0] == "sandbox" else modules).append(name)
    for name in dict.fromkeys(ours):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            source = Path(spec.origin).read_text(encoding="utf-8")
            modules += [m for m in _imports(source) if m.split(".")[0] != "sandbox"]
    return [m for m in dict.fromkeys(modules) if m != "__future__"]


def _imports(source: str, aliases: dict[str, str] | None = None) -> list[str]:
    """Every module ``source`` imports, at any depth; ``from a import b`` gives ``a`` and
    ``a.b`` (``b`` may be a module). Attribute paths on an imported module are candidates too:
    ``optuna.visualization.plot_contour(…)`` loads ``optuna.visualization`` on first use.
    A candidate that is not a module fails to import in the factory, at no cost to a run.

    ``aliases``: the names earlier cells bound to modules (updated with this source's)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell with IPython magics: its imports load in the kernel
        return []
    names: list[str] = []
    aliases = {} if aliases is None else aliases
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
            for alias in node.names:  # `import a.b` binds a; `import a.b as c` binds c to a.b
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            if node.module.split(".")[0] == "sandbox":
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            path = _attribute_path(node)
            if path and path[0] in aliases and len(path) > 2:
                names.append(".".join([aliases[path[0]], *path[1:-1]]))
    return names


def _attribute_path(node: ast.Attribute) -> list[str]:
    """``a.b.c`` as ``["a", "b", "c"]``; empty when the chain does not start at a name."""
    parts = [node.attr]
    value = node.value
    while isinstance(value, ast.Attribute):
        parts.append(value.attr)
        value = value.value
    return [value.id, *reversed(parts)] if isinstance(value, ast.Name) else []


class KernelFactory:
    """Starts a kernel factory for one challenge and data home; stops it on :meth:`close`."""

    def __init__(self, challenge: Challenge, home: Path) -> None:
        from sandbox.grading.verify import kernel_env
        from sandbox.paths import workspace_dir

        self._folder = Path(tempfile.mkdtemp(prefix="sandbox-kernels-"))  # private: mode 0700
        self.socket = self._folder / "socket"
        workdir = workspace_dir(home)
        workdir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-Xfrozen_modules=off",  # as the kernel spec starts a kernel
            "-m",
            "sandbox.grading.kernel_factory",
            str(self.socket),
            *KERNEL_MODULES,
            *modules_to_preload(challenge),
        ]
        self.process = subprocess.Popen(
            command,
            cwd=workdir,  # `python -m` puts the working directory first on sys.path, as a kernel's
            env=kernel_env(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        # The imports take a few seconds; a factory that never says ready is not waited for.
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            said = self.process.stdout.readline() if selector.select(READY_TIMEOUT) else ""
        if said.strip() != "ready":
            self.close()
            raise GradingError(
                f"The kernel factory of {challenge.id} did not start within {READY_TIMEOUT:.0f} s."
            )

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # it kills its kernels on the way out
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def request(path: str | Path, message: dict[str, Any], timeout: float = 60.0) -> dict[str, Any]:
    """Send one request to the factory listening on ``path`` and return its answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(json.dumps(message).encode() + b"\n")
        answer = _read_line(connection)
    reply = json.loads(answer)
    if "error" in reply:
        raise GradingError(f"The kernel factory refused: {reply['error']}")
    return dict(reply)


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class ForkedKernel:
    """What jupyter_client asks of a kernel's process (poll, wait, signals), for a kernel the
    factory forked: it is the factory's child, so the factory answers for it."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, factory_socket: str) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._factory = factory_socket

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                alive = request(self._factory, {"op": "poll", "pid": self.pid})["alive"]
            except (OSError, GradingError):  # the factory is gone, and its kernels with it
                alive = False
            if not alive:
                self.returncode = -1  # the factory keeps the exit status; only "gone" matters
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.05)
        return code

    def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group, unless the kernel has ended (its pid may be
        another process's by now)."""
        with contextlib.suppress(OSError, GradingError):
            request(self._factory, {"op": "signal", "pid": self.pid, "signum": int(signum)})

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def kernel_manager(factory_socket: str, kernel_name: str) -> Any:
    """A jupyter_client kernel manager whose kernel is forked by the factory at ``factory_socket``."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            env = kwargs.get("env") or dict(os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            reply = request(factory_socket, {"op": "spawn", "argv": cmd, "env": env, "cwd": cwd})
            pid = int(reply["pid"])
            self.process = ForkedKernel(pid, factory_socket)  # type: ignore[assignment]
            self.pid = pid
            self.pgid = None  # never signalled here by number: see send_signal
            self.cwd = cwd
            return self.connection_info

        async def send_signal(self, signum: int) -> None:
            # The factory signals the kernel's group (a session of its own), and only while the
            # kernel lives: once reaped, its number may belong to any process on the machine.
            if self.process:
                self.process.send_signal(signum)

    manager = AsyncKernelManager(kernel_name=kernel_name)  # as nbclient makes its own
    manager.kernel_id = str(uuid.uuid4())
    manager.provisioner = ForkedProvisioner(
        kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager
    )
    return manager


# ---------------------------------------------------------------------------------------------
# The factory process


def _become_kernel(argv: list[str], env: dict[str, str], cwd: str) -> NoReturn:
    """In the forked child: turn into the kernel ``argv`` names, as if started by it."""
    try:
        os.setsid()
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})  # blocked around the fork
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.path[0] = cwd
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # a fresh process draws its own; a fork would copy the factory's
        module = argv.index("-m") + 1
        if argv[module] != "ipykernel_launcher":
            os._exit(2)
        sys.argv = [argv[module], *argv[module + 1 :]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv[module + 1 :])
    except BaseException:
        os._exit(1)
    os._exit(0)


#: The kernels this factory forked and has not reaped: the only pids it signals on request.
_kernels: set[int] = set()


def _reap(signum: int, frame: Any) -> None:
    # Runs in the main thread between requests' bytecodes, so a request never sees a kernel
    # that is reaped but still listed.
    with contextlib.suppress(ChildProcessError):
        while pid := os.waitpid(-1, os.WNOHANG)[0]:
            _kernels.discard(pid)


def main(argv: list[str]) -> int:
    from sandbox.grading.runner import (
        _PR_SET_CHILD_SUBREAPER,
        _PR_SET_PDEATHSIG,
        _prctl,
        kill_descendants,
    )

    path, modules = argv[0], argv[1:]
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    def stop(signum: int, frame: Any) -> None:
        kill_descendants(grace=1.0)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    for name in modules:
        with contextlib.suppress(Exception):  # a module that fails loads (and fails) in the kernel
            importlib.import_module(name)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()
    signal.signal(signal.SIGCHLD, _reap)
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        with connection:
            try:
                message = json.loads(_read_line(connection))
                if message.get("op") == "spawn":
                    # SIGCHLD waits until the new kernel is listed, so that a kernel that ends
                    # at once is not reaped before it is listed (and then listed for ever).
                    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
                    try:
                        pid = os.fork()
                        if pid == 0:
                            connection.close()
                            server.close()
                            _become_kernel(
                                list(message["argv"]), dict(message["env"]), str(message["cwd"])
                            )
                        _kernels.add(pid)
                    finally:
                        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
                    reply: dict[str, Any] = {"pid": pid}
                elif message.get("op") == "poll":
                    reply = {"alive": int(message["pid"]) in _kernels}
                elif message.get("op") == "signal":
                    sent = int(message["pid"]) in _kernels
                    if (
                        sent
                    ):  # a zombie not yet reaped still holds its number: no other process has it
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(int(message["pid"]), int(message["signum"]))
                    reply = {"sent": sent}
                elif message.get("op") == "kill":
                    reply = {"killed": kill_descendants()}
                    _kernels.clear()
                else:
                    reply = {"error": f"unknown request {message.get('op')!r}"}
            except (ValueError, KeyError, TypeError, OSError) as exc:
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            with contextlib.suppress(OSError):
                connection.sendall(json.dumps(reply).encode() + b"\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
