"""Accounts: users in the agency tree with one role each, API tokens, login sessions, login limits.

Everything here is the library core; the CLI (``gongkai users``) and the web adapter (``gongkai.auth.web``) only
call it. Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256 digests of
256-bit random values (shown once, when made).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongkai.corpus.agencies import normalise_name
from gongkai.store import security_log
from gongkai.store.auth_tables import ApiToken, LoginAttempt, LoginSession, User

from . import roles as _roles
from .passwords import hash_password, needs_rehash, verify_password
from .policy import policy
from .roles import Role

TOKEN_PREFIX = "gk_"


class AccountError(ValueError):
    """An account operation refused; the message (Chinese) says why."""


class LoginRefused(AccountError):
    pass


class RateLimited(AccountError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    agency: str
    role: str
    role_label: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""
    user_id: int
    username: str
    display_name: str
    agency: str
    role: Role
    via: str                         # "session" | "token"
    session_id: int | None = None
    csrf_token: str | None = None    # for sessions: to be sent back with every state-changing request

    def has(self, permission: str) -> bool:
        return self.role.has(permission)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    label: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def csrf_for(session_secret: str) -> str:
    """The CSRF token of a session: derived from its secret, so nothing more is stored and only the cookie's
    holder can know it."""
    return hashlib.sha256(b"gongkai-csrf\n" + session_secret.encode("utf-8")).hexdigest()


def _info(u: User) -> UserInfo:
    return UserInfo(u.id, u.username, u.display_name, u.agency, u.role, _roles.get(u.role).label, u.active,
                    u.created_at)


def _now() -> datetime:
    return datetime.now()


def _valid_username(name: str) -> str:
    n = name.strip()
    if not n or len(n) > 100 or any(c.isspace() for c in n):
        raise AccountError("用户名不能为空、不能含空格，最长 100 个字符")
    return n


# ---- users ---------------------------------------------------------------------------------------
def add_user(engine: Engine, username: str, *, agency: str, role: str, password: str | None,
             display_name: str = "", actor: str = "system", parent: str | None = None) -> UserInfo:
    """Create a user; ``password`` None makes an account that can only use API tokens. ``parent`` places the
    user's agency under that agency in the agency tree (a supervisor reaches the agencies below its own)."""
    name = _valid_username(username)
    r = _roles.get(role)
    ag = normalise_name(agency)
    if not ag or len(ag) > 200:
        raise AccountError("须指明用户所属机关（最长 200 个字符）")
    pw = hash_password(password) if password is not None else None
    now = _now()
    try:
        with Session(engine) as s, s.begin():
            u = User(username=name, display_name=(display_name or name)[:200], agency=ag, role=r.name,
                     password_hash=pw, active=True, created_at=now, updated_at=now)
            s.add(u)
            s.flush()
            info = _info(u)
    except IntegrityError as exc:
        raise AccountError(f"用户名“{name}”已存在") from exc
    if parent:
        from gongkai.store.reports import ReportStore

        ReportStore(engine=engine).link(ag, parent, create=True)  # an account may come before its reports
    security_log.record(engine, actor, "user.add", name, {"agency": ag, "role": r.name})
    return info


def _user(s: Session, username: str) -> User:
    u = s.scalar(select(User).where(User.username == username.strip()))
    if u is None:
        raise AccountError(f"未找到用户“{username}”")
    return u


def get_user(engine: Engine, username: str) -> UserInfo:
    with Session(engine) as s:
        return _info(_user(s, username))


def list_users(engine: Engine, agency: str | None = None) -> list[UserInfo]:
    with Session(engine) as s:
        q = select(User).order_by(User.agency, User.username)
        if agency:
            q = q.where(User.agency == normalise_name(agency))
        return [_info(u) for u in s.scalars(q)]


def set_password(engine: Engine, username: str, password: str, actor: str = "system") -> None:
    """New password; every session of the user ends (tokens stay: they are revoked one by one)."""
    pw = hash_password(password)
    with Session(engine) as s, s.begin():
        u = _user(s, username)
        u.password_hash, u.updated_at = pw, _now()
        s.execute(update(LoginSession).where(LoginSession.user_id == u.id, LoginSession.revoked_at.is_(None))
                  .values(revoked_at=_now()))
    security_log.record(engine, actor, "user.passwd", username)


def set_active(engine: Engine, username: str, active: bool, actor: str = "system") -> None:
    """Disable (or enable again) a user. Disabling ends every session and revokes every token at once."""
    now = _now()
    with Session(engine) as s, s.begin():
        u = _user(s, username)
        u.active, u.updated_at = active, now
        if not active:
            s.execute(update(LoginSession).where(LoginSession.user_id == u.id, LoginSession.revoked_at.is_(None))
                      .values(revoked_at=now))
            s.execute(update(ApiToken).where(ApiToken.user_id == u.id, ApiToken.revoked_at.is_(None))
                      .values(revoked_at=now))
    security_log.record(engine, actor, "user.enable" if active else "user.disable", username)


def set_role(engine: Engine, username: str, role: str, agency: str | None = None, actor: str = "system") -> None:
    r = _roles.get(role)
    with Session(engine) as s, s.begin():
        u = _user(s, username)
        u.role, u.updated_at = r.name, _now()
        if agency:
            u.agency = normalise_name(agency)
        details = {"role": u.role, "agency": u.agency}
    security_log.record(engine, actor, "user.role", username, details)


