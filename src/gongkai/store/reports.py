"""The report repository: ingest checked reports, list them, load them back.

Ingest is one database transaction per report: the agency, the report, its version, every cell and
every finding are written together or not at all, so a crash or a bad file mid-way leaves the
database as it was before that report. A file whose SHA-256 is already stored is "unchanged" and
writes nothing; a different file for an agency and year already stored becomes the next version.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import json

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Protocol, Sequence

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: writers wait on SQLite's own lock
    fcntl = None

from sqlalchemy import Connection, Engine, func, insert, null, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..corpus.agencies import AgencyRules, default_rules
from ..blocks import Source
from ..findings import Finding, Severity, count_by_severity
from ..model import Basis, Cell, Kind, Report
from .db import connect, make_engine
from .reports_tables import Agency, ReportVersion, StoredCell, StoredFinding, StoredIndicators, StoredReport

A, R, V, C, F = (Agency.__table__, StoredReport.__table__, ReportVersion.__table__, StoredCell.__table__,
                 StoredFinding.__table__)
_CHUNK = 500  # ids per IN (...) when loading many versions: well under every driver's parameter limit


class CheckedFile(Protocol):
    """What ingest needs from ``gongkai.check.CheckResult``."""

    path: str
    status: str
    report: Report | None
    error_code: str | None
    error: str | None
    sha256: str


@dataclass(frozen=True)
class IngestOutcome:
    path: str
    status: str                  # stored | unchanged | new-version | not-report | error
    agency: str | None = None
    year: int | None = None
    version: int | None = None
    reason: str | None = None
    ocr: dict | None = None      # pages read by OCR, as CheckResult.ocr


@dataclass(frozen=True)
class AgencyInfo:
    id: int
    name: str
    parent: str | None
    parent_basis: str | None
    is_government: bool
    n_reports: int


@dataclass(frozen=True)
class VersionInfo:
    version_id: int
    report_id: int
    agency: str
    parent: str | None
    year: int
    version: int
    n_versions: int
    sha256: str
    path: str
    format: str
    n_errors: int
    n_warnings: int
    n_info: int
    ingested_at: datetime

    @property
    def is_latest(self) -> bool:
        return self.version == self.n_versions


@dataclass
class StoredReportView:
    """A report loaded back from the store with where it sits in the corpus."""

    info: VersionInfo
    report: Report


class ReportStore:
    def __init__(self, url: str | None = None, *, rules: AgencyRules | None = None, migrate: bool = True,
                 engine: Engine | None = None, bulk: bool = False) -> None:
        """``bulk``: an ingest worker's store. On SQLite its commits skip the fsync (WAL with
        synchronous=NORMAL): a killed process loses nothing committed, a power cut may lose the last
        commits, which the next run stores again (files are skipped by content hash only once stored)."""
        self.engine = engine or (connect(url) if migrate else make_engine(url, bulk=bulk))
        self.rules = rules or default_rules()
        db = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        # Ingest workers on one SQLite file take turns on a file lock (released if a worker dies): a worker
        # waiting for SQLite's own lock would poll it in growing sleeps and leave its core idle.
        self._turns = (Path(db + ".ingest-lock") if fcntl is not None and bulk and db and db != ":memory:"
                       else None)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "ReportStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- ingest ----------------------------------------------------------------------------
    def ingest(self, result: CheckedFile) -> IngestOutcome:
        """Store one checked file. Never raises for bad input: the outcome says what happened."""
        if result.status == "not-report":
            return IngestOutcome(result.path, "not-report", reason=result.error)
        if result.status != "ok" or result.report is None:
            reason = ": ".join(x for x in (result.error_code, result.error) if x) or "check failed"
            return IngestOutcome(result.path, "error", reason=reason)
        return self.ingest_report(result.report, sha256=result.sha256, path=result.path)

    def ingest_files(self, files: Iterable[str | Path], **batch) -> Iterator[IngestOutcome]:
        """Check and store files on every core (``gongkai.batch.ingest_files``: hash skip, per-file
        limits, batched transactions); one file's failure never stops the batch."""
        from ..batch import ingest_files

        yield from ingest_files(self, [Path(f) for f in files], **batch)

    def known_hashes(self, hashes: Sequence[str]) -> dict[str, IngestOutcome]:
        """The stored versions among ``hashes`` (sha256 → an ``unchanged`` outcome): one query per chunk."""
        out: dict[str, IngestOutcome] = {}
        with self.engine.connect() as conn:
            for k in range(0, len(hashes), _CHUNK):
                q = (select(V.c.sha256, V.c.version, A.c.name, R.c.year).select_from(V.join(R).join(A))
                     .where(V.c.sha256.in_(hashes[k:k + _CHUNK])))
                for r in conn.execute(q):
                    out[r.sha256] = IngestOutcome("", "unchanged", r.name, r.year, r.version)
        return out

    def ingest_many(self, results: Sequence[CheckedFile]) -> list[IngestOutcome]:
        """Store several checked files in one transaction, each inside its own savepoint: a report that
        fails is rolled back alone, the others commit together. Nothing is returned as stored before the
        commit, and a process killed before it leaves none of them (the next run stores them again)."""
        outcomes: list[IngestOutcome | None] = [None] * len(results)
        todo: list[int] = []
        for i, r in enumerate(results):
            pre = self._precheck(r)
            if pre is not None:
                outcomes[i] = pre
            else:
                todo.append(i)
        for attempt in range(3):
            try:
                with self._writer_turn(), self.engine.begin() as conn:
                    if conn.dialect.name == "sqlite":
                        # pysqlite opens a transaction only before a write, so without this the first SAVEPOINT
                        # would open it and its RELEASE commit it: one commit (and fsync) per report
                        conn.exec_driver_sql("BEGIN IMMEDIATE")
                    for i in todo:
                        r = results[i]
                        try:
                            with conn.begin_nested():
                                outcomes[i] = self._ingest_rows(conn, r if isinstance(r, PreparedReport) else
                                                                prepare_rows(r.report, sha256=r.sha256, path=r.path))
                        except IntegrityError:
                            raise   # a concurrent writer: the whole batch runs again and sees its rows
                        except SQLAlchemyError as e:
                            outcomes[i] = IngestOutcome(r.path, "error", reason=f"store.failed: {type(e).__name__}: {e}"[:500])
                        except Exception as e:  # a bug on one report: its savepoint is rolled back, the rest stay
                            outcomes[i] = IngestOutcome(r.path, "error", reason=f"store.internal: {type(e).__name__}: {e}"[:500])
                break
            except IntegrityError:
                if attempt == 2:
                    for i in todo:
                        outcomes[i] = self._one(results[i])
        return [o for o in outcomes if o is not None]

    @contextlib.contextmanager
    def _writer_turn(self) -> Iterator[None]:
        if self._turns is None:
            yield
            return
        with open(self._turns, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _one(self, result: "CheckedFile | PreparedReport") -> IngestOutcome:
        """One report in its own transaction (after a batch kept meeting a concurrent writer)."""
        pre = self._precheck(result)
        if pre is not None:
            return pre
        rows = result if isinstance(result, PreparedReport) else prepare_rows(result.report, sha256=result.sha256,
                                                                              path=result.path)
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    return self._ingest_rows(conn, rows)
            except IntegrityError as e:
                if attempt == 2:
                    return IngestOutcome(result.path, "error", reason=f"store.failed: {type(e).__name__}: {e}"[:500])
            except SQLAlchemyError as e:
                return IngestOutcome(result.path, "error", reason=f"store.failed: {type(e).__name__}: {e}"[:500])
        raise AssertionError("unreachable")

    def _precheck(self, result: CheckedFile) -> IngestOutcome | None:
        """The outcome of a file that cannot be stored (not a report, unreadable, no identity), else None."""
        if result.status == "not-report":
            return IngestOutcome(result.path, "not-report", reason=result.error)
        ready = isinstance(result, PreparedReport)
        if result.status != "ok" or (result.report is None and not ready):
            reason = ": ".join(x for x in (result.error_code, result.error) if x) or "check failed"
            return IngestOutcome(result.path, "error", reason=reason)
        agency, year = (result.agency, result.year) if ready else (result.report.agency, result.report.year)
        if not agency or year is None:
            return IngestOutcome(result.path, "error", agency, year,
                                 reason="store.no-identity: 报告未识别出机关名称或年度，无法归档 (agency or year unknown)")
        if not result.sha256 or len(result.sha256) != 64:
            return IngestOutcome(result.path, "error", agency, year, reason="store.no-hash: sha256 missing")
        return None

    def ingest_report(self, report: Report, *, sha256: str, path: str) -> IngestOutcome:
        if not report.agency or report.year is None:
            return IngestOutcome(path, "error", report.agency, report.year,
                                 reason="store.no-identity: 报告未识别出机关名称或年度，无法归档 (agency or year unknown)")
        if not sha256 or len(sha256) != 64:
            return IngestOutcome(path, "error", report.agency, report.year, reason="store.no-hash: sha256 missing")
        # Two writers may race on the same file or the same agency+year; the loser's transaction is
        # rolled back by a unique constraint and simply runs again, seeing the winner's rows.
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    return self._ingest(conn, report, sha256, path)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _ingest(self, conn: Connection, report: Report, sha256: str, path: str) -> IngestOutcome:
        return self._ingest_rows(conn, prepare_rows(report, sha256=sha256, path=path))

    def _ingest_rows(self, conn: Connection, rows: "PreparedReport") -> IngestOutcome:
        outcome = self._write_rows(conn, rows)
        return dataclasses.replace(outcome, ocr=rows.ocr) if rows.ocr else outcome

    def _write_rows(self, conn: Connection, rows: "PreparedReport") -> IngestOutcome:
        path, sha256 = rows.path, rows.sha256
        existing = conn.execute(select(V.c.version, A.c.name, R.c.year).select_from(V.join(R).join(A))
                                .where(V.c.sha256 == sha256)).first()
        if existing:
            return IngestOutcome(path, "unchanged", existing.name, existing.year, existing.version)
        agency_id, name = self._agency(conn, rows.agency or "")
        report_id = conn.execute(select(R.c.id).where(R.c.agency_id == agency_id, R.c.year == rows.year)).scalar()
        if report_id is None:
            report_id = conn.execute(insert(R).values(agency_id=agency_id, year=rows.year)).inserted_primary_key[0]
        latest = conn.execute(select(V.c.version, V.c.title, V.c.path).where(V.c.report_id == report_id)
                              .order_by(V.c.version.desc()).limit(1)).first()
        if latest is not None:
            conflict = self._other_agency(latest.title, rows.head.get("title"))
            if conflict:
                return IngestOutcome(path, "error", name, rows.year, reason=(
                    f"store.agency-conflict: 标题中的机关「{conflict[1]}」与已存 {name} {rows.year} 年报告"
                    f"（{latest.path}）标题中的「{conflict[0]}」不同，未作为新版本保存 "
                    f"(the title names another agency than the stored report's: not stored as its new version)"))
        version = (latest.version if latest is not None else 0) + 1
        version_id = conn.execute(insert(V).values(report_id=report_id, version=version, sha256=sha256, path=path,
                                                   ingested_at=_now(), **rows.head)).inserted_primary_key[0]
        if rows.cells:
            insert_rows(conn, C, CELL_COLUMNS, version_id, rows.cells)
        if rows.findings:
            insert_rows(conn, F, FINDING_COLUMNS, version_id, rows.findings)
        conn.execute(insert(StoredIndicators.__table__), [{"version_id": version_id, **rows.indicators}])
        return IngestOutcome(path, "stored" if version == 1 else "new-version", name, rows.year, version)

    def _other_agency(self, stored_title: str | None, new_title: str | None) -> tuple[str, str] | None:
        """The two agencies, when the stored version's title and the new one's name different agencies.

        A new version replaces what ``versions()`` shows for an agency and year, so it must be the same
        agency's report: an agency name parsed too short (区交通运输局 for both 示例市第1区交通运输局 and
        示例市第2区交通运输局) must not turn one agency's report into a new version of another's. The
        titles are independent evidence; names the agency rules declare the same (aliases, slips) agree.
        """
        if not stored_title or not new_title:
            return None
        old, new = self.rules.normalise(stored_title), self.rules.normalise(new_title)
        return (old, new) if old and new and old != new else None

    # ---- agencies --------------------------------------------------------------------------
    def _agency(self, conn: Connection, raw: str) -> tuple[int, str]:
        """The id of the agency named ``raw`` (normalised), created with its inferred parent if new."""
        name = self.rules.normalise(raw)
        found = conn.execute(select(A.c.id).where(A.c.name == name)).scalar()
        if found is not None:
            return found, name
        place = self.rules.place(name)
        new_id = conn.execute(insert(A).values(name=name, place=place, created_at=_now())).inserted_primary_key[0]
        linked = self.rules.links.get(name)
        if linked is not None:
            self._set_parent(conn, new_id, self._agency(conn, linked)[0] if linked != name else None, "manual")
        else:
            self._reinfer(conn, [(new_id, name)])
        if place:
            # A new government may be the closer parent of agencies stored before it.
            pattern = _like_prefix(place)
            rows = conn.execute(select(A.c.id, A.c.name).where(
                A.c.name.like(pattern, escape="\\"), A.c.id != new_id,
                or_(A.c.parent_basis.is_(None), A.c.parent_basis == "name"))).all()
            self._reinfer(conn, [(r.id, r.name) for r in rows if r.name not in self.rules.links])
        return new_id, name

    def _reinfer(self, conn: Connection, agencies: Sequence[tuple[int, str]]) -> None:
        if not agencies:
            return
        governments = {r.name: r.place for r in conn.execute(select(A.c.name, A.c.place).where(A.c.place.is_not(None)))}
        ids = {r.name: r.id for r in conn.execute(select(A.c.id, A.c.name).where(A.c.name.in_(list(governments))))}
        for agency_id, name in agencies:
            parent = self.rules.infer_parent(name, governments)
            self._set_parent(conn, agency_id, ids[parent] if parent else None, "name" if parent else None)

    @staticmethod
    def _set_parent(conn: Connection, agency_id: int, parent_id: int | None, basis: str | None) -> None:
        conn.execute(update(A).where(A.c.id == agency_id).values(parent_id=parent_id, parent_basis=basis))

    def link(self, child: str, parent: str | None, *, create: bool = False) -> tuple[str, str | None]:
        """Set ``child``'s parent by hand (``None``: by hand, no parent). A name not stored is refused
        (``KeyError`` naming the close stored names: a typo must not become a new agency) unless ``create``.
        A manual link is kept when later agencies arrive; a link that would make a cycle is refused."""
        with self.engine.begin() as conn:
            if not create:
                for raw in (child, parent):
                    if raw:
                        self._known(conn, raw)
            child_id, child_name = self._agency(conn, child)
            parent_id, parent_name = self._agency(conn, parent) if parent else (None, None)
            if parent_id is not None:
                ancestor: int | None = parent_id
                while ancestor is not None:
                    if ancestor == child_id:
                        raise ValueError(f"{child_name} 不能隶属于 {parent_name}：会形成循环 (link would make a cycle)")
                    ancestor = conn.execute(select(A.c.parent_id).where(A.c.id == ancestor)).scalar()
            self._set_parent(conn, child_id, parent_id, "manual")
        return child_name, parent_name

    def unlink(self, child: str) -> tuple[str, bool, str | None]:
        """Give up a manual link: the agency goes back to the parent its name implies. Returns the name, whether
        there was a manual link to give up, and the parent it has now; ``KeyError`` for a name not stored."""
        with self.engine.begin() as conn:
            agency_id, name = self._known(conn, child)
            basis = conn.execute(select(A.c.parent_basis).where(A.c.id == agency_id)).scalar()
            if basis == "manual":
                self._set_parent(conn, agency_id, None, None)
                self._reinfer(conn, [(agency_id, name)])
            parent = A.alias("parent")
            now = conn.execute(select(parent.c.name).select_from(A.join(parent, parent.c.id == A.c.parent_id))
                               .where(A.c.id == agency_id)).scalar()
        return name, basis == "manual", now

    def _known(self, conn: Connection, raw: str) -> tuple[int, str]:
        """A stored agency's id and name, or ``KeyError`` with the stored names closest to what was typed."""
        import difflib

        name = self.rules.normalise(raw)
        found = conn.execute(select(A.c.id).where(A.c.name == name)).scalar()
        if found is not None:
            return found, name
        names = list(conn.execute(select(A.c.name)).scalars())
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"；相近的已入库机关：{'、'.join(close)}" if close else ""
        raise KeyError(f"未找到机关 {name}{hint}（新建机关请加 --create）(no such agency)")

    def apply_links(self, rules: AgencyRules) -> list[tuple[str, str | None]]:
        """The links of an agency file; its names may be agencies whose reports are not stored yet (the link waits
        for them), so they are created."""
        return [self.link(child, parent, create=True) for child, parent in rules.links.items()]

    def agencies(self) -> list[AgencyInfo]:
        parent = A.alias("parent")
        n = select(R.c.agency_id, func.count().label("n")).group_by(R.c.agency_id).subquery()
        q = (select(A.c.id, A.c.name, A.c.place, A.c.parent_basis, parent.c.name.label("parent"), n.c.n)
             .outerjoin(parent, parent.c.id == A.c.parent_id).outerjoin(n, n.c.agency_id == A.c.id)
             .order_by(A.c.name))
        with self.engine.connect() as conn:
            return [AgencyInfo(r.id, r.name, r.parent, r.parent_basis, r.place is not None, r.n or 0)
                    for r in conn.execute(q)]

    # ---- listing and loading -----------------------------------------------------------------
    def versions(self, *, agency: str | None = None, year: int | None = None,
                 latest_only: bool = True, version_id: int | None = None) -> list[VersionInfo]:
        with self.engine.connect() as conn:
            return versions_on(conn, agency=self.rules.normalise(agency) if agency is not None else None, year=year,
                               latest_only=latest_only, version_id=version_id)

    def versions_page(self, *, agency: str | None = None, year: int | None = None,
                      agencies: set[str] | None = None, limit: int = 50, offset: int = 0
                      ) -> tuple[list[VersionInfo], int]:
        """A page of the latest versions in the order of ``versions()`` and how many match, both from SQL;
        ``agencies``: only these (a user's reach), None for all."""
        name = self.rules.normalise(agency) if agency is not None else None
        where = A.c.name.in_(sorted(agencies)) if agencies is not None else None
        with self.engine.connect() as conn:
            page = versions_on(conn, agency=name, year=year, where=where, limit=limit, offset=offset)
            cond = [c for c in (A.c.name == name if name is not None else None,
                                R.c.year == year if year is not None else None, where) if c is not None]
            # every report has at least one version (both are written in one transaction)
            total = conn.execute(select(func.count()).select_from(R.join(A, A.c.id == R.c.agency_id))
                                 .where(*cond)).scalar() or 0
        return page, total

    def _load_many(self, infos: list[VersionInfo], **only) -> list[StoredReportView]:
        with self.engine.connect() as conn:
            return load_views(conn, infos, **only)

    def load_cells(self, infos: Iterable[VersionInfo], keys: Sequence[str]) -> list[StoredReportView]:
        """The given versions with only the cells ``keys`` (no provenance, no findings): cheap to rebuild."""
        return self._load_many(list(infos), keys=keys, with_findings=False)

    # ---- indicators (SQL over the table written at ingest) ------------------------------------
    def indicator_rows(self, *, agency: str | None = None, year: int | None = None, limit: int | None = None,
                       offset: int = 0) -> tuple[list, int]:
        """A page of the latest versions' indicator rows, ranked among siblings and with the previous
        year, in the corpus order; and how many rows the filter matches (``gongkai.store.indicators``)."""
        from .indicators import indicator_page

        with self.engine.connect() as conn:
            return indicator_page(conn, agency=self.rules.normalise(agency) if agency else None, year=year,
                                  limit=limit, offset=offset)

    def neighbour_versions(self, keys: Sequence[tuple[str, int]]) -> list[VersionInfo]:
        """Latest versions of the given (agency, year) reports, their previous years and their children:
        what the cross-report checks of those reports need."""
        from sqlalchemy import tuple_

        if not keys:
            return []
        wanted = set(keys) | {(a, y - 1) for a, y in keys}
        parent = A.alias("parent")
        with self.engine.connect() as conn:
            out: dict[int, VersionInfo] = {}
            items = sorted(wanted)
            for k in range(0, len(items), _CHUNK):
                part = items[k:k + _CHUNK]
                for info in versions_on(conn, where=tuple_(A.c.name, R.c.year).in_(part)):
                    out[info.version_id] = info
            pk = sorted(set(keys))
            for k in range(0, len(pk), _CHUNK):
                for info in versions_on(conn, where=tuple_(parent.c.name, R.c.year).in_(pk[k:k + _CHUNK]),
                                        parent=parent):
                    out[info.version_id] = info
        return sorted(out.values(), key=lambda v: (v.agency, v.year))


    def load(self, version_id: int) -> Report:
        infos = self.versions(latest_only=False, version_id=version_id)
        if not infos:
            raise KeyError(f"no stored version {version_id}")
        return self._load_many(infos)[0].report

    def load_reports(self, infos: Iterable[VersionInfo] | None = None) -> list[StoredReportView]:
        """The given versions (default: the latest version of every report) as Report objects."""
        return self._load_many(list(self.versions() if infos is None else infos))

    def iter_reports(self, infos: Iterable[VersionInfo] | None = None, *, batch: int = _CHUNK
                     ) -> Iterator[StoredReportView]:
        """Like ``load_reports`` but a batch at a time, so a large corpus never sits in memory whole."""
        infos = list(self.versions() if infos is None else infos)
        for i in range(0, len(infos), batch):
            yield from self._load_many(infos[i:i + batch])

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() or 0 for t in (A, R, V, C, F)}


