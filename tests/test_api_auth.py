"""Authentication and permissions on every API endpoint (issue 12 item 2; issue 13 crash item 2).

The role matrix (fixtures/auth/role_matrix.yaml) is the declared table: every endpoint × every role and no login →
the expected status. A route the app has and the table lacks fails the test, and so does a route that declares no
permission, so a new endpoint cannot slip in unguarded.
"""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from fastapi import APIRouter

from api_helpers import OFFICE, OTHER, PASSWORD, make_api, path_of
from gongkai.auth import accounts
from gongkai.auth.deps import api_routes, route_permission
from gongkai.requests import letters
from gongkai.requests import register as R
from gongkai.store import security_log

MATRIX = yaml.safe_load((Path(__file__).parent / "fixtures" / "auth" / "role_matrix.yaml").read_text("utf-8"))
WHO = (None, "public", "handler", "office_head", "supervisor", "administrator", "other_handler")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "compose" / "示例市交通运输局-2025.yaml"
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"


def _request_in(name: str = "张三") -> R.RequestIn:
    return R.RequestIn(channel="当面", content="某路段改造批复", submitted_on=date(2026, 6, 1),
                       applicant=R.Applicant("natural", name, id_number="110101199001011234", phone="13900001111",
                                             address="北京市东城区某街道1号"))


