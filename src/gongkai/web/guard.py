"""The web pages' side of the accounts (``gongkai.auth``): the same ``require(permission)`` as the
JSON API, so a page and its API route can never disagree on who may see what.

A page route without a session answers with a redirect to the log-in page (``app.py`` turns the 401
into it); a role without the permission gets 403. Which agencies' reports a user reaches is the
role's scope for the permission (own agency, its subtree, or all) from ``auth/roles.yaml``.
"""
from __future__ import annotations

from fastapi import Depends
from sqlalchemy import Engine

from ..auth.accounts import Principal
from ..auth.deps import require
from ..auth.roles import Scope
from ..auth.scope import reaches, subtree


def need(permission: str):
    """The logged-in caller with ``permission`` (401 without a session, 403 without the permission)."""
    return Depends(require(permission))


def visible(engine: Engine, p: Principal, permission: str) -> set[str] | None:
    """The agencies whose data ``p`` reaches with ``permission``; None means every agency."""
    scope = p.role.scope_of(permission)
    if scope is None or scope is Scope.NONE:
        return set()
    if scope is Scope.ALL:
        return None
    if scope is Scope.OWN:
        return {p.agency}
    return subtree(engine, p.agency)


def may(engine: Engine, p: Principal, permission: str, agency: str) -> bool:
    return p.has(permission) and reaches(engine, p, permission, agency)


def loaded_report(request, user: Principal, version_id: int, permission: str = "reports.read"):
    """A stored report for a page or /api/v1 route, or 404 — also when it exists but lies outside the
    user's reach for ``permission`` (whether another agency's report exists is not the user's business)."""
    from fastapi import HTTPException

    from ..corpus import views

    store = request.app.state.store
    try:
        info = views.version(store, version_id)
    except views.NotFound as e:
        raise HTTPException(404, str(e)) from e
    if not may(store.engine, user, permission, info.agency):
        raise HTTPException(404, f"没有编号为 {version_id} 的报告")
    return views.load(store, version_id)
