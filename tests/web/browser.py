"""Shared Playwright setup for the browser tests of the portal and the report composer (Debian chromium, never a downloaded browser)."""
from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
SHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS", "var/screenshots"))


@contextlib.contextmanager
def browser_page(*, javascript: bool = True) -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for the browser tests (scripts/setup-system.sh installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the test body touches the DB while Playwright runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                    java_script_enabled=javascript)
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def wait_until(page: object, expression: str, timeout: float = 15.0) -> None:
    """Wait until the JavaScript ``expression`` is truthy. ``page.wait_for_function`` evaluates its predicate with
    ``eval`` inside the page, which the site's Content-Security-Policy refuses; ``page.evaluate`` is the browser's
    own evaluation, outside the page's policy."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(expression):  # type: ignore[attr-defined]
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for: {expression}")
        time.sleep(0.1)
