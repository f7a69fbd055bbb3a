"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .policy import policy

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = _hasher.hash("gongkai-no-such-user")


class PasswordError(ValueError):
    """A password the policy refuses; the message (Chinese) says why."""


def check_strength(password: str) -> None:
    n = policy().password_min_length
    if len(password) < n:
        raise PasswordError(f"密码至少需要 {n} 个字符")
    if password.strip() != password or not password.strip():
        raise PasswordError("密码不能以空格开头或结尾")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
