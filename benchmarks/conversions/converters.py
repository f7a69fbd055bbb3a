"""The converters people actually use to turn a report into text, as named recipes.

Each recipe takes one input kind (pdf, docx, html), gives text (``.txt``) or Markdown (``.md``), knows its
tool's version (part of the cache key) and says whether its output keeps every printed cell in its place
(``keeps_cells``): a Markdown table keeps an empty cell as ``|  |`` and a layout mode keeps the columns as
spaces, but a plain text stream or one cell per line drops a blank cell without a trace, so a row with a blank
can no longer be told apart from a row with its numbers shifted. A recipe whose tool is not installed is
``unavailable`` with the reason; it is reported as skipped, never a crash.
"""
from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import cache

REVISION = "2"  # bump when a recipe's own code changes: the cache key includes it
TIMEOUT = 120.0


class Unavailable(RuntimeError):
    """The tool a recipe needs is not installed here."""


def _dist_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        raise Unavailable(f"Python 包 {dist} 未安装 (not installed: pip install {dist})") from None


def _tool_version(tool: str, flag: str, apt: str) -> str:
    exe = shutil.which(tool)
    if not exe:
        raise Unavailable(f"命令 {tool} 未安装 (not installed: apt-get install -y {apt})")
    proc = subprocess.run([exe, flag], capture_output=True, text=True, timeout=30)
    return ((proc.stdout or proc.stderr).strip().splitlines() or ["?"])[0]


def _run(args: list[str], path: Path) -> str:
    proc = subprocess.run([*args, str(path), "-"] if args[0].endswith("pdftotext") else [*args, str(path)],
                          capture_output=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-300:]}")
    return proc.stdout.decode("utf-8")


# ---- the recipes -------------------------------------------------------------------------------------------
def _pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _pdfplumber(layout: bool) -> Callable[[Path], str]:
    def convert(path: Path) -> str:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join((page.extract_text(layout=layout) or "") for page in pdf.pages)
    return convert


