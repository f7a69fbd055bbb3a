"""The benchmark's inputs: every truth report of ../shared/corpus as a document a converter can take.

- published: the corpus reports that are documents rather than text (002.pdf, 032.html), as obtained;
- composed: every truth file (both formats, seeds included) drawn by gongkai's composer as PDF, DOCX and HTML,
  with invented section texts under the official headings.

Truth files whose printed figures break an identity (002 表四, 016 表三) are refused by ``compose build``'s
validation, but the render functions draw a Report as it is (as tests/test_compose_render.py does), so they are
composed with their slips printed as they are, and the check must report those slips, not repair them.
Composed documents are cached (see ``cache``) under a key of the truth bytes and the composer's own source,
so a change to the renderer or the formats re-renders them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import cache

COMPOSED_KINDS = ("pdf", "docx", "html")
RECIPE = "composed/1"

# Invented section texts: the converter sees paragraphs around the tables, as in a real report.
SECTION_TEXTS = {
    "proactive": "本机关坚持以公开为常态、不公开为例外，及时发布政策文件和解读材料。",
    "requests": "本机关严格按照法定程序和时限办理政府信息公开申请。",
    "review_litigation": "本机关认真做好政府信息公开行政复议和行政诉讼应诉工作。",
    "problems": "政府信息公开工作仍存在一些不足。\n下一步将进一步规范答复流程，提高答复质量。",
    "other_matters": "本年度未收取信息处理费。",
}


@dataclass(frozen=True)
class Source:
    """One input document of one truth report."""
    ident: str          # truth id, e.g. "002", "seed-001"
    origin: str         # "published" or "composed"
    kind: str           # "pdf", "docx", "html"
    path: Path
    truth_path: Path

    @property
    def name(self) -> str:
        return f"{self.ident}.{self.origin}.{self.kind}"

    def truth(self) -> dict:
        return json.loads(self.truth_path.read_text(encoding="utf-8"))


def default_shared() -> Path:
    return Path(__file__).resolve().parents[3] / "shared"


def truth_files(shared: Path) -> list[Path]:
    return sorted((shared / "corpus" / "truth").glob("*.json"))


def published(shared: Path) -> list[Source]:
    """Corpus reports published as PDF or HTML (the text ones are text already)."""
    out = []
    for t in truth_files(shared):
        for raw in sorted((shared / "corpus" / "raw").glob(f"{t.stem}.*")):
            kind = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}.get(raw.suffix.lower())
            if kind:
                out.append(Source(t.stem, "published", kind, raw, t))
    return out


def composed_report(truth: dict):
    """The truth figures as the composer holds them, with the truth's narrative and invented section texts."""
    from gongkai.compose.figures import report_from_compact

    report = report_from_compact(truth)
    quotes = (truth.get("narrative") or {}).get("narrative_quotes") or []
    report.sections["overview"] = "\n".join([*quotes, "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"])
    report.sections.update(SECTION_TEXTS)
    return report


def composer_digest() -> str:
    """A hash of the composer's source and the format data: what a composed document depends on."""
    import gongkai

    root = Path(gongkai.__file__).parent
    files = sorted([*(root / "compose" / "render").glob("*.py"), root / "compose" / "figures.py",
                    *(root / "formats").glob("*.yaml"), root / "model.py"])
    return cache.digest(RECIPE, *(f.read_bytes() for f in files if f.exists()))


class ComposeUnavailable(RuntimeError):
    """A composed kind cannot be produced here (LibreOffice missing for PDF)."""


def composed(shared: Path, kinds: tuple[str, ...] = COMPOSED_KINDS, idents: set[str] | None = None,
             root: Path | None = None) -> tuple[list[Source], dict[str, str]]:
    """Every truth file composed in each of ``kinds`` (cached). Returns the sources and, per kind that could not
    be produced, the reason."""
    from gongkai.compose.render.docx import write_docx
    from gongkai.compose.render.html import write_html

    comp = composer_digest()
    out: list[Source] = []
    skipped: dict[str, str] = {}
    pending_pdf: list[tuple[object, Path, Source]] = []
    writers = {"docx": write_docx, "html": write_html}
    for t in truth_files(shared):
        if idents is not None and t.stem not in idents:
            continue
        raw = t.read_bytes()
        for kind in kinds:
            key = cache.digest(comp, raw, kind)
            path = cache.get("composed", key, f".{kind}", root)
            src = Source(t.stem, "composed", kind, path, t)
            if not path.exists():
                report = composed_report(json.loads(raw))
                if kind == "pdf":
                    pending_pdf.append((report, path, src))
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.part{path.suffix}")
                writers[kind](report, tmp)
                cache.put(path, tmp.read_bytes())
                tmp.unlink()
            out.append(src)
    if pending_pdf:
        from gongkai.compose.render.pdf import PdfConversionError, write_pdfs

        try:
            tmps = [p.with_name(f".{p.name}.part.pdf") for _, p, _ in pending_pdf]
            for tmp in tmps:
                tmp.parent.mkdir(parents=True, exist_ok=True)
            write_pdfs([(r, tmp) for (r, _, _), tmp in zip(pending_pdf, tmps)])
            for (_, path, src), tmp in zip(pending_pdf, tmps):
                cache.put(path, tmp.read_bytes())
                tmp.unlink()
                out.append(src)
        except PdfConversionError as e:
            skipped["pdf"] = str(e)
    out.sort(key=lambda s: (s.ident, COMPOSED_KINDS.index(s.kind)))
    return out, skipped


def figures(shared: Path, idents: set[str] | None = None) -> list[Source]:
    """Every truth file as figures, for the arrangement mutations of ``layouts``."""
    return [Source(t.stem, "truth", "figures", t, t) for t in truth_files(shared) if idents is None or t.stem in idents]


def all_sources(shared: Path, kinds: tuple[str, ...] = COMPOSED_KINDS, idents: set[str] | None = None,
                root: Path | None = None, origins: tuple[str, ...] = ("published", "composed", "truth"),
                ) -> tuple[list[Source], dict[str, str]]:
    pub = [s for s in published(shared) if idents is None or s.ident in idents] if "published" in origins else []
    comp, skipped = composed(shared, kinds, idents, root) if "composed" in origins else ([], {})
    fig = figures(shared, idents) if "truth" in origins else []
    return pub + comp + fig, skipped
