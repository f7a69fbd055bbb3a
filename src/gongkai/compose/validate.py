"""Validation of the figures on the way in: totals completed or checked, then the rules, then a verdict.

Totals follow the semantics of ``rules.arithmetic``: a blank (or "/", "-", text) part contributes nothing to a
sum but is never a printed 0. So a total the input left absent is computed as the sum of its NUMBER parts; when
no part is a number it stays blank (no zero is invented); when a part is unknown or missing it cannot be
computed and stays absent with an error. A total that is present — number, blank or "/" — is never replaced:
the rules check it, and a break refuses the figures with the rule's own message and cells.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..findings import Finding, Severity
from ..formats import Format, format_for_year
from ..model import Basis, Cell, Kind, Report, part_sum
from ..rules import RULES, make_finding, run_rules
from ..rules import arithmetic  # noqa: F401  (registers the rules listed in RULES)

_UNDECIDED = (Kind.UNKNOWN, Kind.MISSING)
# Codes check_figures derives from the cells alone. compose.total-computed is not among them: it records where a
# value came from, which a later check of the same cells can no longer tell.
_OWN_CODES = {"compose.total-not-computed", "compose.row-missing", "compose.t2-row-absent", "compose.table2-missing",
              "compose.cell-unknown",
              "compose.format-year"}


def total_parts(spec: Format, variant: str) -> dict[str, list[str]]:
    """Every total cell of 表三 and 表四 → the cells it sums, ordered so that a total's parts come before it.

    表三: the 总计 column of each row sums the six applicant columns; （七）总计 of each applicant column sums the
    outcome rows （一）…（六）; the corner （七）总计/总计 is taken as its row's sum (the rules check it both ways).
    表四: each group's 总计 sums 结果维持, 结果纠正, 其他结果, 尚未审结.
    """
    cols = [c.key for c in spec.table3.columns]
    rows = [r.key for r in spec.table3.rows_for(variant)]
    outcome = [r.key for r in spec.table3.outcome_rows(variant)]
    out: dict[str, list[str]] = {}
    for r in rows:
        if r != "total":
            out[f"t3.{r}.total"] = [f"t3.{r}.{c}" for c in cols[:-1]]
    for c in cols[:-1]:
        out[f"t3.total.{c}"] = [f"t3.{r}.{c}" for r in outcome]
    out["t3.total.total"] = [f"t3.total.{c}" for c in cols[:-1]]
    t4cols = [c.key for c in spec.table4.columns]
    for g in spec.table4.groups:
        out[f"t4.{g.key}.total"] = [f"t4.{g.key}.{c}" for c in t4cols[:-1]]
    return out


def sum_of(parts: list[Cell]) -> Cell | None:
    """The computed total of ``parts`` (see the module docstring), or None when a part is undecided."""
    if any(c.kind in _UNDECIDED for c in parts):
        return None
    if not any(c.kind is Kind.NUMBER and c.value is not None for c in parts):
        return Cell.blank()  # nothing to add up: the total stays blank, not 0
    s = part_sum(parts)
    return Cell(Kind.NUMBER, s, str(s), basis=Basis.ARITHMETIC)


def complete_totals(report: Report, *, announce: bool = True) -> list[Finding]:
    """Fill the total cells the input left absent (kind MISSING, or a missing （七）总计 row when every outcome row
    is there) with their computed sums, in place. Present totals are left for the rules to check.

    Returns a ``compose.total-computed`` info finding per filled cell (unless ``announce`` is False, as for the
    template whose totals are formulas by design) and a ``compose.total-not-computed`` error per total that an
    undecided part keeps from being computed.
    """
    spec = report.spec
    findings: list[Finding] = []
    outcome = [r.key for r in spec.table3.outcome_rows(report.table3_variant)]
    if "total" not in report.table3 and report.table3 and all(r in report.table3 for r in outcome):
        report.table3["total"] = [Cell.missing() for _ in spec.table3.columns]
    for key, part_keys in total_parts(spec, report.table3_variant).items():
        if not _row_present(report, key) or report.cell(key).kind is not Kind.MISSING:
            continue
        if not all(_row_present(report, k) for k in part_keys):
            continue  # a whole row is absent: check_figures reports the row, not each total
        parts = [report.cell(k) for k in part_keys]
        computed = sum_of(parts)
        if computed is None:
            undecided = [k for k, c in zip(part_keys, parts) if c.kind in _UNDECIDED]
            findings.append(make_finding("compose.total-not-computed", cells=[key] + undecided,
                                         where=cell_label(report, key), key=key, parts=", ".join(undecided)))
            continue
        _set(report, key, computed)
        if announce:
            shown = computed.value if computed.kind is Kind.NUMBER else None
            findings.append(make_finding("compose.total-computed", cells=[key] + part_keys,
                                         where=cell_label(report, key), key=key, value=shown))
    return findings


def _row_present(report: Report, key: str) -> bool:
    table, rest = key.split(".", 1)
    row = rest.rsplit(".", 1)[0]
    return row in {"t2": report.table2, "t3": report.table3, "t4": report.table4}[table]


def _set(report: Report, key: str, cell: Cell) -> None:
    table, rest = key.split(".", 1)
    row, col = rest.rsplit(".", 1)
    rows = {"t2": report.table2, "t3": report.table3, "t4": report.table4}[table]
    cols = report._columns(table, row)
    rows[row][cols.index(col)] = cell


def cell_label(report: Report, key: str) -> str:
    """A cell key in the words of the form, e.g. 表三「（一）予以公开」自然人."""
    return report.spec.cell_words(key, report.table3_variant)


def _structure(report: Report) -> list[Finding]:
    """What the official form needs that the figures do not give: rows, decided cells, the format of the year."""
    spec = report.spec
    out: list[Finding] = []
    if report.year is not None:
        expected = format_for_year(report.year)
        if expected.id != spec.id:
            out.append(make_finding("compose.format-year", year=report.year, format_name=spec.name,
                                    expected_name=expected.name, format=spec.id, expected=expected.id))
    if not report.table2:  # a whole form without 表二 is not a report (rows absent one by one are normal)
        out.append(make_finding("compose.table2-missing", cells=[f"t2.{r.key}" for r in spec.table2]))
    for row in spec.table2 if report.table2 else ():
        if row.key not in report.table2:
            out.append(make_finding("compose.t2-row-absent", cells=[f"t2.{row.key}.{c.key}" for c in row.columns],
                                    row=row.label, row_key=row.key))
    absent = [(f"t3.{r.key}", r.label, [f"t3.{r.key}.{c.key}" for c in spec.table3.columns])
              for r in spec.table3.rows_for(report.table3_variant) if r.key not in report.table3]
    absent += [(f"t4.{g.key}", g.label, [f"t4.{g.key}.{c.key}" for c in spec.table4.columns])
               for g in spec.table4.groups if g.key not in report.table4]
    for row_key, label, cells in absent:
        out.append(make_finding("compose.row-missing", cells=cells, table="表三" if row_key[1] == "3" else "表四",
                                row=label, row_key=row_key))
    for key, cell in report.cells():
        if cell.kind in _UNDECIDED:
            out.append(make_finding("compose.cell-unknown", cells=[key], where=cell_label(report, key), key=key,
                                    kind=cell.kind.value))
    return out


@dataclass
class FiguresVerdict:
    """The figures after validation: ``report`` has its totals completed and carries ``findings``; ``refused``
    when any finding is an error (the figures must then not be composed into a report)."""

    report: Report
    findings: list[Finding] = field(default_factory=list)
    refused: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def refusal_lines(self) -> list[str]:
        """The refusal as lines: per error, the Chinese message, the English gloss, and the cells involved (with
        their sheet and cell reference when the figures came from the template)."""
        return finding_lines(self.report, self.errors)

    def warning_lines(self) -> list[str]:
        """Every warning as lines, with the cells it names (a text typed into a figure cell, a typed-over total,
        last year's 结转 against this year's 上年结转): shown with a refusal too, as it is often its cause."""
        return finding_lines(self.report, self.warnings)


def finding_lines(report: Report, findings: list[Finding]) -> list[str]:
    lines: list[str] = []
    for f in findings:
        lines += [f"{f.severity.zh}：{f.message}", f"    {f.gloss}"]
        if f.cells:
            lines.append("    单元格：" + "、".join(_cell_ref(report, k) for k in f.cells))
    return lines


def _cell_ref(report: Report, key: str) -> str:
    """A cell as the office finds it: the form's words, and the template's sheet and cell (表三!D5) when the
    figures came from the template. The internal key is for --json only."""
    words = cell_label(report, key)
    if report.source_kind == "xlsx":
        from .template import cell_reference

        try:
            ref = cell_reference(report.cell(key).source)
        except (KeyError, ValueError, StopIteration):
            ref = None
        if ref:
            return f"{words}（{ref}）"
    return words


def check_figures(report: Report) -> FiguresVerdict:
    """Complete absent totals on a copy of ``report``, then check it: findings from reading it in, the composer's
    structural checks and every rule of the engine (``rules.run_rules``: identities, sums, types). Prose checks are
    not run here: the sections are generated from these figures later and checked with the composed report.
    Never raises on bad data."""
    checked = copy.deepcopy(report)
    # Findings from reading the figures in are kept; those this check makes itself (e.g. on a report that was
    # checked before and saved as JSON) are made afresh, not doubled.
    own = _OWN_CODES | {r.info.code for r in RULES}
    findings = [f for f in checked.findings if f.code not in own]
    findings += complete_totals(checked)
    findings += _structure(checked)
    findings += run_rules(checked)
    checked.findings = findings
    refused = any(f.severity is Severity.ERROR for f in findings)
    return FiguresVerdict(checked, findings, refused)
