"""The CLI and the JSON API end to end: register, explain, move through 补正/延期/答复, letters, 表三."""
from __future__ import annotations

import io

import docx
import pytest
from typer.testing import CliRunner

from gongkai.cli import app as cli_app

NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"


def test_cli_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("GONGKAI_AGENCY", "某区政府办")
    monkeypatch.setenv("COLUMNS", "200")
    run = CliRunner().invoke

    r = run(cli_app, ["requests", "intake", "--channel", "网络", "--applicant-type", "自然人", "--name", "王五",
                      "--content", "某路段改造批复", "--phone", "13900001111", "--confirmed-on", "2026-02-10"])
    assert r.exit_code == 0, r.output
    assert "2026-0001" in r.output and "2026-03-16" in r.output
    r = run(cli_app, ["requests", "due", "2026-0001", "--explain", "--today", "2026-02-20"])
    assert r.exit_code == 0 and "调休上班（春节），计第4日" in r.output and "节假日（春节），不计" in r.output
    r = run(cli_app, ["requests", "close", "2026-0001", "--on", "2026-02-11"])
    assert r.exit_code == 1 and "允许的操作" in r.output
    r = run(cli_app, ["requests", "request-correction", "2026-0001", "--on", "2026-02-11", "--version", "1",
                      "--set", "items=请写明路段名称", "--set", "correction_due=2026-02-27"])
    assert r.exit_code == 0, r.output
    r = run(cli_app, ["requests", "receive-correction", "2026-0001", "--on", "2026-02-24", "--version", "1"])
    assert r.exit_code == 1 and "已被他人修改" in r.output
    r = run(cli_app, ["requests", "receive-correction", "2026-0001", "--on", "2026-02-24", "--version", "2"])
    assert r.exit_code == 0, r.output
    r = run(cli_app, ["requests", "extend", "2026-0001", "--on", "2026-03-10", "--set", "approver=李主任",
                      "--set", "reason=需调档", "--set", "days=10"])
    assert r.exit_code == 0, r.output
    r = run(cli_app, ["requests", "list", "due", "--within", "30", "--today", "2026-03-10",
                      "--export", str(tmp_path / "due.xlsx")])
    assert r.exit_code == 0 and "2026-0001" in r.output and "王*" in r.output and "王五" not in r.output
    assert (tmp_path / "due.xlsx").stat().st_size > 0
    r = run(cli_app, ["requests", "answer", "2026-0001", "--on", "2026-03-20", "--set", "outcome=granted"])
    assert r.exit_code == 0, r.output
    r = run(cli_app, ["requests", "letter", "2026-0001", "answer", "--out", str(tmp_path / "a.docx")])
    assert r.exit_code == 0, r.output
    assert "第三十六条第（二）项" in "\n".join(p.text for p in docx.Document(tmp_path / "a.docx").paragraphs)
    r = run(cli_app, ["requests", "year-end", "table3", "--year", "2026", "--json"])
    assert r.exit_code == 0 and '"granted"' in r.output
    (tmp_path / "n.txt").write_text(NOTICE_2027, encoding="utf-8")
    r = run(cli_app, ["requests", "calendar", "load", str(tmp_path / "n.txt")], input="y\n")
    assert r.exit_code == 1 and "缺少：春节、清明节、劳动节、端午节、中秋节、国庆节" in r.output and "--partial" in r.output
    r = run(cli_app, ["requests", "calendar", "load", str(tmp_path / "n.txt"), "--partial"], input="y\n")
    assert r.exit_code == 0 and "元旦：放假 01-01、01-02、01-03" in r.output and "第 1 版" in r.output
    r = run(cli_app, ["requests", "calendar", "show", "2027"])
    assert r.exit_code == 0 and "2027-01-01" in r.output and "国务院办公厅通知" in r.output
    r = run(cli_app, ["requests", "history", "2026-0001", "--role", "public"])
    assert r.exit_code == 0 and "request_correction" not in r.output and "补正告知" in r.output


