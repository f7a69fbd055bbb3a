"""`gongkai workplan ...` commands."""
from __future__ import annotations

import typer

app = typer.Typer(help="workplan", no_args_is_help=True)
