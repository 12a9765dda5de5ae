"""The ``sandbox`` command line (also ``python -m sandbox``).

A thin layer over the core: commands call the core, and any :class:`SandboxError`
becomes one line on stderr and an exit code, the same for every command:

0   done (also when the learner declines a question: nothing was asked of the sandbox)
1   a domain error or a failed check: an unknown challenge, task or level, a refused request
    (:class:`~sandbox.errors.RefusedError`), a damaged store, a verification that did not pass
2   a usage error: the command line itself is malformed (an unknown option, a missing
    argument, options that do not go together, a name that is not a valid slug)

``--home`` and ``--profile`` go before or after the command. Every read command takes
``--json``; the shapes are documented on each command and in the README's CLI reference.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from sandbox.console import json_text
from sandbox.errors import SandboxError, StorageError, UsageError
from sandbox.game import ChallengeState, GameEngine
from sandbox.learner import Learner
from sandbox.paths import KERNEL_NAME, validate_slug

EXIT_DOMAIN = 1
EXIT_USAGE = 2


#: The options every command takes, before or after its name.
GLOBAL_OPTIONS = ("home", "profile")


def _plain_flags(params: list[Any]) -> list[Any]:
    """Flags need no type in --help: Typer would print ``<bool>`` beside each."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


def _global_after_command(ctx: typer.Context, param: Any, value: Any) -> None:
    """``sandbox status --home X``: the same as ``sandbox --home X status``."""
    if value is None or param.name is None:
        return
    root = ctx.find_root()
    options = root.obj if isinstance(root.obj, dict) else {}
    given = options.get(param.name)
    if given is not None and given != value:
        raise typer.BadParameter(
            f"given before and after the command, with different values ({given}, {value}).",
            ctx=ctx,
            param=param,
        )
    options[param.name] = value
    root.obj = options


class _SandboxCommand(TyperCommand):
    """A command that also takes ``--home`` and ``--profile`` after its name."""

    _globals: list[Any] | None = None

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]
        params = super().get_params(ctx)
        if self._globals is None:
            import copy

            root = ctx.find_root().command
            self._globals = []
            for param in root.params:
                if param.name in GLOBAL_OPTIONS:
                    twin = copy.copy(param)
                    twin.expose_value = False
                    twin.callback = cast(Any, _global_after_command)
                    self._globals.append(twin)
        help_option = [p for p in params if p.name == "help"]
        own = [p for p in params if p.name != "help"]
        return _plain_flags([*own, *self._globals, *help_option])


class _SandboxTyper(typer.Typer):
    """Every command of this app is a :class:`_SandboxCommand`."""

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", _SandboxCommand)
        return super().command(*args, **kwargs)


class _SandboxGroup(TyperGroup):
    """Turns SandboxError into one clear line and an exit code, never a traceback."""

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]
        return _plain_flags(super().get_params(ctx))

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SandboxError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_DOMAIN) from None
        except OSError as exc:  # the last net: every known write site raises StorageError
            where = f" {exc.filename}" if exc.filename else ""
            typer.secho(
                f"error: the sandbox could not use{where}: {exc.strerror or exc}. Nothing was "
                "changed there; free disk space or fix permissions, then try again.",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(EXIT_DOMAIN) from None


app = _SandboxTyper(
    cls=_SandboxGroup,
    help="Data Science Sandbox: learn data science by doing. XP comes only from verified work.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    home: Path | None = typer.Option(
        None,
        "--home",
        help="Data home to use (default: $SANDBOX_HOME, else the user-data folder). Before or "
        "after the command.",
    ),
    profile: str | None = typer.Option(
        None,
        "--profile",
        help="Learner profile inside the data home (default: the default profile). Before or "
        "after the command.",
    ),
) -> None:
    ctx.obj = {"home": home, "profile": profile}


def _learner(ctx: typer.Context) -> Learner:
    root = ctx.find_root()
    options = root.obj or {}
    return Learner.open(options.get("home"), options.get("profile"))


def _print_json(data: Any) -> None:
    typer.echo(json_text(data))


def _iso(ts: datetime | None) -> str | None:
    return ts.isoformat() if ts else None


def _confirm(question: str) -> bool:
    """Ask a yes/no question on the terminal; no answer (end of input) is a no."""
    try:
        return bool(typer.confirm(question, default=False))
    except typer.Abort:
        typer.echo("")
        return False


JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON.")
ID_ARGUMENT_HELP = "The challenge's id, e.g. pandas-first-look (`sandbox list` shows them)."
TASK_ARGUMENT_HELP = "q1, q2, … (default: the first task that does not pass)."
YES_HELP = "Do not ask before giving up the challenge's no-help bonus."

_STATE_MARK = {
    ChallengeState.VERIFIED: "✓ verified",
    ChallengeState.IN_PROGRESS: "… in progress",
    ChallengeState.AVAILABLE: "○ available",
    ChallengeState.LOCKED: "🔒 locked",
}