# ---- tokens --------------------------------------------------------------------------------------
def issue_token(engine: Engine, username: str, label: str = "", days: int | None = None,
                actor: str = "system") -> tuple[str, TokenInfo]:
    """A new API token for ``username``: (the token, shown this once; its record)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    days = policy().token_default_days if days is None else days
    with Session(engine) as s, s.begin():
        u = _user(s, username)
        if not u.active:
            raise AccountError(f"用户“{username}”已停用")
        t = ApiToken(user_id=u.id, label=(label or "api")[:100], token_hash=_digest(secret), prefix=secret[:10],
                     created_at=now, expires_at=now + timedelta(days=days) if days > 0 else None)
        s.add(t)
        s.flush()
        info = TokenInfo(t.id, u.username, t.label, t.prefix, t.created_at, t.expires_at, None, None)
    security_log.record(engine, actor, "token.issue", username, {"token_id": info.id, "label": info.label})
    return secret, info


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    with Session(engine) as s:
        q = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
        if username:
            q = q.where(User.username == username)
        return [TokenInfo(t.id, n, t.label, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at)
                for t, n in s.execute(q)]


def revoke_token(engine: Engine, token_id: int, actor: str = "system") -> None:
    with Session(engine) as s, s.begin():
        n = s.execute(update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
                      .values(revoked_at=_now())).rowcount
    if n != 1:
        raise AccountError(f"未找到有效的令牌 {token_id}")
    security_log.record(engine, actor, "token.revoke", str(token_id))


def _principal(u: User, via: str, session_id: int | None = None, csrf: str | None = None) -> Principal:
    return Principal(u.id, u.username, u.display_name, u.agency, _roles.get(u.role), via, session_id, csrf)


def principal_from_token(engine: Engine, token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = _now()
    with Session(engine) as s, s.begin():
        row = s.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                        .where(ApiToken.token_hash == _digest(token))).first()
        if row is None:
            return None
        t, u = row
        if t.revoked_at is not None or (t.expires_at is not None and t.expires_at <= now) or not u.active:
            return None
        if t.last_used_at is None or now - t.last_used_at > timedelta(minutes=1):
            t.last_used_at = now   # at most once a minute: a busy script does not write on every call
        return _principal(u, "token")


# ---- sessions and login --------------------------------------------------------------------------
def _throttle(s: Session, username: str, ip: str, now: datetime) -> None:
    p = policy()
    since = now - timedelta(minutes=p.window_minutes)
    for col, value, limit in ((LoginAttempt.username, username, p.per_user), (LoginAttempt.ip, ip, p.per_ip)):
        q = select(func.count(), func.min(LoginAttempt.at)).where(col == value, LoginAttempt.at > since,
                                                                  LoginAttempt.ok.is_(False))
        n, first = s.execute(q).one()
        if n >= limit:
            wait = int((first + timedelta(minutes=p.window_minutes) - now).total_seconds()) + 1
            raise RateLimited(f"登录失败次数过多，请 {max(wait, 1)} 秒后再试", max(wait, 1))


def login(engine: Engine, username: str, password: str, *, ip: str = "", user_agent: str = "") -> tuple[str, Principal]:
    """Check the password and open a session: (the session secret for the cookie, the principal).

    Raises RateLimited after too many failures for the user name or the address, LoginRefused otherwise
    (the same message for an unknown name, a wrong password and a disabled account)."""
    name = username.strip()[:100]
    ip = ip[:64]
    now = _now()
    try:
        with Session(engine) as s, s.begin():
            _throttle(s, name, ip, now)
    except RateLimited:
        security_log.record(engine, name, "login.throttled", name, {"ip": ip})
        raise
    with Session(engine) as s:
        u = s.scalar(select(User).where(User.username == name))
        stored = u.password_hash if u is not None else None
    ok = verify_password(stored, password) and u is not None and u.active
    with Session(engine) as s, s.begin():
        s.add(LoginAttempt(username=name, ip=ip, at=now, ok=ok))
        if ok:
            assert u is not None
            if stored and needs_rehash(stored):
                s.execute(update(User).where(User.id == u.id).values(password_hash=hash_password(password)))
            secret = secrets.token_urlsafe(32)
            p = policy()
            sess = LoginSession(user_id=u.id, session_hash=_digest(secret), created_at=now,
                                expires_at=now + timedelta(hours=p.absolute_hours), last_seen_at=now, ip=ip,
                                user_agent=user_agent[:300])
            s.add(sess)
            s.flush()
            principal = _principal(u, "session", sess.id, csrf_for(secret))
    security_log.record(engine, name, "login" if ok else "login.failed", name, {"ip": ip})
    if not ok:
        raise LoginRefused("用户名或密码错误")
    return secret, principal


def principal_from_session(engine: Engine, secret: str) -> Principal | None:
    if not secret or len(secret) > 200:
        return None
    now = _now()
    idle = timedelta(minutes=policy().idle_minutes)
    with Session(engine) as s, s.begin():
        row = s.execute(select(LoginSession, User).join(User, User.id == LoginSession.user_id)
                        .where(LoginSession.session_hash == _digest(secret))).first()
        if row is None:
            return None
        sess, u = row
        if sess.revoked_at is not None or sess.expires_at <= now or now - sess.last_seen_at > idle or not u.active:
            return None
        if now - sess.last_seen_at > timedelta(minutes=1):
            sess.last_seen_at = now
        return _principal(u, "session", sess.id, csrf_for(secret))


def logout(engine: Engine, principal: Principal) -> None:
    if principal.session_id is None:
        return
    with Session(engine) as s, s.begin():
        s.execute(update(LoginSession).where(LoginSession.id == principal.session_id)
                  .values(revoked_at=_now()))
    security_log.record(engine, principal.username, "logout", principal.username)
