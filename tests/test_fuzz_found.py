"""Every input the fuzz run ever found, replayed: tests/fixtures/fuzz/found/*.json (recipes, see
tests/fuzz_recipes.py), plus the inputs of issue 12 written as recipes. Each must end, within the
per-case limit, in a result that says what it is; a recipe's ``expect`` pins the result further
(status, error_code, agency, finding codes present, ``same_cells``: the same cells as its seed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fuzz_recipes import FOUND, SeedMissing, build, wall_clock
from gongkai.check import check_path

RECIPES = sorted(FOUND.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(recipe: dict, folder: Path) -> Path:
    try:
        data, suffix = build(recipe)
    except SeedMissing as e:
        pytest.skip(f"../shared not available ({e}): recipe skipped")
    p = folder / (recipe.get("name") or f"input{suffix}")
    p.write_bytes(data)
    return p


def _cells(r) -> dict:
    return {k: (c.kind.value, c.value) for k, c in r.report.cells()} if r.report else {}


def test_found_inputs_are_kept():
    assert RECIPES, "tests/fixtures/fuzz/found/ holds the inputs the fuzz run found"


@pytest.mark.parametrize("path", RECIPES, ids=[p.stem for p in RECIPES])
def test_found_input(path: Path, tmp_path: Path):
    recipe = _load(path)
    p = _write(recipe, tmp_path)
    with wall_clock(30):
        r = check_path(p)
    assert r.status in {"ok", "not-report", "error"}
    assert r.status == "ok" or r.error
    json.dumps(r.to_dict(), ensure_ascii=False)
    expect = recipe.get("expect", {})
    if "status" in expect:
        assert r.status == expect["status"], (r.error_code, r.error)
    if "error_code" in expect:
        assert r.error_code == expect["error_code"]
    if "agency" in expect:
        assert r.report.agency == expect["agency"]
    for code in expect.get("findings", []):
        assert code in {f.code for f in r.findings}, code
    if expect.get("same_cells"):
        (tmp_path / "seed").mkdir()
        seed = _write({"seed": recipe["seed"], "ops": []}, tmp_path / "seed")
        assert _cells(r) == _cells(check_path(seed))


def test_found_inputs_as_one_cli_batch(tmp_path: Path):
    """All found inputs through ``gongkai check`` at once: the batch reports every file and writes the JSON."""
    from gongkai.cli import app

    files = []
    for i, path in enumerate(RECIPES):
        folder = tmp_path / str(i)
        folder.mkdir()
        try:
            files.append(_write(_load(path), folder))
        except pytest.skip.Exception:
            continue
    out = tmp_path / "out.json"
    r = CliRunner().invoke(app, ["check", *map(str, files), "--json", str(out), "--details"], env={"COLUMNS": "300"})
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data if isinstance(data, list) else [data]) == len(files)
    for f in files:
        assert f.name in r.output
