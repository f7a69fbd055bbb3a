"""The year's figures in: compact YAML/JSON, full model JSON, the Excel template, the request register, the store.

Every way in produces a ``Report`` whose cells keep the kind they were given with: a number, a blank (null or an
empty string), "/", "-" or other text. Nothing here fills in zeros or adjusts a figure; totals left out are
completed, and everything is checked, in ``compose.validate``. Bad input raises ``FiguresError`` naming the file
(or origin) and the reason, in Chinese with an English gloss.
"""
from __future__ import annotations

import copy
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..findings import Finding
from ..formats import FORMAT_IDS, Format, format_for_year, load_format
from ..match.split import printed_number
from ..model import SCHEMA, Cell, Kind, Report

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ..store.reports import ReportStore

SLASHES = ("/", "／")
DASHES = ("-", "—", "－")

# Top-level keys of the compact form. The commentary keys of the hand-checked truth files are accepted and
# ignored; anything else is refused so that a typo such as "tabel3" cannot silently drop a table.
_KEYS = {"agency", "year", "template", "format", "title", "sections", "table2", "table3", "table4"}
_COMMENTARY = {"id", "file", "narrative", "known_check_failures", "source_inconsistencies", "ambiguities", "notes"}

# 表四 kinds of the request register (requests.yearend.CASE_KINDS) → the format's 表四 group keys.
REGISTER_T4_GROUPS = {"review": "review", "litigation": "litigation_direct",
                      "litigation_after_review": "litigation_after_review"}


class FiguresError(Exception):
    """Figures that cannot be taken in; ``origin`` names the file (or other source), ``reason`` says why."""

    def __init__(self, reason: str, origin: str | Path | None = None) -> None:
        self.reason = reason
        self.origin = str(origin) if origin is not None else None
        super().__init__(f"{self.origin}: {reason}" if self.origin else reason)


# ---- one value ------------------------------------------------------------------------------------------
def parse_value(v: Any, where: str, origin: str | None = None) -> Cell:
    """A cell from a compact value: number → NUMBER, None/"" → BLANK, "/" → SLASH, "-" → DASH, "12" → NUMBER,
    "75394432.52元" → NUMBER with its unit (as the readers give a printed cell), other text → TEXT. Booleans and non-finite numbers are refused: they are never figures."""
    if isinstance(v, bool):
        raise FiguresError(f"{where}：布尔值 {v} 不是数字 (boolean is not a figure)", origin)
    if isinstance(v, int):
        return Cell(Kind.NUMBER, v, str(v))
    if isinstance(v, (float, Decimal)):
        if isinstance(v, float) and not math.isfinite(v) or isinstance(v, Decimal) and not v.is_finite():
            raise FiguresError(f"{where}：{v} 不是有限数值 (not a finite number)", origin)
        d = Decimal(str(v))  # the printed digits of a float, not its binary expansion
        return Cell(Kind.NUMBER, d, str(d))
    if v is None:
        return Cell.blank()
    if not isinstance(v, str):
        raise FiguresError(f"{where}：不支持的值 {v!r} (unsupported value of type {type(v).__name__})", origin)
    text = v.strip()
    if not text:
        return Cell.blank()
    if text in SLASHES:
        return Cell(Kind.SLASH, text=text)
    if text in DASHES:
        return Cell(Kind.DASH, text=text)
    number = printed_number(text)  # the matcher's own reading of a printed cell: "12", "-3", "75394432.52元"
    if number is not None:
        value, unit, shown = number
        return Cell(Kind.NUMBER, value, shown, unit)
    return Cell(Kind.TEXT, text=text)


# ---- the compact form -----------------------------------------------------------------------------------
def _year(d: dict, origin: str | None) -> int:
    y = d.get("year")
    if isinstance(y, str) and y.strip().isdigit():
        y = int(y.strip())
    if y is None:
        raise FiguresError("缺少报告年度 year (year missing)", origin)
    if isinstance(y, bool) or not isinstance(y, int) or not 1990 <= y <= 2200:
        raise FiguresError(f"报告年度 {y!r} 无效 (year must be a four-digit whole number)", origin)
    return y


def _format(d: dict, year: int, origin: str | None) -> Format:
    raw = d.get("format", d.get("template"))
    if raw is None:
        return format_for_year(year)
    fid = str(raw)
    if fid not in FORMAT_IDS:
        raise FiguresError(f"未知的报告格式 {raw!r}，可选 {'、'.join(FORMAT_IDS)} (unknown format)", origin)
    return load_format(fid)


