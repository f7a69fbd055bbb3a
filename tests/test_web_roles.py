"""The web app's role matrix: every page, /desk and /api/v1 route × every role and no login gets the
status declared in tests/fixtures/web/role_matrix.yaml; a route in neither that table nor the JSON API's
(tests/fixtures/auth/role_matrix.yaml) fails the test, so no route is added without deciding who may call it."""
from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from fastapi.testclient import TestClient

from gongkai.auth import accounts
from gongkai.auth.deps import api_routes, route_permission
from gongkai.corpus import uploads
from gongkai.requests import letters
from gongkai.requests import register as R
from gongkai.web import create_web_app

from web_helpers import EXAMPLES

FIX = Path(__file__).parent / "fixtures"
MATRIX = yaml.safe_load((FIX / "web" / "role_matrix.yaml").read_text("utf-8"))
API_MATRIX = yaml.safe_load((FIX / "auth" / "role_matrix.yaml").read_text("utf-8"))
OFFICE, PARENT, OTHER = "示例市交通运输局", "示例市人民政府", "另一县交通运输局"
WHO = (None, "public", "handler", "office_head", "supervisor", "administrator", "outsider")
USERS = {"public": ("public", OFFICE), "handler": ("handler", OFFICE), "office_head": ("office_head", OFFICE),
         "supervisor": ("supervisor", PARENT), "administrator": ("administrator", PARENT),
         "outsider": ("office_head", OTHER)}
REPORT = EXAMPLES / "示例市交通运输局-2024.txt"


def _request_in() -> R.RequestIn:
    return R.RequestIn(channel="网络", content="请公开道路养护资金使用情况", submitted_on=date(2026, 6, 1),
                       confirmed_on=date(2026, 6, 1),
                       applicant=R.Applicant("natural", "张三", "居民身份证", "110101199001011234", "13800000000"))


class Web:
    def __init__(self, tmp: Path) -> None:
        self.app = create_web_app(f"sqlite:///{tmp / 'roles.db'}")
        self.client = TestClient(self.app, follow_redirects=False)
        store = self.app.state.store
        self.engine = store.engine
        res = uploads.ingest_upload(store, REPORT.name, REPORT.read_bytes())
        self.version_id = res.version_id
        store.link(OFFICE, PARENT, create=True)
        self.tokens = {}
        for name, (role, agency) in USERS.items():
            accounts.add_user(self.engine, name, agency=agency, role=role, password=None)
            self.tokens[name] = accounts.issue_token(self.engine, name, "test")[0]
        self.number = R.intake(self.engine, OFFICE, _request_in(), "clerk").number
        self.letter = letters.render(self.engine, OFFICE, self.number, "receipt", actor="clerk").id

    def call(self, row: dict, who: str | None):
        number = R.intake(self.engine, OFFICE, _request_in(), "clerk").number if row.get("fresh") else self.number
        fill = dict(agency=quote(OFFICE, safe=""), number=number, letter_id=self.letter, version_id=self.version_id,
                    **row.get("params", {}))
        path = row["path"].format(**fill)
        query = {k: (v.format(**fill) if isinstance(v, str) else v) for k, v in (row.get("query") or {}).items()}
        headers = {} if who is None else {"Authorization": f"Bearer {self.tokens[who]}"}
        kw = BODIES[row["body"]](self) if row.get("body") else {}
        return self.client.request(row["method"], path, params=query, headers=headers, **kw)


_names = itertools.count()
BODIES = {
    # a new name each call: the per-name login limit must not turn these 401s into 429s
    "bad_login": lambda w: {"data": {"username": f"nobody{next(_names)}", "password": "wrong-password", "next": "/"}},
    "review_form": lambda w: {"data": {"decision": "dismissed", "reason": "核对无误"}},
    "review_json": lambda w: {"json": {"decision": "confirmed", "reason": "核对无误"}},
    "intake_form": lambda w: {"data": {"channel": "网络", "received_on": "2026-06-01", "type": "natural", "name": "李四", "phone": "13900000000",
                                       "content": "请公开某项信息", "delivery": "电子邮件"}},
    "withdraw_form": lambda w: {"data": {"on": "2026-06-02", "version": "1"}},
    "notice_file": lambda w: {"files": {"file": ("通知.txt", (FIX / "workplan" / "district_notice.txt").read_bytes(),
                                                "text/plain")}},
    "task_form": lambda w: {"data": {"status": "已完成"}},
    "figures_file": lambda w: {"files": {"file": ("f.yaml", (EXAMPLES / "compose" / "示例市交通运输局-2025.yaml").read_bytes(),
                                                  "application/x-yaml")}},
}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    return Web(tmp_path_factory.mktemp("roles"))


def _upload_files(row: dict, w: Web) -> dict:
    # the page form posts `files` (several), the API `file` (one)
    data = REPORT.read_bytes()
    return {"files": {("files" if row["path"] == "/upload" else "file"): (REPORT.name, data, "text/plain")}}


BODIES["upload_file"] = None  # replaced per row below


@pytest.mark.parametrize("row", MATRIX, ids=[f"{r['method']} {r['path']}" for r in MATRIX])
def test_web_role_matrix(web, row):
    if row.get("body") == "upload_file":
        BODIES["upload_file"] = lambda w, row=row: _upload_files(row, w)
    got = {(who or "none"): web.call(row, who).status_code for who in WHO}
    expected = {(who or "none"): want for who, want in zip(WHO, row["expect"])}
    assert got == expected


def test_every_web_route_is_in_a_role_matrix(web):
    covered = {(r["method"], r["path"]) for r in MATRIX + API_MATRIX}
    missing = []
    for route in api_routes(web.app):
        assert route_permission(route), f"{route.path} declares no permission"
        missing += [(m, route.path) for m in route.methods if m != "HEAD" and (m, route.path) not in covered]
    assert not missing, f"routes in no role matrix: {sorted(missing)}"


def test_static_assets_are_served_by_the_app_itself(web):
    r = web.client.get("/static/vendor/echarts-5.6.0.min.js")
    assert r.status_code == 200 and len(r.content) > 500_000
    assert web.client.get("/static/../roles.yaml").status_code == 404
