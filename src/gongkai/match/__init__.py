"""Matching: blocks of any input format → the typed report model.

Knows the official formats and nothing about file formats. Steps: flatten blocks into label
and value segments (stream.py) → detect the format from its labels (meta.py) → align each
table's form (its rows and columns) to the stream of labels and values, in whatever order the
text gives them (align.py) → read each row's values into exactly its columns, listing every
reading run-together text allows (split.py) → choose by the tables' arithmetic, the prose, and
for 表二 a declared plausibility model (choose.py, plausible.py) → Report with findings that say
how each doubtful value was decided.
"""
from __future__ import annotations

from bisect import bisect_left
import math
import re
from dataclasses import dataclass, field
from itertools import combinations

from ..blocks import Document, Paragraph, Source
from ..findings import Finding
from ..formats import T4_GROUPS, Format, Pattern, Row, format_for_year, load_format
from ..model import Basis, Cell, Kind, Report
from ..prose.numbers import find_quantities
from ..rules.catalog import make_finding
from ..text import normalize_label
from . import plausible, reorder
from .choose import Choice, merge_undecided, resolve_jointly, shortlist, sum_violations, with_basis
from .meta import detect_format, find_meta, find_sections, report_evidence
from .align import Alignment, RowHit, Stream, _page_number_blocks, align_stream, find_rows
from .blank_table import blank_table_header
from .columns import Columns
from .split import printed_count, readings, tokenize, values_key
from .stream import Seg, segments

_NUMBER = Kind.NUMBER  # bound once: the enum class lookup costs more than the tests below
_UNKNOWN = Kind.UNKNOWN

T_NAMES = {"t2": ("表二", "Table 2"), "t3": ("表三", "Table 3"), "t4": ("表四", "Table 4")}


class NotAnnualReport(Exception):
    """The document is readable but is not a 政府信息公开工作年度报告."""

    def __init__(self, reason: str, evidence: dict | None = None):
        self.reason = reason
        self.evidence = evidence  # what makes it look like a report after all (meta.report_evidence)
        super().__init__(reason)


def document_text(doc: Document) -> str:
    if doc.text:
        return doc.text
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        else:
            parts += ["\t".join(c.text for c in row) for row in b.rows]
    return "\n".join(parts)


@dataclass
class _Ctx:
    fmt: Format
    variant: str
    findings: list[Finding]
    prose: str
    orders: list[str] = field(default_factory=list)  # reading orders the arithmetic decided (labels-first fragments)
    text: str = ""                                    # the document text, for where values stand on a line
    columns: Columns | None = None                    # the current table's columns, learned from its full rows


def _pos(hit: RowHit | None) -> list[dict]:
    if hit is None:
        return []
    return [hit.source.to_dict()]


def _row_text(hit: RowHit) -> str:
    return " ".join(p.text for p in hit.pieces).strip()


def _row_cells(table: str, key: str) -> list[str]:
    """The cell keys a finding about one row names: 表四 is read as one row of its three groups."""
    if table == "t4" and key == "all":
        return [f"t4.{g}" for g in T4_GROUPS]
    return [f"{table}.{key}"]


def _read_row(ctx: _Ctx, table: str, row_key: str, row_label: str, hit: RowHit, n: int, violations) -> Choice:
    if not hit.pieces:
        return Choice([[Cell.blank(hit.source) for _ in range(n)]], True, 0)
    rs, complete = readings(hit.pieces, n)
    if not complete:
        # too many ways to cut a run of digits to list them: the row is not decided (issue 12, item 4)
        ctx.findings.append(make_finding(
            "parse.run-too-long", cells=_row_cells(table, row_key), positions=_pos(hit), table=T_NAMES[table][0],
            table_en=T_NAMES[table][1], row=row_label, row_key=row_key, text=_row_text(hit)[:80], expected=n))
        return Choice([[Cell(Kind.UNKNOWN, source=hit.source) for _ in range(n)]], False, 0)
    if rs and ctx.columns is not None and any(c.basis is Basis.SPLIT for c in rs[0].cells) \
            and ctx.columns.laid_out(hit.pieces):
        # numbers cut to fill the row: in layout text, where the printed numbers stand may say instead
        # that they are whole and the other cells blank ("426      6       432")
        toks = [t for t in tokenize(hit.pieces) if t.kind != "gap"]
        chosen = _by_position(ctx, table, row_key, row_label, hit, n, toks)[0] if 2 <= len(toks) < n else None
        if chosen is not None:
            return chosen
    if not rs:
        # Fewer values than columns and nothing to split (a converter left blank cells out): the printed
        # values keep their order, and a cell is known only where every placement the row's own sums
        # allow puts the same value; the others are unknown, never a neighbour's value.
        toks = [t for t in tokenize(hit.pieces) if t.kind != "gap"]
        chosen, base = _by_position(ctx, table, row_key, row_label, hit, n, toks)
        if chosen is not None:
            return chosen
        cells = placed(base, n, violations, hit.source)
        ctx.findings.append(make_finding(
            "parse.cells-missing", cells=_row_cells(table, row_key), positions=_pos(hit), table=T_NAMES[table][0],
            table_en=T_NAMES[table][1], row=row_label, row_key=row_key, printed=len(base), expected=n))
        return Choice([cells], False, 0)
    return shortlist(rs, violations, complete)


