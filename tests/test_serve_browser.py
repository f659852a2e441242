"""The query page in a real browser: Debian's Chromium, driven through its WebDriver. It loads
with Yasgui from the package (no CDN), shows one tab per canned query with its question, runs a
canned query and shows its rows. Run by dev.py test, a missing browser fails this test."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from wpsgraph.queries import discover
from wpsgraph.serve.server import Server

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
REQUIRED = os.environ.get("WPSGRAPH_REQUIRE_BROWSER") == "1"
# The flags that let Chromium run headless here without reaching for the network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1300,1000",
)
WAIT_S = 30
QUERIES = discover()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        browser_missing("selenium is not installed (pip install -e .[test])")
    if not (CHROMIUM and CHROMEDRIVER):
        browser_missing(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def browser_missing(why: str) -> None:
    if REQUIRED:
        pytest.fail(f"the browser test must run here: {why}")
    pytest.skip(why)


def test_the_query_page_runs_a_canned_query_and_shows_its_rows(
    seed_server: Server, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{seed_server.url}/")
    wait = WebDriverWait(browser, WAIT_S)
    tabs = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".tabsList a[role=tab] span"))
    assert [t.text for t in tabs] == list(QUERIES)
    question = browser.find_element(By.ID, "question")
    assert question.text == QUERIES["actions-by-status"].question

    next(t for t in tabs if t.text == "deadlines-by-year").click()
    wait.until(lambda d: question.text == QUERIES["deadlines-by-year"].question)
    panel = wait.until(lambda d: _visible(d.find_elements(By.CSS_SELECTOR, ".tabPanel")))
    assert "Key actions by deadline year and status" in panel.text
    panel.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait.until(lambda d: panel.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    shown = [
        tuple(_value(td.text) for td in row.find_elements(By.TAG_NAME, "td"))[1:] for row in rows
    ]
    # The golden answer on the seed (tests/test_queries.py), as the table shows it.
    assert shown == [
        ("2026", "Initiated", "1"),
        ("2027", "Initiated", "2"),
        ("2029", "Initiated", "8"),
        ("2029", "Not Initiated", "2"),
    ]
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_the_page_loads_nothing_from_elsewhere(seed_server: Server, browser: Any) -> None:
    browser.get(f"{seed_server.url}/")
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded
    assert all(url.startswith(seed_server.url) for url in loaded), loaded


def _visible(elements: list[Any]) -> Any:
    return next((e for e in elements if e.is_displayed()), None)


def _value(cell: str) -> str:
    """A table cell as its value: Yasr shows typed literals as "2"^^xsd:integer."""
    match = re.fullmatch(r'"(.*)"\^\^\S+', cell.strip(), re.S)
    return match.group(1) if match else cell.strip()
