"""`gongkai users …`: accounts on the command line — a thin adapter over ``gongkai.auth.accounts``.

Whoever runs these commands has the database itself in hand, so they need no login; every change is written to
the security log with the operating-system user as actor.
"""
from __future__ import annotations

import getpass
import os
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(help="账户管理：添加用户、改密码、停用、API 令牌、角色说明、安全日志", no_args_is_help=True)
token_app = typer.Typer(help="API 令牌（供脚本以 Authorization: Bearer 调用接口）", no_args_is_help=True)
app.add_typer(token_app, name="token")
console = Console()

DbOpt = typer.Option(None, "--db", help="数据库（默认 GONGKAI_DB 或 sqlite:///gongkai.db）")
StdinOpt = typer.Option(False, "--password-stdin", help="从标准输入读取密码（一行），不交互询问")


def _engine(db: Optional[str]):
    from gongkai.store.db import connect

    return connect(db)


def _actor() -> str:
    return "cli:" + os.environ.get("USER", "unknown")


def _fail(exc: Exception) -> None:
    console.print(f"[red]{escape(str(exc))}[/red]")
    raise typer.Exit(1)


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再次输入密码：") != first:
        _fail(ValueError("两次输入的密码不一致"))
    return first


@app.command("add")
def add(username: str = typer.Argument(..., help="用户名（登录名）"),
        agency: str = typer.Option(..., "--agency", help="所属机关（机关树中的名称）"),
        role: str = typer.Option(..., "--role", help="角色：public 公众、handler 经办人、office_head 办公室负责人、"
                                                     "supervisor 监督机关、administrator 系统管理员"),
        name: str = typer.Option("", "--name", help="显示的姓名"),
        parent: Optional[str] = typer.Option(None, "--parent", help="所属机关的上级机关（写入机关树）"),
        no_password: bool = typer.Option(False, "--no-password", help="不设密码：只能用 API 令牌"),
        password_stdin: bool = StdinOpt, db: Optional[str] = DbOpt) -> None:
    """添加用户。密码以 argon2 散列保存，不保存明文。"""
    from gongkai.auth import accounts
    from gongkai.auth.passwords import PasswordError

    eng = _engine(db)
    try:
        pw = None if no_password else _password(password_stdin)
        info = accounts.add_user(eng, username, agency=agency, role=role, password=pw, display_name=name,
                                 actor=_actor(), parent=parent)
    except (accounts.AccountError, PasswordError, ValueError) as exc:
        _fail(exc)
    console.print(f"已添加用户 [bold]{escape(info.username)}[/bold]（{escape(info.role_label)}，{escape(info.agency)}）")


@app.command("list")
def list_cmd(agency: Optional[str] = typer.Option(None, "--agency", help="只列此机关的用户"),
             db: Optional[str] = DbOpt) -> None:
    """列出用户。"""
    from gongkai.auth import accounts

    t = Table(title="用户")
    for c in ("用户名", "姓名", "机关", "角色", "状态", "创建时间"):
        t.add_column(c, overflow="fold")
    for u in accounts.list_users(_engine(db), agency):
        t.add_row(escape(u.username), escape(u.display_name), escape(u.agency), u.role_label,
                  "启用" if u.active else "停用", u.created_at.strftime("%Y-%m-%d %H:%M"))
    console.print(t)


@app.command("passwd")
def passwd(username: str, password_stdin: bool = StdinOpt, db: Optional[str] = DbOpt) -> None:
    """设置新密码；该用户已登录的会话全部失效。"""
    from gongkai.auth import accounts
    from gongkai.auth.passwords import PasswordError

    try:
        accounts.set_password(_engine(db), username, _password(password_stdin), actor=_actor())
    except (accounts.AccountError, PasswordError) as exc:
        _fail(exc)
    console.print(f"已更改 {escape(username)} 的密码")


@app.command("disable")
def disable(username: str, db: Optional[str] = DbOpt) -> None:
    """停用用户：立即结束其全部会话并吊销全部令牌。"""
    from gongkai.auth import accounts

    try:
        accounts.set_active(_engine(db), username, False, actor=_actor())
    except accounts.AccountError as exc:
        _fail(exc)
    console.print(f"已停用 {escape(username)}")


