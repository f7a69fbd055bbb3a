"""An API on a fresh SQLite store with one user per role, for the API tests.

The office is 示例市交通运输局 under 示例市人民政府 (the supervisor's agency); 另一局 is an unrelated agency whose
handler must never reach the office's data. Each role gets an API token (``headers(role)``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi.testclient import TestClient

from gongkai.api import create_app
from gongkai.auth import accounts

OFFICE = "示例市交通运输局"
PARENT = "示例市人民政府"
OTHER = "示例县另一局"
PASSWORD = "测试口令-足够长的密码"
ROLES = ("public", "handler", "office_head", "supervisor", "administrator")


def path_of(agency: str) -> str:
    return quote(agency, safe="")


@dataclass
class Api:
    client: TestClient
    engine: object
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str | None) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {self.tokens[who]}"}


def make_api(url: str, *, passwords: bool = False) -> Api:
    app = create_app(url)
    eng = app.state.engine
    api = Api(TestClient(app), eng)
    users = {"public": ("public", "公众"), "handler": ("handler", OFFICE), "office_head": ("office_head", OFFICE),
             "supervisor": ("supervisor", PARENT), "administrator": ("administrator", PARENT),
             "other_handler": ("handler", OTHER)}
    for name, (role, agency) in users.items():
        accounts.add_user(eng, name, agency=agency, role=role, password=PASSWORD if passwords else None,
                          parent=PARENT if agency == OFFICE else None)
        api.tokens[name] = accounts.issue_token(eng, name, "test")[0]
    return api