def _mapping(v: Any, what: str, origin: str | None) -> dict:
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise FiguresError(f"{what} 应为键值表 (must be a mapping of rows)", origin)
    return v


def _row_cells(values: Any, n: int, optional_total: bool, where: str, origin: str | None) -> list[Cell]:
    """A 表三/表四 row: exactly ``n`` values, or ``n - 1`` when 总计 is left for gongkai to compute (MISSING)."""
    if not isinstance(values, list):
        raise FiguresError(f"{where} 应为 {n} 个值的列表 (must be a list of {n} values)", origin)
    if len(values) == n - 1 and optional_total:
        return [parse_value(v, where, origin) for v in values] + [Cell.missing()]
    if len(values) != n:
        allowed = f"{n} 个（或省略总计的 {n - 1} 个）" if optional_total else f"{n} 个"
        raise FiguresError(f"{where} 有 {len(values)} 个值，应为 {allowed} (wrong number of values)", origin)
    return [parse_value(v, where, origin) for v in values]


def report_from_compact(d: dict, *, origin: str | None = None) -> Report:
    """A Report from the compact form of ``../shared/corpus/truth`` (see the module docstring for values).

    ``table3`` rows are lists of 7 values (or 6: the 总计 column is then left absent for ``complete_totals``) and
    the ``total`` row may be left out; ``table4`` rows are lists of 5 (or 4). 表三 is the "single" variant when
    the 2019 row ``other`` is given, else "split"; the format defaults to the one in force for ``year``.
    """
    if not isinstance(d, dict):
        raise FiguresError("内容应为键值表 (the figures must be a mapping)", origin)
    unknown = sorted(set(d) - _KEYS - _COMMENTARY)
    if unknown:
        raise FiguresError(f"未知的键 {', '.join(unknown)} (unknown top-level key)", origin)
    year = _year(d, origin)
    spec = _format(d, year, origin)
    t3_in = _mapping(d.get("table3"), "table3", origin)
    has_single = "other" in t3_in
    if has_single and any(k.startswith("other.") for k in t3_in):  # checked before the variant is chosen
        raise FiguresError("表三同时给出 other 与 other.* 行 (table3 has both 'other' and 'other.*')", origin)
    has_split = any(k.startswith("other.") for k in t3_in)
    variant = "single" if has_single else "split" if has_split else spec.table3_variant
    report = Report(format=spec.id, table3_variant=variant,
                    agency=_optional_str(d, "agency", origin), year=year, title=_optional_str(d, "title", origin),
                    path=origin)
    report.sections = _sections(d.get("sections"), spec, origin)

    t2_in = _mapping(d.get("table2"), "table2", origin)
    t2_rows = {r.key: r for r in spec.table2}
    for key in t2_in:
        if key not in t2_rows:
            raise FiguresError(f"表二没有 {key!r} 行（{spec.id}年格式）(unknown table2 row)", origin)
    for row in spec.table2:  # format order
        if row.key not in t2_in:
            continue
        values = _mapping(t2_in[row.key], f"table2.{row.key}", origin)
        cols = [c.key for c in row.columns]
        extra = sorted(set(values) - set(cols))
        if extra:
            raise FiguresError(f"表二「{row.label}」没有列 {', '.join(extra)}，应为 {', '.join(cols)} "
                               f"(unknown table2 column)", origin)
        absent = [c for c in cols if c not in values]
        if absent:  # a blank must be written as null, so an omitted column is a mistake, not a blank
            raise FiguresError(f"表二「{row.label}」缺少列 {', '.join(absent)}（空白请写 null）"
                               f"(missing table2 column; write null for a blank)", origin)
        report.table2[row.key] = [parse_value(values[c], f"table2.{row.key}.{c}", origin) for c in cols]

    report.table3 = _grid_rows(t3_in,
                               [r.key for r in spec.table3.rows_for(report.table3_variant)],
                               len(spec.table3.columns), "table3", "表三没有 {key!r} 行 (unknown table3 row)", origin)
    groups = [g.key for g in spec.table4.groups]
    report.table4 = _grid_rows(_mapping(d.get("table4"), "table4", origin), groups, len(spec.table4.columns),
                               "table4", f"表四没有 {{key!r}} 组，应为 {', '.join(groups)} (unknown table4 group)",
                               origin)
    return report