def _by_position(ctx: _Ctx, table: str, row_key: str, row_label: str, hit: RowHit, n: int,
                 toks: list) -> tuple[Choice | None, list[Cell]]:
    """A short row read by where its values stand on the line (columns.py), and its printed cells."""
    rs2, _ = readings(hit.pieces, len(toks)) if toks else ([], True)
    base = rs2[0].cells if rs2 else []
    cols = ctx.columns.place(toks, base) if ctx.columns is not None and len(base) == len(toks) else None
    if cols is None:
        return None, base
    # where they stand on the line says which cells they are (a layout-keeping converter): the
    # other cells were printed blank
    cells = [Cell.blank(hit.source) for _ in range(n)]
    for k, c in zip(cols, base):
        cells[k] = c
    ctx.findings.append(make_finding(
        "parse.cells-by-position", cells=_row_cells(table, row_key), positions=_pos(hit),
        table=T_NAMES[table][0], table_en=T_NAMES[table][1], row=row_label, row_key=row_key,
        printed=len(base), expected=n))
    return Choice([cells], True, 0), base


def placed(base: list[Cell], n: int, violations, source, limit: int = 5000) -> list[Cell]:
    """``base`` (fewer than ``n`` printed cells, in order) placed into n cells: the cells every placement
    breaking the fewest of the row's sums agrees on, the others unknown with the values they could hold."""
    unknown = Cell(Kind.UNKNOWN, source=source)
    if len(base) > n or math.comb(n, len(base)) > limit:
        return [Cell(Kind.UNKNOWN, source=source) for _ in range(n)]
    best: list[list[Cell]] = []
    best_v = None
    for pos in combinations(range(n), len(base)):
        cells = [unknown] * n
        for p, c in zip(pos, base):
            cells[p] = c
        v = violations(cells) if violations else 0
        if best_v is None or v < best_v:
            best_v, best = v, [cells]
        elif v == best_v:
            best.append(cells)
    out: list[Cell] = []
    for i in range(n):
        options = {id(c[i]): c[i] for c in best}
        if len(options) == 1:
            c = next(iter(options.values()))
            out.append(c if c.kind is Kind.UNKNOWN or len(best) == 1 else
                       Cell(c.kind, c.value, c.text, c.unit, c.source, Basis.ARITHMETIC))
        else:
            alts = []
            for c in options.values():
                v = c.value if c.kind is _NUMBER else None
                if v not in alts:
                    alts.append(v)
            out.append(Cell(Kind.UNKNOWN, source=source, alternatives=alts))
    return out


def _note_adjusted(ctx: _Ctx, table: str, row_key: str, row_label: str, hit: RowHit, choice: Choice, n: int) -> None:
    """Say so when printed values were left out or white space was read as a blank cell.

    Dropping empty grid cells (the label columns of merged cells, trailing separators) is the
    normal shape of converted tables and is not reported.
    """
    if choice.cost <= 0:
        return
    toks = tokenize(hit.pieces)
    printed_values = sum(1 for t in toks if t.kind in ("num", "ph", "text"))
    cells = choice.candidates[0]
    kept_values = sum(1 for c in cells if c.kind not in (Kind.BLANK, Kind.UNKNOWN))
    split_extra = sum(1 for c in cells if c.basis is Basis.SPLIT)
    dropped = max(0, printed_values - (kept_values - split_extra + (1 if split_extra else 0))) if not split_extra \
        else max(0, printed_values - kept_values)
    explicit_blanks = sum(1 for t in toks if t.kind == "blank")
    blank_cells = sum(1 for c in cells if c.kind is Kind.BLANK)
    from_space = max(0, blank_cells - explicit_blanks)
    if not dropped and not from_space:
        return
    how, how_en = [], []
    if dropped:
        how.append(f"忽略多出的 {dropped} 项数值")
        how_en.append(f"{dropped} extra value(s) ignored")
    if from_space:
        how.append(f"{from_space} 处空格视为空白单元格")
        how_en.append(f"{from_space} white space(s) read as blank cells")
    ctx.findings.append(make_finding(
        "parse.cells-adjusted", cells=_row_cells(table, row_key), positions=_pos(hit), table=T_NAMES[table][0],
        table_en=T_NAMES[table][1], row=row_label, row_key=row_key, printed=printed_count(hit.pieces), expected=n,
        how="；".join(how), how_en="; ".join(how_en)))


def _shown(cells: list[Cell]) -> list:
    return [(str(c.value) if c.kind is Kind.NUMBER else c.kind.value) for c in cells]


# ---- 表三 --------------------------------------------------------------------------------------
def _t3_row_violations(cells: list[Cell]) -> int:
    return sum_violations(cells, slice(0, 6), 6)