def versions_on(conn: Connection, *, agency: str | None = None, year: int | None = None, latest_only: bool = True,
                version_id: int | None = None, where=None, parent=None, limit: int | None = None,
                offset: int = 0) -> list[VersionInfo]:
    """Versions with where they sit (agency, parent, year, how many versions), on an open connection.
    ``where`` is an extra condition; it may name the ``parent`` alias of the agency table given."""
    parent = parent if parent is not None else A.alias("parent")
    nv = select(V.c.report_id, func.max(V.c.version).label("n")).group_by(V.c.report_id).subquery()
    # only the columns VersionInfo holds: the sections' text (a JSON field) stays in the database
    cols = (V.c.id, V.c.report_id, V.c.version, V.c.sha256, V.c.path, V.c.format, V.c.n_errors, V.c.n_warnings,
            V.c.n_info, V.c.ingested_at)
    q = (select(*cols, A.c.name.label("agency"), parent.c.name.label("parent"), R.c.year, nv.c.n)
         .select_from(V.join(R, R.c.id == V.c.report_id).join(A, A.c.id == R.c.agency_id)
                      .join(nv, nv.c.report_id == R.c.id).outerjoin(parent, parent.c.id == A.c.parent_id))
         .order_by(A.c.name, R.c.year, V.c.version))
    if latest_only:
        q = q.where(V.c.version == nv.c.n)
    if agency is not None:
        q = q.where(A.c.name == agency)
    if year is not None:
        q = q.where(R.c.year == year)
    if version_id is not None:
        q = q.where(V.c.id == version_id)
    if where is not None:
        q = q.where(where)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return [VersionInfo(r.id, r.report_id, r.agency, r.parent, r.year, r.version, r.n, r.sha256, r.path,
                        r.format, r.n_errors, r.n_warnings, r.n_info, r.ingested_at) for r in conn.execute(q)]


