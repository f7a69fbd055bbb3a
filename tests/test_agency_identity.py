"""An agency's identity keeps every character of its printed name, and the store never files one
agency's report as a new version of another's.

The title parser used to keep only the Chinese characters before the year, so 示例市第1区交通运输局 and
示例市第2区交通运输局 both became 区交通运输局 and one report was stored as a new version of the other.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from gongkai.check import check_path
from gongkai.match.meta import find_meta
from gongkai.store.reports import ReportStore

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"
TAIL = "2024年政府信息公开工作年度报告\n一、总体情况"


@pytest.mark.parametrize("title, agency", [
    ("示例市第1区交通运输局" + TAIL, "示例市第1区交通运输局"),
    ("示例市第２区交通运输局 " + TAIL, "示例市第2区交通运输局"),        # full-width digit folded
    ("示例市第12区交通运输局\n" + TAIL, "示例市第12区交通运输局"),       # title wrapped over two lines
    ("示例市第2020区交通运输局" + TAIL, "示例市第2020区交通运输局"),     # a number that looks like a year
    ("2024年度示例市第3区交通运输局政府信息公开工作年度报告", "示例市第3区交通运输局"),
    ("中共示例市委机构编制委员会办公室（示例市委编办）" + TAIL, "中共示例市委机构编制委员会办公室（示例市委编办）"),
    ("示例市12345政务服务便民热线管理中心" + TAIL, "示例市12345政务服务便民热线管理中心"),
    ("关于示例市交通运输局" + TAIL, "示例市交通运输局"),
])
def test_title_keeps_every_character_of_the_agency_name(title: str, agency: str):
    meta = find_meta(title)
    assert (meta.agency, meta.year) == (agency, 2024)


def _report_file(folder: Path, agency: str) -> Path:
    p = folder / f"{agency}.txt"
    p.write_text(EXAMPLE.read_text(encoding="utf-8").replace("示例市交通运输局", agency), encoding="utf-8")
    return p


def test_districts_with_numbers_are_two_agencies_in_the_store(tmp_path: Path):
    files = [_report_file(tmp_path, f"示例市第{k}区交通运输局") for k in (1, 2)]
    with ReportStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        outcomes = list(store.ingest_files(files))
        assert [(o.status, o.agency) for o in outcomes] == [("stored", "示例市第1区交通运输局"),
                                                          ("stored", "示例市第2区交通运输局")]
        assert store.counts()["rep_agencies"] >= 2
        assert {v.agency for v in store.versions()} == {"示例市第1区交通运输局", "示例市第2区交通运输局"}


def test_store_refuses_a_new_version_whose_title_names_another_agency(tmp_path: Path):
    base = check_path(EXAMPLE).report
    first = copy.deepcopy(base)
    first.agency, first.title = "区交通运输局", "示例市第1区交通运输局2024年政府信息公开工作年度报告"
    other = copy.deepcopy(first)
    other.title = "示例市第2区交通运输局2024年政府信息公开工作年度报告"  # as a too-short parse would give
    corrected = copy.deepcopy(first)
    corrected.title = "示例市第1区交通运输局 2024 年政府信息公开工作年度报告（更正）"
    with ReportStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        assert store.ingest_report(first, sha256="a" * 64, path="1.txt").status == "stored"
        before = store.counts()
        refused = store.ingest_report(other, sha256="b" * 64, path="2.txt")
        assert refused.status == "error" and refused.reason.startswith("store.agency-conflict")
        assert "示例市第2区交通运输局" in refused.reason and "1.txt" in refused.reason
        assert store.counts() == before  # nothing written
        # The same agency's corrected report is still its next version.
        again = store.ingest_report(corrected, sha256="c" * 64, path="3.txt")
        assert (again.status, again.version) == ("new-version", 2)
