"""Controlled vocabularies of the register, read from ``vocab.yaml`` (one place for every name and alias).

The 表三 keys and column labels are the core's (``gongkai.formats``), so the register's year-end 表三 uses exactly
the official form's rows and columns. ``resolve`` turns whatever an office types (the key, the official label or an
alias) into the internal key, and refuses anything else with the list of accepted names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gongkai.formats import T3_COLUMNS, T3_ROWS_2021, load_format

__all__ = ["T3_COLUMNS", "T3_ROWS_2021", "APPLICANT_TYPES", "APPLICANT_TYPE_BY_LABEL", "OUTCOME_ROWS", "OUTCOMES",
           "Outcome", "CHANNELS", "CHANNEL_ALIASES", "DELIVERY_METHODS", "DELIVERY_ALIASES", "FEE_METHODS",
           "CASE_KINDS", "CASE_RESULTS", "REQUEST_FIELDS", "ACTION_FIELDS", "EXPLAIN_KINDS", "DEADLINE_STATUS",
           "FINDINGS", "SEVERITY_LABELS", "Vocabulary", "VocabError"]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).resolve().parent / "vocab.yaml").read_text(encoding="utf-8"))


class VocabError(ValueError):
    """A value that is none of a vocabulary's keys, labels or aliases (message in Chinese, lists the choices)."""


_NUMBERING = re.compile(r"^（[一二三四五六七八九十]+）(?:\d+\.)?")


@dataclass(frozen=True)
class Vocabulary:
    """Keys with their labels, and every name that resolves to a key."""

    what: str                     # 收费方式, 办理结果 … (for messages)
    labels: dict[str, str]        # key -> label a person reads
    names: dict[str, str]         # key, label, alias (normalised) -> key

    @classmethod
    def build(cls, what: str, entries: dict[str, dict[str, Any]]) -> "Vocabulary":
        labels = {k: str(v["label"]) for k, v in entries.items()}
        names: dict[str, str] = {}
        for k, v in entries.items():
            label = str(v["label"])
            for n in [k, label, _NUMBERING.sub("", label), *(v.get("aliases") or [])]:
                names.setdefault(_norm(n), k)
        return cls(what, labels, names)

    def resolve(self, value: Any) -> str:
        key = self.names.get(_norm(str(value)))
        if key is None:
            raise VocabError(f"未知的{self.what}“{value}”，可选：{'、'.join(self.labels.values())}")
        return key

    def choices(self) -> str:
        return "、".join(self.labels.values())


def _norm(text: str) -> str:
    return re.sub(r"[\s“”\"']", "", text).lower()


D = _data()

# Applicant type = 表三 column (every column except the total), labelled as the form labels it.
APPLICANT_TYPES: dict[str, str] = {c.key: c.label for c in load_format("2021").table3.columns if c.key != "total"}
APPLICANT_TYPE_BY_LABEL = {v: k for k, v in APPLICANT_TYPES.items()} | dict(D["applicant_type_aliases"])

# Outcome rows a single 答复 may carry (everything between carried_over and total).
OUTCOME_ROWS: tuple[str, ...] = tuple(
    r for r in T3_ROWS_2021 if r not in ("new_received", "carried_over", "total", "carried_forward"))


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str          # the 表三 row label
    article: str        # the 条例 provision the 答复告知书 cites
    decision: str       # the sentence of the letter stating the decision


OUTCOMES: dict[str, Outcome] = {k: Outcome(k, v["label"], v["article"], v["decision"])
                                for k, v in D["outcomes"].items()}
assert set(OUTCOMES) == set(OUTCOME_ROWS), "every 表三 outcome row needs wording and an article"

CHANNELS: tuple[str, ...] = tuple(D["channels"])
CHANNEL_ALIASES: dict[str, str] = dict(D["channel_aliases"])
DELIVERY_METHODS: tuple[str, ...] = tuple(D["delivery_methods"])
DELIVERY_ALIASES: dict[str, str] = dict(D["delivery_aliases"])

OUTCOME_VOCAB = Vocabulary.build("表三办理结果", D["outcomes"])
FEE_METHODS = Vocabulary.build("收费方式", D["fee_methods"])
CASE_KINDS = Vocabulary.build("案件类型", D["case_kinds"])
CASE_RESULTS = Vocabulary.build("案件结果", D["case_results"])
DELIVERY_VOCAB = Vocabulary.build("送达方式", {m: {"label": m, "aliases": [a for a, t in DELIVERY_ALIASES.items()
                                                                          if t == m]}
                                              for m in DELIVERY_METHODS})
APPLICANT_VOCAB = Vocabulary.build("申请人类型", {k: {"label": v, "aliases": [a for a, t in APPLICANT_TYPE_BY_LABEL.items()
                                                                            if t == k]}
                                                for k, v in APPLICANT_TYPES.items()})

REQUEST_FIELDS: dict[str, str] = dict(D["request_fields"])
ACTION_FIELDS: dict[str, dict[str, str]] = dict(D["action_fields"])
ACTION_FIELD_BY_LABEL: dict[str, str] = {v["label"]: k for k, v in ACTION_FIELDS.items()} | {
    o["label"]: k for k, v in ACTION_FIELDS.items() for o in (v.get("by_action") or {}).values()}


def action_field(key: str, action: str | None = None) -> dict[str, str]:
    """Label and help of an action's field, as that action names it (method is 收费方式 or 送达方式)."""
    spec = ACTION_FIELDS[key]
    return {**spec, **((spec.get("by_action") or {}).get(action) or {})}
EXPLAIN_KINDS: dict[str, str] = dict(D["explain_kinds"])
DEADLINE_STATUS: dict[str, str] = dict(D["deadline_status"])
FINDINGS: dict[str, dict[str, str]] = dict(D["findings"])
SEVERITY_LABELS: dict[str, str] = dict(D["severity_labels"])


def field_key(name: str) -> str:
    """An action field given by its key or its Chinese name (补正期限=… is correction_due=…)."""
    n = name.strip()
    return ACTION_FIELD_BY_LABEL.get(n, n)


EVENT_FIELDS: dict[str, str] = dict(D["event_fields"])
DUE_LISTS: dict[str, str] = dict(D["due_lists"])


def field_label(key: str) -> str:
    """The Chinese name of an action's field, or of a field the register adds to its record."""
    return ACTION_FIELDS[key]["label"] if key in ACTION_FIELDS else EVENT_FIELDS.get(key, key)
