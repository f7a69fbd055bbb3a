"""The `gongkai` command line: a thin adapter over the library (no logic lives here).

Each command group is its own module; this file only assembles them. ``main`` imports only the module
of the command being run (``gongkai check`` never loads the register, SQLAlchemy or the composer), so
the command starts fast; ``app`` — what tests and ``--help`` use — holds every command.
"""
from __future__ import annotations

import importlib
import sys

import typer

# command or group name -> the module that defines it (in registration order)
MODULES: dict[str, str] = {
    "check": "check",
    "ingest": "ingest", "report": "ingest", "export": "ingest", "agencies": "ingest",
    "requests": "requests",
    "workplan": "workplan",
    "compose": "compose",
    "users": "users",
    "serve": "serve",
    "search": "search",
}
GROUPS = {"requests", "workplan", "compose", "users"}   # modules holding a sub-app rather than register(app)


def build(only: str | None = None) -> typer.Typer:
    """The CLI with every command, or only the module that defines the command ``only``."""
    app = typer.Typer(
        name="gongkai",
        help="政府信息公开工作年度报告: read, validate, store and compose annual reports.",
        no_args_is_help=True,
        add_completion=False,
    )
    wanted = [MODULES[only]] if only in MODULES else list(dict.fromkeys(MODULES.values()))
    for name in wanted:
        module = importlib.import_module(f"{__name__}.{name}")
        if name in GROUPS:
            app.add_typer(module.app, name=name)
        else:
            module.register(app)
    _plain_help(app)
    if only in MODULES and MODULES[only] not in GROUPS and len([k for k, v in MODULES.items() if v == MODULES[only]]) == 1:
        # typer runs a one-command app as that command: a hidden no-op keeps `gongkai check ...` a subcommand
        @app.command("version", hidden=True)
        def _version() -> None:
            from importlib.metadata import version

            typer.echo(version("gongkai"))
    return app


def __getattr__(name: str):
    if name == "app":   # the full CLI, built on first use
        app = build()
        globals()["app"] = app
        return app
    raise AttributeError(name)


def _plain_help(t: typer.Typer) -> None:
    """Help and usage errors in click's plain layout for every command group: rich's help panels cut Chinese help
    text with "…" (a run of CJK without spaces is one word to rich, and too long a word is cropped), click's
    formatter wraps it."""
    t.rich_markup_mode = None
    for group in t.registered_groups:
        if group.typer_instance is not None:
            _plain_help(group.typer_instance)



def main() -> None:
    first = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    build(first)()
