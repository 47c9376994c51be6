"""The web page in a real browser: headless Chromium driven by Selenium, as a person would use it.

Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); the driver's path is given
explicitly so that Selenium never looks for a driver on the network. Where no browser is installed the
tests are skipped, saying so. With ``SCREENSHOTS=DIR`` each page's screenshot is written into DIR
(``make screenshots`` writes ``docs/images``).
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.service.conftest import DECLARED, SELF_EVALUATION, Server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip("no browser installed: apt-get install chromium chromium-driver (.ci/run does)",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000", "--lang=zh-CN")
#: the longest the tests wait for an element of a page being loaded
ELEMENT_SECONDS = 20
#: the longest the tests wait for a download to be written
DOWNLOAD_SECONDS = 30


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[WebDriver]:
    assert CHROMIUM is not None
    assert CHROMEDRIVER is not None
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager never downloads a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(ELEMENT_SECONDS)  # a page just submitted: wait for its elements, boundedly
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def screenshot(browser: WebDriver, name: str, *, full: bool = False) -> None:
    """Keep a screenshot of the page when ``SCREENSHOTS`` names a folder."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if full:
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1400, min(int(height), 2400))
    browser.save_screenshot(str(Path(folder) / f"{name}.png"))
    browser.set_window_size(1400, 1000)


def wait_for_file(folder: Path, suffix: str) -> Path:
    """The downloaded file, once the browser has finished writing it (bounded wait)."""
    deadline = time.monotonic() + DOWNLOAD_SECONDS
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}")


def check_form(browser: WebDriver, server: Server) -> None:
    browser.get(f"{server.base}/")
    browser.find_element(By.CSS_SELECTOR, "#check input[type=file]").send_keys(str(DECLARED))
    browser.find_element(By.CSS_SELECTOR, "#check button[type=submit]").click()


def test_the_index_page_is_in_chinese(browser: WebDriver, server: Server) -> None:
    browser.get(f"{server.base}/")
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.task h2")]
    assert headings == ["一、审核绩效目标申报表", "二、绩效自评打分", "三、审核已填报的绩效自评表"]
    screenshot(browser, "page-index")


def test_check_marks_the_findings_on_their_cells(browser: WebDriver, server: Server) -> None:
    check_form(browser, server)
    assert "审核结果" in browser.find_element(By.TAG_NAME, "h1").text
    marked = browser.find_elements(By.CSS_SELECTOR, "#form-grid td.finding")
    findings = browser.find_elements(By.CSS_SELECTOR, "#findings > li")
    assert marked
    assert len(findings) >= len(marked)
    errors = browser.find_elements(By.CSS_SELECTOR, "#form-grid td.finding.error")
    assert errors
    first = errors[0]
    number = str(first.get_attribute("data-findings")).split(",")[0]
    assert first.value_of_css_property("outline-style") == "solid"
    explained = browser.find_element(By.ID, f"finding-{number}")
    assert "错误" in explained.text
    cell = str(first.get_attribute("id")).removeprefix("cell-")
    assert explained.find_element(By.CSS_SELECTOR, "a.where").text == cell
    last = marked[-1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", last)
    screenshot(browser, "page-check")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    first.find_element(By.CSS_SELECTOR, "a.mark").click()  # the badge leads to the explanation
    assert browser.current_url.endswith(f"#finding-{number}")
    screenshot(browser, "page-check-findings")


def test_the_annotated_workbook_downloads(browser: WebDriver, server: Server, downloads: Path) -> None:
    from openpyxl import load_workbook

    check_form(browser, server)
    for old in downloads.iterdir():
        old.unlink()
    browser.find_element(By.ID, "download-annotated").click()
    book = load_workbook(io.BytesIO(wait_for_file(downloads, ".xlsx").read_bytes()))
    sheet = book.worksheets[0]
    comments = [c.comment.text for row in sheet.iter_rows() for c in row if c.comment is not None]
    assert comments
    assert any("IND" in text for text in comments)


def test_typed_actual_values_give_the_score_sheet(browser: WebDriver, server: Server,
                                                  downloads: Path) -> None:
    from openpyxl import load_workbook

    check_form(browser, server)
    boxes = browser.find_elements(By.CSS_SELECTOR, "#actuals-table input[type=text]")
    assert len(boxes) == 25
    for number, box in enumerate(boxes):
        box.clear()
        box.send_keys("96%" if number % 3 == 0 else "达成")
    browser.find_element(By.ID, "compute-score").click()
    total = browser.find_element(By.ID, "total").text
    assert "总分" in total
    assert "等级" in total
    lines = browser.find_elements(By.CSS_SELECTOR, "#score-sheet tbody tr")
    assert len(lines) >= 25
    assert browser.find_elements(By.CSS_SELECTOR, "#score-sheet .status.met")
    screenshot(browser, "page-score")
    for old in downloads.iterdir():
        old.unlink()
    browser.find_element(By.ID, "download-score").click()
    book = load_workbook(io.BytesIO(wait_for_file(downloads, ".xlsx").read_bytes()))
    rows = book.worksheets[0].iter_rows()
    text = " ".join(str(c.value) for row in rows for c in row if c.value is not None)
    assert "绩效自评表" in text
    assert "达成" in text


def test_a_completed_table_shows_the_audit(browser: WebDriver, server: Server) -> None:
    browser.get(f"{server.base}/")
    browser.find_element(By.CSS_SELECTOR, "#audit input[type=file]").send_keys(str(SELF_EVALUATION))
    browser.find_element(By.CSS_SELECTOR, "#audit button[type=submit]").click()
    assert "复核总分" in browser.find_element(By.ID, "audit-summary").text
    differing = browser.find_elements(By.CSS_SELECTOR, "#audit-table tr.differs")
    assert differing
    assert differing[0].find_element(By.CSS_SELECTOR, "td.diffcell").text not in ("", "0", "0.00")
    screenshot(browser, "page-audit")


def test_an_unreadable_file_says_why(browser: WebDriver, server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "旧表.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    browser.get(f"{server.base}/")
    browser.find_element(By.CSS_SELECTOR, "#check input[type=file]").send_keys(str(bad))
    browser.find_element(By.CSS_SELECTOR, "#check button[type=submit]").click()
    alert = browser.find_element(By.CSS_SELECTOR, ".problem")
    assert "无法完成" in alert.text
    assert ".xlsx" in alert.text
