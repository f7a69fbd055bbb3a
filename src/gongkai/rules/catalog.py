"""The finding catalog: code → severity, scope, description and message templates."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..findings import Finding, Severity


@dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: Severity
    scope: str
    description: str
    gloss: str
    message: str
    message_en: str


@lru_cache(maxsize=None)
def _load() -> dict[str, RuleInfo]:
    raw = yaml.safe_load((Path(__file__).with_name("catalog.yaml")).read_text(encoding="utf-8"))
    return {code: RuleInfo(code, Severity(d["severity"]), d["scope"], d["description"], d["gloss"], d["message"],
                           d["message_en"]) for code, d in raw.items()}


CATALOG = _load()


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _fmt(template: str, params: dict) -> str:
    # format_map runs in C (string.Formatter is Python); templates use named fields only.
    return template.format_map(_Lenient({k: _show(v) for k, v in params.items()}))


def _show(v) -> str:
    if isinstance(v, (list, tuple)):
        # a list of readings (each a list of values) is shown with a separator that is not the values' own
        if v and all(isinstance(x, (list, tuple)) for x in v):
            return "；或 ".join(_show(x) for x in v)
        return "/".join(_show(x) for x in v)
    if v is None:
        return "空白"
    return str(v)


def make_finding(code: str, *, cells: list[str] | None = None, positions: list[dict] | None = None,
                 severity: Severity | None = None, **params) -> Finding:
    """A finding from the catalog; ``params`` fill the templates and are kept as its numbers."""
    info = CATALOG[code]
    numbers = {k: (v if isinstance(v, (int, float, str, list, type(None))) else str(v)) for k, v in params.items()}
    return Finding(code, severity or info.severity, _fmt(info.message, params), _fmt(info.message_en, params),
                   list(cells or []), list(positions or []), numbers)
