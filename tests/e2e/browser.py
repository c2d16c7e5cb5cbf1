"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, never a downloaded browser."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# The dark scheme changes colours only (style.css sets other values of the same variables): in dark,
# axe runs only the rules colours decide.
DARK_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}


def axe_options(scheme: str) -> dict:
    """The library's own options (every rule) in light; in dark, the colour rules only."""
    from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS

    return {**DEFAULT_OPTIONS, **DARK_RULES} if scheme == "dark" else DEFAULT_OPTIONS


def assert_readable_everywhere(browser, urls: list[str], on_page=None) -> None:
    """Each page fits a 360 px phone without scrolling sideways, and at 1280 px axe finds nothing
    serious or critical in light and dark. `on_page(page)` is called on each new page (to collect
    its console errors); a search page waits for its results."""
    from axe_playwright_python.sync_playwright import Axe

    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            page = context.new_page()
            if on_page is not None:
                on_page(page)
            for url in urls:
                page.goto(url)
                if "?q=" in url:
                    page.wait_for_selector(".search-result")
                sizes = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                assert sizes[0] <= sizes[1], (url, width, sizes)
                if width == 360:
                    continue
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    found = [v for v in Axe().run(page, options=axe_options(scheme)).response["violations"]
                             if v["impact"] in ("serious", "critical")]
                    assert not found, (url, scheme, [(v["id"], [n["target"] for n in v["nodes"][:5]]) for v in found])
        finally:
            context.close()
