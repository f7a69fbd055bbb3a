"""Bounded fuzzing of the whole read → match → rules path (hypothesis), part of the normal test run.

Inputs are recipes (tests/fuzz_recipes.py): a seed — the examples, the composer's renderings of one
as HTML, Markdown and DOCX, and the real reports in ../shared/corpus when present — and a few
mutations of its bytes, digits, rows, nesting and encoding. Every case must end, within a wall-clock
limit, in a CheckResult that can be written as JSON; never an exception. Lossless changes (another
encoding, deeper nesting) must read exactly the same cells.

CI runs a small, derandomised set (about half a minute). The longer, random run:

    GONGKAI_FUZZ_EXAMPLES=5000 python -m pytest -q tests/test_fuzz.py

A failing input is kept as a recipe in tests/fixtures/fuzz/found/ (commit it): tests/test_fuzz_found.py
replays every recipe kept there. ``GONGKAI_FUZZ_DIGITS`` sets how many digits a mutation may add to one
digit run (default 6: longer runs are exponential in the matcher until its bounded digit search lands).
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_recipes import LOSSLESS_OPS, build, save_found, seed_names, wall_clock
from gongkai.check import check_path

LONG_RUN = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "0"))
CASE_SECONDS = float(os.environ.get("GONGKAI_FUZZ_CASE_SECONDS", "30"))
MAX_DIGITS = int(os.environ.get("GONGKAI_FUZZ_DIGITS", "6"))
STATUSES = {"ok", "not-report", "error"}

DEADLINE = timedelta(seconds=CASE_SECONDS / 2)
SETTINGS = settings(
    max_examples=LONG_RUN or 250,
    derandomize=not LONG_RUN,   # CI: the same cases every run; the long run explores
    deadline=DEADLINE,
    database=None,              # found inputs are kept as recipes, not in .hypothesis/
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

SEEDS = seed_names()
TEXT_SEEDS = [s for s in SEEDS if s.endswith((".txt", ".html")) or s in ("render:html", "render:md")]

_pos = st.floats(0, 1, allow_nan=False)
_k = st.integers(0, 10_000)
_digits = st.text("0123456789", min_size=1, max_size=MAX_DIGITS)
BYTE_OPS = st.one_of(
    st.tuples(st.just("byte_set"), _pos, st.integers(0, 255)),
    st.tuples(st.just("byte_insert"), _pos, st.binary(min_size=1, max_size=8).map(bytes.hex)),
    st.tuples(st.just("byte_delete"), _pos, st.integers(1, 64)),
    st.tuples(st.just("truncate"), _pos),
    st.tuples(st.just("pad_even")),
)
DIGIT_OPS = st.one_of(
    st.tuples(st.just("digits_extend"), _k, _digits),
    st.tuples(st.just("digits_replace"), _k, _digits),
    st.tuples(st.just("digits_join"), _k),
)
ROW_OPS = st.tuples(st.sampled_from(["line_dup", "line_delete", "line_swap"]), _k)
ENCODE_OPS = st.tuples(st.just("encode"), st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-16-be"]),
                       st.booleans())
# Nesting stays under libxml2's 2,048 levels when each op is used once (past it: read.too-deep, kept in found/).
NEST_OPS = st.one_of(st.tuples(st.just("nest"), st.integers(1, 1800)),
                     st.tuples(st.just("table_nest"), st.integers(1, 30)))
ANY_OP = st.one_of(BYTE_OPS, DIGIT_OPS, ROW_OPS, ENCODE_OPS, NEST_OPS)

_pending: dict[str, tuple[dict, str]] = {}


@pytest.fixture(scope="module", autouse=True)
def _keep_found():
    """After the module: keep the input each failing test ended on (hypothesis replays the minimal failing
    example last) as a recipe in tests/fixtures/fuzz/found/."""
    yield
    for test, (recipe, why) in _pending.items():
        print(f"\nfuzz: kept {save_found(recipe, f'{test}: {why}')}")


def _run(recipe: dict, test: str):
    data, suffix = build(recipe)
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / f"input{suffix}"
        p.write_bytes(data)
        try:
            start = time.perf_counter()
            with wall_clock(CASE_SECONDS):
                r = check_path(p)
            took = time.perf_counter() - start
            if took > DEADLINE.total_seconds():  # hypothesis fails it after the body: keep the recipe now
                _pending[test] = (recipe, f"slow: {took:.1f} s")
            assert r.status in STATUSES
            assert r.status == "ok" or r.error, "a file that is not read must say why"
            json.dumps(r.to_dict(), ensure_ascii=False)  # what --json writes
            return r
        except BaseException as e:
            _pending[test] = (recipe, f"{type(e).__name__}: {e}")
            raise


@SETTINGS
@given(seed=st.sampled_from(SEEDS), ops=st.lists(ANY_OP, min_size=1, max_size=4))
def test_fuzz_any_mutation_ends_in_a_result(seed: str, ops: list):
    _run({"seed": seed, "ops": [list(op) for op in ops]}, "any-mutation")


_reference: dict[str, dict] = {}


def _cells(r) -> dict:
    return {k: (c.kind.value, c.value) for k, c in r.report.cells()} if r.report else {}


@SETTINGS
@given(seed=st.sampled_from(TEXT_SEEDS),
       ops=st.lists(st.one_of(ENCODE_OPS, NEST_OPS), min_size=1, max_size=3, unique_by=lambda op: op[0]))
def test_fuzz_lossless_changes_read_the_same_cells(seed: str, ops: list):
    assert all(op[0] in LOSSLESS_OPS for op in ops)
    if seed not in _reference:
        base = _run({"seed": seed, "ops": []}, "lossless")
        _reference[seed] = {"status": base.status, "cells": _cells(base)}
    recipe = {"seed": seed, "ops": [list(op) for op in ops]}
    r = _run(recipe, "lossless")
    try:
        assert r.status == _reference[seed]["status"]
        assert _cells(r) == _reference[seed]["cells"]
    except AssertionError as e:
        _pending["lossless"] = (recipe, f"cells differ: {e}"[:300])
        raise
