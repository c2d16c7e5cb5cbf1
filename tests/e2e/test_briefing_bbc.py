"""The BBC dossier read in real Chromium, as test_briefing.py reads the default one: pages under
400 KB (the timeline's lanes in pages that link each other), a home page that ends, "Blair" finding
Tony Blair and opening articles at the sentence, sentence previews, printed sources, and pages
that pass axe in light and dark and fit a phone.

Opt-in: its first build annotates hundreds of articles. DOSSIER_BBC=<section or 'all'> builds
shared/corpus/bbc (or one section of it); DOSSIER_BBC_CACHE names an annotation cache to reuse."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.e2e import test_browser
from tests.e2e.browser import assert_readable_everywhere
from tests.e2e.conftest import run_build
from tests.e2e.links import parse
from tests.e2e.test_browser import PREFIX, Problems, Served, SiteHandler

browser, page = test_browser.browser, test_browser.page

BBC = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bbc"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.environ.get("DOSSIER_BBC"),
                                 reason="set DOSSIER_BBC=<section or 'all'> (and DOSSIER_BBC_CACHE) to build the BBC dossier")]


@pytest.fixture(scope="module")
def bbc(tmp_path_factory, shared_cache) -> Iterator[Served]:
    section = os.environ["DOSSIER_BBC"]
    project = tmp_path_factory.mktemp("bbc")
    shutil.copytree(BBC if section == "all" else BBC / section, project / "seeds" / ("bbc" if section == "all" else section))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, site=project / "site"))
    server.daemon_threads = True
    root = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    run = run_build(project, "build", "--base-url", root, "--cache", os.environ.get("DOSSIER_BBC_CACHE") or str(shared_cache))
    assert run.code == 0, run.stderr
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Served(project / "site", root)
    finally:
        server.shutdown()
        server.server_close()


def errors(problems: Problems) -> list[str]:
    """What a reader meets: going to the next page cancels what the last one still loads (its
    favicon), which is no error of the site."""
    return [item for item in problems.items if "net::ERR_ABORTED" not in item]


def blair(served: Served) -> str:
    return next(a["url"] for a in served.data["actors"] if a["name"] == "Tony Blair")


def test_no_page_is_over_400_kb_and_each_timeline_lane_links_all_its_pages(bbc):
    sizes = {p.relative_to(bbc.site).as_posix(): p.stat().st_size for p in bbc.site.rglob("*.html")}
    biggest = max(sizes, key=sizes.get)
    assert sizes[biggest] <= 400_000, (biggest, sizes[biggest])
    for lane in ("background", "forecast"):
        pages = {p for p in sizes if re.fullmatch(rf"timeline/{lane}(-\d+)?\.html", p)}
        linked = {f"timeline/{href}" for href in parse(bbc.site / "timeline" / f"{lane}.html").links
                  if re.fullmatch(rf"{lane}(-\d+)?\.html", href)}
        assert pages - {f"timeline/{lane}.html"} <= linked, f"{lane}: pages no link reaches: {pages - linked}"
    print(f"\nBBC: {len(sizes)} pages, the biggest {biggest} ({sizes[biggest]:,} bytes)")


def test_the_home_page_ends_and_blair_finds_tony_blair_then_articles_at_their_sentence(page, bbc):
    problems = Problems(page)
    page.goto(bbc.url("index.html"))
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 15_000, height
    page.goto(bbc.url("search.html?q=Blair"))
    page.wait_for_selector(".search-result")
    first = page.locator(".search-title a").first
    assert first.inner_text() == "Tony Blair" and first.get_attribute("href") == PREFIX + blair(bbc)
    articles = page.locator(".search-result", has=page.locator(".badge", has_text="article"))
    hrefs = [r.locator(".search-title a").get_attribute("href") for r in articles.all()[:5]]
    assert len(hrefs) == 5 and all(re.search(r"#s\d+$", h) for h in hrefs), hrefs
    for href in hrefs:
        page.goto(urljoin(page.url, href))
        assert "blair" in page.locator(".text .s:target").inner_text().casefold(), href
    assert not errors(problems), "\n".join(errors(problems))
    print(f"\nBBC home page: {height} px tall at 1280 px")


def test_a_mention_previews_its_sentence_and_prints_with_its_source(page, bbc):
    problems = Problems(page)
    page.goto(bbc.url(blair(bbc)))
    link = page.locator("section[aria-labelledby=h-mentions] .backlinks a").first
    link.hover()
    preview = page.locator(".preview")
    preview.wait_for(state="visible")
    assert "blair" in preview.locator(".preview-context mark").inner_text().casefold()
    assert re.search(r"(BBC News|outlet unknown) · .*(\d{4}-\d{2}-\d{2}|date unknown)", preview.locator(".preview-meta").inner_text())
    page.emulate_media(media="print")
    assert page.locator("figure.network").is_hidden()
    sources = page.locator(".backlinks li .print-source")
    assert sources.count() == page.locator(".backlinks li").count() > 20
    assert all(re.search(r"\d{4}-\d{2}-\d{2}|date unknown", s) for s in sources.all_inner_texts())
    assert page.pdf(format="A4").count(b"/Type /Page\n") > 1
    assert not errors(problems), "\n".join(errors(problems))


def test_pages_pass_axe_in_light_and_dark_and_fit_a_phone(browser, bbc):
    paths = ["index.html", blair(bbc), "timeline/background-2.html", "timeline/forecast.html", "curation.html",
             "articles/index.html", "search.html?q=Blair"]
    seen: list[Problems] = []
    assert_readable_everywhere(browser, [bbc.url(path) for path in paths], lambda page: seen.append(Problems(page)))
    for problems in seen:
        assert not errors(problems), "\n".join(errors(problems))