BODIES = {
    "bad_login": {"json": {"username": "nobody-{who}", "password": "wrong-password"}},  # one name per caller:
    # the same name failing 7 times would be rate-limited, which test_login_rate_limited checks on its own
    "intake": {"json": {"channel": "当面", "submitted_on": "2026-06-01", "content": "某工程验收材料",
                        "applicant": {"type": "natural", "name": "李四", "phone": "13900002222"}}},
    "case": {"json": {"kind": "review", "filed_date": "2026-07-01"}},
    "empty_xlsx": {"content": b"not a workbook",
                   "headers": {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
    "withdraw": {"json": {"version": 1, "on": "2026-06-02"}},
    "notice": {"json": {"text": NOTICE_2027}},
    "figures": {"json": yaml.safe_load(EXAMPLE.read_text("utf-8"))},
}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    a = make_api(f"sqlite:///{tmp_path_factory.mktemp('auth') / 'api.db'}")
    view = R.intake(a.engine, OFFICE, _request_in(), "clerk")
    a.number = view.number
    a.letter = letters.render(a.engine, OFFICE, view.number, "receipt", actor="clerk",
                              letter_date=date(2026, 6, 1)).id
    return a


def _call(api, row: dict, who: str | None):
    number = R.intake(api.engine, OFFICE, _request_in(), "clerk").number if row.get("fresh") else api.number
    path = row["path"].format(agency=path_of(OFFICE), number=number, letter_id=api.letter, **row.get("params", {}))
    body = BODIES.get(row.get("body"), {})
    headers = {**api.headers(who), **body.get("headers", {})}
    js = body.get("json")
    if isinstance(js, dict):
        js = {k: (v.replace("{who}", str(who)) if isinstance(v, str) else v) for k, v in js.items()}
    return api.client.request(row["method"], path, json=js, content=body.get("content"),
                              params=row.get("query"), headers=headers)


@pytest.mark.parametrize("row", MATRIX, ids=[f"{r['method']} {r['path']}" for r in MATRIX])
def test_role_matrix(api, row):
    got = {}
    for who, want in zip(WHO, row["expect"]):
        got[who or "none"] = _call(api, row, who).status_code
    expected = {who or "none": want for who, want in zip(WHO, row["expect"])}
    assert got == expected


def test_every_route_declares_a_permission_and_is_in_the_matrix(api):
    """Enumerate the app's routes (the OpenAPI paths and every route, also those left out of the schema)."""
    spec = api.client.app.openapi()["paths"]
    operations = {(m.upper(), p) for p, ops in spec.items() for m in ops}
    undeclared = [(m, p) for p, ops in spec.items() for m, op in ops.items() if not op.get("x-permission")]
    assert not undeclared, f"routes without a declared permission: {undeclared}"
    for route in api_routes(api.client.app):
        assert route_permission(route), f"{route.path} declares no permission"
        operations |= {(m, route.path) for m in route.methods if m != "HEAD"}
    covered = {(r["method"], r["path"]) for r in MATRIX}
    missing = sorted(operations - covered)
    assert not missing, f"routes missing from role_matrix.yaml: {missing}"
    assert len(operations) == len(MATRIX)


def test_a_route_without_a_permission_is_refused(tmp_path):
    api = make_api(f"sqlite:///{tmp_path / 'u.db'}")
    router = APIRouter()

    @router.get("/unguarded-probe")
    def unguarded() -> dict:
        return {"secret": 1}

    api.client.app.include_router(router)
    for who in (None, "administrator", "handler"):
        assert api.client.get("/unguarded-probe", headers=api.headers(who)).status_code == 403


def test_headers_no_longer_choose_role_user_or_agency(api):
    # (a Chinese name in a header travels as Latin-1 bytes: the garble of issue 13 crash item 2)
    forged = {"X-Gongkai-Role": "handler", "X-Gongkai-User": "boss",
              "X-Gongkai-Agency": OFFICE.encode("utf-8")}
    assert api.client.get(f"/requests/{path_of(OFFICE)}/{api.number}", headers=forged).status_code == 401
    r = api.client.get(f"/requests/{path_of(OFFICE)}/{api.number}", headers={**forged, **api.headers("supervisor")})
    assert r.status_code == 200 and r.json()["applicant_name"] == "张*" and r.json()["id_number"] != \
        "110101199001011234"
    # The audit trail records the authenticated user, never a header.
    n = R.intake(api.engine, OFFICE, _request_in(), "clerk").number
    r = api.client.post(f"/requests/{path_of(OFFICE)}/{n}/actions/withdraw", json={"version": 1, "on": "2026-06-02"},
                        headers={**forged, **api.headers("handler")})
    assert r.status_code == 200
    assert R.history(api.engine, OFFICE, n)[-1].actor == "handler"


def test_personal_data_only_for_the_handling_office(api):
    url = f"/requests/{path_of(OFFICE)}/{api.number}"
    full = api.client.get(url, headers=api.headers("handler")).json()
    assert full["applicant_name"] == "张三" and full["phone"] == "13900001111"
    assert api.client.get(url, headers=api.headers("office_head")).json()["id_number"] == "110101199001011234"
    masked = api.client.get(url, headers=api.headers("supervisor")).json()
    assert masked["applicant_name"] == "张*" and "13900001111" not in str(masked)
    hist = api.client.get(url + "/history", headers=api.headers("supervisor")).json()
    assert "张三" not in str(hist)
    assert api.client.get(url + f"/letters/{api.letter}", headers=api.headers("supervisor")).status_code == 403


def test_a_chinese_agency_name_round_trips_through_the_path(api):
    """Issue 13 crash item 2: a register made with the CLI (Chinese agency) is reached over the API."""
    r = api.client.get(f"/requests/{path_of(OFFICE)}/{api.number}", headers=api.headers("handler"))
    assert r.status_code == 200 and r.json()["agency"] == OFFICE
    r = api.client.post(f"/requests/{path_of(OTHER)}", json=BODIES["intake"]["json"],
                        headers=api.headers("other_handler"))
    assert r.status_code == 201 and r.json()["agency"] == OTHER
    assert R.get(api.engine, OTHER, r.json()["number"]).agency == OTHER


def test_other_agencies_requests_cannot_be_withdrawn(api):
    n = R.intake(api.engine, OFFICE, _request_in(), "clerk").number
    for who in ("other_handler", "supervisor", "administrator", "public"):
        r = api.client.post(f"/requests/{path_of(OFFICE)}/{n}/actions/withdraw",
                            json={"version": 1, "on": "2026-06-02"}, headers=api.headers(who))
        assert r.status_code == 403
    assert R.get(api.engine, OFFICE, n).state == "registered"


def test_calendar_change_by_administrator_only_and_logged(tmp_path):
    a = make_api(f"sqlite:///{tmp_path / 'cal.db'}")
    body = {"text": NOTICE_2027, "confirm": True, "partial": True}   # the notice names only 元旦
    for who in (None, "handler", "office_head", "supervisor", "public"):
        assert a.client.post("/calendar/notice", json=body, headers=a.headers(who)).status_code in (401, 403)
    assert a.client.get("/calendar/2027", headers=a.headers("public")).json()["known"] is False
    r = a.client.post("/calendar/notice", json=body, headers=a.headers("administrator"))
    assert r.status_code == 200 and r.json()["version"] == 1
    [entry] = security_log.entries(a.engine, "calendar.load")
    assert entry.actor == "administrator" and entry.target == "2027" and entry.details["version"] == 1
    assert security_log.verify(a.engine) == (len(security_log.entries(a.engine, limit=10_000)), None)


def test_session_login_cookie_csrf_and_logout(tmp_path):
    a = make_api(f"sqlite:///{tmp_path / 's.db'}", passwords=True)
    c = a.client
    r = c.post("/auth/login", json={"username": "handler", "password": PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    csrf = r.json()["csrf_token"]
    url = f"/requests/{path_of(OFFICE)}"
    assert c.get(url + "/due").status_code == 200                        # a read needs no CSRF token
    assert c.post(url, json=BODIES["intake"]["json"]).status_code == 403   # a write without it is refused
    assert c.post(url, json=BODIES["intake"]["json"], headers={"X-CSRF-Token": "x" * 64}).status_code == 403
    assert c.post(url, json=BODIES["intake"]["json"], headers={"X-CSRF-Token": csrf}).status_code == 201
    # The secret is stored only as a digest.
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from gongkai.store.auth_tables import ApiToken, LoginSession, User
    secret = c.cookies.get("gongkai_session")
    with Session(a.engine) as s:
        assert secret not in {x.session_hash for x in s.scalars(select(LoginSession))}
        assert all(t not in {x.token_hash for x in s.scalars(select(ApiToken))} for t in a.tokens.values())
        assert s.scalar(select(User.password_hash).where(User.username == "handler")).startswith("$argon2id$")
    assert c.post("/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    c.cookies.set("gongkai_session", secret)                              # the old cookie is dead
    assert c.get(url + "/due").status_code == 401


def test_secure_cookie_behind_tls(tmp_path):
    a = make_api(f"sqlite:///{tmp_path / 't.db'}", passwords=True)
    from fastapi.testclient import TestClient

    c = TestClient(a.client.app, base_url="https://testserver")
    r = c.post("/auth/login", json={"username": "handler", "password": PASSWORD})
    assert r.status_code == 200 and "Secure" in r.headers["set-cookie"]


def test_login_rate_limited(tmp_path):
    a = make_api(f"sqlite:///{tmp_path / 'r.db'}", passwords=True)
    for _ in range(5):
        assert a.client.post("/auth/login", json={"username": "handler", "password": "wrong-guess!"}).status_code \
            == 401
    r = a.client.post("/auth/login", json={"username": "handler", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0     # even the right password now waits
    assert a.client.post("/auth/login", json={"username": "office_head", "password": PASSWORD}).status_code == 200
    assert len(security_log.entries(a.engine, "login.failed")) == 5
    assert len(security_log.entries(a.engine, "login.throttled")) == 1


def test_disabled_user_and_revoked_token_are_refused(tmp_path):
    a = make_api(f"sqlite:///{tmp_path / 'd.db'}", passwords=True)
    url = f"/requests/{path_of(OFFICE)}/due"
    assert a.client.get(url, headers=a.headers("handler")).status_code == 200
    accounts.set_active(a.engine, "handler", False)
    assert a.client.get(url, headers=a.headers("handler")).status_code == 401
    assert a.client.post("/auth/login", json={"username": "handler", "password": PASSWORD}).status_code == 401
    [tok] = accounts.list_tokens(a.engine, "office_head")
    accounts.revoke_token(a.engine, tok.id)
    assert a.client.get(url, headers=a.headers("office_head")).status_code == 401
    assert a.client.get(url, headers={"Authorization": "Bearer gk_made-up"}).status_code == 401
    assert a.client.get(url, headers={"Authorization": "Basic abc"}).status_code == 401


def test_roles_and_permissions_are_data():
    from gongkai.auth.roles import ROLES_FILE, Scope, load

    book = load(ROLES_FILE)
    assert set(book.roles) == {"public", "handler", "office_head", "supervisor", "administrator"}
    assert book.roles["supervisor"].scope_of("requests.read") is Scope.SUBTREE
    # personal data never leaves the handling office, whatever a role's scope
    assert all(r.scope_of("requests.personal") in (None, Scope.OWN) for r in book.roles.values())


def test_form_login_and_csrf_form_field_for_web_pages(tmp_path):
    """The web pages post forms: login by form, and the CSRF token as a `csrf_token` form field."""
    from fastapi import APIRouter, Depends, Form

    from gongkai.auth import Principal, require

    a = make_api(f"sqlite:///{tmp_path / 'f.db'}", passwords=True)
    router = APIRouter()

    @router.post("/form-probe")
    def probe(note: str = Form(...), user: Principal = Depends(require("requests.write"))) -> dict:
        return {"note": note, "by": user.username}

    a.client.app.include_router(router)
    r = a.client.post("/auth/login", data={"username": "handler", "password": PASSWORD})
    assert r.status_code == 200
    csrf = a.client.get("/auth/me").json()["csrf_token"]
    assert a.client.post("/form-probe", data={"note": "x"}).status_code == 403
    r = a.client.post("/form-probe", data={"note": "x", "csrf_token": csrf})
    assert r.status_code == 200 and r.json() == {"note": "x", "by": "handler"}


def test_supervisor_reaches_the_whole_subtree_and_nothing_else(tmp_path):
    from gongkai.auth.scope import is_within, subtree
    from gongkai.store.reports import ReportStore

    a = make_api(f"sqlite:///{tmp_path / 'tree.db'}")
    store = ReportStore(engine=a.engine)
    store.link("示例市交通运输局执法支队", OFFICE, create=True)  # a grandchild of the supervisor's government
    assert is_within(a.engine, "示例市交通运输局执法支队", "示例市人民政府")
    assert not is_within(a.engine, OTHER, "示例市人民政府")
    assert {"示例市交通运输局执法支队", OFFICE} <= subtree(a.engine, "示例市人民政府")
    grand = path_of("示例市交通运输局执法支队")
    assert a.client.get(f"/requests/{grand}/due", headers=a.headers("supervisor")).status_code == 200
    assert a.client.get(f"/requests/{grand}/due", headers=a.headers("handler")).status_code == 403
    assert a.client.get(f"/requests/{path_of(OTHER)}/due", headers=a.headers("supervisor")).status_code == 403
