"""The ``sandbox`` command's entry point (also ``python -m sandbox``).

Loading Typer (and the pydantic it imports) costs several times what starting Python
does, and ``sandbox status`` is the command a learner runs most. So a plain
``sandbox [--home PATH] [--profile NAME] status [--json]`` (the two options also after
``status``) is answered here, without Typer; everything else — other commands, ``--help``, shell completion, any option this
parser does not know, and every error — goes to the Typer app in :mod:`sandbox.cli`,
which prints exactly what this path prints (both render with :mod:`sandbox.status`).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import Any

# Typer's completion hook: `_SANDBOX_COMPLETE=bash_source sandbox` and friends.
_COMPLETION_ENV = "_SANDBOX_COMPLETE"


def json_text(data: Any) -> str:
    """How every ``--json`` output is printed."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def plain_status_args(args: list[str]) -> tuple[Path | None, str | None, bool] | None:
    """(home, profile, as_json) when ``args`` is a plain status call; else None (Typer's job).

    ``--home`` and ``--profile`` may come before or after ``status`` (as for every command),
    each at most once; ``--json`` only after it.
    """
    options: dict[str, str] = {}
    as_json = False
    seen_status = False
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg == "status" and not seen_status:
            seen_status = True
            continue
        if arg == "--json" and seen_status and not as_json:
            as_json = True
            continue
        name, _, value = arg.partition("=")
        if name not in ("--home", "--profile") or name in options:
            return None
        if not value:
            if position >= len(args):
                return None
            value = args[position]
            position += 1
        if not value or value.startswith("-"):
            return None  # an empty or dash-led value: let Typer say what it makes of it
        options[name] = value
    if not seen_status:
        return None
    home = options.get("--home")
    return (Path(home) if home is not None else None), options.get("--profile"), as_json


def main() -> None:
    """Console entry point."""
    plain = None if _COMPLETION_ENV in os.environ else plain_status_args(sys.argv[1:])
    if plain is not None:
        from sandbox import status
        from sandbox.errors import SandboxError

        home, profile, as_json = plain
        try:
            data = status.current(home, profile)
        except SandboxError:
            pass  # Typer's path reports it, as one line with the right exit code
        else:
            sys.stdout.write((json_text(data) if as_json else status.render(data)) + "\n")
            sys.stdout.flush()
            # The process ends now. Its last cycle collection would walk every event of a
            # long log (a third of a second for 100,000) to free nothing: leave them out.
            gc.freeze()
            return
    from sandbox.cli import main as cli_main

    cli_main()