def load_views(conn: Connection, infos: list[VersionInfo], *, keys: Sequence[str] | None = None,
               with_findings: bool = True) -> list[StoredReportView]:
    """The given versions rebuilt as Report objects, on an open connection. ``keys``: only those cells
    (without their provenance), for a caller that reads nothing else — the rest comes back missing."""
    out: list[StoredReportView] = []
    cols = [C] if keys is None else [C.c.id, C.c.version_id, C.c.key, C.c.kind, C.c.value_text, C.c.printed, C.c.unit,
                                     C.c.basis, C.c.alternatives, null().label("source")]
    for i in range(0, len(infos), _CHUNK):
        chunk = infos[i:i + _CHUNK]
        ids = [v.version_id for v in chunk]
        heads = {r.id: r for r in conn.execute(select(V).where(V.c.id.in_(ids)))}
        cells: dict[int, list] = defaultdict(list)
        q = select(*cols).where(C.c.version_id.in_(ids))
        if keys is not None:
            q = q.where(C.c.key.in_(list(keys)))
        for r in conn.execute(q.order_by(C.c.id)):
            cells[r.version_id].append(r)
        findings: dict[int, list] = defaultdict(list)
        if with_findings:
            for r in conn.execute(select(F).where(F.c.version_id.in_(ids)).order_by(F.c.version_id, F.c.seq)):
                findings[r.version_id].append(r)
        for info in chunk:
            out.append(StoredReportView(info, _rebuild(info, heads[info.version_id], cells[info.version_id],
                                                       findings[info.version_id])))
    return out