def _t3_objective(outcome_keys: list[str]):
    def objective(rows: dict[str, list[Cell]]) -> int:
        bad = sum(_t3_row_violations(c) for c in rows.values())
        for col in range(7):
            def v(key: str) -> int:
                cells = rows.get(key)
                if not cells:
                    return 0
                c = cells[col]
                return c.value if c.kind is _NUMBER and c.value is not None else 0
            if all(k in rows for k in ("new_received", "carried_over", "total", "carried_forward")):
                if v("new_received") + v("carried_over") != v("total") + v("carried_forward"):
                    bad += 1
            if "total" in rows:
                if sum(v(k) for k in outcome_keys) != v("total"):
                    bad += 1
        return bad
    return objective


def _match_table3(ctx: _Ctx, segs: list[Seg], start: int, end: int, new_row: Row) -> dict[str, list[Cell]]:
    spec = ctx.fmt.table3
    rows = spec.rows_for(ctx.variant)
    norm = segs[start].norm
    note = norm.find("勾稽关系")
    m = new_row.match(norm)
    first_pos = min(x for x in (note if note >= 0 else None, m.start() if m else None, len(norm)) if x is not None)
    stream = Stream(segs, start, end, rows, first_pos)
    mark = len(ctx.findings)
    hits = _align_table(ctx, "t3", stream, [7] * len(rows), _t3_row_violations)
    choices = _t3_choices(ctx, rows, stream, hits, tuple(c.label for c in spec.columns))
    if _t3_mostly_broken(choices) and all(a.row_id is None for a in stream.atoms()):
        # loose text whose printed order breaks the sums of most rows that hold requests: a reading order the
        # cheap path did not see (a table whose 总计 column is printed first). Another reading satisfying every
        # identity is taken, said so; without one, the rows breaking their sums are not decided
        if _reordered(ctx, "t3", stream, [7] * len(rows), hits):
            mine = ctx.findings.pop()
            del ctx.findings[mark:]
            ctx.findings.append(mine)
        else:
            for i, r in enumerate(rows):
                ch, hit = choices.get(r.key), hits.get(i)
                if ch is not None and hit is not None and not ch.satisfied and _whole(ch):
                    hit.status, hit.alternatives = "uncertain", [[p.text for p in hit.pieces]]
        choices = _t3_choices(ctx, rows, stream, hits, tuple(c.label for c in spec.columns))
    outcome_keys = [r.key for r in spec.outcome_rows(ctx.variant)]
    decided = resolve_jointly(choices, _t3_objective(outcome_keys))
    ctx.columns = None
    out: dict[str, list[Cell]] = {}
    for i, r in enumerate(rows):
        hit = hits.get(i)
        cells = _unplaced(ctx, "t3", r.key, r.label, hit, 7)
        if cells is not None:
            out[r.key] = cells
            continue
        if hit is None:
            continue
        ch = choices[r.key]
        out[r.key] = _settle(ctx, "t3", r, hit, ch, decided.get(r.key))
    return out


def _t3_choices(ctx: _Ctx, rows: tuple[Row, ...], stream: Stream, hits: dict[int, RowHit],
                titles: tuple[str, ...]) -> dict[str, Choice]:
    # learned from the full rows (or a drawn rule, or the header's column titles) only when a short row asks
    # where its values stand
    ctx.columns = Columns(ctx.text, 7, [h.pieces for h in hits.values() if h.status != "uncertain" and h.pieces],
                          stream.rules, titles) if ctx.text else None
    choices: dict[str, Choice] = {}
    for i, r in enumerate(rows):
        hit = hits.get(i)
        if hit is None or hit.status == "uncertain":
            continue
        choices[r.key] = _read_row(ctx, "t3", r.key, r.label, hit, 7, _t3_row_violations)
    return choices


def _whole(ch: Choice) -> bool:
    for c in ch.candidates[0]:
        if c.kind is _UNKNOWN:
            return False
    return True


def _t3_mostly_broken(choices: dict[str, Choice]) -> bool:
    """Do most of the rows holding requests break their own sum (at least three)? A report's own slips are a
    row or two; a whole table off is a reading order the cheap path did not see."""
    held = broken = 0
    for ch in choices.values():
        if not _whole(ch):
            continue  # cells left out by the converter: the row's sums say nothing of the order
        if any(c.kind is _NUMBER and c.value for c in ch.candidates[0]):
            held += 1
            broken += not ch.satisfied
    return broken >= 3 and 2 * broken >= held


