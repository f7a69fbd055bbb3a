"""Personal data: who may see it, and how it is masked everywhere else (logs, exports, statistics, API)."""
from __future__ import annotations

from typing import Any

# Roles of the handling office; everybody else (statistics, public, other offices) sees masked data.
OFFICE_ROLES = frozenset({"handler", "office_head"})

PERSONAL_FIELDS = ("applicant_name", "id_number", "phone", "email", "address")


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value: str) -> str:
    digits = len(value)
    if digits <= 4:
        return "*" * digits
    return value[:3] + "*" * (digits - 7 if digits > 7 else digits - 3) + (value[-4:] if digits > 7 else "")


def mask_email(value: str) -> str:
    if "@" not in value:
        return mask_id(value)
    user, host = value.split("@", 1)
    return (user[:1] + "***@" + host) if user else "***@" + host


def mask_address(value: str) -> str:
    # keep the administrative area (first 6 characters) so a record can still be located regionally
    return value[:6] + "****" if len(value) > 6 else "*" * len(value)


MASKERS = {"applicant_name": mask_name, "id_number": mask_id, "phone": mask_phone, "email": mask_email,
           "address": mask_address}


def mask_record(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (MASKERS[k](v) if k in MASKERS and isinstance(v, str) else v) for k, v in data.items()}


def for_role(data: dict[str, Any], role: str | None) -> dict[str, Any]:
    return dict(data) if role in OFFICE_ROLES else mask_record(data)