@dataclass
class PreparedReport:
    """A checked file as the rows ingest writes (plain values only): built where the file was checked, so
    the one writer process only executes inserts and unpickles no model objects. ``status``/``error``
    as in ``CheckResult``; the rows are empty unless ``status`` is ``ok``."""

    path: str
    status: str
    sha256: str
    error_code: str | None = None
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    head: dict | None = None
    cells: list[tuple] | None = None       # CELL_COLUMNS
    findings: list[tuple] | None = None    # FINDING_COLUMNS
    indicators: dict | None = None
    report: None = None
    ocr: dict | None = None          # pages read by OCR (``CheckResult.ocr``), told with the outcome


def prepare_rows(report: Report, *, sha256: str, path: str) -> PreparedReport:
    from .indicators import indicator_row

    counts = count_by_severity(report.findings)
    head = {"agency_printed": report.agency or "", "format": report.format, "table3_variant": report.table3_variant,
            "title": report.title, "source_kind": report.source_kind, "sections": dict(report.sections),
            "n_errors": counts["error"], "n_warnings": counts["warning"], "n_info": counts["info"]}
    cells = [cell_row(key, cell) for key, cell in report.cells()]
    findings = [finding_row(i, f) for i, f in enumerate(report.findings)]
    ind = indicator_row(None, report)
    del ind["version_id"]
    return PreparedReport(path, "ok", sha256, agency=report.agency, year=report.year, head=head, cells=cells,
                          findings=findings, indicators=ind)