def _align_table(ctx: _Ctx, table: str, stream: Stream, widths: list[int], violations) -> dict[int, RowHit]:
    """The table's rows as aligned, with the reading order of fragments printed labels first decided:
    by the rows' own sums where the table has them, else by the order the report's other tables were
    found in; an order nothing decides leaves the rows whose values differ between the orders uncertain."""
    al: Alignment = align_stream(stream, widths)
    first_finding = len(ctx.findings)
    for b in al.blocks:
        score = {}
        for order, assign in b.orders.items():
            v = 0
            for r, atoms in assign.items():
                rs, _ = readings(stream.pieces_of(atoms), widths[r])
                v += (min(violations(x.cells) for x in rs) if rs else 1) if violations else 0
            score[order] = v
        best = min(score.values())
        winners = [o for o, v in score.items() if v == best]
        # The sums decide only when the winning order satisfies them, or breaks at most a quarter as many
        # as the other (the report's own slips): an order that merely breaks fewer (columns printed out of
        # place) is not confirmed. Without sums (表二), the order 表三 was found in.
        other = min((v for o, v in score.items() if o not in winners), default=best)
        by_sums = violations is not None and len(winners) == 1 and (best == 0 or best * 4 <= other)
        if by_sums:
            ctx.orders.append(winners[0])
        elif violations is not None:
            winners = list(b.orders)
        elif ctx.orders and ctx.orders.count(ctx.orders[0]) == len(ctx.orders) and not b.tentative:
            winners = [ctx.orders[0]]
        else:
            winners = list(b.orders)
        order = winners[0]
        name = {"row": "逐行", "col": "逐列"}[order]
        name_en = {"row": "row by row", "col": "column by column"}[order]
        undecided = len(winners) > 1
        rows_text = "、".join(stream.rows[r].label for r in b.rows[:3]) + ("等" if len(b.rows) > 3 else "")
        if undecided:
            ctx.findings.append(make_finding(
                "parse.order-undecided", cells=[f"{table}.{stream.rows[r].key}" for r in b.rows],
                table=T_NAMES[table][0], table_en=T_NAMES[table][1], rows=rows_text, count=len(b.rows)))
        else:
            ctx.findings.append(make_finding(
                "parse.order-decided", cells=[f"{table}.{stream.rows[r].key}" for r in b.rows],
                table=T_NAMES[table][0], table_en=T_NAMES[table][1], rows=rows_text, count=len(b.rows),
                order=name, order_en=name_en))
        for r in b.rows:
            hit = al.hits[r]
            hit.pieces = stream.pieces_of(b.orders[order][r])
            if undecided and any(stream.pieces_of(b.orders[o][r]) != hit.pieces for o in winners):
                hit.status = "uncertain"
                hit.alternatives = [[p.text for p in stream.pieces_of(b.orders[o][r])] for o in winners]
            else:
                hit.status = "anchored"
    if table == "t3" and any(h.status == "uncertain" for h in al.hits.values()):
        # the cheap path left rows undecided: look for the one reading the table's arithmetic allows
        if _reordered(ctx, table, stream, widths, al.hits):
            mine = ctx.findings.pop()
            del ctx.findings[first_finding:]  # the undecided orders and rows it replaces
            ctx.findings.append(mine)
            return al.hits
    for a in al.dropped[:1]:
        ctx.findings.append(make_finding(
            "parse.values-dropped", cells=[table], positions=[x.tok.source.to_dict() for x in al.dropped[:6]],
            table=T_NAMES[table][0], table_en=T_NAMES[table][1], count=len(al.dropped),
            values=[x.tok.text for x in al.dropped[:6]]))
    return al.hits


def _t3_checks(ctx: _Ctx, rows: tuple[Row, ...]):
    """表三's identities for the reading search: a row's 总计 is the sum of its six columns; per column
    一+二 = （七）总计+四 and the outcome rows sum to （七）总计. Values are ints or None (not a number)."""
    keys = {r.key: i for i, r in enumerate(rows)}
    need = [keys.get(k) for k in ("new_received", "carried_over", "total", "carried_forward")]
    outcome = [i for i, r in enumerate(rows) if r.outcome]

    def n(v) -> int:
        return v if v is not None else 0

    def row_ok(r: int, vals: list) -> bool:
        return sum(n(v) for v in vals[:6]) == n(vals[6])

    def col_ok(c: int, col: list) -> bool:
        if None not in need and n(col[need[0]]) + n(col[need[1]]) != n(col[need[2]]) + n(col[need[3]]):
            return False
        return need[2] is None or sum(n(col[i]) for i in outcome) == n(col[need[2]])

    return row_ok, col_ok


def _reordered(ctx: _Ctx, table: str, stream: Stream, widths: list[int], hits: dict[int, RowHit]) -> bool:
    """Replace the alignment's rows by the reading reorder.search finds, with its finding; False when there
    is none (the rows stay as the cheap path left them)."""
    rows = stream.rows
    if len(set(widths)) != 1:
        return False
    row_ok, col_ok = _t3_checks(ctx, rows)
    cols = reorder.column_names([c.label for c in ctx.fmt.table3.columns])
    got = reorder.search(stream, len(rows), widths[0], row_ok, col_ok, cols)
    if got is None:
        return False
    def pieces(atoms):  # value by value: the reading may take a line's values in an order of its own
        return [p for a in atoms for p in stream.pieces_of([a])]

    for r, atoms in got.rows.items():
        seg = stream.labels.get(r)
        hit = RowHit(rows[r].key, seg.text if seg else "", seg.source if seg else Source(), pieces(atoms), "anchored")
        if r in got.alternatives:
            hit.status = "uncertain"
            hit.alternatives = [[p.text for p in pieces(a)] for a in got.alternatives[r]]
        hits[r] = hit
    if got.in_order:
        # 表二 has no sums: it is read as 表三 was only where 表三's columns came in their own order
        ctx.orders.append("col" if got.by_column else "row")
    ctx.findings.append(make_finding(
        "parse.order-searched", cells=[table], table=T_NAMES[table][0], table_en=T_NAMES[table][1],
        moves=got.cost, undecided=len(got.alternatives)))
    return True


