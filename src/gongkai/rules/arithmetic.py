"""Arithmetic and type rules of 表二, 表三 and 表四.

Sums treat a blank as contributing nothing but never as a printed 0: a blank total against
non-zero parts is a break, and every blank where a number is required gets its own finding.
Unknown cells (not decided by the source) make a sum unverifiable: no finding is made from them.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Iterator

from ..formats import load_format
from ..model import Cell, Kind, Report, part_sum
from .catalog import make_finding
from .engine import rule

# Enum members bound once: looking ``Kind.NUMBER`` up on the enum class costs about 60 ns, and this
# module does it for every cell.
_NUMBER, _BLANK, _UNKNOWN, _MISSING = Kind.NUMBER, Kind.BLANK, Kind.UNKNOWN, Kind.MISSING

def _n(c: Cell) -> int | Decimal:
    return c.value if c.kind is _NUMBER and c.value is not None else 0


def _unknown(cells: list[Cell]) -> bool:
    for c in cells:  # a plain loop: any() over a generator costs more for these short rows
        if c.kind is _UNKNOWN or c.kind is _MISSING:
            return True
    return False


def _shown(c: Cell):
    return c.value if c.kind is Kind.NUMBER else (None if c.kind is Kind.BLANK else c.text or c.kind.value)


def _positions(cells: list[Cell]) -> list[dict]:
    return [c.source.to_dict() for c in cells if c.source is not None]


def _breaks(total: Cell, parts_sum) -> bool:
    if total.kind is _NUMBER:
        return total.value != parts_sum
    if total.kind is _BLANK:
        return parts_sum != 0
    return False  # slash/dash/text: reported by the type rules


def _row_label(report: Report, key: str) -> str:
    return next((r.label for r in report.spec.table3.rows if r.key == key), key)


@rule("t3.identity")
def t3_identity(report: Report):
    t = report.table3
    need = ("new_received", "carried_over", "total", "carried_forward")
    if not all(k in t for k in need):
        return
    cols = report.spec.table3.columns
    for i, col in enumerate(cols):
        cells = [t[k][i] for k in need]
        if _unknown(cells) or all(c.kind is _BLANK for c in cells):
            continue
        left = _n(cells[0]) + _n(cells[1])
        right = _n(cells[2]) + _n(cells[3])
        if left != right:
            yield make_finding("t3.identity", cells=[f"t3.{k}.{col.key}" for k in need], positions=_positions(cells),
                               column=col.label, column_en=col.key, new=_shown(cells[0]), carried=_shown(cells[1]),
                               total=_shown(cells[2]), forward=_shown(cells[3]), left=left, right=right)


@rule("t3.total-sum")
def t3_totalpart_sum(report: Report):
    t = report.table3
    if "total" not in t:
        return
    outcome = [r.key for r in report.spec.table3.outcome_rows(report.table3_variant) if r.key in t]
    for i, col in enumerate(report.spec.table3.columns):
        parts = [t[k][i] for k in outcome]
        total = t["total"][i]
        if _unknown(parts + [total]):
            continue
        s = part_sum(parts)
        if _breaks(total, s):
            yield make_finding("t3.total-sum", cells=[f"t3.total.{col.key}"] + [f"t3.{k}.{col.key}" for k in outcome],
                               positions=_positions([total]), column=col.label, column_en=col.key,
                               total=_shown(total), sum=s)


def _rows_off_their_total(rows: dict[str, list[Cell]], n_parts: int) -> Iterator[tuple[str, list[Cell], object]]:
    """Rows whose total cell (the one after ``n_parts`` parts) is not the sum of the parts: (key, row, sum)."""
    for key, row in rows.items():
        if _unknown(row):
            continue
        s = part_sum(row[:n_parts])
        if _breaks(row[n_parts], s):
            yield key, row, s


@rule("t3.row-sum")
def t3_rowpart_sum(report: Report):
    cols = [c.key for c in report.spec.table3.columns]
    for key, row, s in _rows_off_their_total(report.table3, len(cols) - 1):
        yield make_finding("t3.row-sum", cells=[f"t3.{key}.{c}" for c in cols], positions=_positions(row),
                           row=_row_label(report, key), row_key=key, total=_shown(row[-1]), sum=s)


@rule("t4.total-sum")
def t4_totalpart_sum(report: Report):
    spec = report.spec.table4
    cols = [c.key for c in spec.columns]
    for g, row, s in _rows_off_their_total(report.table4, len(cols) - 1):
        yield make_finding("t4.total-sum", cells=[f"t4.{g}.{c}" for c in cols], positions=_positions(row),
                           group=spec.group_name(g), group_en=g, total=_shown(row[4]), upheld=_shown(row[0]),
                           corrected=_shown(row[1]), other=_shown(row[2]), pending=_shown(row[3]), sum=s)


def _where(report: Report, key: str) -> str:
    return report.spec.cell_words(key, report.table3_variant)


# (table, row key, ((cell key, is a count, may be negative), ...) per column) for every row a
# format can print, in the order of Report.cells().
_Plan = tuple[tuple[str, str, tuple[tuple[str, bool, bool], ...]], ...]


@lru_cache(maxsize=None)
def _cell_plan(format_id: str, variant: str) -> _Plan:
    """The cell keys and column types of a format, built once: the cell rules visit every cell of
    every report, and building each key and looking its column up again costs more than the check."""
    spec = load_format(format_id)
    plan: list[tuple[str, str, tuple[tuple[str, bool, bool], ...]]] = []
    for r in spec.table2:
        plan.append(("t2", r.key, tuple((f"t2.{r.key}.{c.key}", not c.decimal, c.signed) for c in r.columns)))
    for r in spec.table3.rows_for(variant):
        plan.append(("t3", r.key, tuple((f"t3.{r.key}.{c.key}", True, False) for c in spec.table3.columns)))
    for g in spec.table4.groups:
        plan.append(("t4", g.key, tuple((f"t4.{g.key}.{c.key}", True, False) for c in spec.table4.columns)))
    return tuple(plan)


def _typed_rows(report: Report) -> Iterator[tuple[tuple[tuple[str, bool, bool], ...], list[Cell]]]:
    """Every printed row of ``report.cells()`` with its columns' (key, is a count, may be negative), from the
    cached plan. By row, not by cell: the cell rules skip most cells at once, and a generator's step per
    cell would cost more than their check."""
    tables = {"t2": report.table2, "t3": report.table3, "t4": report.table4}
    for table, row_key, columns in _cell_plan(report.format, report.table3_variant):
        row = tables[table].get(row_key)
        if row is not None:
            yield columns, row


def _bad_number(c: Cell, is_count: bool, signed: bool) -> bool:
    """A number cell the column's type does not allow: a count with a fraction, a sign or a unit; any
    other number below zero."""
    v = c.value
    if not is_count:
        return v is not None and v < 0
    return isinstance(v, Decimal) and v != v.to_integral_value() or (v is not None and v < 0 and not signed) \
        or c.unit is not None


@rule("cell.non-negative-integer")
def non_negative_integer(report: Report):
    for columns, row in _typed_rows(report):
        for column, c in zip(columns, row):
            if c.kind is not _NUMBER:
                continue
            v = c.value
            if type(v) is int and v >= 0 and c.unit is None:
                continue  # most cells: a whole number, no sign, no unit, which every column allows
            key, is_count, signed = column
            if _bad_number(c, is_count, signed):
                yield make_finding("cell.non-negative-integer", cells=[key], positions=_positions([c]),
                                   where=_where(report, key), key=key, text=c.text)


# A column blank in at least this many rows is one finding for the column, not one per row.
BLANK_COLUMN_ROWS = 3


@rule("cell.blank-required")
def blank_required(report: Report):
    """Blank cells where a number is required, as few findings as say it: one per column blank down the table
    (an applicant column left empty is one slip, not 25), then one per row for the blanks left. A row already
    reported as printed without any value (``parse.row-without-values``) is not reported a second time."""
    said = {k for f in report.findings if f.code == "parse.row-without-values" for k in f.cells}
    for table, rows in (("t3", report.table3), ("t4", report.table4)):
        spec_cols = report.spec.table3.columns if table == "t3" else report.spec.table4.columns
        cols = [c.key for c in spec_cols]
        if said:
            rows = {rk: row for rk, row in rows.items() if f"{table}.{rk}" not in said}
        # The blank columns of each row that has any, in row order (most rows have none).
        blank: dict[str, list[int]] = {}
        for rk, row in rows.items():
            idx = [i for i, c in enumerate(row) if c.kind is _BLANK]
            if idx:
                blank[rk] = idx
        down_by_col: dict[int, list[str]] = {}
        for rk, idx in blank.items():
            for i in idx:
                down_by_col.setdefault(i, []).append(rk)
        # Neighbouring columns blank in the same rows make one block (商业企业 … 其他 left empty together).
        blocks: list[tuple[list[int], list[str]]] = []
        for i in range(len(spec_cols)):
            down = down_by_col.get(i, [])
            if len(down) < BLANK_COLUMN_ROWS:
                continue
            if blocks and blocks[-1][0][-1] == i - 1 and blocks[-1][1] == down:
                blocks[-1][0].append(i)
            else:
                blocks.append(([i], down))
        name = {"t3": "表三", "t4": "表四"}[table]
        for idx, down in blocks:
            for rk in down:
                blank[rk] = [i for i in blank[rk] if i not in idx]
            first, last = spec_cols[idx[0]], spec_cols[idx[-1]]
            where = f"{name}「{first.label}」列" if first is last else f"{name}「{first.label}」至「{last.label}」列"
            yield make_finding("cell.blank-required", cells=[f"{table}.{rk}.{cols[i]}" for rk in down for i in idx],
                               positions=_positions([rows[rk][i] for rk in down for i in idx]), where=where,
                               count=len(down) * len(idx), key=f"{table}.*.{first.key}..{last.key}")
        for rk, idx in blank.items():
            if idx:
                row = rows[rk]
                blanks = [f"{table}.{rk}.{cols[i]}" for i in idx]
                yield make_finding("cell.blank-required", cells=blanks, positions=_positions([row[i] for i in idx]),
                                   where=report.spec.cell_words(f"{table}.{rk}", report.table3_variant),
                                   count=len(blanks), key=f"{table}.{rk}")


_PLACEHOLDERS = (Kind.SLASH, Kind.DASH, Kind.TEXT)  # built once, not for every cell


@rule("cell.placeholder")
def placeholder(report: Report):
    for columns, row in _typed_rows(report):
        for column, c in zip(columns, row):
            kind = c.kind
            if kind is _NUMBER or kind is _BLANK:
                continue  # most cells; an identity test costs less than looking in _PLACEHOLDERS
            key = column[0]
            if kind in _PLACEHOLDERS and not (key.startswith("t2.") and c.unit):
                yield make_finding("cell.placeholder", cells=[key], positions=_positions([c]),
                                   where=_where(report, key), key=key, text=c.text)


@rule("t2.fee-decimal")
def fee_decimal(report: Report):
    row = report.table2.get("fees")
    if not row or report.format != "2021":
        return
    c = row[0]
    if c.kind is Kind.NUMBER and isinstance(c.value, Decimal):
        decimals = max(0, -c.value.as_tuple().exponent)
        if decimals > 4:
            yield make_finding("t2.fee-decimal", cells=["t2.fees.amount_10k_yuan"], positions=_positions([c]),
                               text=c.text, decimals=decimals)


@rule("t2.stock-below-flow")
def stock_below_flow(report: Report):
    if report.format != "2021":
        return
    for key in ("regulations", "normative_documents"):
        row = report.table2.get(key)
        if not row:
            continue
        made, _rep, force = row
        if made.kind is Kind.NUMBER and force.kind is Kind.NUMBER and force.value < made.value:
            yield make_finding("t2.stock-below-flow", cells=[f"t2.{key}.made", f"t2.{key}.in_force"],
                               positions=_positions([made, force]), row=report.spec.table2_row(key).label,
                               row_key=key, made=made.value, in_force=force.value)