def _grid_rows(given: dict, keys: list[str], n: int, table: str, unknown: str,
               origin: str | None) -> dict[str, list[Cell]]:
    """表三/表四 rows in format order; a key the format does not have is an error, not ignored."""
    for key in given:
        if key not in keys:
            raise FiguresError(unknown.format(key=key), origin)
    return {key: _row_cells(given[key], n, True, f"{table}.{key}", origin) for key in keys if key in given}


def _optional_str(d: dict, key: str, origin: str | None) -> str | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise FiguresError(f"{key} 应为文字 (must be text)", origin)
    return v.strip() or None


def _sections(v: Any, spec: Format, origin: str | None) -> dict[str, str]:
    sections = _mapping(v, "sections", origin)
    keys = [s.key for s in spec.sections]
    out: dict[str, str] = {}
    for k, text in sections.items():
        if k not in keys:
            raise FiguresError(f"未知的部分 {k!r}，应为 {', '.join(keys)} (unknown section)", origin)
        if not isinstance(text, str):
            raise FiguresError(f"sections.{k} 应为文字 (must be text)", origin)
        out[k] = text
    return out


def _check_full(report: Report, origin: str) -> None:
    """Shape of a full-model report: known format, rows and cell counts (from_dict does not check them)."""
    if report.format not in FORMAT_IDS:
        raise FiguresError(f"未知的报告格式 {report.format!r} (unknown format)", origin)
    if report.year is None:
        raise FiguresError("缺少报告年度 year (year missing)", origin)
    spec = report.spec
    if report.table3_variant not in ("single", "split"):
        raise FiguresError(f"未知的表三样式 {report.table3_variant!r} (unknown table3_variant)", origin)
    shapes = [("table2", report.table2, {r.key: len(r.columns) for r in spec.table2}),
              ("table3", report.table3, {r.key: len(spec.table3.columns)
                                         for r in spec.table3.rows_for(report.table3_variant)}),
              ("table4", report.table4, {g.key: len(spec.table4.columns) for g in spec.table4.groups})]
    for name, rows, expect in shapes:
        for key, cells in rows.items():
            if key not in expect:
                raise FiguresError(f"{name} 没有 {key!r} 行 (unknown row)", origin)
            if len(cells) != expect[key]:
                raise FiguresError(f"{name}.{key} 有 {len(cells)} 个单元格，应为 {expect[key]} (wrong number of cells)",
                                   origin)