@app.command()
def status(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Your XP, level, streak and badges.

    JSON: {learner, data_home, xp, level, level_name, next_level, xp_to_next_level
    (null at the top level), level_progress (0..1), streak_days, streak_freezes, badges
    (count earned), badges_earned (ids), verified, challenges, next_challenge (id or null)}.
    """
    from sandbox import status as summary

    options = ctx.find_root().obj or {}
    data = summary.current(options.get("home"), options.get("profile"))
    typer.echo(json_text(data) if as_json else summary.render(data))


@app.command("list")
def list_challenges(
    ctx: typer.Context,
    level: int | None = typer.Option(None, "--level", help="Only this level."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The challenges, in learning order, with their state.

    JSON: {challenges: [{id, level, title, state (locked|available|in_progress|verified),
    xp, xp_awarded, minutes, tags, tasks: [{id, title, outcome}], imported_not_reverified}]}.
    A task's outcome is its latest check since the challenge's last reset (PASS, FAIL,
    ERROR, NOT_ATTEMPTED; null when never checked); the text shows it as ✓ ✗ ○. A challenge
    an import claims verified but that has not been verified here is marked and earns
    nothing until `sandbox check ID`.
    """
    from sandbox.summaries import task_marks
    from sandbox.transfer import imported_not_reverified

    learner = _learner(ctx)
    engine = learner.engine()
    claims = set(imported_not_reverified(learner))
    if level is not None:
        learner.catalogue.level(level)  # unknown level: a clear error
    rows = [s for s in engine.statuses() if level is None or s.challenge.level == level]
    outcomes = {s.challenge.id: engine.task_outcomes(s.challenge.id) for s in rows}
    if as_json:
        _print_json(
            {
                "challenges": [
                    {
                        "id": s.challenge.id,
                        "level": s.challenge.level,
                        "title": s.challenge.title,
                        "state": s.state.value,
                        "xp": s.challenge.xp,
                        "xp_awarded": s.xp_awarded,
                        "minutes": s.challenge.minutes,
                        "tags": list(s.challenge.tags),
                        "tasks": [
                            {
                                "id": t.id,
                                "title": t.title,
                                "outcome": outcomes[s.challenge.id].get(t.id),
                            }
                            for t in s.challenge.tasks
                        ],
                        "imported_not_reverified": s.challenge.id in claims,
                    }
                    for s in rows
                ]
            }
        )
        return
    current = None
    for s in rows:
        if s.challenge.level != current:
            current = s.challenge.level
            lv = learner.catalogue.level(current)
            typer.echo(f"\nLevel {lv.number} · {lv.name} (from {lv.xp} XP)")
        claim = (
            "  (imported, not re-verified: `sandbox check` it)" if s.challenge.id in claims else ""
        )
        latest = outcomes[s.challenge.id]
        tasks = (
            "  " + " ".join(f"{t}{m}" for t, m in task_marks(s.challenge, latest))
            if s.state is ChallengeState.IN_PROGRESS and latest
            else ""
        )
        xp = s.xp_awarded if s.state is ChallengeState.VERIFIED else s.challenge.xp
        typer.echo(
            f"  {_STATE_MARK[s.state]:<14} {s.challenge.id:<32} {xp:>4} XP  "
            f"{s.challenge.minutes:>3} min  {s.challenge.title}{claim}{tasks}"
        )


@app.command()
def badges(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Earned badges with their date, and the locked ones with progress.

    JSON: {badges: [{id, name, description, icon, earned, earned_at, current, target}]}.
    """
    engine = _learner(ctx).engine()
    items = engine.badges()
    if as_json:
        _print_json(
            {
                "badges": [
                    {
                        "id": b.badge.id,
                        "name": b.badge.name,
                        "description": b.badge.description,
                        "icon": b.badge.icon,
                        "earned": b.earned,
                        "earned_at": _iso(b.earned_at),
                        "current": b.current,
                        "target": b.target,
                    }
                    for b in items
                ]
            }
        )
        return
    for b in items:
        when = (
            f"earned {b.earned_at.astimezone().date()}"
            if b.earned_at
            else f"{b.current}/{b.target}"
        )
        mark = b.badge.icon if b.earned else "·"
        typer.echo(f"{mark} {b.badge.name:<24} {when:<18} {b.badge.description}")


@app.command()
def log(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, help="Show the newest N events."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Your event log, newest last.

    JSON: {events: [{id, ts, kind, challenge, task, details}]} (the newest ``--limit``).
    """
    events = _learner(ctx).progress().events[-limit:]
    if as_json:
        _print_json({"events": [e.to_json() for e in events]})
        return
    if not events:
        typer.echo("No events yet. Start with `sandbox list` and `sandbox open <id>`.")
    for e in events:
        where = e.challenge or ""
        if e.task:
            where += f" {e.task}"
        extra = e.details.get("outcome") or ""
        typer.echo(f"{e.ts.astimezone():%Y-%m-%d %H:%M}  {e.kind:<9} {where} {extra}".rstrip())


@app.command()
def reset(
    ctx: typer.Context,
    challenge: str | None = typer.Option(None, "--challenge", help="Reset one challenge."),
    level: int | None = typer.Option(None, "--level", help="Reset every challenge of a level."),
    everything: bool = typer.Option(False, "--all", help="Reset all progress."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Start a challenge, a level or everything again (a backup is taken first).

    The event log keeps everything; a reset event makes earlier events of those
    challenges stop counting. Resetting a challenge also backs up your notebook and
    restores the starter.
    """
    chosen = [x for x in (challenge is not None, level is not None, everything) if x]
    if len(chosen) != 1:
        raise UsageError("Choose exactly one of --challenge ID, --level N or --all.")
    learner = _learner(ctx)
    if challenge is not None:
        learner.catalogue.get(validate_slug(challenge))  # an unknown id fails before asking
        what = f"challenge {challenge}"
    elif level is not None:
        learner.catalogue.level(level)
        what = f"every challenge of level {level}"
    else:
        what = "all your progress"
    if not yes and not _confirm(f"Reset {what}? A backup is taken first."):
        typer.echo("Nothing was reset.")  # the learner's choice: not an error (exit 0)
        return
    outcome = learner.reset(challenge_id=challenge, level=level)
    typer.echo(f"Reset {what}.")
    backup = outcome.progress_backup
    typer.echo(f"Progress backup: {backup}" if backup else "There was no progress file to back up.")
    for notebook_backup in outcome.notebook_backups:
        typer.echo(f"Notebook backup: {notebook_backup} (the starter is restored)")
    if outcome.not_restored:
        # The reset is recorded; only some notebooks still hold the learner's version.
        raise StorageError(
            "Progress is reset, but " + "; ".join(outcome.not_restored) + " Your notebook is "
            "unchanged; run `sandbox reset` again once the disk has room."
        )


def _challenge_and_task(
    learner: Learner, challenge_id: str, task_id: str | None
) -> tuple[Any, Any]:
    from sandbox.grading.hints import default_task

    challenge = learner.catalogue.get(validate_slug(challenge_id))
    task = challenge.task(task_id) if task_id else default_task(learner, challenge)
    return challenge, task


_OUTCOME_COLOUR = {
    "PASS": typer.colors.GREEN,
    "FAIL": typer.colors.RED,
    "ERROR": typer.colors.YELLOW,
}


def _print_verification(result: Any) -> None:
    for task in result.tasks:
        colour = _OUTCOME_COLOUR.get(task.outcome.value)
        typer.secho(
            f"  {task.outcome.mark} {task.task:<4} {task.outcome.value:<13} {task.message}",
            fg=colour,
        )
    for note in result.notes:
        typer.secho(f"  ! {note}", fg=typer.colors.YELLOW)
    if result.error:
        typer.secho(f"  ! {result.error}", fg=typer.colors.YELLOW)
    data = (
        "the shipped data"
        if result.seed is None
        else f"fresh data (variant {result.seed}; `--seed {result.seed}` repeats it)"
    )
    if result.passed:
        won = f"+{result.xp_awarded} XP" if result.xp_awarded else "no new XP (already verified)"
        typer.secho(
            f"Verified in {result.seconds:.1f} s on {data} — {won}.",
            fg=typer.colors.GREEN,
            bold=True,
        )
    else:
        typer.echo(
            f"Not verified ({result.seconds:.1f} s, on {data}). Fix the tasks above and run the "
            "check again."
        )


@app.command()
def check(
    ctx: typer.Context,
    challenge_id: str = typer.Argument(..., metavar="ID", help=ID_ARGUMENT_HELP),
    timeout: float = typer.Option(
        120.0, "--timeout", min=1, help="Seconds before the run is stopped."
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        min=0,
        help="Run on this variant of the data (as a past check did) instead of a fresh pick.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Verify your workspace notebook in a fresh kernel; the only way to earn XP.

    The notebook runs on a fresh variant of its datasets, so computed answers pass and
    copied numbers do not. JSON: {challenge, notebook, passed, tasks: [{task, outcome,
    message}], seconds, error, notes, xp_awarded, refused, seed}. Exit 0 when every task
    passes, 1 otherwise.
    """
    from sandbox.grading.verify import verify

    learner = _learner(ctx)
    learner.catalogue.get(validate_slug(challenge_id))  # an unknown id fails before anything

    def progress(update: Any) -> None:
        if not as_json:
            typer.echo(f"  [{update.fraction:>4.0%}] {update.message}")

    if not as_json:
        typer.echo(f"Verifying {challenge_id} in a fresh kernel…")
    result = verify(learner, challenge_id, timeout=timeout, on_progress=progress, seed=seed)
    if as_json:
        _print_json(result.to_json())
    else:
        _print_verification(result)
    if not result.passed:
        raise typer.Exit(EXIT_DOMAIN)


def next_step_text(challenge_id: str) -> str:
    """What to do once a challenge's notebook is open: the core loop, in one breath."""
    return (
        "Next: replace each ____ with your answer and run its cell; ch.q1.check() checks a task "
        f"as you go. When every task passes, run ch.submit() or `sandbox check {challenge_id}` "
        "to verify the notebook and earn its XP."
    )


@app.command("open")
def open_challenge(
    ctx: typer.Context,
    challenge_id: str = typer.Argument(..., metavar="ID", help=ID_ARGUMENT_HELP),
    no_launch: bool = typer.Option(
        False,
        "--no-launch",
        help="Only prepare the notebook: its path on stdout, the next step on stderr.",
    ),
) -> None:
    """Copy the starter into your workspace (never over your work) and open it in JupyterLab."""
    from sandbox.jupyter import run_lab

    learner = _learner(ctx)
    opened = learner.open_challenge(challenge_id)
    if no_launch:
        typer.echo(str(opened.notebook))  # alone on stdout, for scripts
        typer.echo(next_step_text(opened.challenge.id), err=True)
        return
    if opened.state is ChallengeState.LOCKED:
        typer.echo(
            "Note: this challenge is still locked (finish its prerequisites first for the best path)."
        )
    typer.echo(f"{'Created' if opened.created else 'Your notebook'}: {opened.notebook}")
    typer.echo(next_step_text(opened.challenge.id))
    raise typer.Exit(run_lab(learner.home, opened.notebook))


def _agrees_to_give_up_bonus(learner: Learner, challenge: Any, what: str) -> bool:
    """While the no-help bonus is still to be won, ask before a hint or solution gives it up."""
    from sandbox.grading.hints import help_warning

    warning = help_warning(learner, challenge, what)
    if warning is None:
        return True
    typer.echo(warning)
    if _confirm(f"Show the {what}?"):
        return True
    typer.echo(f"No {what} shown; the bonus is still yours. (--yes skips this question.)")
    return False


@app.command()
def hint(
    ctx: typer.Context,
    challenge_id: str = typer.Argument(..., metavar="ID", help=ID_ARGUMENT_HELP),
    task_id: str | None = typer.Argument(None, metavar="[TASK]", help=TASK_ARGUMENT_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help=YES_HELP),
) -> None:
    """Show the next hint of a task that does not pass yet (recorded).

    While the challenge's no-help bonus is still to be won, asks first: a hint gives it up.
    A task that passes gets no hint, nor does a challenge whose tasks all pass (exit 1).
    """
    from sandbox.grading.hints import ensure_hint_needed, next_hint, task_to_hint

    learner = _learner(ctx)
    challenge = learner.catalogue.get(validate_slug(challenge_id))
    task = challenge.task(task_id) if task_id else task_to_hint(learner, challenge)
    ensure_hint_needed(learner, challenge, task)
    if not yes and not _agrees_to_give_up_bonus(learner, challenge, "hint"):
        return
    typer.echo(next_hint(learner, challenge, task).render())


@app.command()
def solution(
    ctx: typer.Context,
    challenge_id: str = typer.Argument(..., metavar="ID", help=ID_ARGUMENT_HELP),
    task_id: str | None = typer.Argument(
        None, metavar="[TASK]", help="q1, q2, … (default: the first task that has not passed)."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=YES_HELP),
) -> None:
    """Show a task's reference answer, once all hints are seen or the task passed (recorded).

    While the challenge's no-help bonus is still to be won, asks first: a solution gives it up.
    """
    from sandbox.grading.hints import reveal_solution, solution_available

    learner = _learner(ctx)
    challenge, task = _challenge_and_task(learner, challenge_id, task_id)
    available, _ = solution_available(learner, challenge, task)
    if available and not yes and not _agrees_to_give_up_bonus(learner, challenge, "solution"):
        return
    typer.echo(
        f"# Reference solution of {challenge.id} {task.id}\n{reveal_solution(learner, challenge, task)}"
    )


@app.command()
def watch(
    ctx: typer.Context,
    challenge_id: str = typer.Argument(..., metavar="ID", help=ID_ARGUMENT_HELP),
    timeout: float = typer.Option(120.0, "--timeout", min=1, help="Seconds each run may take."),
    interval: float = typer.Option(
        1.0, "--interval", min=0.1, help="Seconds between looks at the file."
    ),
    max_checks: int = typer.Option(
        0, "--max-checks", hidden=True, help="Stop after N checks (0: never)."
    ),
) -> None:
    """Re-verify the challenge every time you save a change to its notebook (Ctrl+C to stop).

    Only a change to the cells' code or text starts a run: saving outputs alone does not.
    """
    from sandbox import workspace
    from sandbox.grading.verify import verify
    from sandbox.watching import notebook_fingerprint, watch_file

    learner = _learner(ctx)
    challenge = learner.catalogue.get(validate_slug(challenge_id))
    learner.progress()  # an unreadable store stops here, not once per save
    path, _ = workspace.prepare(learner.home, challenge)
    typer.echo(f"Watching {path} — save the notebook to re-check. Ctrl+C stops.")

    checks = {"done": 0}

    def on_change() -> bool:
        typer.echo(f"\n{datetime.now():%H:%M:%S} checking {challenge.id}…")
        try:
            _print_verification(verify(learner, challenge.id, timeout=timeout))
        except SandboxError as exc:  # an unreadable save is reported; watching goes on
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        checks["done"] += 1
        return max_checks > 0 and checks["done"] >= max_checks

    try:
        watch_file(path, on_change, interval=interval, fingerprint=notebook_fingerprint)
    except KeyboardInterrupt:
        typer.echo("\nStopped watching.")


@app.command()
def dashboard(
    ctx: typer.Context,
    port: int = typer.Option(8501, "--port", help="The port to serve the dashboard on."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind (loopback unless you ask)."
    ),
    allow_host: list[str] | None = typer.Option(
        None,
        "--allow-host",
        help="Another name the browser may use to reach the dashboard (behind a proxy, a LAN name).",
    ),
    develop: bool = typer.Option(
        False, "--dev", help="Reload pages when their source changes (for developers)."
    ),
) -> None:
    """Start the Streamlit dashboard behind an access token (open the address it prints).

    Only this machine's browser pages get in: requests whose Host is not a loopback name,
    the bound address or an --allow-host name, and websockets from other origins, are
    refused. The token is kept in dashboard-token (mode 600) in the data home. Ctrl+C or
    SIGTERM stops the dashboard and the servers it started.
    """
    from sandbox import active_profile
    from sandbox.paths import data_home
    from sandbox.servers import run_dashboard

    options = ctx.find_root().obj or {}
    base = data_home(options.get("home"))
    learner = _learner(ctx)  # validates --profile before anything starts
    if options.get("profile"):
        # The dashboard switches profiles itself; it opens on the one asked for here.
        learner.home.mkdir(parents=True, exist_ok=True)
        active_profile.save(base, options["profile"])
    token = dashboard_token(base)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "localhost") else host
    typer.echo(
        f"Dashboard on http://{shown_host}:{port}/?token={token} (data home {base}); Ctrl+C stops."
    )
    raise typer.Exit(run_dashboard(base, port, host, token, [host, *(allow_host or [])], develop))


DASHBOARD_TOKEN_FILE = "dashboard-token"


def dashboard_token(base: Path) -> str:
    """The dashboard's access token, kept (mode 600) in the data home so bookmarks keep working."""
    import secrets

    from sandbox.files import atomic_write_text

    path = base / DASHBOARD_TOKEN_FILE
    try:
        token = path.read_text(encoding="ascii").strip()
        if path.stat().st_mode & 0o077:  # readable by others: no longer a secret
            token = ""
    except (OSError, UnicodeDecodeError):
        token = ""
    if len(token) < 32 or not token.replace("-", "").replace("_", "").isalnum():
        token = secrets.token_urlsafe(32)
        atomic_write_text(path, token + "\n")  # a temp file from mkstemp: mode 600
    return token


@app.command("mlflow")
def mlflow_ui(
    ctx: typer.Context,
    port: int = typer.Option(5000, "--port", help="The port to serve the MLflow UI on."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind (loopback unless you ask)."
    ),
) -> None:
    """Start the MLflow UI on your tracking store (the runs your notebooks logged)."""
    import subprocess

    from sandbox.integrations import tracking

    learner = _learner(ctx)
    tracking.ensure_store(learner.home)
    typer.echo(
        f"MLflow UI on http://{host}:{port} for {tracking.tracking_uri(learner.home)}; Ctrl+C stops."
    )
    try:
        command = tracking.ui_command(learner.home, port=port, host=host)
        raise typer.Exit(subprocess.call(command, env=tracking.ui_env(learner.home)))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


# -- the own-data lab: `sandbox profile` and `sandbox validate` ----------------------------------


def _lab_progress(quiet: bool) -> Any:
    """A progress bar on stderr (only on a terminal, never with --json): (bar, callback)."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    bar = Progress(console=console, transient=True, disable=quiet or not console.is_terminal)
    task = bar.add_task("", total=1.0)

    def update(fraction: float, message: str) -> None:
        bar.update(task, completed=fraction, description=message)

    return bar, update


@app.command("profile")
def profile_file(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV/TSV, JSON/NDJSON, Parquet or Excel file."),
    target: str | None = typer.Option(
        None,
        "--target",
        help="Also train baseline models to predict this column (logged to MLflow).",
    ),
    schema_out: Path | None = typer.Option(
        None, "--schema-out", help="Write the generated Pandera schema (.yaml or .py)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Profile your own table: column types, issues, keys and a quality score.

    JSON: {profile: {name, rows, columns: [...], duplicate_rows, candidate_keys, issues,
    quality: {completeness, uniqueness, validity, consistency, overall}, ...},
    schema (path or null), baseline (scores, leaks, importances, run ids; or null)}.
    """
    from sandbox.owndata import lab
    from sandbox.owndata.profile import profile
    from sandbox.owndata.reading import open_table

    if schema_out is not None and schema_out.suffix.lower() not in (".yaml", ".yml", ".py"):
        raise UsageError("--schema-out takes a .yaml (to validate with) or a .py file.")
    learner = _learner(ctx)
    table = open_table(file)
    bar, update = _lab_progress(as_json)
    with bar:
        found = profile(table, on_progress=update)
    lab.record(learner.store, "profiled", found.name,
               {"rows": found.rows, "columns": len(found.columns), "quality": round(found.quality.overall, 1)})  # fmt: skip
    written = None
    if schema_out is not None:
        from sandbox.owndata import schema

        generated = schema.generate_schema(found, table)
        text = (
            schema.schema_to_python(generated)
            if schema_out.suffix.lower() == ".py"
            else schema.schema_to_yaml(generated)
        )
        written = lab.write_text(schema_out.expanduser().absolute(), text)
    result = None
    if target is not None:
        from sandbox.owndata.baseline import train_baseline

        bar, update = _lab_progress(as_json)
        with bar:
            result = train_baseline(table, found, target, learner.home, on_progress=update)
        lab.record(learner.store, "baseline", found.name,
                   {"target": target, "task": result.task, "run_ids": result.run_ids})  # fmt: skip
    if as_json:
        _print_json({"profile": found.to_json(), "schema": str(written) if written else None,
                     "baseline": result.to_json() if result else None})  # fmt: skip
        return
    q = found.quality
    typer.echo(
        f"{found.name}: {found.rows:,} rows × {len(found.columns)} columns, profiled in {found.seconds:.1f} s"
    )
    typer.echo(f"Quality {q.overall:.1f}/100 — completeness {q.completeness:.1f}, uniqueness "
               f"{q.uniqueness:.1f}, validity {q.validity:.1f}, consistency {q.consistency:.1f}")  # fmt: skip
    typer.echo(f"\n{'column':<28} {'kind':<16} {'missing':>8} {'invalid':>8} {'distinct':>9}")
    for c in found.columns:
        kind = f"{c.kind} {c.date_format}" if c.date_format else c.kind
        typer.echo(
            f"{c.name[:28]:<28} {kind[:16]:<16} {c.nulls:>8,} {c.invalid:>8,} {c.distinct:>9,}"
        )
    if found.candidate_keys:
        typer.echo(f"\nCandidate key(s): {', '.join(found.candidate_keys)}")
    typer.echo("")
    for issue in found.issues:
        mark = "!" if issue.severity == "warning" else "·"
        examples = (
            f" e.g. {', '.join(repr(e) for e in issue.examples[:3])}" if issue.examples else ""
        )
        typer.echo(f"{mark} {issue.message}{examples}")
    if written:
        typer.echo(f"\nSchema written to {written}")
    if result is not None:
        typer.echo(
            f"\nBaseline for {result.target} ({result.task}, {result.metric}, {result.rows:,} rows, cross-validated):"
        )
        typer.echo(f"  {'dummy':<20} {result.dummy.score:.3f}")
        for m in result.models:
            typer.echo(f"  {m.name:<20} {m.score:.3f} ± {m.spread:.3f}   MLflow run {m.run_id}")
        for feature, score in result.leaks:
            typer.secho(
                f"  ! `{feature}` alone scores {score:.3f}: it probably leaks the target.",
                fg=typer.colors.YELLOW,
            )
        top = ", ".join(f"{f} {v:.3g}" for f, v in result.importances[:5])
        typer.echo(f"  SHAP importance ({result.best}): {top}")


@app.command("validate")
def validate_file(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The table to check."),
    schema_file: Path = typer.Option(
        ..., "--schema", help="A Pandera YAML schema (from --schema-out)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate your own table against a Pandera schema; every failure, grouped, with the fix.

    JSON: {name, schema, passed, rows, failing_rows, seconds, failures: [{column, check,
    rows, examples: [{row, value}], fix}]}. Exit 0 when every row passes, 1 otherwise.
    """
    from sandbox.owndata import lab, schema

    learner = _learner(ctx)
    loaded = schema.load_schema(schema_file)
    bar, update = _lab_progress(as_json)
    with bar:
        report = schema.validate(file, loaded, on_progress=update)
    lab.record(learner.store, "validated", report.name,
               {"passed": report.passed, "failing_rows": report.failing_rows, "schema": schema_file.name})  # fmt: skip
    if as_json:
        _print_json(report.to_json())
    elif report.passed:
        typer.secho(
            f"✓ {report.name}: all {report.rows:,} rows pass {schema_file.name}.",
            fg=typer.colors.GREEN,
        )
    else:
        typer.echo(
            f"✗ {report.name}: {report.failing_rows:,} of {report.rows:,} rows fail {schema_file.name}."
        )
        for group in report.groups:
            shown = ", ".join(
                f"row {r}: {v!r}" if r is not None else repr(v) for r, v in group.examples[:3]
            )
            typer.secho(
                f"\n  {group.column or '(rows)'} · {group.check} · {group.rows:,} row(s)",
                fg=typer.colors.RED,
            )
            typer.echo(f"    e.g. {shown}")
            typer.echo(f"    fix: {group.fix}")
    if not report.passed:
        raise typer.Exit(EXIT_DOMAIN)


dev_app = _SandboxTyper(
    cls=_SandboxGroup, help="Tools for challenge authors.", no_args_is_help=True
)
app.add_typer(dev_app, name="dev")


@dev_app.command("check")
def dev_check(
    ids: list[str] | None = typer.Argument(
        None, metavar="[IDS]...", help="Challenges to check (default: all)."
    ),
    timeout: float = typer.Option(
        120.0, "--timeout", min=1, help="Seconds each notebook run may take."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Parallel challenges (default: cores)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Prove every challenge's grader: starter NOT_ATTEMPTED, solution PASSes, wrong answers FAIL.

    JSON: {ok, challenges: [{challenge, ok, problems, runs, seconds}]}. Exit 1 on any problem.
    """
    from sandbox.catalogue import default_catalogue
    from sandbox.grading.devcheck import run_dev_check

    catalogue = default_catalogue()
    for challenge_id in ids or []:
        catalogue.get(validate_slug(challenge_id))

    def show(report: Any) -> None:
        if not as_json:
            mark = "✓" if report.ok else "✗"
            typer.echo(f"{mark} {report.challenge:<32} {report.runs} runs  {report.seconds:6.1f} s")
            for problem in report.problems:
                typer.secho(f"    - {problem}", fg=typer.colors.RED)

    reports = run_dev_check(catalogue, ids or [], timeout=timeout, workers=workers, on_report=show)
    ok = all(r.ok for r in reports)
    if as_json:
        _print_json({"ok": ok, "challenges": [r.to_json() for r in reports]})
    else:
        bad = sum(1 for r in reports if not r.ok)
        typer.echo(f"\n{len(reports) - bad}/{len(reports)} challenges prove their grader.")
    if not ok:
        raise typer.Exit(EXIT_DOMAIN)


@dev_app.command("build")
def dev_build(
    ids: list[str] | None = typer.Argument(
        None, metavar="[IDS]...", help="Challenges to build (default: all)."
    ),
) -> None:
    """Write starter notebooks from each challenge's starter.py."""
    from sandbox.catalogue import default_catalogue
    from sandbox.grading.authoring import build, starter_source

    catalogue = default_catalogue()
    chosen = [catalogue.get(validate_slug(i)) for i in ids] if ids else list(catalogue)
    for challenge in chosen:
        if not starter_source(challenge).is_file():
            typer.echo(f"- {challenge.id}: no starter.py (notebook edited by hand)")
            continue
        changed = build(challenge)
        typer.echo(f"{'✎' if changed else '='} {challenge.notebook}")


@app.command()
def profiles(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """The learner profiles in this data home (each has its own progress and workspace).

    JSON: {data_home, profiles: [{name, home, xp, verified}]}.
    """
    from sandbox.paths import data_home, list_profiles

    root = ctx.find_root().obj or {}
    base = data_home(root.get("home"))
    rows = []
    for name in list_profiles(base):
        learner = Learner.open(base, name)
        engine = GameEngine(learner.catalogue, learner.progress().events)
        rows.append(
            {
                "name": name,
                "home": str(learner.home),
                "xp": engine.xp,
                "verified": engine.verified_count(),
            }
        )
    if as_json:
        _print_json({"data_home": str(base), "profiles": rows})
        return
    for row in rows:
        typer.echo(
            f"{row['name']:<20} {row['xp']:>6} XP  {row['verified']:>3} verified  {row['home']}"
        )
    typer.echo("\nUse one with `sandbox --profile NAME …`; a new name starts a fresh profile.")


@app.command("export")
def export_progress(
    ctx: typer.Context,
    fmt: str = typer.Option("json", "--format", help="json (the whole event log) or openbadges."),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="File (json, zip) or folder (openbadges); `-` prints the JSON. Default: a new, "
        "dated file or folder in exports/ of your data home.",
    ),
    with_notebooks: bool = typer.Option(
        False,
        "--with-notebooks",
        help="Write a zip: the event log, your workspace notebooks and a SHA-256 manifest "
        "(an import re-verifies them to restore XP).",
    ),
) -> None:
    """Export your progress (portable JSON, or a zip with notebooks) or your badges (Open Badges 3.0, unsigned)."""
    from sandbox import transfer
    from sandbox.files import ensure_dir
    from sandbox.paths import exports_dir

    if fmt not in ("json", "openbadges"):
        raise UsageError(f"Unknown export format {fmt!r}: use json or openbadges.")
    if with_notebooks and fmt != "json":
        raise UsageError("--with-notebooks goes with --format json.")
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and (with_notebooks or fmt != "json"):
        raise UsageError("Only the JSON event log can be printed (`-o -`); give a file or folder.")
    learner = _learner(ctx)
    # Without --output, a new dated name in the data home: never the current folder.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    default = exports_dir(learner.home)
    if fmt == "json" and with_notebooks:
        target = output or default / f"progress-{stamp}.zip"
        summary = transfer.export_archive(learner, target)
        typer.echo(
            f"Exported {summary.events} events and {len(summary.notebooks)} notebook(s) to {target}"
        )
    elif fmt == "json":
        document = transfer.export_document(learner)
        if to_stdout:
            _print_json(document)
            return
        target = output or default / f"progress-{stamp}.json"
        transfer.write_json(target, document)
        typer.echo(f"Exported {len(document['progress']['events'])} events to {target}")
    else:
        credentials = transfer.open_badges(learner, learner.engine())
        folder = ensure_dir(output or default / f"open-badges-{stamp}")
        for credential in credentials:
            badge_id = credential["credentialSubject"]["achievement"]["id"].rsplit(":", 1)[-1]
            transfer.write_json(folder / f"{badge_id}.json", credential)
        typer.echo(f"Wrote {len(credentials)} unsigned OpenBadgeCredential file(s) to {folder}")


@app.command("import")
def import_progress(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., help="A file written by `sandbox export` (JSON, or a zip with --with-notebooks)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Merge into a profile that already has progress."
    ),
    timeout: float = typer.Option(
        120.0, "--timeout", min=1, help="Seconds each re-verification may take."
    ),
    no_verify: bool = typer.Option(
        False, "--no-verify", help="Place the notebooks but do not run them now."
    ),
) -> None:
    """Restore an export into this profile (empty profiles only, unless --force; backs up first).

    Imported verified challenges are claims: they earn XP only once verified here. A zip
    from `export --with-notebooks` carries the notebooks, and each is re-verified now in a
    clean kernel (several at a time; that runs the notebooks' code, as `sandbox check`
    does); otherwise, or with --no-verify, they wait for `sandbox check`.
    """
    from sandbox import transfer

    learner = _learner(ctx)
    incoming = transfer.load_import(file, learner.catalogue)
    result = transfer.apply_import(learner, incoming, force=force)
    typer.echo(f"Imported {result.added} new event(s) into {learner.store.path}.")
    if result.backup:
        typer.echo(f"Backup of the previous progress: {result.backup}")
    for saved in result.notebook_backups:
        typer.echo(f"Your previous notebook was backed up: {saved}")
    if result.notebooks_written:
        typer.echo(f"Notebooks placed in your workspace: {', '.join(result.notebooks_written)}")
    claims = transfer.claimed_verified(learner.catalogue, incoming.events)
    engine = learner.engine()
    todo = [cid for cid in transfer.unconfirmed(engine, claims) if cid in incoming.notebooks]
    if todo and not no_verify:
        workers = transfer.reverify_workers(len(todo))
        typer.echo(
            f"Re-verifying {len(todo)} imported challenge(s) in clean kernels, {workers} at a time…"
        )
        finished = {"n": 0}

        def show(challenge_id: str, outcome: Any, error: str | None) -> None:
            finished["n"] += 1
            step = f"[{finished['n']}/{len(todo)}]"
            if outcome is not None and outcome.passed:
                typer.secho(
                    f"  {step} ✓ {challenge_id} re-verified in {outcome.seconds:.1f} s",
                    fg=typer.colors.GREEN,
                )
            else:
                why = (
                    error
                    or outcome.error
                    or "; ".join(
                        f"{t.task} {t.outcome.value}"
                        for t in outcome.tasks
                        if t.outcome.value != "PASS"
                    )
                )
                typer.secho(
                    f"  {step} ✗ {challenge_id} did not pass: {why}", fg=typer.colors.YELLOW
                )

        transfer.reverify(learner, todo, timeout=timeout, workers=workers, on_done=show)
        engine = learner.engine()
    pending = transfer.unconfirmed(engine, claims)
    if pending:
        typer.echo(
            f"Imported, not re-verified (they earn nothing until `sandbox check ID` passes): "
            f"{', '.join(pending)}."
        )
        if not incoming.notebooks:
            typer.echo(
                "This export carries no notebooks; `sandbox export --with-notebooks -o FILE.zip` "
                "carries them so that an import can re-verify them."
            )
    typer.echo(f"XP here: {engine.xp}.")


README_SECTIONS = ("learning-path", "cli-reference")


def learning_path_markdown() -> str:
    """The README's learning-path table, from the catalogue."""
    from sandbox.catalogue import default_catalogue

    catalogue = default_catalogue()
    lines = [
        "| level | reached at | challenge | tasks | minutes | XP | skills |",
        "|---|---|---|---|---|---|---|",
    ]
    for level in catalogue.levels:
        for index, cid in enumerate(level.challenges):
            c = catalogue.get(cid)
            head = f"{level.number} · {level.name}" if index == 0 else ""
            reach = f"{level.xp} XP" if index == 0 else ""
            tags = ", ".join(c.tags)
            lines.append(
                f"| {head} | {reach} | `{c.id}` — {c.title} | {len(c.tasks)} | {c.minutes} | {c.xp} | {tags} |"
            )
    total_minutes = sum(c.minutes for c in catalogue)
    total_xp = sum(c.xp for c in catalogue)
    lines.append(
        f"\n{len(catalogue.challenges)} challenges, about {total_minutes / 60:.0f} hours, {total_xp} XP before bonuses."
    )
    return "\n".join(lines)


def _command_markdown(name: str, command: Any, ctx: typer.Context) -> list[str]:
    usage = " ".join(command.collect_usage_pieces(ctx))
    doc = (command.help or "").strip()
    lines = [f"### `{name}`", "", "```", f"{name} {usage}".rstrip(), "```", "", doc, ""]
    params = command.get_params(ctx)
    if ctx.parent is not None:  # --home and --profile are listed once, with the root's options
        params = [p for p in params if p.name not in GLOBAL_OPTIONS]
    rows = [p.get_help_record(ctx) for p in params]
    rows = [r for r in rows if r and not r[0].startswith("--help")]
    if rows:
        lines += ["| option | meaning |", "|---|---|"]
        lines += [f"| `{opt}` | {text.replace('|', '/')} |" for opt, text in rows]
        lines.append("")
    return lines


def cli_reference_markdown() -> str:
    """The README's CLI reference, from the same records `--help` prints."""
    import typer.main

    root = typer.main.get_command(app)
    root_ctx = typer.Context(root, info_name="sandbox")
    lines = [
        line for line in _command_markdown("sandbox", root, root_ctx) if not line.startswith("### ")
    ]
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        ctx = typer.Context(command, info_name=f"sandbox {name}", parent=root_ctx)
        if hasattr(command, "commands"):
            for sub_name, sub in command.commands.items():
                sub_ctx = typer.Context(sub, info_name=f"sandbox {name} {sub_name}", parent=ctx)
                lines += _command_markdown(f"sandbox {name} {sub_name}", sub, sub_ctx)
        else:
            lines += _command_markdown(f"sandbox {name}", command, ctx)
    return "\n".join(lines).rstrip()


def render_readme(text: str) -> str:
    """``text`` with its generated sections replaced by fresh ones."""
    fresh = {"learning-path": learning_path_markdown(), "cli-reference": cli_reference_markdown()}
    for section in README_SECTIONS:
        start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
        if start not in text or end not in text:
            raise UsageError(f"README.md lacks the markers {start} … {end}.")
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = f"{before}{start}\n{fresh[section]}\n{end}{after}"
    return text


@dev_app.command("readme")
def dev_readme(
    check: bool = typer.Option(False, "--check", help="Exit 1 if README.md is out of date."),
) -> None:
    """Regenerate README.md's learning path (from the catalogue) and CLI reference (from --help)."""
    from sandbox.paths import repo_root

    path = repo_root() / "README.md"
    current = path.read_text(encoding="utf-8")
    fresh = render_readme(current)
    if check:
        if fresh != current:
            typer.echo("README.md is out of date: run `sandbox dev readme`.", err=True)
            raise typer.Exit(EXIT_DOMAIN)
        typer.echo("README.md is up to date.")
        return
    path.write_text(fresh, encoding="utf-8")
    typer.echo("README.md " + ("updated." if fresh != current else "was already up to date."))


def _kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME in KernelSpecManager().find_kernel_specs()


_DOCTOR_PACKAGES = (
    "streamlit", "pandas", "polars", "duckdb", "scikit-learn", "mlflow", "optuna", "shap",
    "lime", "pandera", "yellowbrick", "jupyterlab", "nbclient", "typer",
)  # fmt: skip


@app.command()
def doctor(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Check the data home, the progress store, the Jupyter kernel and library versions.

    JSON: {ok, checks: [{name, ok, detail}], versions: {package: version}}. Exit 1 if a check fails.
    """
    learner = _learner(ctx)
    checks: list[dict[str, Any]] = []

    def check(name: str, probe: Callable[[], str]) -> None:
        try:
            checks.append({"name": name, "ok": True, "detail": probe()})
        except (SandboxError, OSError) as exc:
            checks.append({"name": name, "ok": False, "detail": str(exc)})

    def home_writable() -> str:
        from sandbox.files import atomic_write_text

        probe = learner.home / ".doctor-probe"
        atomic_write_text(probe, "ok")  # StorageError names the reason and the way out
        probe.unlink()
        return str(learner.home)

    def store_readable() -> str:
        events = learner.progress().events
        return f"{len(events)} events in {learner.store.path}"

    def timestamps() -> str:
        from datetime import UTC

        from sandbox.progress import implausible_time

        events = learner.progress().events
        now = datetime.now(UTC)
        odd = [
            f"event {i} ({e.kind}{' ' + e.challenge if e.challenge else ''}) {problem}"
            for i, e in enumerate(events)
            if (problem := implausible_time(e.ts, now))
        ]
        if odd:
            shown = "; ".join(odd[:5]) + (f"; and {len(odd) - 5} more" if len(odd) > 5 else "")
            raise SandboxError(
                f"{len(odd)} event(s) in {learner.store.path} cannot be true: {shown}. A wrong "
                "clock or a hand-edited file made them; if you did not, restore a copy from "
                f"{learner.home / 'backups'}."
            )
        return f"all {len(events)} events dated between the sandbox's start and now"

    def imported_claims() -> str:
        from sandbox.transfer import imported_not_reverified

        pending = imported_not_reverified(learner)
        if not pending:
            return "no imported challenge waits for re-verification"
        return (
            f"imported, not re-verified (earning nothing until `sandbox check ID`): "
            f"{', '.join(pending)}"
        )

    def kernel() -> str:
        if not _kernel_registered():
            raise SandboxError(
                f"Jupyter kernel {KERNEL_NAME!r} is not registered: run "
                f"`{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}`"
            )
        return f"{KERNEL_NAME} registered"

    check("data home writable", home_writable)
    check("progress store readable", store_readable)
    if checks[-1]["ok"]:
        check("event times plausible", timestamps)
        check("imported claims", imported_claims)
    check("jupyter kernel", kernel)
    versions: dict[str, str | None] = {}
    for package in _DOCTOR_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
            checks.append({"name": f"package {package}", "ok": False, "detail": "not installed"})
    ok = all(c["ok"] for c in checks)
    if as_json:
        _print_json({"ok": ok, "checks": checks, "versions": versions})
    else:
        for c in checks:
            typer.echo(f"{'✓' if c['ok'] else '✗'} {c['name']}: {c['detail']}")
        typer.echo("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    if not ok:
        raise typer.Exit(EXIT_DOMAIN)


def main() -> None:
    """Console entry point."""
    # Keep numbers and paths in messages stable regardless of the caller's terminal width.
    os.environ.setdefault("COLUMNS", "100")
    app(prog_name="sandbox")
