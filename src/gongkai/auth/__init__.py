"""Accounts and permissions: users in the agency tree, roles declared in ``roles.yaml``, argon2 passwords,
API tokens and login sessions (stored hashed), login limits, and the FastAPI dependencies that enforce them.

- ``gongkai.auth.accounts`` — the library core: users, tokens, sessions, ``login`` (rate-limited).
- ``gongkai.auth.roles`` / ``roles.yaml`` — roles, permissions and how far each reaches (own agency, subtree, all).
- ``gongkai.auth.scope`` — whether a principal reaches an agency's data for a permission.
- ``gongkai.auth.deps`` — FastAPI: ``require(permission)``, ``open_route``, ``deny_undeclared``, ``install``
  (``/auth/login``, ``/auth/logout``, ``/auth/me``), the session cookie and CSRF rules.
"""
from .accounts import AccountError, Principal
from .deps import current_principal, deny_undeclared, install, open_route, require

__all__ = ["AccountError", "Principal", "current_principal", "deny_undeclared", "install", "open_route", "require"]
