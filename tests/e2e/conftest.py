"""Skip the browser tests, with a reason that says what to install, where Chromium or Playwright is missing.

`make e2e` (called by `make test`) checks the same two things first and prints one line instead.
"""
from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"e2e: skipped (no {CHROMIUM}: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "e2e: skipped (playwright does not import: pip install -r requirements-test.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = unavailable()
    if reason:
        for item in items:
            if item.get_closest_marker("e2e"):
                item.add_marker(pytest.mark.skip(reason=reason))


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless; `playwright install` is never needed (nor possible offline)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module: after the first page, JupyterLab's scripts come from its cache."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context):
    """A new page (a new JupyterLab tab) for each test."""
    page = context.new_page()
    try:
        yield page
    finally:
        page.close()