@pytest.fixture
def api(tmp_path):
    from api_helpers import make_api

    return make_api(f"sqlite:///{tmp_path / 'api.db'}")


def test_api_end_to_end(api):
    from api_helpers import OFFICE, path_of

    client, h = api.client, api.headers("handler")
    base = f"/requests/{path_of(OFFICE)}"
    body = {"channel": "当面", "submitted_on": "2026-06-01", "content": "某工程验收材料",
            "applicant": {"type": "business", "name": "某某科技有限公司", "phone": "010-12345678"}}
    r = client.post(base, json=body, headers=h)
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["number"] == "2026-0001" and req["due_date"] == "2026-06-30" and req["version"] == 1
    assert client.get(base + "/2026-0001", headers=api.headers("supervisor")).json()["applicant_name"] \
        == "某*******"
    r = client.post(base + "/2026-0001/actions/deliver", json={"version": 1, "on": "2026-06-02",
                                                                 "method": "当面"}, headers=h)
    assert r.status_code == 422 and "允许的操作" in r.json()["detail"]
    r = client.post(base + "/2026-0001/actions/consult", json={"version": 1, "on": "2026-06-02",
                                                                 "party": "某供应商"}, headers=h)
    assert r.status_code == 200 and r.json()["state"] == "consulting"
    r = client.post(base + "/2026-0001/actions/consult_done", json={"version": 1, "on": "2026-06-05",
                                                                      "opinion": "同意"}, headers=h)
    assert r.status_code == 409
    assert [i["number"] for i in client.get(base + "/paused", params={"today": "2026-06-03"}, headers=h).json()] == \
        ["2026-0001"]
    r = client.post(base + "/2026-0001/actions/consult_done", json={"version": 2, "on": "2026-06-05",
                                                                      "opinion": "同意"}, headers=h)
    assert r.status_code == 200
    due = client.get(base + "/2026-0001/due", headers=h).json()
    assert due["due"] == "2026-07-03" and any(ln["kind"] == "paused" for ln in due["lines"])
    r = client.post(base + "/2026-0001/actions/answer", json={"version": 3, "on": "2026-06-10",
                                                                "outcome": "partial"}, headers=h)
    assert r.status_code == 200
    r = client.post(base + "/2026-0001/letters/answer", params={"date": "2026-06-10"}, headers=h)
    assert r.status_code == 201
    doc = client.get(base + f"/2026-0001/letters/{r.json()['id']}", headers=h)
    assert doc.headers["content-type"].startswith("application/vnd.openxml")
    assert "第三十七条" in "\n".join(p.text for p in docx.Document(io.BytesIO(doc.content)).paragraphs)
    t3 = client.get(base + "/year-end/table3", params={"year": 2026}, headers=h).json()
    assert t3["table3"]["partial"] == [0, 1, 0, 0, 0, 0, 1] and t3["identity_errors"] == []
    assert client.get(base + "/2099-0001", headers=h).status_code == 404


def test_api_calendar_notice_preview_then_confirm(api):
    client, h = api.client, api.headers("administrator")
    r = client.post("/calendar/notice", json={"text": NOTICE_2027}, headers=h)
    assert r.status_code == 200 and "version" not in r.json()
    assert client.get("/calendar/2027", headers=h).json()["known"] is False
    r = client.post("/calendar/notice", json={"text": NOTICE_2027, "confirm": True}, headers=h)
    assert r.status_code == 422 and "缺少：春节、清明节" in r.json()["detail"]
    r = client.post("/calendar/notice", json={"text": NOTICE_2027, "confirm": True, "partial": True}, headers=h)
    assert r.json()["version"] == 1
    cal = client.get("/calendar/2027", headers=h).json()
    assert cal["known"] is True and list(cal["holidays"])[:3] == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert "2027-02-05" in cal["holidays"]      # 除夕, from the 放假办法 for the festivals the notice left out
    bad = client.post("/calendar/notice", json={"text": "2027年部分节假日\n一、元旦：1月1日（周一）放假。"}, headers=h)
    assert bad.status_code == 422 and "星期五" in bad.json()["detail"]
