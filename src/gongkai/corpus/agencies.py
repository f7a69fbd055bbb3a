"""Agency names and the parent/child relation between agencies.

Reports print an agency's name in many ways: with the year and the report title glued on
(``平潭综合实验区公安局2019年政府信息公开工作年度报告``), in full-width characters, with OCR slips
(沐阳县 for 沭阳县) or a short form (发改局). ``normalise_name`` reduces all of them to one key so the
reports of one agency over the years land on one agency. The slips, aliases and manual links are
data (``agencies.yaml`` beside this module, plus an optional user file of the same form), never code.

Parents are inferred from names: a government (…人民政府, …管委会) is the parent of every agency
whose name starts with its place name; the longest place name wins, so 淮安市洪泽区公安局 goes to
淮安市洪泽区人民政府, not 淮安市人民政府. Links the name cannot tell are given by hand.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BUILTIN = Path(__file__).resolve().parent / "agencies.yaml"

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
_YEAR = r"(?:(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})"
# The report title glued to a name; everything from it on is dropped (also a "-site name" tail).
_TITLE = re.compile(r"(?:" + _YEAR + r"年度?)?(?:的)?(?:政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|年度报告).*$")
_YEAR_EDGE = re.compile(r"^" + _YEAR + r"年度?|" + _YEAR + r"年度?$")
_WRAP = re.compile(r"^[\"'“”‘’《》「」()]+|[\"'“”‘’《》「」()]+$")


@dataclass
class AgencyRules:
    """The data that normalisation and parent inference run on."""

    replacements: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    government_suffixes: tuple[str, ...] = ()
    place_suffixes: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, *extra: str | Path | None) -> "AgencyRules":
        """The built-in rules, extended (and overridden) by each given user file in turn."""
        rules = cls()
        for path in (BUILTIN, *extra):
            if path is not None:
                rules.merge(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
        return rules

    def merge(self, data: dict) -> None:
        unknown = set(data) - {"replacements", "aliases", "government_suffixes", "place_suffixes", "links"}
        if unknown:
            raise ValueError(f"unknown keys in agency file: {sorted(unknown)}")
        self.replacements.update({_clean(k): _clean(v) for k, v in (data.get("replacements") or {}).items()})
        self.aliases.update({self._base(k): self._base(v) for k, v in (data.get("aliases") or {}).items()})
        if data.get("government_suffixes"):
            # Longest first, so 管理委员会 is tried before 政府-like shorter endings.
            self.government_suffixes = tuple(sorted(set(self.government_suffixes) | set(data["government_suffixes"]),
                                                    key=len, reverse=True))
        if data.get("place_suffixes"):
            self.place_suffixes = tuple(sorted(set(self.place_suffixes) | set(data["place_suffixes"]),
                                               key=len, reverse=True))
        self.links.update({self.normalise(k): self.normalise(v) for k, v in (data.get("links") or {}).items()})

    # ---- names -----------------------------------------------------------------------------
    def _base(self, raw: str) -> str:
        name = _clean(raw)
        for wrong, right in self.replacements.items():
            name = name.replace(wrong, right)
        name = _TITLE.sub("", name)
        name = _YEAR_EDGE.sub("", name)
        return _WRAP.sub("", name)

    def normalise(self, raw: str) -> str:
        """The key under which an agency is stored: ``平潭综合实验区公安局2019年政府信息公开工作年度报告``
        → ``平潭综合实验区公安局``; ``沐阳县人民政府`` → ``沭阳县人民政府``."""
        name = self._base(raw)
        return self.aliases.get(name, name)

    def place(self, name: str) -> str | None:
        """The place a government or area speaks for (``平潭综合实验区`` for ``平潭综合实验区管委会`` and for
        ``平潭综合实验区`` itself), else None (a department)."""
        for suffix in self.government_suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        if any(name.endswith(s) and len(name) > len(s) for s in self.place_suffixes):
            return name
        return None

    def infer_parent(self, name: str, governments: dict[str, str]) -> str | None:
        """The parent of ``name`` among ``governments`` (name -> place): the one with the longest place
        name that ``name`` starts with. A manual link wins over inference."""
        if name in self.links:
            return self.links[name]
        best: tuple[int, str] | None = None
        for gov, place in governments.items():
            if gov != name and name.startswith(place) and len(name) > len(place):
                if best is None or len(place) > best[0]:
                    best = (len(place), gov)
        return best[1] if best else None


def _clean(text: str) -> str:
    # NFKC folds full-width letters, digits and brackets to their plain forms (（ → (, ２ → 2).
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


_DEFAULT: AgencyRules | None = None


def default_rules() -> AgencyRules:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = AgencyRules.load()
    return _DEFAULT


def normalise_name(raw: str) -> str:
    return default_rules().normalise(raw)
