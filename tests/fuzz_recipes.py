"""Fuzz inputs as recipes: a seed file and a list of mutations, both plain JSON.

A recipe, not the mutated bytes, is what is kept of an input the fuzz run found
(``tests/fixtures/fuzz/found/*.json``): seeds from ``../shared/corpus`` are real reports and are
never copied into the repository, and a recipe stays readable (which mutation broke what).

Seeds: ``examples/…`` (invented reports in the repo), ``corpus/…`` (../shared/corpus/raw, skipped
when absent), ``render:html`` / ``render:md`` / ``render:docx`` (the first example rendered by the
composer). Mutations (each ``[op, args…]``; positions are fractions of the length, so a recipe fits
any seed):

* bytes: ``byte_set pos value``, ``byte_insert pos hex``, ``byte_delete pos n``, ``truncate pos``,
  ``pad_even`` (one byte more when the length is odd: UTF-16 needs an even length);
* digits: ``digits_extend k digits`` (digits added to the k-th digit run), ``digits_replace k digits``,
  ``digits_join k`` (the k-th and next digit runs run together);
* rows: ``line_dup k``, ``line_delete k``, ``line_swap k``;
* nesting (HTML): ``nest n`` (the body inside n ``<div>``s), ``table_nest n`` (each table inside n
  layout tables);
* encodings: ``encode codec bom`` (the text re-encoded; last of the text mutations).

Text mutations apply to text seeds (decoded as UTF-8) in order, then the encoding, then byte mutations.
"""
from __future__ import annotations

import faulthandler
import hashlib
import json
import re
import signal
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from conftest import FIXTURES, SHARED

REPO = Path(__file__).resolve().parents[1]
FOUND = FIXTURES / "fuzz" / "found"
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"

TEXT_OPS = {"digits_extend", "digits_replace", "digits_join", "line_dup", "line_delete", "line_swap", "nest",
            "table_nest", "encode"}
LOSSLESS_OPS = {"encode", "nest", "table_nest"}  # the report read must not change
_DIGITS = re.compile(r"\d+")


class SeedMissing(Exception):
    """The recipe's seed is not on this machine (../shared absent)."""


def seed_names() -> list[str]:
    names = [f"examples/{p.name}" for p in sorted((REPO / "examples").glob("*.txt"))]
    names += ["render:html", "render:md", "render:docx"]
    raw = SHARED / "corpus" / "raw"
    if raw.is_dir():
        names += [f"corpus/{p.name}" for p in sorted(raw.iterdir()) if p.suffix in (".txt", ".html", ".pdf")]
    return names


@lru_cache(maxsize=None)
def seed_bytes(name: str) -> tuple[bytes, str]:
    """The seed's bytes and its file suffix."""
    if name.startswith("examples/"):
        p = REPO / name
        return p.read_bytes(), p.suffix
    if name.startswith("corpus/"):
        p = SHARED / "corpus" / "raw" / name.split("/", 1)[1]
        if not p.exists():
            raise SeedMissing(str(p))
        return p.read_bytes(), p.suffix
    if name.startswith("render:"):
        return _rendered(name.split(":", 1)[1])
    raise ValueError(f"unknown seed {name!r}")


def _rendered(kind: str) -> tuple[bytes, str]:
    import tempfile

    from gongkai.check import check_path
    from gongkai.compose.render.docx import write_docx
    from gongkai.compose.render.html import render_html
    from gongkai.compose.render.markdown import render_markdown

    report = check_path(EXAMPLE).report
    if kind == "html":
        return render_html(report).encode("utf-8"), ".html"
    if kind == "md":
        return render_markdown(report).encode("utf-8"), ".md"
    with tempfile.TemporaryDirectory() as tmp:
        return write_docx(report, Path(tmp) / "r.docx").read_bytes(), ".docx"


def _at(frac: float, n: int) -> int:
    return min(max(int(frac * n), 0), max(n - 1, 0))


