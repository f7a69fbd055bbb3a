"""Modules imported on first use and kept: one place for what the per-report paths import lazily.

An import statement inside a function runs the import machinery's Python code on every call, even for a
module already loaded, and check, read and validate run for every report. Callers still look their
functions up on the module at each call, so a test that patches a module's attribute is seen.
"""
from __future__ import annotations

import importlib
from types import ModuleType

_MODULES: dict[str, ModuleType | None] = {}


def module(name: str, optional: bool = False) -> ModuleType | None:
    """The module ``name`` (absolute), imported once. An ImportError is raised again on every call, or, with
    ``optional``, gives None (and is remembered)."""
    try:
        return _MODULES[name]
    except KeyError:
        pass
    try:
        got = importlib.import_module(name)
    except ImportError:
        if not optional:
            raise
        got = None
    _MODULES[name] = got
    return got