def prepare_result(result: CheckedFile) -> PreparedReport:
    """A ``CheckResult`` as ingest's rows (or as its error, if it cannot be stored)."""
    ocr = getattr(result, "ocr", None)
    if result.status == "ok" and result.report is not None and result.report.agency and result.report.year is not None:
        return dataclasses.replace(prepare_rows(result.report, sha256=result.sha256, path=result.path), ocr=ocr)
    rep = result.report
    return PreparedReport(result.path, result.status, result.sha256, result.error_code, result.error,
                          rep.agency if rep else None, rep.year if rep else None, ocr=ocr)


# ---- rows <-> model -----------------------------------------------------------------------------
# Column order of the rows ``prepare_rows`` makes (after ``version_id``); JSON columns come as their text.
CELL_COLUMNS = ("key", "kind", "value_text", "value_num", "printed", "unit", "basis", "alternatives", "source")
FINDING_COLUMNS = ("seq", "code", "severity", "message", "gloss", "cells", "positions", "numbers")
_json = json.JSONEncoder().encode   # what SQLAlchemy's JSON type binds (json.dumps defaults; None → null)


def insert_rows(conn: Connection, table, columns: tuple[str, ...], version_id: int, rows: list[tuple]) -> None:
    """Insert one version's rows with the driver's executemany. The rows are made where the file was
    checked, JSON already serialised as SQLAlchemy's JSON type would bind it, so the writer's transaction
    does no per-row work (SQLAlchemy's parameter processing cost more than the inserts; a report has
    ~200 cells)."""
    conn.exec_driver_sql(_insert_sql(conn.dialect, table.name, columns), [(version_id, *r) for r in rows])