def _text_op(text: str, op: list) -> str:
    name, args = op[0], op[1:]
    runs = list(_DIGITS.finditer(text))
    if name in ("digits_extend", "digits_replace", "digits_join") and runs:
        m = runs[args[0] % len(runs)]
        if name == "digits_extend":
            return text[:m.end()] + args[1] + text[m.end():]
        if name == "digits_replace":
            return text[:m.start()] + args[1] + text[m.end():]
        k = runs.index(m)
        if k + 1 < len(runs):
            nxt = runs[k + 1]
            return text[:m.end()] + text[nxt.start():]
        return text
    if name in ("line_dup", "line_delete", "line_swap"):
        lines = text.splitlines(keepends=True)
        if not lines:
            return text
        k = args[0] % len(lines)
        if name == "line_dup":
            lines.insert(k, lines[k])
        elif name == "line_delete":
            del lines[k]
        elif k + 1 < len(lines):
            lines[k], lines[k + 1] = lines[k + 1], lines[k]
        return "".join(lines)
    if name == "nest" and "<body" in text:
        n = args[0]
        return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "<div>" * n, text, count=1).replace(
            "</body>", "</div>" * n + "</body>", 1)
    if name == "table_nest" and "<table" in text:
        n = args[0]
        return re.sub(r"<table", "<table><tr><td>" * n + "<table", text).replace(
            "</table>", "</table>" + "</td></tr></table>" * n)
    return text


def build(recipe: dict) -> tuple[bytes, str]:
    """The input a recipe describes: (bytes, file suffix). Raises SeedMissing when its seed is absent."""
    data, suffix = seed_bytes(recipe["seed"])
    ops = recipe.get("ops", [])
    text_ops = [op for op in ops if op[0] in TEXT_OPS]
    if text_ops and suffix in (".txt", ".md", ".html"):
        text = data.decode("utf-8")
        encoding = ("utf-8", False)
        for op in text_ops:
            if op[0] == "encode":
                encoding = (op[1], bool(op[2]))
            else:
                text = _text_op(text, op)
        codec, bom = encoding
        body = text.encode(codec)
        if bom and codec in ("utf-8", "utf-16-le", "utf-16-be"):
            body = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec] + body
        data = body
    for op in ops:
        name, args = op[0], op[1:]
        n = len(data)
        if name == "byte_set" and n:
            i = _at(args[0], n)
            data = data[:i] + bytes([args[1] & 0xFF]) + data[i + 1:]
        elif name == "byte_insert":
            i = _at(args[0], n + 1)
            data = data[:i] + bytes.fromhex(args[1]) + data[i:]
        elif name == "byte_delete" and n:
            i = _at(args[0], n)
            data = data[:i] + data[i + args[1]:]
        elif name == "truncate":
            data = data[:_at(args[0], n + 1)]
        elif name == "pad_even" and n % 2:
            data += b"\n"
    return data, recipe.get("suffix", suffix)


def recipe_id(recipe: dict) -> str:
    core = {k: recipe[k] for k in ("seed", "ops", "suffix", "name") if k in recipe}
    return hashlib.sha256(json.dumps(core, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def save_found(recipe: dict, why: str) -> Path:
    """Keep a recipe the fuzz run found: it is replayed by tests/test_fuzz_found.py from then on."""
    FOUND.mkdir(parents=True, exist_ok=True)
    out = FOUND / f"{recipe_id(recipe)}.json"
    out.write_text(json.dumps({**recipe, "found": why[:300]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


class CaseTimeout(Exception):
    """One input took longer than the per-case wall-clock limit."""


@contextmanager
def wall_clock(seconds: float):
    """Fail a case that runs longer than ``seconds``: SIGALRM interrupts Python code; if the case is stuck
    in C code that never returns to Python, faulthandler ends the whole process with its traceback at
    twice the limit, so a hang fails the run instead of stalling it."""
    def alarm(_signum, _frame):
        raise CaseTimeout(f"case took longer than {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(2 * seconds, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        faulthandler.cancel_dump_traceback_later()
