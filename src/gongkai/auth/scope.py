"""Whose data a principal reaches: its own agency, the agencies below it in the agency tree, or every agency,
as its role declares per permission (``roles.yaml``)."""
from __future__ import annotations

from sqlalchemy import Engine, select

from gongkai.corpus.agencies import normalise_name
from gongkai.store.reports_tables import Agency

from .accounts import Principal
from .roles import Scope


def subtree(engine: Engine, agency: str) -> set[str]:
    """``agency`` and every agency below it (names as stored in the agency tree)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Agency.id, Agency.name, Agency.parent_id)).all()
    children: dict[int | None, list[tuple[int, str]]] = {}
    root = None
    for i, name, parent in rows:
        children.setdefault(parent, []).append((i, name))
        if name == agency:
            root = i
    out = {agency}
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for i, name in children.get(node, []):
            out.add(name)
            stack.append(i)
    return out


def is_within(engine: Engine, agency: str, ancestor: str, max_depth: int = 64) -> bool:
    """Is ``agency`` ``ancestor`` itself or below it? Walks up from ``agency`` (a few indexed lookups), so the
    cost does not grow with the size of the tree."""
    parent = Agency.__table__.alias("parent")
    a = Agency.__table__
    name = agency
    with engine.connect() as conn:
        for _ in range(max_depth):
            if name == ancestor:
                return True
            name = conn.execute(select(parent.c.name).select_from(a.join(parent, parent.c.id == a.c.parent_id))
                                .where(a.c.name == name)).scalar()
            if name is None:
                return False
    return False


def reaches(engine: Engine, principal: Principal, permission: str, agency: str) -> bool:
    """May ``principal`` use ``permission`` on ``agency``'s data?"""
    scope = principal.role.scope_of(permission)
    if scope is None or scope is Scope.NONE:
        return False
    if scope is Scope.ALL:
        return True
    target = normalise_name(agency)
    if target == principal.agency:
        return True
    return scope is Scope.SUBTREE and is_within(engine, target, principal.agency)
