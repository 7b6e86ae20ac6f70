"""Browser tests: a real JupyterLab, Notebook 7 and JupyterLite in headless Chromium.

They skip, with the reason, where Playwright or Chromium is missing;
.ci/run installs Chromium so that CI always runs them.
"""

import pytest

from labdriver import launch_browser, start_lab, why_no_browser

REASON = why_no_browser()


def pytest_collection_modifyitems(items):
    if REASON:
        for item in items:
            if "browser" in item.path.parts:
                item.add_marker(pytest.mark.skip(reason=REASON))


@pytest.fixture(scope="session")
def lab():
    server = start_lab()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = launch_browser(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
