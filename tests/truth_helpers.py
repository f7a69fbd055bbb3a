"""Test helpers: hand-checked truth JSON (../shared/corpus/truth) as Report objects, and stores on
SQLite (always) and PostgreSQL (when GONGKAI_TEST_PG_URL is set), each on a fresh database."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.model import Cell, Kind, Report

PG_ENV = "GONGKAI_TEST_PG_URL"


def _cell(v: object) -> Cell:
    if v is None:
        return Cell.blank()
    if isinstance(v, bool):
        raise ValueError("boolean in truth file")
    if isinstance(v, int):
        return Cell(Kind.NUMBER, v, str(v))
    if isinstance(v, float):
        d = Decimal(str(v))
        return Cell(Kind.NUMBER, d, str(d))
    return Cell(Kind.TEXT, text=str(v))


def report_from_truth(d: dict, *, title: str | None = None) -> Report:
    """number → NUMBER cell, null → blank, string → TEXT; narrative quotes become the overview section."""
    fmt = str(d["template"])
    report = Report(format=fmt, table3_variant="single" if "other" in d["table3"] else "split",
                    agency=d["agency"], year=d["year"], title=title, path=f"truth/{d.get('id', 'x')}.json",
                    source_kind="truth")
    spec = report.spec
    for row in spec.table2:
        if row.key in d.get("table2", {}):
            values = d["table2"][row.key]
            report.table2[row.key] = [_cell(values.get(c.key)) for c in row.columns]
    report.table3 = {k: [_cell(v) for v in vs] for k, vs in d["table3"].items()}
    report.table4 = {k: [_cell(v) for v in vs] for k, vs in d["table4"].items()}
    quotes = (d.get("narrative") or {}).get("narrative_quotes") or []
    if quotes:
        report.sections["overview"] = "\n".join(quotes)
    return report


def truth_dir() -> Path:
    from conftest import shared_path

    return shared_path("corpus", "truth")


def manifest_titles() -> dict[str, str]:
    """id -> report title taken from the archive folder name in the manifest (…/80576_<title>/page.txt)."""
    from conftest import shared_path

    out = {}
    with shared_path("corpus", "manifest.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            m = re.search(r"/\d+_([^/]+)/page\.[a-z]+$", row["path"])
            out[row["id"]] = m.group(1) if m else Path(row["path"]).stem
    return out


def truth_report(ident: str) -> tuple[Report, bytes]:
    """The truth report ``ident`` (e.g. "007") and the bytes it was read from (for its hash)."""
    raw = (truth_dir() / f"{ident}.json").read_bytes()
    return report_from_truth(json.loads(raw), title=manifest_titles().get(ident)), raw


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- databases -------------------------------------------------------------------------------------
def backends() -> list:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def fresh_url(backend: str, tmp_path: Path) -> tuple[str, object]:
    """A URL on an empty database and a function that removes it."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'gongkai.db'}", lambda: None
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV}=postgresql://user@host:port/db to run them")
    from sqlalchemy import create_engine, text

    from gongkai.store.db import normalise_url

    name = f"gongkai_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = normalise_url(base).rsplit("/", 1)[0] + "/" + name

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop
