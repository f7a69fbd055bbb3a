"""The register's audit trail is append-only against every statement and hash-chained (issue 12 item 3).

SQLite: UPDATE, DELETE, REPLACE INTO, INSERT OR REPLACE (on the id and on the (request, version) key), UPSERT.
PostgreSQL (GONGKAI_TEST_PG_URL): UPDATE, DELETE, TRUNCATE (also through TRUNCATE … CASCADE), UPSERT.
Then: what the database cannot stop (a trigger dropped by someone holding the database) the chain detects, and
``gongkai requests verify-audit`` names the first broken event; databases made before the chain are migrated.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from gongkai.cli import app as cli_app
from gongkai.requests import audit
from gongkai.requests import register as R

from test_requests_concurrency import _req, eng  # noqa: F401  (SQLite / PostgreSQL engine fixture)


def _two_events(e) -> R.RequestView:
    v = R.intake(e, "局", _req(1), "clerk")
    return R.act(e, "局", v.number, "withdraw", actor="clerk", on=date(2026, 3, 3))


def _refused(e, sql: str) -> None:
    with pytest.raises(DBAPIError, match="append-only|never deleted|unique|duplicate|UNIQUE"):
        with e.begin() as c:
            c.execute(text(sql))


def _event_copy_sql(e, verb: str, new_id: bool, version: int | None = None) -> str:
    cols = ("request_id, action, actor, at, on_date, before_state, after_state, payload, before, after, version, "
            "prev_hash, hash")
    idcol = "" if new_id else "id, "
    ver = "version" if version is None else str(version)
    sel = cols.replace("version,", f"{ver},").replace("actor,", "'forger',")
    return f"{verb} INTO req_events ({idcol}{cols}) SELECT {idcol}{sel} FROM req_events WHERE version = 1"


def test_events_cannot_be_updated_deleted_or_replaced(eng):  # noqa: F811
    v = _two_events(eng)
    _refused(eng, "UPDATE req_events SET actor = 'forger'")
    _refused(eng, "DELETE FROM req_events")
    _refused(eng, "DELETE FROM req_requests")
    if eng.dialect.name == "sqlite":
        _refused(eng, _event_copy_sql(eng, "REPLACE", new_id=False))                  # same id
        _refused(eng, _event_copy_sql(eng, "INSERT OR REPLACE", new_id=False))
        _refused(eng, _event_copy_sql(eng, "REPLACE", new_id=True))                   # same (request, version)
        _refused(eng, _event_copy_sql(eng, "INSERT OR REPLACE", new_id=True))
        _refused(eng, "REPLACE INTO cal_versions SELECT * FROM cal_versions LIMIT 1")
        _refused(eng, "REPLACE INTO req_requests SELECT * FROM req_requests")
    else:
        _refused(eng, "TRUNCATE req_events")
        _refused(eng, "TRUNCATE req_requests CASCADE")
        _refused(eng, "TRUNCATE cal_days")
        _refused(eng, _event_copy_sql(eng, "INSERT", new_id=False)
                 + " ON CONFLICT (id) DO UPDATE SET actor = 'forger'")
    _refused(eng, _event_copy_sql(eng, "INSERT", new_id=True))   # a forged duplicate of version 1: unique key
    hist = R.history(eng, "局", v.number, "handler")
    assert [(e.action, e.actor, e.version) for e in hist] == [("register", "clerk", 1), ("withdraw", "clerk", 2)]
    assert audit.verify(eng).ok


def _lift_triggers(e) -> None:
    """What someone holding the database itself can do: drop the protection."""
    with e.begin() as c:
        if e.dialect.name == "sqlite":
            for t in ("req_events_no_update", "req_events_no_delete", "req_events_no_replace"):
                c.execute(text(f"DROP TRIGGER {t}"))
        else:
            c.execute(text("ALTER TABLE req_events DISABLE TRIGGER USER"))


@pytest.mark.parametrize("tamper, reason", [
    ("UPDATE req_events SET actor = 'forger' WHERE version = 1", "内容与其哈希不符"),
    ("UPDATE req_events SET payload = '{{\"reason\": \"forged\"}}' WHERE version = 2", "内容与其哈希不符"),
    ("DELETE FROM req_events WHERE version = 1", "版本号应为 1"),
    ("DELETE FROM req_events WHERE version = 2", "缺少事件"),
])
def test_tampering_is_found_and_named(eng, tamper, reason, tmp_path):  # noqa: F811
    a = _two_events(eng)
    b = R.intake(eng, "局", _req(2), "clerk")
    _lift_triggers(eng)
    with eng.begin() as c:
        c.execute(text(tamper.format() + f" AND request_id = {a.id}"))
    rep = audit.verify(eng)
    assert [(x.number, reason in x.reason) for x in rep.breaks] == [(a.number, True)]
    assert b.number not in {x.number for x in rep.breaks}
    r = CliRunner().invoke(cli_app, ["requests", "verify-audit", "--db", eng.url.render_as_string(False)
                                     if eng.dialect.name == "postgresql" else str(eng.url), "--json"])
    assert r.exit_code == 1, r.output
    out = json.loads(r.output)
    assert out["breaks"][0]["number"] == a.number and reason in out["breaks"][0]["reason"]


def test_forged_rehashed_event_breaks_the_next_link(eng):  # noqa: F811
    """Rewriting one event and recomputing its own hash still breaks the link the next event holds."""
    from gongkai.store.chain import link_hash

    a = _two_events(eng)
    _lift_triggers(eng)
    with eng.begin() as c:
        row = c.execute(text("SELECT * FROM req_events WHERE request_id = :r AND version = 1"),
                        {"r": a.id}).mappings().one()
    from sqlalchemy.orm import Session

    from gongkai.store.requests_tables import RequestEvent
    with Session(eng) as s:
        ev = s.get(RequestEvent, row["id"])
        ev.actor = "forger"
        ev.hash = link_hash(None, audit.event_content(ev))
        s.commit()
    [brk] = audit.verify(eng).breaks
    assert brk.version == 2 and "前一事件哈希" in brk.reason


def test_verify_audit_on_an_intact_register(tmp_path):
    db = f"sqlite:///{tmp_path / 'ok.db'}"
    from gongkai.store.db import connect
    e = connect(db)
    _two_events(e)
    r = CliRunner().invoke(cli_app, ["requests", "verify-audit", "--db", db])
    assert r.exit_code == 0 and "哈希链完整" in r.output and "2 条事件" in r.output


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request, tmp_path):
    """An empty database (no migration run yet)."""
    import os
    import uuid

    from sqlalchemy import create_engine

    from gongkai.store.db import normalise_url

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    url = os.environ.get("GONGKAI_TEST_PG_URL")
    if not url:
        pytest.skip("GONGKAI_TEST_PG_URL not set: PostgreSQL migration test skipped")
    name = f"gk_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_existing_database_is_migrated_to_the_chain(blank_url):
    """A register made before req_0002: its events are chained on upgrade and verify clean."""
    from alembic import command
    from alembic.config import Config

    from gongkai.store.db import MIGRATIONS, make_engine, normalise_url, upgrade

    url = blank_url
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url))
    command.upgrade(cfg, "req_0001")
    e = make_engine(url)
    with e.begin() as c:
        c.execute(text("INSERT INTO req_requests (id, agency, number, year, seq, channel, received_date, receipt_basis,"
                       " applicant_type, applicant_name, applicant_key, id_type, id_number, phone, email, address,"
                       " content, form, delivery, attachments, state, version, created_at, updated_at) VALUES (1, '局',"
                       " '2025-0001', 2025, 1, '当面', '2025-03-03', 'x', 'natural', '甲', 'k', '', '', '1', '', '', 'c',"
                       " '纸质', '邮寄', '[]', 'withdrawn', 2, '2025-03-03 09:00:00.000000',"
                       " '2025-03-04 09:00:00.000000')"))
        for ver, action in ((1, "register"), (2, "withdraw")):
            c.execute(text("INSERT INTO req_events (request_id, action, actor, at, on_date, before_state, after_state,"
                           " payload, before, after, version) VALUES (1, :a, 'clerk', :at, '2025-03-03', NULL,"
                           " 'registered', '{\"k\": 1}', '{}', '{}', :v)"),
                      {"a": action, "v": ver, "at": f"2025-03-0{2 + ver} 09:00:00.000000"})
    e.dispose()
    upgrade(url)
    e = make_engine(url)
    rep = audit.verify(e)
    assert rep.ok and rep.events == 2
    if e.dialect.name == "sqlite":
        _refused(e, "REPLACE INTO req_events SELECT * FROM req_events")
    else:
        _refused(e, "TRUNCATE req_events")
    _refused(e, "UPDATE req_events SET actor = 'x'")
    e.dispose()


def test_security_log_is_append_only_chained_and_safe_under_concurrency(eng):  # noqa: F811
    from concurrent.futures import ThreadPoolExecutor

    from gongkai.store import security_log

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: security_log.record(eng, f"u{i}", "login", f"u{i}", {"ip": "127.0.0.1"}), range(24)))
    assert security_log.verify(eng) == (24, None)
    _refused(eng, "UPDATE sec_audit SET actor = 'forger'")
    _refused(eng, "DELETE FROM sec_audit")
    if eng.dialect.name == "sqlite":
        _refused(eng, "REPLACE INTO sec_audit SELECT * FROM sec_audit WHERE seq = 1")
    else:
        _refused(eng, "TRUNCATE sec_audit")
    with eng.begin() as c:
        if eng.dialect.name == "sqlite":
            c.execute(text("DROP TRIGGER sec_audit_no_update"))
        else:
            c.execute(text("ALTER TABLE sec_audit DISABLE TRIGGER USER"))
        c.execute(text("UPDATE sec_audit SET actor = 'forger' WHERE seq = 7"))
    n, brk = security_log.verify(eng)
    assert brk is not None and brk.seq == 7 and "内容与其哈希不符" in brk.reason


def test_events_added_by_any_code_path_are_chained(eng):  # noqa: F811
    """An event written without audit.append (say, a new import path) is still chained at flush, several per
    flush in version order."""
    from datetime import datetime

    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from gongkai.store.requests_tables import RequestEvent, RequestRow

    v = R.intake(eng, "局", _req(5), "clerk")
    with Session(eng) as s, s.begin():
        for ver in (2, 3):
            s.add(RequestEvent(request_id=v.id, action="note", actor="importer", at=datetime(2026, 3, 4, 9, 0),
                               on_date=date(2026, 3, 4), before_state="registered", after_state="registered",
                               payload={"n": ver}, before={}, after={}, version=ver))
        s.execute(update(RequestRow).where(RequestRow.id == v.id).values(version=3))
    rep = audit.verify(eng)
    assert rep.ok, [b.text() for b in rep.breaks]
    assert rep.events == 3
