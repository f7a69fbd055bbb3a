"""A report against the same agency's previous report: changed cells and text reuse per section.

Works on any two ``Report`` objects (composed, checked, or loaded with ``ReportStore.load``).

Cells are compared by key (``t3.granted.total``) and by kind: blank → 0 is a change, as is "/" → 0;
two numbers differ by their delta. When the formats differ (2019 trial format → 2021) the diff says
so and compares only the keys both print; the keys only one prints are listed, not compared.

Text reuse — the "copy-paste report" supervisors complain about — is measured per section:

    reuse % = 100 × (characters of the current section's sentences whose normalised form also occurs
              among the previous report's same-section sentences) / (characters of all the current
              section's sentences), counted after normalisation, one decimal, half up.

Sentences end at 。！？；!? or a line break. Normalisation: NFKC, every run of Arabic digits (with
its decimal point or thousands commas) becomes one "#", then white space and punctuation are
dropped. So "本年度收到申请21件。" and "本年度收到申请35件。" are the same sentence — boilerplate with new
figures is reuse, which is exactly the complaint — while a sentence with one new word is not.

This sentence figure is the main one: it is deterministic, it counts whole sentences an office
carried over (what a reader notices), and every reused sentence can be listed. Light edits inside a
sentence escape it, so ``ngram_containment`` is given beside it: the share of the current section's
distinct character 8-grams (same normalisation) that occur in the previous section. 8 characters is
about two Chinese words — long enough that shared stock phrases of the genre (政府信息公开申请) do not
alone make two different texts look copied.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..model import Cell, Kind, Number, Report

NGRAM = 8
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# Kept after normalisation: letters and CJK ideographs, and the digit placeholder.
_DROP = re.compile(r"[^\w#]|_")


def normalise(sentence: str) -> str:
    """The form sentences are compared in (see the module docstring)."""
    t = unicodedata.normalize("NFKC", sentence)
    t = _DIGITS.sub("#", t)
    return _DROP.sub("", t)


def sentences(text: str) -> list[str]:
    """Normalised, non-empty sentences of a section, in order."""
    return [n for n in (normalise(s) for s in _SENTENCE_END.split(text or "")) if n]


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _ngrams(text: str) -> set[str]:
    if len(text) < NGRAM:
        return {text} if text else set()
    return {text[i:i + NGRAM] for i in range(len(text) - NGRAM + 1)}


@dataclass(frozen=True)
class SectionReuse:
    section: str
    reuse_percent: Decimal | None        # None: the current report has no text in this section
    reused_chars: int
    total_chars: int
    reused_sentences: int
    sentence_count: int
    ngram_containment: Decimal | None    # percent of the current section's distinct 8-grams found in the previous

    def to_dict(self) -> dict:
        return {"section": self.section,
                "reuse_percent": None if self.reuse_percent is None else float(self.reuse_percent),
                "reused_chars": self.reused_chars, "total_chars": self.total_chars,
                "reused_sentences": self.reused_sentences, "sentence_count": self.sentence_count,
                "ngram_containment": None if self.ngram_containment is None else float(self.ngram_containment)}


def section_reuse(section: str, current: str, previous: str) -> SectionReuse:
    cur = sentences(current)
    prev_set = set(sentences(previous))
    reused = [s for s in cur if s in prev_set]
    total = sum(map(len, cur))
    reused_chars = sum(map(len, reused))
    cur_grams = _ngrams("".join(cur))
    prev_grams = _ngrams("".join(sentences(previous)))
    return SectionReuse(section, _percent(reused_chars, total), reused_chars, total, len(reused), len(cur),
                        _percent(len(cur_grams & prev_grams), len(cur_grams)))


@dataclass(frozen=True)
class CellChange:
    key: str
    previous: Cell
    current: Cell

    @property
    def delta(self) -> Number | None:
        """current − previous when both are numbers; None when a kind changed (blank → 0 has no delta)."""
        if self.previous.kind is Kind.NUMBER and self.current.kind is Kind.NUMBER:
            return self.current.value - self.previous.value
        return None

    def to_dict(self) -> dict:
        d = self.delta
        return {"key": self.key, "previous": _cell_dict(self.previous), "current": _cell_dict(self.current),
                "delta": None if d is None else (d if isinstance(d, int) else str(d))}


def _cell_dict(cell: Cell) -> dict:
    """A cell's value without its provenance: where it was printed is not what changed."""
    d = cell.to_dict()
    d.pop("source", None)
    return d