def _unplaced(ctx: _Ctx, table: str, key: str, label: str, hit: RowHit | None, n: int) -> list[Cell] | None:
    """Cells for a row the alignment could not place (unknown, with a finding), or for a missing row
    (a finding, no cells); None for a row to be read from its values."""
    if hit is None:
        ctx.findings.append(make_finding("parse.row-missing", cells=_row_cells(table, key), table=T_NAMES[table][0],
                                         table_en=T_NAMES[table][1], row=label, row_key=key))
        return None
    if hit.status == "uncertain":
        texts = hit.alternatives or [[p.text for p in hit.pieces]]
        ctx.findings.append(make_finding(
            "parse.cells-unplaced", cells=_row_cells(table, key), positions=_pos(hit), table=T_NAMES[table][0],
            table_en=T_NAMES[table][1], row=label, row_key=key, alternatives=texts))
        return [Cell(Kind.UNKNOWN, source=hit.source) for _ in range(n)]
    if not hit.pieces:
        ctx.findings.append(make_finding("parse.row-without-values", cells=_row_cells(table, key), positions=_pos(hit),
                                         table=T_NAMES[table][0], table_en=T_NAMES[table][1], row=label,
                                         row_key=key))
    return None


def _settle(ctx: _Ctx, table: str, r: Row | None, hit: RowHit, ch: Choice, joint: list[list[Cell]] | None,
            key: str | None = None, label: str | None = None) -> list[Cell]:
    key = key or r.key
    label = label or r.label
    n = len(ch.candidates[0])
    _note_adjusted(ctx, table, key, label, hit, ch, n)
    cands = joint if joint is not None else ch.candidates
    if len(cands) == 1:
        cells = cands[0]
        if len(ch.candidates) > 1:
            cells = with_basis(cells, Basis.ARITHMETIC, ch.candidates)
            ctx.findings.append(make_finding(
                "parse.split-by-arithmetic", cells=_row_cells(table, key), positions=_pos(hit), table=T_NAMES[table][0],
                table_en=T_NAMES[table][1], row=label, row_key=key, text=_row_text(hit), values=_shown(cells)))
        return cells
    ctx.findings.append(make_finding(
        "parse.split-undecided", cells=_row_cells(table, key), positions=_pos(hit), table=T_NAMES[table][0],
        table_en=T_NAMES[table][1], row=label, row_key=key, text=_row_text(hit),
        alternatives=[_shown(c) for c in cands[:6]]))
    return merge_undecided(cands)


# ---- 表四 --------------------------------------------------------------------------------------
def _t4_violations(cells: list[Cell]) -> int:
    return sum(sum_violations(cells, slice(g * 5, g * 5 + 4), g * 5 + 4) for g in range(3))


_SENTENCE = re.compile(r"[。，；;,]")  # punctuation of running text, not of a table's labels
_SECTION_2 = re.compile(r"二[、.．]?主动公开政府信息")  # section 二's heading


def _t2_blocks(rows: tuple[Row, ...], segs: list[Seg], start: int, end: int, first_pos: int
               ) -> list[tuple[int, int, int, list[int]]]:
    """表二 as its 第二十条 item blocks, each aligned on its own: (start, end, position in the first segment,
    indices of its rows). An item heading is a wall no value crosses: a converter may print one block's labels
    before their values and the next one's after. Only when every item of the form is headed, in the form's
    order; otherwise the whole table is one block."""
    items: list[str] = list(dict.fromkeys(r.item for r in rows if r.item))
    whole = [(start, end, first_pos, list(range(len(rows))))]
    if len(items) < 2 or any(r.item is None for r in rows):
        return whole
    heads: list[tuple[int, int]] = []
    k = start
    for item in items:
        want = normalize_label(item)
        while k < end:
            norm = segs[k].norm[first_pos:] if k == start else segs[k].norm
            at = norm.find(want) if segs[k].kind == "label" else -1
            if at >= 0:
                heads.append((k, at + (first_pos if k == start else 0)))
                k += 1
                break
            k += 1
        else:
            return whole
    bounds = [h for h, _ in heads[1:]] + [end]
    blocks = [(h, b, pos, [i for i, r in enumerate(rows) if r.item == item])
              for (h, pos), b, item in zip(heads, bounds, items)]
    page_numbers = _page_number_blocks(segs, start, end)
    for h, b, _, members in blocks:
        # each block holds exactly its rows' values: otherwise they stand elsewhere (all labels first and the
        # values after the next heading, pdfminer; digits run together): one stream, as before
        values = sum(printed_count(segs[j].pieces) for j in range(h, b) if segs[j].kind == "values"
                     and segs[j].block not in page_numbers)
        if values != sum(len(rows[i].columns) for i in members):
            return whole
        # ... and the labels of its rows
        named = {r for j in range(h, b) if segs[j].kind == "label" for r in find_rows(segs[j].norm, rows)}
        if not named.issuperset(members):
            return whole
    return blocks