@functools.lru_cache(maxsize=32)
def _insert_sql(dialect, table: str, columns: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ("version_id", *columns)
    return (f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join([mark] * len(names))})")


def cell_row(key: str, cell: Cell) -> tuple:
    """A cell as its row (``CELL_COLUMNS``)."""
    return (key, cell.kind.value, None if cell.value is None else str(cell.value),
            None if cell.value is None else float(cell.value), cell.text, cell.unit, cell.basis.value,
            _json([None if a is None else str(a) for a in cell.alternatives] or None),
            _json(cell.source.to_dict() if cell.source is not None else None))


def finding_row(seq: int, f: Finding) -> tuple:
    """A finding as its row (``FINDING_COLUMNS``)."""
    return (seq, f.code, f.severity.value, f.message, f.gloss, _json(list(f.cells)), _json(list(f.positions)),
            _json(dict(f.numbers)))


def _number(text: str | None) -> int | Decimal | None:
    if text is None:
        return None
    return int(text) if text.lstrip("-").isdigit() else Decimal(text)


def _cell(r) -> Cell:
    return Cell(Kind(r.kind), _number(r.value_text), r.printed, r.unit,
                Source.from_dict(r.source) if r.source is not None else None, Basis(r.basis),
                [_number(a) for a in (r.alternatives or [])])