def load_figures(path: str | Path) -> Report:
    """The figures in a file: ``.xlsx`` (the template, ``template.read_template``), or ``.json``/``.yaml``/``.yml``
    holding either a full ``gongkai.report/1`` document or the compact form."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        from .template import read_template

        return read_template(p)
    if suffix not in (".json", ".yaml", ".yml"):
        raise FiguresError(f"不支持的文件类型 {p.suffix or '（无后缀）'}，应为 .xlsx、.json、.yaml "
                           f"(unsupported file type)", p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FiguresError("文件不存在 (file not found)", p) from None
    except (OSError, UnicodeDecodeError) as e:
        raise FiguresError(f"无法读取：{e} (cannot read the file)", p) from None
    try:
        data = json.loads(text, parse_float=Decimal) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise FiguresError(f"格式错误，无法解析：{e} (malformed {suffix[1:].upper()})", p) from None
    if data is None:
        raise FiguresError("文件为空 (empty file)", p)
    if isinstance(data, dict) and "schema" in data:
        if data["schema"] != SCHEMA:
            raise FiguresError(f"未知的 schema {data['schema']!r}，应为 {SCHEMA} (unknown schema)", p)
        try:  # Report.from_dict reads plain JSON floats exactly (Decimal of their repr)
            report = Report.from_dict(json.loads(text) if suffix == ".json" else data)
        except (KeyError, ValueError, TypeError) as e:
            raise FiguresError(f"报告 JSON 不完整或有误：{e} (malformed report document)", p) from None
        _check_full(report, str(p))
    else:
        report = report_from_compact(data, origin=str(p))
    report.path = str(p)
    report.source_kind = suffix.lstrip(".").replace("yml", "yaml")
    return report


# ---- the request register -------------------------------------------------------------------------------
def figures_from_register(engine: "Engine", agency: str, year: int) -> Report:
    """表三 and 表四 of ``agency`` for ``year`` from the request register (``requests.yearend``), as NUMBER cells.

    The register counts with the 2021 row keys. For report years up to 2020 the 2019 trial format applies; its
    表三 differs only in printing （六）其他处理 as one row (spec §2.3, §2.5), and ``tables.yaml`` says which rows it
    stands for: the 2021 sub-rows whose ``group`` is that row's key. The single row is therefore their sum, an
    exact mapping, since every request lands in exactly one outcome row. A 2019 row the register has no row or
    sub-rows for would be a mapping that cannot be made: ``FiguresError``. 表二 is not in the register.
    """
    from ..requests import yearend

    spec = format_for_year(year)
    origin = f"register:{agency}:{year}"
    t3 = yearend.table3(engine, agency, year)
    report = Report(format=spec.id, table3_variant=spec.table3_variant, agency=agency, year=year, path=origin,
                    source_kind="register")
    split_rows = spec.table3.rows_for("split")
    for row in spec.table3.rows_for(spec.table3_variant):
        if row.key in t3:
            values = t3[row.key]
        else:
            parts = [r.key for r in split_rows if r.group == row.key and r.key in t3]
            if not parts:
                raise FiguresError(f"登记簿没有可归入表三「{row.label}」的数据 (no register rows map to {row.key})",
                                   origin)
            values = [sum(t3[p][i] for p in parts) for i in range(len(spec.table3.columns))]
        report.table3[row.key] = [Cell(Kind.NUMBER, v, str(v)) for v in values]
    groups = {g.key for g in spec.table4.groups}
    for kind, values in yearend.table4(engine, agency, year).items():
        group = REGISTER_T4_GROUPS.get(kind)
        if group not in groups:
            raise FiguresError(f"登记簿的案件类型 {kind!r} 无法对应表四 (register case kind has no table4 group)",
                               origin)
        report.table4[group] = [Cell(Kind.NUMBER, v, str(v)) for v in values]
    return report


# ---- combining sources ----------------------------------------------------------------------------------
_TABLE_PREFIX = {"table2": "t2.", "table3": "t3.", "table4": "t4."}


def merge_figures(base: Report, *, table2: Report | None = None, table3: Report | None = None,
                  table4: Report | None = None) -> Report:
    """A copy of ``base`` with whole tables taken from other figures, e.g. 表二 from the template and 表三/表四
    from the register. A table is taken whole, never cell by cell, so no mix of sources hides in one table.

    The sources must be for the same year and agency (when both name one) and, for 表二 and 表三, the same format
    and 表三 variant; otherwise ``FiguresError``. Findings about cells of a replaced table go with it.
    """
    out = copy.deepcopy(base)
    taken = {"table2": table2, "table3": table3, "table4": table4}
    for name, src in taken.items():
        if src is None:
            continue
        origin = src.path or name
        if src.year != base.year:
            raise FiguresError(f"{name} 来自 {src.year} 年度，报告为 {base.year} 年度 (year differs)", origin)
        if src.agency and base.agency and _agency_key(src.agency) != _agency_key(base.agency):
            raise FiguresError(f"{name} 属于 {src.agency}，报告机关为 {base.agency} (agency differs)", origin)
        if name != "table4" and src.format != base.format:
            raise FiguresError(f"{name} 为 {src.format} 年格式，报告为 {base.format} 年格式 (format differs)", origin)
        if name == "table3" and src.table3_variant != base.table3_variant:
            raise FiguresError(f"表三（六）其他处理的分行方式不同：{src.table3_variant} / {base.table3_variant} "
                               f"(table3 variant differs)", origin)
        setattr(out, name, copy.deepcopy(getattr(src, name)))
        prefix = _TABLE_PREFIX[name]
        out.findings = [f for f in out.findings if not _about(f, prefix)]
        out.findings += [copy.deepcopy(f) for f in src.findings if _about(f, prefix)]
    return out


def _about(f: Finding, prefix: str) -> bool:
    return bool(f.cells) and all(c.startswith(prefix) for c in f.cells)


def _agency_key(name: str) -> str:
    from ..corpus.agencies import normalise_name

    return normalise_name(name)


# ---- last year's report ---------------------------------------------------------------------------------
def stored_report(store: "ReportStore", agency: str, year: int) -> Report | None:
    """The latest stored version of ``agency``'s report for ``year`` (the name normalised as the store does),
    or None when there is none."""
    infos = store.versions(agency=agency, year=year, latest_only=True)
    if not infos:
        return None
    return store.load(infos[-1].version_id)


def last_year_from_store(store: "ReportStore", agency: str, year: int) -> Report | None:
    """The latest stored version of ``agency``'s report for ``year - 1``, or None."""
    return stored_report(store, agency, year - 1)