_SECTION_5 = re.compile(r"五[、.．]?.{0,16}(问题|改进)")  # section 五 ends 表四
_T4_START = re.compile(r"行政复议|结果维持|复议后起诉|行政诉讼")
_T4_ROW = (Row("all", "行政复议、行政诉讼", (Pattern.of("行政复议"), Pattern.of("结果维持"), Pattern.of("复议后起诉"),
                                             Pattern.of("行政诉讼"))),)


def _match_table4(ctx: _Ctx, segs: list[Seg], start: int, end: int) -> dict[str, list[Cell]]:
    """表四 is one row of 15 cells in the form; its header words are the row's anchor. Section 四's own
    sentences name 行政复议 too ("被申请行政复议3件，其中结果维持1件…"): a grid table's header is the
    table when there is one."""
    spec = ctx.fmt.table4
    starts = [k for k in range(start, end) if segs[k].kind == "label" and _T4_START.search(segs[k].norm)]
    i = next((k for k in starts if segs[k].row_id is not None), starts[0] if starts else end)
    stream = Stream(segs, i, end, _T4_ROW, anchor_first=True) if i < end else None
    hits = _align_table(ctx, "t4", stream, [15], _t4_violations) if stream is not None and stream.atoms() else {}
    hit = hits.get(0)
    if hit is not None and hit.status == "uncertain" and stream is not None:
        _t4_by_headers(ctx, stream, hit)
    head = blank_table_header(segs, start, end, spec) if stream is not None and not stream.atoms() else None
    if head is not None:
        hit = RowHit("all", head.text, head.source, [], "blank")  # printed with every cell blank
    elif hit is None or (not hit.pieces and hit.status != "uncertain"):
        ctx.findings.append(make_finding("parse.table-missing", table="表四", table_en="Table 4"))
        return {}
    cells = _unplaced(ctx, "t4", "all", "行政复议、行政诉讼", hit, 15)
    if cells is None:
        # the row's columns from where its values stand under the header (layout text), only when asked
        ctx.columns = Columns(ctx.text, 15, [hit.pieces], stream.rules,
                              tuple(c.label for _ in spec.groups for c in spec.columns)) if ctx.text else None
        ch = _read_row(ctx, "t4", "all", "全部", hit, 15, _t4_violations)
        ctx.columns = None
        cells = _settle(ctx, "t4", None, hit, ch, None, key="all", label="行政复议、行政诉讼")
    return {g.key: cells[k * 5:(k + 1) * 5] for k, g in enumerate(spec.groups)}


_T4_WORDS = {"维持": 0, "纠正": 1, "其他": 2, "尚未": 3, "审结": 3, "总计": 4}  # 表四's column headers, as printed


def _t4_by_headers(ctx: _Ctx, stream: Stream, hit: RowHit) -> None:
    """表四's values standing among its headers: placed by the headers before them where the groups' sums then
    hold, or where that is the order they are printed in anyway (the report's own slips stay as printed)."""
    atoms = reorder.by_headers(stream, _T4_WORDS, 5, 15)
    printed = stream.atoms()
    rs, _ = readings(stream.pieces_of(atoms), 15) if atoms is not None else ([], True)
    if len(rs) != 1 or (_t4_violations(rs[0].cells) and atoms != printed):
        # The headers give no reading whose sums hold. Values that are exactly the row's 15 cells, printed
        # after every header of the groups they fill, stand in the order printed (pdftotext's stacked header
        # lines with a title left among the values): read so, the report's own slips stay as printed.
        first_value = next((k for k, e in enumerate(stream.events) if e.kind == "A"), None)
        headers_after = {m for e in stream.events[first_value:] if first_value is not None and e.kind in ("N", "L")
                         for m in _T4_HEADER_RX.findall(stream.segs[e.seg].norm)}
        as_printed, _ = readings(stream.pieces_of(printed), 15)
        if len(printed) == 15 and len(as_printed) == 1 and len(headers_after) <= 1:
            hit.pieces, hit.status, hit.alternatives = stream.pieces_of(printed), "anchored", []
            ctx.findings.append(make_finding("parse.cells-as-printed", cells=["t4"], table="表四", table_en="Table 4"))
        return
    hit.pieces, hit.status, hit.alternatives = stream.pieces_of(atoms), "anchored", []
    ctx.findings.append(make_finding("parse.cells-by-headers", cells=["t4"], table="表四", table_en="Table 4"))


_T4_HEADER_RX = re.compile("|".join(map(re.escape, _T4_WORDS)))