def _rebuild(info: VersionInfo, head, cell_rows: list, finding_rows: list) -> Report:
    report = Report(format=head.format, table3_variant=head.table3_variant, agency=info.agency, year=info.year,
                    title=head.title, path=head.path, source_kind=head.source_kind, sections=dict(head.sections))
    by_key = {r.key: _cell(r) for r in cell_rows}
    spec = report.spec
    # Rows come back in the format's own order and column order; a column lost on the way (never
    # written by ingest) would come back as missing rather than shifting its neighbours.
    for row in spec.table2:
        keys = [f"t2.{row.key}.{c.key}" for c in row.columns]
        if any(k in by_key for k in keys):
            report.table2[row.key] = [by_key.get(k) or Cell.missing() for k in keys]
    for row in spec.table3.rows_for(report.table3_variant):
        keys = [f"t3.{row.key}.{c.key}" for c in spec.table3.columns]
        if any(k in by_key for k in keys):
            report.table3[row.key] = [by_key.get(k) or Cell.missing() for k in keys]
    for group in spec.table4.groups:
        keys = [f"t4.{group.key}.{c.key}" for c in spec.table4.columns]
        if any(k in by_key for k in keys):
            report.table4[group.key] = [by_key.get(k) or Cell.missing() for k in keys]
    report.findings = [Finding(r.code, Severity(r.severity), r.message, r.gloss, list(r.cells), list(r.positions),
                               dict(r.numbers)) for r in finding_rows]
    return report


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