def same_cell(a: Cell, b: Cell) -> bool:
    """Equal as printed: the same kind and, for numbers, value and unit; for "/" "-" and text, text."""
    if a.kind is not b.kind:
        return False
    if a.kind is Kind.NUMBER:
        return a.value == b.value and (a.unit or None) == (b.unit or None)
    if a.kind is Kind.TEXT:
        return normalise(a.text) == normalise(b.text)
    return True


@dataclass
class ReportDiff:
    current: dict            # agency, year, format of each report
    previous: dict
    formats_differ: bool
    changed: list[CellChange] = field(default_factory=list)
    unchanged: int = 0
    only_current: list[str] = field(default_factory=list)    # keys printed only in the current report
    only_previous: list[str] = field(default_factory=list)
    reuse: dict[str, SectionReuse] = field(default_factory=dict)
    overall_reuse_percent: Decimal | None = None             # the same measure over all sections together
    findings: list = field(default_factory=list)             # crossyear's checks of the pair (上年结转 …)

    def cell_words(self, key: str) -> str:
        """A changed cell as the form names it (表三「（一）予以公开」自然人), in the current report's format."""
        from ..formats import load_format

        return load_format(self.current["format"]).cell_words(key, self.current.get("table3_variant"))

    def section_words(self, key: str) -> str:
        """A section as the report heads it (三、收到和处理政府信息公开申请情况)."""
        from ..formats import load_format

        s = next((s for s in load_format(self.current["format"]).sections if s.key == key), None)
        return f"{s.number}、{s.title}" if s else key

    def to_dict(self) -> dict:
        return {
            "current": self.current, "previous": self.previous, "formats_differ": self.formats_differ,
            "changed": [c.to_dict() for c in self.changed], "unchanged": self.unchanged,
            "only_current": list(self.only_current), "only_previous": list(self.only_previous),
            "reuse": {k: v.to_dict() for k, v in self.reuse.items()},
            "overall_reuse_percent": None if self.overall_reuse_percent is None else float(self.overall_reuse_percent),
            "findings": [f.to_dict() for f in self.findings],
        }


def _ident(r: Report) -> dict:
    return {"agency": r.agency, "year": r.year, "format": r.format, "table3_variant": r.table3_variant}


def diff_reports(current: Report, previous: Report) -> ReportDiff:
    """Changed cells (kind-aware) and per-section text reuse of ``current`` against ``previous``."""
    cur_cells = dict(current.cells())
    prev_cells = dict(previous.cells())
    # A 2021-format report printing （六） as one row differs in its keys as much as a 2019 one does.
    layout = (current.format, current.table3_variant) != (previous.format, previous.table3_variant)
    out = ReportDiff(_ident(current), _ident(previous), formats_differ=layout)
    for key, cell in cur_cells.items():
        if key not in prev_cells:
            out.only_current.append(key)
        elif same_cell(prev_cells[key], cell):
            out.unchanged += 1
        else:
            out.changed.append(CellChange(key, prev_cells[key], cell))
    out.only_previous = [k for k in prev_cells if k not in cur_cells]

    keys = [s.key for s in current.spec.sections]
    keys += [k for k in current.sections if k not in keys]
    reused = total = 0
    for key in keys:
        r = section_reuse(key, current.sections.get(key, ""), previous.sections.get(key, ""))
        out.reuse[key] = r
        reused += r.reused_chars
        total += r.total_chars
    out.overall_reuse_percent = _percent(reused, total)
    from ..corpus.crossyear import report_pair

    out.findings = report_pair(previous, current)  # the same checks as `gongkai report` and `compose build`
    return out
