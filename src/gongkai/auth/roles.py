"""Roles and permissions, read from ``roles.yaml`` (data, not ``if``s)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from pathlib import Path

import yaml

ROLES_FILE = Path(__file__).resolve().parent / "roles.yaml"


class Scope(IntEnum):
    """Whose data a permission reaches; larger reaches more."""
    NONE = 0
    OWN = 1
    SUBTREE = 2
    ALL = 3

    @classmethod
    def parse(cls, text: str) -> "Scope":
        try:
            return cls[text.upper()]
        except KeyError as exc:
            raise ValueError(f"roles.yaml: 未知的范围“{text}”（none、own、subtree、all）") from exc


@dataclass(frozen=True)
class Permission:
    name: str
    label: str
    max_scope: Scope


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    scope: Scope
    permissions: frozenset[str]

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    def scope_of(self, permission: str) -> Scope | None:
        """How far ``permission`` reaches for this role; None when the role lacks it."""
        if permission not in self.permissions:
            return None
        return min(self.scope, permissions()[permission].max_scope)


@dataclass(frozen=True)
class RoleBook:
    permissions: dict[str, Permission]
    roles: dict[str, Role]


def load(path: str | Path = ROLES_FILE) -> RoleBook:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    perms = {name: Permission(name, d["label"], Scope.parse(d.get("max_scope", "all")))
             for name, d in data["permissions"].items()}
    roles = {}
    for name, d in data["roles"].items():
        unknown = set(d["permissions"]) - set(perms)
        if unknown:
            raise ValueError(f"roles.yaml: 角色 {name} 的权限未声明：{sorted(unknown)}")
        roles[name] = Role(name, d["label"], Scope.parse(d["scope"]), frozenset(d["permissions"]))
    return RoleBook(perms, roles)


@lru_cache(maxsize=1)
def book() -> RoleBook:
    return load()


def permissions() -> dict[str, Permission]:
    return book().permissions


def roles() -> dict[str, Role]:
    return book().roles


def get(name: str) -> Role:
    r = roles().get(name)
    if r is None:
        raise ValueError(f"未知的角色“{name}”，可选：{'、'.join(f'{k}（{v.label}）' for k, v in roles().items())}")
    return r