@app.command("enable")
def enable(username: str, db: Optional[str] = DbOpt) -> None:
    """重新启用用户（令牌不会恢复，须重新签发）。"""
    from gongkai.auth import accounts

    try:
        accounts.set_active(_engine(db), username, True, actor=_actor())
    except accounts.AccountError as exc:
        _fail(exc)
    console.print(f"已启用 {escape(username)}")


@app.command("role")
def role_cmd(username: str, role: str = typer.Argument(..., help="新角色"),
             agency: Optional[str] = typer.Option(None, "--agency", help="同时改所属机关"),
             db: Optional[str] = DbOpt) -> None:
    """更改用户的角色（及所属机关）。"""
    from gongkai.auth import accounts

    try:
        accounts.set_role(_engine(db), username, role, agency, actor=_actor())
    except (accounts.AccountError, ValueError) as exc:
        _fail(exc)
    console.print(f"已将 {escape(username)} 的角色改为 {escape(role)}")


@app.command("roles")
def roles_cmd() -> None:
    """各角色的权限及其范围（本机关、下级机关、全部机关），取自 roles.yaml。"""
    from gongkai.auth.roles import Scope, permissions, roles

    scope_label = {Scope.NONE: "不涉及机关数据", Scope.OWN: "本机关", Scope.SUBTREE: "本机关及下级机关",
                   Scope.ALL: "全部机关"}
    for r in roles().values():
        t = Table(title=f"{r.label}（{r.name}）", show_header=True)
        t.add_column("权限", overflow="fold")
        t.add_column("说明", overflow="fold")
        t.add_column("范围")
        for name in sorted(r.permissions):
            sc = r.scope_of(name)
            t.add_row(name, permissions()[name].label, scope_label[sc] if sc is not None else "")
        console.print(t)


@app.command("log")
def log_cmd(action: Optional[str] = typer.Option(None, "--action", help="只看某类记录，如 login.failed、calendar.load"),
            limit: int = typer.Option(50, "--limit", help="最近多少条"), db: Optional[str] = DbOpt) -> None:
    """安全日志（登录、账户变更、日历载入），最近的在前。"""
    from gongkai.store import security_log

    t = Table(title="安全日志")
    for c in ("序号", "时间", "操作人", "操作", "对象", "详情"):
        t.add_column(c, overflow="fold")
    for e in security_log.entries(_engine(db), action, limit):
        t.add_row(str(e.seq), e.at.strftime("%Y-%m-%d %H:%M:%S"), escape(e.actor), e.action, escape(e.target),
                  escape(", ".join(f"{k}={v}" for k, v in e.details.items())))
    console.print(t)


@token_app.command("add")
def token_add(username: str, label: str = typer.Option("", "--label", help="用途说明"),
              days: Optional[int] = typer.Option(None, "--days", help="有效天数（默认取 policy.yaml；0 为不过期）"),
              db: Optional[str] = DbOpt) -> None:
    """签发 API 令牌。令牌只显示这一次，库中只存其散列。"""
    from gongkai.auth import accounts

    try:
        secret, info = accounts.issue_token(_engine(db), username, label, days, actor=_actor())
    except accounts.AccountError as exc:
        _fail(exc)
    console.print(f"令牌 {info.id}（{escape(info.label)}）已签发，请妥善保存，此后无法再次查看：")
    print(secret)


@token_app.command("list")
def token_list(username: Optional[str] = typer.Argument(None), db: Optional[str] = DbOpt) -> None:
    """列出令牌（只显示前缀）。"""
    from gongkai.auth import accounts

    t = Table(title="API 令牌")
    for c in ("编号", "用户", "用途", "前缀", "签发", "到期", "最近使用", "状态"):
        t.add_column(c, overflow="fold")
    fmt = (lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "")
    for k in accounts.list_tokens(_engine(db), username):
        t.add_row(str(k.id), escape(k.username), escape(k.label), k.prefix + "…", fmt(k.created_at),
                  fmt(k.expires_at) or "不过期", fmt(k.last_used_at), "已吊销" if k.revoked_at else "有效")
    console.print(t)


@token_app.command("revoke")
def token_revoke(token_id: int, db: Optional[str] = DbOpt) -> None:
    """吊销令牌。"""
    from gongkai.auth import accounts

    try:
        accounts.revoke_token(_engine(db), token_id, actor=_actor())
    except accounts.AccountError as exc:
        _fail(exc)
    console.print(f"已吊销令牌 {token_id}")
