"""Shared set-up for the web tests: an app on a fresh SQLite store with the example reports and one
account per role, and a logged-in client per role."""
from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from gongkai.auth import accounts
from gongkai.web import create_web_app
from gongkai.web.demo import DEMO_USERS, SUPERVISING  # noqa: F401  (SUPERVISING used by tests)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PASSWORD = "测试口令-correct-horse-1"
OTHER_AGENCY = "另一市交通运输局"


def make_app(tmp_path: Path, files: list[Path] | None = None):
    app = create_web_app(f"sqlite:///{tmp_path / 'web.db'}")
    store = app.state.store
    for _ in store.ingest_files(files if files is not None else sorted(EXAMPLES.glob("*.txt"))):
        pass
    for a in {v.agency for v in store.versions()}:
        store.link(a, SUPERVISING, create=True)
    for username, name, agency, role in DEMO_USERS:
        accounts.add_user(store.engine, username, agency=agency, role=role, password=PASSWORD, display_name=name)
    accounts.add_user(store.engine, "outsider", agency=OTHER_AGENCY, role="office_head", password=PASSWORD)
    return app


def login(app, username: str) -> TestClient:
    c = TestClient(app, base_url="http://testserver", follow_redirects=False)
    r = c.post("/login", data={"username": username, "password": PASSWORD, "next": "/"})
    assert r.status_code == 303, r.text
    return c


def csrf_of(client: TestClient) -> str:
    r = client.get("/auth/me")
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def first_report_id(app, agency_part: str = "") -> int:
    return next(v.version_id for v in app.state.store.versions() if agency_part in v.agency)


def hidden_csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)