# ---- 表二 --------------------------------------------------------------------------------------
PROSE_WORDS = {  # the 表二 column each verb names, when the prose states a count of 规范性文件 after it
    "made": ("制发", "制定", "印发", "出台", "新制作", "发布"),
    "repealed": ("废止", "宣布失效", "失效"),
    "in_force": ("现行有效", "有效"),
}
_DOCUMENT_UNITS = ("件", "个", "项", "条")


def _prose_counts(prose: str) -> list[tuple[int, str]]:
    """Counts the prose states about 规范性文件, with the 16 characters before each, read by the prose
    module's own number reader (Arabic or Chinese numerals). Found once per report: every reading of every
    ambiguous 表二 row is checked against them."""
    out: list[tuple[int, str]] = []
    for q in find_quantities(prose):
        if q.unit not in _DOCUMENT_UNITS or not isinstance(q.value, int):
            continue
        before = prose[max(0, q.start - 16):q.start]
        if "规范性文件" in before:
            out.append((q.value, before))
    return out


def _prose_support(counts: list[tuple[int, str]], columns: list[str], cells: list[Cell]) -> int:
    """How many of a reading's values the report's text states next to the column's words."""
    score = 0
    for col, c in zip(columns, cells):
        words = PROSE_WORDS.get(col)
        if not words or c.kind is not _NUMBER:
            continue
        for value, before in counts:
            if value == c.value and any(w in before for w in words):
                score += 1
                break
    return score


_ROW_TUPLES: dict[tuple[int, ...], tuple[Row, ...]] = {}


def _rows_tuple(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The one tuple of these format rows: what the aligner memoises by a rows tuple's identity (its combined
    row regex, the rows each official label names) is then found again for the next report's 表二 blocks."""
    return _ROW_TUPLES.setdefault(tuple(map(id, rows)), rows)


def _match_table2(ctx: _Ctx, segs: list[Seg], start: int, end: int) -> dict[str, list[Cell]]:
    rows = ctx.fmt.table2
    m2 = _SECTION_2.search(segs[start].norm)
    first_pos = max(segs[start].norm.find("第二十条"), m2.start() if m2 else 0, 0)
    hits: dict[int, RowHit] = {}
    for b_start, b_end, pos, members in _t2_blocks(rows, segs, start, end, first_pos):
        sub = _rows_tuple(tuple(rows[i] for i in members))
        stream = Stream(segs, b_start, b_end, sub, pos)
        for k, hit in _align_table(ctx, "t2", stream, [len(r.columns) for r in sub], None).items():
            hits[members[k]] = hit
    out: dict[str, list[Cell]] = {}
    counts: list[tuple[int, str]] | None = None  # the prose's counts, found when first needed
    for i, r in enumerate(rows):
        hit = hits.get(i)
        n = len(r.columns)
        cells = _unplaced(ctx, "t2", r.key, r.label, hit, n)
        if cells is not None:
            out[r.key] = cells
            continue
        if hit is None:
            continue  # e.g. no 规章 row for an organ without rule-making power: absent, with its finding
        ch = _read_row(ctx, "t2", r.key, r.label, hit, n, None)
        if ch.unique:
            out[r.key] = _settle(ctx, "t2", r, hit, ch, None)
            continue
        _note_adjusted(ctx, "t2", r.key, r.label, hit, ch, n)
        cols = [c.key for c in r.columns]
        if counts is None:
            counts = _prose_counts(ctx.prose)
        support = [_prose_support(counts, cols, c) for c in ch.candidates]
        best = max(support)
        alts = ch.candidates
        if best > 0 and support.count(best) == 1:
            chosen = ch.candidates[support.index(best)]
            code, basis = "parse.split-by-prose", Basis.PROSE
        else:
            pool = [c for c, s in zip(ch.candidates, support) if s == best]
            ranked = plausible.rank(cols, pool)
            chosen = ranked[0]
            code, basis = ("parse.split-by-prose", Basis.PROSE) if best > 0 and len(pool) == 1 else \
                ("parse.split-guessed", Basis.PLAUSIBILITY)
        cells = with_basis(chosen, basis, alts)
        others = [_shown(c) for c in alts if values_key(c) != values_key(chosen)][:6]
        ctx.findings.append(make_finding(code, cells=[f"t2.{r.key}.{c}" for c in cols], positions=_pos(hit),
                                         table="表二", table_en="Table 2", row=r.label, row_key=r.key,
                                         text=_row_text(hit), values=_shown(cells), alternatives=others))
        out[r.key] = cells
    return out


# ---- the whole report ---------------------------------------------------------------------------
class _Labels:
    """The label segments of a document, by index, with their normalised text: the tables' starts and ends are
    looked for among them (a report has several hundred segments, half of them values)."""

    def __init__(self, segs: list[Seg]) -> None:
        self.at = [i for i, s in enumerate(segs) if s.kind == "label"]
        self.norms = [segs[i].norm for i in self.at]

    def first(self, start: int, end: int, pred) -> int | None:
        """The first label segment in [start, end) whose text ``pred`` accepts; a str is a word it contains."""
        at, norms = self.at, self.norms
        k = bisect_left(at, start)
        if isinstance(pred, str):
            for j in range(k, len(at)):
                if at[j] >= end:
                    return None
                if pred in norms[j]:
                    return at[j]
            return None
        for j in range(k, len(at)):
            if at[j] >= end:
                return None
            if pred(norms[j]):
                return at[j]
        return None


