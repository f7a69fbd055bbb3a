"""End to end in a real headless browser (Debian's chromium driven by selenium; no browser download):
log in, upload a corpus report, open it, select a finding, dismiss it, register a request and
answer it, and see the dashboard chart drawn with Chinese in a CJK font."""
from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

from conftest import shared_path
from web_helpers import PASSWORD, make_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromedriver are not installed "
                                "(apt-get install chromium chromium-driver): browser tests skipped")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    import uvicorn

    app = make_app(tmp_path)
    port = _free_port()
    cfg = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(cfg)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    t.join(5)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
              "--lang=zh-CN"):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    d.set_page_load_timeout(30)
    yield d
    d.quit()


def _login(browser, base: str, user: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(base + "/login")
    browser.find_element(By.ID, "username").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def _wait(cond, timeout: float = 15.0):
    end = time.time() + timeout
    while time.time() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the page")


def test_walk_through_a_report_and_its_findings(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, app = server
    report = shared_path("corpus", "raw", "016.txt")
    # the supervising office has its agency tree set up (gongkai agencies link) before reports arrive
    from web_helpers import SUPERVISING

    app.state.store.link("平潭综合实验区自然资源与生态环境局", SUPERVISING, create=True)
    _login(browser, base, "supervisor")
    _wait(lambda: "总览" in browser.title)

    # the dashboard chart is drawn (a canvas with pixels) and Chinese renders in a CJK font
    _wait(lambda: browser.execute_script("return document.body.dataset.chartsReady === '1'"))
    png = browser.get_screenshot_as_png()
    shot = tmp_path / "dashboard.png"
    shot.write_bytes(png)
    from PIL import Image

    img = Image.open(shot).convert("L")
    assert len(img.getcolors(1 << 16) or range(99)) > 20, "the dashboard screenshot is blank"
    width_cn = browser.execute_script(
        "var s=document.createElement('span');s.style.fontSize='40px';s.textContent='政府信息公开';"
        "document.body.appendChild(s);var w=s.getBoundingClientRect().width;s.remove();return w;")
    assert width_cn > 200, "Chinese characters have no glyphs (install fonts-noto-cjk)"

    # upload a real report with the progress table
    browser.get(base + "/upload")
    browser.find_element(By.ID, "files").send_keys(str(report))
    browser.find_element(By.CSS_SELECTOR, "#upload-form button").click()
    done = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#upload-results td[data-status]"))
    assert done[0].get_attribute("data-status") == "stored", done[0].text
    link = browser.find_elements(By.CSS_SELECTOR, "#upload-results a")
    assert "已入库" in link[0].text
    link[0].click()
    _wait(lambda: browser.find_elements(By.ID, "table3"))

    # selecting a finding marks its cells; selecting a cell shows its source
    item = next(li for li in browser.find_elements(By.CSS_SELECTOR, "#findings li")
                if li.get_attribute("data-cells"))
    item.click()
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "td.value.marked"))
    cell = browser.find_elements(By.CSS_SELECTOR, "td.value.marked")[0]
    cell.click()
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#source-body mark"))

    # dismiss it with a reason; the page shows who decided
    form = item.find_element(By.CSS_SELECTOR, "form.review")
    form.find_element(By.NAME, "reason").send_keys("已与原件核对，属误报")
    form.find_element(By.CSS_SELECTOR, "button[value=dismissed]").click()
    _wait(lambda: "已与原件核对，属误报" in browser.page_source)
    assert "驳回（误报）" in browser.page_source and "supervisor" in browser.page_source


def test_register_a_request_answer_it_and_download_the_letter(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, app = server
    _login(browser, base, "handler")
    _wait(lambda: "总览" in browser.title)
    browser.get(base + "/desk")
    _wait(lambda: browser.find_elements(By.ID, "due"))
    browser.find_element(By.LINK_TEXT, "登记新申请").click()
    form = _wait(lambda: browser.find_elements(By.ID, "intake"))[0]
    Select(form.find_element(By.NAME, "channel")).select_by_visible_text("当面")
    browser.execute_script("document.querySelector('input[name=received_on]').value = '2026-11-02'")
    form.find_element(By.NAME, "name").send_keys("王五")
    form.find_element(By.NAME, "phone").send_keys("13700000000")
    form.find_element(By.NAME, "content").send_keys("请公开2025年公交线路调整的论证材料")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(lambda: browser.find_elements(By.ID, "deadline"))
    assert "王五" in browser.page_source and "2026-11-30" in browser.page_source  # 20 working days after 11-02
    answer = next(f for f in browser.find_elements(By.CSS_SELECTOR, "#actions form")
                  if f.find_elements(By.CSS_SELECTOR, "button[value=answer]"))
    browser.execute_script("arguments[0].querySelector('input[name=on]').value = '2026-11-20'", answer)
    answer.find_element(By.NAME, "outcome").send_keys("予以公开")
    answer.find_element(By.CSS_SELECTOR, "button[value=answer]").click()
    _wait(lambda: "已答复" in browser.page_source)
    letter = next(b for b in browser.find_elements(By.CSS_SELECTOR, "#letters button") if b.text == "生成答复告知书")
    letter.click()
    link = _wait(lambda: [a for a in browser.find_elements(By.CSS_SELECTOR, "#letters a") if "答复告知书" in a.text])
    href = link[0].get_attribute("href")
    # the letter downloads for this session (fetched with the browser's own cookie)
    size = browser.execute_script(
        "return await fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.ok ? r.blob() : null)"
        ".then(b => b ? b.size : 0);", href)
    assert size > 5000
