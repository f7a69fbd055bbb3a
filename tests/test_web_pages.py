"""The web app in-process: log-in, dashboard, report page with findings on the cells, review that
survives a re-check, compare, upload, search, exports — and hostile report text never becoming markup."""
from __future__ import annotations

import json
import re

import pytest

from gongkai.web.demo import SUPERVISING

from conftest import shared_path
from web_helpers import EXAMPLES, PASSWORD, csrf_of, first_report_id, hidden_csrf, login, make_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # One app for the module's read-mostly tests: accounts cost an argon2 hash each.
    return make_app(tmp_path_factory.mktemp("web"))


def test_pages_redirect_to_login_without_a_session(app):
    from fastapi.testclient import TestClient

    c = TestClient(app, follow_redirects=False)
    for path in ("/", "/search?q=x", "/upload", f"/reports/{first_report_id(app)}"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    assert c.get("/login").status_code == 200


def test_login_refuses_wrong_password_and_open_redirect(app):
    from fastapi.testclient import TestClient

    c = TestClient(app, follow_redirects=False)
    r = c.post("/login", data={"username": "supervisor", "password": "wrong-password-x", "next": "/"})
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = c.post("/login", data={"username": "supervisor", "password": PASSWORD, "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_dashboard_shows_tree_years_status_and_chart_data(app):
    c = login(app, "supervisor")
    r = c.get("/")
    assert r.status_code == 200
    html = r.text
    assert SUPERVISING in html and "示例市交通运输局" in html and "示例县农业农村局" in html
    assert "缺报" in html and "有错误" in html            # the 2024 example has a deliberate slip
    data = json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S).group(1))
    assert data["years"] == [2020, 2024]
    assert data["series"]["received"]["values"]["2024"] is not None
    assert "vendor/echarts-5.6.0.min.js" in html and "http://" not in html.split("<main>")[0].replace(
        "http://www.w3.org", "")
    assert r.headers["content-security-policy"].startswith("default-src 'self'")


def test_report_page_marks_cells_with_their_findings_and_sources(app):
    c = login(app, "supervisor")
    vid = first_report_id(app, "农业农村局")
    html = c.get(f"/reports/{vid}").text
    assert 'id="table3"' in html and "三、本年度办理结果" in html
    # the cells a t3.* error names are outlined as errors and list that finding's index
    error_cells = re.findall(r'<td class="value k-number s-error"[^>]*data-key="(t3\.[a-z_.]+)"', html)
    assert error_cells, "no 表三 cell marked as an error"
    assert "t3.identity" in html or "t3.total-sum" in html or "t3.row-sum" in html
    api = c.get(f"/api/v1/reports/{vid}").json()["data"]
    named = {k for f in api["findings"] for k in f["cells"]}
    assert any(k in named or any(k.startswith(n + ".") for n in named) for k in error_cells)
    src = c.get(f"/api/v1/reports/{vid}/source", params={"cell": error_cells[0]}).json()["data"]
    assert src["source"] and src["source"].get("line")


def test_dismissed_finding_survives_a_recheck_of_the_same_file(app, tmp_path):
    c = login(app, "supervisor")
    vid = first_report_id(app, "农业农村局")
    html = c.get(f"/reports/{vid}").text
    token = hidden_csrf(html)
    r = c.post(f"/reports/{vid}/findings/0/review", data={"decision": "dismissed", "reason": "误报：已核实",
                                                          "csrf_token": token})
    assert r.status_code == 303
    # without the CSRF token the same form is refused
    assert c.post(f"/reports/{vid}/findings/1/review", data={"decision": "dismissed", "reason": "x"}).status_code == 403
    store = app.state.store
    info = next(v for v in store.versions() if v.version_id == vid)
    # a re-check of the same file gives the same fingerprints, and re-ingesting it keeps the decision
    from gongkai.check import check_path
    from gongkai.corpus.reviews import decisions, fingerprint

    again = check_path(EXAMPLES / "示例县农业农村局-2020.txt")
    assert set(decisions(store.engine, info.sha256)) <= {fingerprint(f) for f in again.findings}
    assert store.ingest(again).status == "unchanged"
    page = c.get(f"/reports/{vid}").text
    assert "驳回（误报）" in page and "误报：已核实" in page and "supervisor" in page
    f0 = c.get(f"/api/v1/reports/{vid}/findings").json()["data"][0]
    assert f0["review"]["decision"] == "dismissed" and f0["review"]["user"] == "supervisor"
    assert info.sha256


def test_compare_two_years_lists_cell_changes_and_reuse(tmp_path):
    corpus = shared_path("corpus", "raw")
    files = [corpus / "005.txt", corpus / "007.txt", corpus / "008.txt"]
    app = make_app(tmp_path, files)
    c = login(app, "admin")
    infos = app.state.store.versions()
    by_agency: dict[str, list] = {}
    for v in infos:
        by_agency.setdefault(v.agency, []).append(v)
    pair = next((vs for vs in by_agency.values() if len(vs) >= 2), None)
    a, b = (pair[-1], pair[-2]) if pair else (infos[0], infos[1])
    r = c.get("/compare", params={"a": a.version_id, "b": b.version_id})
    assert r.status_code == 200 and "单元格差异" in r.text and "本年新收申请" in r.text
    assert "表三「" in r.text                                  # cell names in the form's words
    j = c.get("/api/v1/compare", params={"a": a.version_id, "b": b.version_id}).json()["data"]
    assert j["indicators"][0]["name"] == "本年新收申请" and "changed" in j["diff"]


def test_upload_checks_content_stores_and_indexes(app):
    c = login(app, "supervisor")
    token = csrf_of(c)
    text = (EXAMPLES / "示例县农业农村局-2020.txt").read_bytes()
    r = c.post("/api/v1/uploads", files={"file": ("x.txt", text, "text/plain")}, headers={"X-CSRF-Token": token})
    assert r.status_code == 201 and r.json()["data"]["status"] == "unchanged"
    r = c.post("/api/v1/uploads", files={"file": ("fake.pdf", b"not a pdf at all", "application/pdf")},
               headers={"X-CSRF-Token": token})
    d = r.json()["data"]
    assert d["status"] in ("error", "rejected") and d["version_id"] is None
    r = c.post("/api/v1/uploads", files={"file": ("../../etc/passwd.txt", b"hello", "text/plain")},
               headers={"X-CSRF-Token": token})
    assert r.json()["data"]["name"] == "passwd.txt"
    assert c.post("/api/v1/uploads", files={"file": ("a.txt", b"x", "text/plain")}).status_code == 403  # no CSRF


def test_upload_of_another_agencys_report_is_refused_for_an_office(tmp_path):
    app = make_app(tmp_path, [])
    c = login(app, "outsider")
    token = csrf_of(c)
    data = (EXAMPLES / "示例市交通运输局-2024.txt").read_bytes()
    d = c.post("/api/v1/uploads", files={"file": ("r.txt", data, "text/plain")},
               headers={"X-CSRF-Token": token}).json()["data"]
    assert d["status"] == "rejected" and "无权" in d["summary"]
    assert app.state.store.versions() == []


def test_search_finds_text_tables_and_findings_within_scope(app):
    c = login(app, "supervisor")
    r = c.get("/api/v1/search", params={"q": "政府信息公开"}).json()
    assert r["page"]["total"] > 0 and {h["kind"] for h in r["data"]} >= {"section"}
    page = c.get("/search", params={"q": "依申请公开"}).text
    assert "共" in page and "/reports/" in page
    other = login(app, "outsider")
    assert other.get("/api/v1/search", params={"q": "政府信息公开"}).json()["page"]["total"] == 0


def test_other_agencys_report_is_not_found_for_an_office(app):
    c = login(app, "outsider")
    vid = first_report_id(app)
    assert c.get(f"/reports/{vid}").status_code == 404
    assert c.get(f"/api/v1/reports/{vid}").json()["error"]["code"] == "not_found"


def test_hostile_report_text_is_escaped_everywhere(tmp_path):
    src = (EXAMPLES / "示例市交通运输局-2024.txt").read_text(encoding="utf-8")
    evil = src.replace("一、总体情况", "一、总体情况\n<script>alert(1)</script><img src=x onerror=alert(2)>", 1)
    p = tmp_path / "evil.txt"
    p.write_text(evil, encoding="utf-8")
    app = make_app(tmp_path, [p])
    c = login(app, "admin")
    vid = first_report_id(app)
    html = c.get(f"/reports/{vid}").text
    assert "<script>alert(1)" not in html and "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    results = c.get("/search", params={"q": "alert"}).text
    assert "<script>alert" not in results


def test_api_v1_lists_are_paged_and_errors_enveloped(app):
    c = login(app, "admin")
    r = c.get("/api/v1/reports", params={"per_page": 1}).json()
    assert len(r["data"]) == 1 and r["page"]["total"] == 2 and r["page"]["pages"] == 2
    e = c.get("/api/v1/reports", params={"per_page": 0}).json()
    assert e["error"]["code"] == "invalid" and e["error"]["details"]
    assert c.get("/api/v1/reports/99999").json()["error"]["code"] == "not_found"
    assert "/api/v1/reports" in c.get("/openapi.json").json()["paths"]


def test_compose_from_the_page_refuses_bad_figures_and_downloads_each_format(app):
    c = login(app, "head")
    token = hidden_csrf(c.get("/compose-report").text)
    data = (EXAMPLES / "compose" / "示例市交通运输局-2025.yaml").read_bytes()
    r = c.post("/compose-report", data={"csrf_token": token}, files={"file": ("f.yaml", data, "application/x-yaml")})
    links = re.findall(r'href="(/compose-report/[0-9a-f]{64}\.(?:docx|html|md))"', r.text)
    assert r.status_code == 200 and len(links) == 3
    for link in links:
        got = c.get(link)
        assert got.status_code == 200 and len(got.content) > 1000
    bad = data.replace(b"new_received", b"new_receivedX")
    r = c.post("/compose-report", data={"csrf_token": token}, files={"file": ("bad.yaml", bad, "application/x-yaml")})
    assert r.status_code == 422 and "bad.yaml" in r.text and "/tmp/" not in r.text


def test_work_plan_imported_tracked_and_drafted_from_the_pages(app):
    from conftest import FIXTURES
    from urllib.parse import quote

    c = login(app, "head")
    here = c.get("/plans").headers["location"]
    token = hidden_csrf(c.get(here).text)
    notice = (FIXTURES / "workplan" / "district_notice.txt").read_bytes()
    r = c.post(here, data={"csrf_token": token}, files={"file": ("通知.txt", notice, "text/plain")})
    assert r.status_code == 303 and r.headers["location"].endswith("/2024")
    page = c.get(r.headers["location"]).text
    paths = re.findall(r'<tr id="task-([^"]+)">', page)
    assert len(paths) >= 3 and "区发展改革委" in page and "截至2024年12月31日" in page
    r = c.post(f"{here}/2024/tasks/{quote(paths[0], safe='')}", data={"csrf_token": token, "status": "已完成",
                                                                        "notes": "已在门户网站专栏公开"})
    assert r.status_code == 303
    page = c.get(f"{here}/2024").text
    assert "已在门户网站专栏公开" in page and "已完成1项" in page
    bad = c.post(here, data={"csrf_token": token}, files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 422 and "/tmp/" not in bad.text
