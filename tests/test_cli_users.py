"""`gongkai users …` and `gongkai serve`: thin adapters over gongkai.auth and the API."""
from __future__ import annotations

from typer.testing import CliRunner

from gongkai.auth import accounts
from gongkai.cli import app
from gongkai.store import security_log
from gongkai.store.db import connect

PW = "一个足够长的口令-2026"


def test_users_add_list_passwd_token_disable(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'u.db'}"
    monkeypatch.setenv("COLUMNS", "200")
    run = CliRunner().invoke
    r = run(app, ["users", "add", "wang", "--agency", "示例市交通运输局", "--role", "handler", "--name", "王五",
                  "--parent", "示例市人民政府", "--password-stdin", "--db", db], input=PW + "\n")
    assert r.exit_code == 0 and "经办人" in r.output, r.output
    r = run(app, ["users", "add", "wang", "--agency", "某局", "--role", "handler", "--password-stdin", "--db", db],
            input=PW + "\n")
    assert r.exit_code == 1 and "已存在" in r.output
    r = run(app, ["users", "add", "li", "--agency", "某局", "--role", "handler", "--password-stdin", "--db", db],
            input="short\n")
    assert r.exit_code == 1 and "至少需要" in r.output
    r = run(app, ["users", "add", "zhao", "--agency", "某局", "--role", "root", "--no-password", "--db", db])
    assert r.exit_code == 1 and "未知的角色" in r.output
    r = run(app, ["users", "list", "--db", db])
    assert r.exit_code == 0 and "wang" in r.output and "示例市交通运输局" in r.output and "启用" in r.output
    eng = connect(db)
    assert accounts.login(eng, "wang", PW)[1].role.name == "handler"
    r = run(app, ["users", "passwd", "wang", "--password-stdin", "--db", db], input=PW + "-new\n")
    assert r.exit_code == 0
    r = run(app, ["users", "token", "add", "wang", "--label", "夜间脚本", "--db", db])
    assert r.exit_code == 0
    token = r.output.strip().splitlines()[-1]
    assert token.startswith("gk_") and accounts.principal_from_token(eng, token).username == "wang"
    r = run(app, ["users", "token", "list", "wang", "--db", db])
    assert r.exit_code == 0 and "夜间脚本" in r.output and token not in r.output
    r = run(app, ["users", "disable", "wang", "--db", db])
    assert r.exit_code == 0
    assert accounts.principal_from_token(eng, token) is None
    r = run(app, ["users", "roles"])
    assert r.exit_code == 0 and "监督机关" in r.output and "本机关及下级机关" in r.output
    r = run(app, ["users", "log", "--db", db])
    assert r.exit_code == 0 and "user.disable" in r.output and "token.issue" in r.output
    assert security_log.verify(eng)[1] is None


def test_serve_defaults_to_loopback(monkeypatch, tmp_path):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    r = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}"])
    assert r.exit_code == 0, r.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9000", "--db",
                                 f"sqlite:///{tmp_path / 's.db'}"])
    assert seen["host"] == "0.0.0.0" and seen["port"] == 9000