def match_document(doc: Document) -> Report:
    """The report in ``doc``; raises NotAnnualReport when it holds no annual report."""
    text = document_text(doc)
    meta = find_meta(text)
    probe = load_format("2021")
    segs = segments(doc, probe.table3.header_words)
    labels = _Labels(segs)
    norm_all = "".join(labels.norms)
    new_row = next(r for r in probe.table3.rows if r.key == "new_received")
    i3 = labels.first(0, len(segs), lambda n: "勾稽关系" in n or bool(new_row.match(n)))
    i3_row = labels.first(i3 or 0, len(segs), lambda n: bool(new_row.match(n))) if i3 is not None else None
    probe_sections = find_sections(text, probe)
    has_sections = len(probe_sections) >= 3
    if i3_row is None:
        if "政府信息公开" in text and "年度报告" in text and has_sections:
            pass  # a report without 表三 (very rare): still a report, table missing is an error finding
        else:
            raise NotAnnualReport("未找到“收到和处理政府信息公开申请情况”表格及年度报告各部分 "
                                  "(no table 三 and no annual-report sections: not an annual report)",
                                  report_evidence(text, meta, probe_sections, probe))
    fmt, counts = detect_format(norm_all, meta.year)
    split_row = next(r for r in fmt.table3.rows if r.key == "other.no_correction")
    # on the labels joined, as a converter may break 逾期不补正 over two lines
    variant = "split" if split_row.match(norm_all) else "single"
    sections_span = probe_sections if fmt is probe else find_sections(text, fmt)
    prose = "".join(text[a:b] for k, (a, b) in sections_span.items() if k in ("overview", "proactive", "other_matters")) or text
    ctx = _Ctx(fmt, variant, [], prose, text=doc.text)
    evidence = ", ".join(f"{k}: {v}" for k, v in counts.items())
    ctx.findings.append(make_finding("report.format-detected", format=fmt.id, format_name=fmt.name,
                                     evidence=f"格式标志词 {evidence}", evidence_en=f"marker labels {evidence}"))
    expected = format_for_year(meta.year) if meta.year else None
    if expected is not None and expected.id != fmt.id:
        ctx.findings.append(make_finding("report.format-year-mismatch", year=meta.year, format=fmt.id,
                                         format_name=fmt.name, expected=expected.id, expected_name=expected.name))
    if fmt.id == "2021" and variant == "single":
        ctx.findings.append(make_finding("report.single-other-row", cells=["t3.other"]))

    table3: dict[str, list[Cell]] = {}
    # 表三 ends where 表四's header (or its section) begins; 表四 where section 五 does.
    stop = (labels.first(i3 + 1, len(segs), lambda n: bool(_T4_START.search(n))) or len(segs)) if i3 is not None \
        else len(segs)
    if i3 is not None:
        table3 = _match_table3(ctx, segs, i3, stop, new_row)
    else:
        ctx.findings.append(make_finding("parse.table-missing", table="表三", table_en="Table 3"))
    t3_start = i3 if i3 is not None else len(segs)
    i2 = labels.first(0, t3_start, "第二十条")
    if i2 is None:
        i2 = labels.first(0, t3_start, "主动公开政府信息情况")
    else:
        # A converter may print 表二's row labels before its first 第二十条 header (pdfminer): the table
        # begins at the short labels right before it, not at the prose of section 二 before those.
        while i2 > 0 and segs[i2 - 1].kind == "label" and segs[i2 - 1].row_id is None \
                and len(segs[i2 - 1].norm) < 24 and not _SENTENCE.search(segs[i2 - 1].text) \
                and not _SECTION_2.search(segs[i2 - 1].norm):
            i2 -= 1
    end2 = labels.first(i2 + 1, t3_start, "收到和处理政府信息公开申请") if i2 is not None else None
    table2 = _match_table2(ctx, segs, i2, end2 or t3_start) if i2 is not None else {}
    if not table2:
        ctx.findings.append(make_finding("parse.table-missing", table="表二", table_en="Table 2"))
    end4 = labels.first(stop, len(segs), lambda n: bool(_SECTION_5.search(n))) or len(segs)
    table4 = _match_table4(ctx, segs, stop, end4)

    sections = {k: text[a:b].strip() for k, (a, b) in sections_span.items()}
    for sec in fmt.sections:
        if sec.key not in sections:
            ctx.findings.append(make_finding("report.section-missing", number=sec.number, title=sec.title,
                                             title_en=sec.key))
    return Report(format=fmt.id, table3_variant=variant, agency=meta.agency, year=meta.year, title=meta.title,
                  path=doc.path, source_kind=doc.kind, sections=sections, table2=table2, table3=table3,
                  table4=table4, findings=ctx.findings)
