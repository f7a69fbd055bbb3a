"""``gongkai serve --demo``: a store with the bundled example reports and one account per role.

The passwords are made fresh at every start and printed once; nothing here is a fixed credential.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from ..auth import accounts
from ..store.reports import ReportStore

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SUPERVISING = "示例市人民政府"
# Who the demo users are: a supervising office over the example agencies, and the offices themselves.
DEMO_USERS = (
    ("admin", "系统管理员", "示例市人民政府", "administrator"),
    ("supervisor", "示例市政务公开办", "示例市人民政府", "supervisor"),
    ("head", "办公室负责人", "示例市交通运输局", "office_head"),
    ("handler", "经办人", "示例市交通运输局", "handler"),
    ("public", "公众", "示例市交通运输局", "public"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    agency: str


def example_files(folder: Path = EXAMPLES) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in (".txt", ".html", ".pdf", ".docx"))


def prepare(store: ReportStore, folder: Path = EXAMPLES) -> list[DemoAccount]:
    """Ingest the example reports (idempotent) and (re)create the demo accounts with new passwords."""
    files = example_files(folder)
    if not files:
        raise FileNotFoundError(f"没有找到示例报告（{folder}）：--demo 需要在源代码目录中运行")
    stored = {o.agency for o in store.ingest_files(files) if o.agency}
    for agency in sorted(stored):
        store.link(agency, SUPERVISING, create=True)    # the demo supervisor oversees every example agency
    out = []
    existing = {u.username for u in accounts.list_users(store.engine)}
    for username, name, agency, role in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        if username in existing:
            accounts.set_password(store.engine, username, password, actor="demo")
        else:
            accounts.add_user(store.engine, username, agency=agency, role=role, password=password, display_name=name)
        out.append(DemoAccount(username, password, role, agency))
    return out
