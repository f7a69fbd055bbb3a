"""The `gongkai` command line: a thin adapter over the library (no logic lives here).

Each command group is its own module; this file only assembles them.
"""
from __future__ import annotations

import typer

from . import check as _check
from . import compose as _compose
from . import ingest as _ingest
from . import requests as _requests
from . import workplan as _workplan

app = typer.Typer(
    name="gongkai",
    help="政府信息公开工作年度报告: read, validate, store and compose annual reports.",
    no_args_is_help=True,
    add_completion=False,
)
_check.register(app)
_ingest.register(app)
app.add_typer(_requests.app, name="requests")
app.add_typer(_workplan.app, name="workplan")
app.add_typer(_compose.app, name="compose")


def _plain_help(t: typer.Typer) -> None:
    """Help and usage errors in click's plain layout for every command group: rich's help panels cut Chinese help
    text with "…" (a run of CJK without spaces is one word to rich, and too long a word is cropped), click's
    formatter wraps it."""
    t.rich_markup_mode = None
    for group in t.registered_groups:
        if group.typer_instance is not None:
            _plain_help(group.typer_instance)


_plain_help(app)


def main() -> None:
    app()
