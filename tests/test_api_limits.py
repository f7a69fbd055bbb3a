"""No request name becomes a path, no error shows a server path, request bodies and fields are bounded
(issue 12 items 1 and 10)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api_helpers import OFFICE, make_api, path_of
from conftest import shared_path
from gongkai.store.requests_tables import RequestRow

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "compose" / "示例市交通运输局-2025.yaml"


@pytest.fixture
def api(tmp_path):
    a = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    a.client.headers.update(a.headers("handler"))
    return a


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The server's temporary directory, watched: nothing may be left in it."""
    t = tmp_path / "servertmp"
    t.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(t))
    return t


def _figures(agency: str) -> dict:
    d = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    d["agency"] = agency
    return d


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_compose_document_agency_never_becomes_a_path(api, tmp_path, private_tmp, fmt):
    target = tmp_path / "outside"
    target.mkdir()
    for agency in (str(target / "pwned"), "../../../" + str(target.relative_to("/")) + "/pwned", "..", "/",
                   "a/../../b\\c:d"):
        r = api.client.post(f"/compose/document?format={fmt}", json=_figures(agency))
        assert r.status_code == 200, r.text
        assert list(target.iterdir()) == []                       # nothing written where the name pointed
        assert list(private_tmp.iterdir()) == []                  # and nothing left behind in the temp dir
        disposition = r.headers["content-disposition"]          # the suggested name is one component too
        assert "%2F" not in disposition and "%5C" not in disposition and "/" not in disposition


def test_cli_compose_output_stays_in_the_out_directory(tmp_path):
    """The CLI's names come from the document's agency too: one file name component, inside --out."""
    from gongkai.compose.build import compose, write_outputs
    from gongkai.compose.figures import report_from_compact

    out = tmp_path / "out"
    comp = compose(report_from_compact(_figures("../../escaped/局"), origin="test"))
    written = write_outputs(comp, out, ("md",))
    assert all(Path(p).resolve().parent == out.resolve() for p in written.values())
    assert not (tmp_path / "escaped").exists()


def test_errors_never_show_a_server_path(api, private_tmp):
    """Composing from `check --json` of a corpus report once answered 500 with the temporary file's path."""
    for name in ("031.txt", "032.html"):
        from gongkai.check import check_path

        report = check_path(shared_path("corpus", "raw", name)).report
        assert report is not None
        body = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
        for fmt in ("docx", "md"):
            r = api.client.post(f"/compose/document?format={fmt}", json=body)
            assert str(private_tmp) not in r.text and "gongkai-compose" not in r.text, r.text[:300]
            assert "/tmp/" not in r.text and "site-packages" not in r.text


def test_an_unexpected_error_answers_500_without_path_or_traceback(tmp_path, monkeypatch):
    a = make_api(f"sqlite:///{tmp_path / 'e.db'}")
    import gongkai.api.compose as api_compose

    def boom(_body):
        raise RuntimeError("cannot open /var/lib/gongkai/secret/path.db")

    monkeypatch.setattr(api_compose, "_composition", boom)
    c = TestClient(a.client.app, raise_server_exceptions=False)
    r = c.post("/compose", json={"year": 2025}, headers=a.headers("handler"))
    assert r.status_code == 500
    assert "/var/lib" not in r.text and "Traceback" not in r.text and "参考编号" in r.json()["detail"]


def _count(api) -> int:
    with Session(api.engine) as s:
        return s.scalar(select(func.count()).select_from(RequestRow))


def _intake(**over) -> dict:
    body = {"channel": "当面", "submitted_on": "2026-06-01", "content": "某工程验收材料",
            "applicant": {"type": "natural", "name": "李四", "phone": "13900002222"}}
    body.update(over)
    return body


def test_a_huge_body_is_refused_before_it_is_stored(api):
    url = f"/requests/{path_of(OFFICE)}"
    big = json.dumps(_intake(content="信" * 1_500_000), ensure_ascii=False).encode("utf-8")   # ≈ 4.5 MB
    r = api.client.post(url, content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and _count(api) == 0

    def chunks():                                  # no Content-Length: counted as it arrives
        yield b'{"channel": "\xe5\xbd\x93\xe9\x9d\xa2", "content": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    r = api.client.post(url, content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and _count(api) == 0


def test_field_lengths_are_limited(api):
    url = f"/requests/{path_of(OFFICE)}"
    r = api.client.post(url, json=_intake(content="信" * 30_000))         # one string over the JSON limit
    assert r.status_code == 413 and "字符" in r.json()["detail"]
    r = api.client.post(url, json=_intake(applicant={"type": "natural", "name": "名" * 201, "phone": "1"}))
    assert r.status_code == 422 and "申请人姓名或名称超过 200 个字符" in r.json()["detail"]
    deep: dict = {}
    node = deep
    for _ in range(100):
        node["x"] = {}
        node = node["x"]
    assert api.client.post(url, json=_intake(extra=deep)).status_code == 413
    assert _count(api) == 0
    assert api.client.post(url, json=_intake()).status_code == 201


def test_import_accepts_a_larger_workbook_than_json(api):
    url = f"/requests/{path_of(OFFICE)}/import"
    api.client.headers.update(api.tokens and {"Authorization": f"Bearer {api.tokens['office_head']}"})
    r = api.client.post(url, content=b"PK" + b"\0" * 2_000_000)     # 2 MB: over the JSON limit, under import's
    assert r.status_code == 422 and "Excel" in json.dumps(r.json(), ensure_ascii=False)  # refused as a workbook
    r = api.client.post(url, content=b"\0" * 21_000_000)
    assert r.status_code == 413