def _pdftotext(*flags: str) -> Callable[[Path], str]:
    def convert(path: Path) -> str:
        return _run([shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", *flags], path)
    return convert


_MARKITDOWN = None


def _markitdown(path: Path) -> str:
    global _MARKITDOWN
    if _MARKITDOWN is None:
        from markitdown import MarkItDown

        _MARKITDOWN = MarkItDown(enable_plugins=False)
    return _MARKITDOWN.convert(str(path)).text_content


def _mammoth(path: Path) -> str:
    import mammoth

    with path.open("rb") as fh:
        return mammoth.convert_to_markdown(fh).value


def _pandoc(to: str) -> Callable[[Path], str]:
    def convert(path: Path) -> str:
        return _run([shutil.which("pandoc") or "pandoc", "-f", "docx", "-t", to, "--wrap=none"], path)
    return convert


# Elements whose text a crawler puts on lines of its own; an empty cell leaves only an empty line, which goes.
_LINE = {"td", "th", "tr", "table", "br", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "caption", "div",
         "pre", "blockquote", "section", "article", "header", "footer", "ul", "ol"}


def _lxml_cells(path: Path) -> str:
    """The HTML's text one cell (or paragraph) per line, as a crawler strips a page; blank cells vanish."""
    import re

    import lxml.html

    data = path.read_bytes()
    try:  # a page that is valid UTF-8 is read as such; lxml alone assumes Latin-1 where no charset is declared
        data.decode("utf-8")
        parser = lxml.html.HTMLParser(encoding="utf-8")
    except UnicodeDecodeError:
        parser = None  # the page's own declaration (GBK pages)
    root = lxml.html.fromstring(data, parser=parser)
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    space = re.compile(r"\s+")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        el.text = space.sub(" ", el.text) if el.text else el.text
        el.tail = space.sub(" ", el.tail) if el.tail else el.tail
        if el.tag.lower() in _LINE:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line) + "\n"


@dataclass(frozen=True)
class Converter:
    name: str
    kind: str                      # input kind it takes
    suffix: str                    # ".txt" or ".md": how gongkai check is given the output
    keeps_cells: bool              # a blank cell stays visible in its place
    convert: Callable[[Path], str] | None   # None: the document itself is checked
    version_of: Callable[[], str]
    note: str = ""

    def version(self) -> str:
        """The tool's version (raises Unavailable when it is not installed)."""
        return self.version_of()

    def available(self) -> str | None:
        """None when usable here, else why not."""
        try:
            self.version()
        except Unavailable as e:
            return str(e)
        return None

    def cache_key(self, data: bytes) -> str:
        return cache.digest("conversion", REVISION, self.name, self.note, self.version(), data)


def _v(dist: str) -> Callable[[], str]:
    return lambda: f"{dist} {_dist_version(dist)}"


def _both(*fns: Callable[[], str]) -> Callable[[], str]:
    return lambda: "; ".join(f() for f in fns)


_PDFTOTEXT = lambda: _tool_version("pdftotext", "-v", "poppler-utils")  # noqa: E731
_PANDOC = lambda: _tool_version("pandoc", "--version", "pandoc")  # noqa: E731

CONVERTERS: tuple[Converter, ...] = (
    Converter("pypdfium2", "pdf", ".txt", False, _pypdfium2, _v("pypdfium2"), "get_text_range, pages joined"),
    Converter("pdfminer", "pdf", ".txt", False, _pdfminer, _v("pdfminer.six"), "high_level.extract_text"),
    Converter("pdfplumber", "pdf", ".txt", False, _pdfplumber(False), _v("pdfplumber"), "extract_text()"),
    Converter("pdfplumber-layout", "pdf", ".txt", True, _pdfplumber(True), _v("pdfplumber"),
              "extract_text(layout=True)"),
    Converter("pdftotext", "pdf", ".txt", False, _pdftotext(), _PDFTOTEXT, "poppler, default"),
    Converter("pdftotext-layout", "pdf", ".txt", True, _pdftotext("-layout"), _PDFTOTEXT, "poppler -layout"),
    Converter("pdftotext-raw", "pdf", ".txt", False, _pdftotext("-raw"), _PDFTOTEXT, "poppler -raw"),
    Converter("markitdown-pdf", "pdf", ".md", False, _markitdown, _v("markitdown"), "MarkItDown().convert"),
    Converter("markitdown-docx", "docx", ".md", True, _markitdown, _v("markitdown"), "MarkItDown().convert"),
    Converter("mammoth", "docx", ".md", False, _mammoth, _v("mammoth"), "convert_to_markdown"),
    Converter("pandoc", "docx", ".md", True, _pandoc("markdown"), _PANDOC,
              "pandoc -f docx -t markdown (pandoc's default): tables with spans as aligned simple tables"),
    Converter("pandoc-gfm", "docx", ".md", True, _pandoc("gfm"), _PANDOC,
              "pandoc -f docx -t gfm: tables with spans as raw HTML"),
    Converter("lxml-cells", "html", ".txt", False, _lxml_cells, _v("lxml"), "one cell or paragraph per line; UTF-8 unless not valid"),
)
# The baseline: gongkai's own reader of the document itself (no conversion).
DIRECT = Converter("gongkai-reader", "*", "", True, None, lambda: "gongkai", "the document read by gongkai itself")

BY_NAME = {c.name: c for c in CONVERTERS}


def for_kind(kind: str, *, direct: bool = False) -> list[Converter]:
    return ([DIRECT] if direct else []) + [c for c in CONVERTERS if c.kind == kind]


def converted(conv: Converter, src: Path, root: Path | None = None) -> tuple[Path, float, bool]:
    """The converted text of ``src`` on disk (cached): (path, seconds the conversion took, came from cache).
    A cached entry records the time its conversion took when it was made."""
    import time

    if conv.convert is None:
        return src, 0.0, True
    data = src.read_bytes()
    key = conv.cache_key(data)
    out = cache.get("converted", key, conv.suffix, root)
    timing = out.with_name(out.name + ".seconds")
    if out.exists():
        try:
            return out, float(timing.read_text()), True
        except (OSError, ValueError):
            return out, 0.0, True
    t = time.perf_counter()
    text = conv.convert(src)
    seconds = time.perf_counter() - t
    cache.put(out, text.encode("utf-8"))
    cache.put(timing, f"{seconds:.6f}".encode())
    return out, seconds, False
