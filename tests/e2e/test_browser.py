"""The default dossier served under a sub-path and read by real Chromium: search, navigation, scripts,
small screens, links and accessibility, as a reader would meet them."""

from __future__ import annotations

import json
import mimetypes
import posixpath
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.e2e.browser import axe_options, chromium
from tests.e2e.conftest import make_project, run_build
from tests.e2e.links import PageParser

pytestmark = pytest.mark.browser

PREFIX = "/dossier-test/"
MADURO = "actors/nicolas-maduro.html"


# --- serving the built site under /dossier-test/ ------------------------------------------------

class SiteHandler(BaseHTTPRequestHandler):
    """/dossier-test/<path> -> site/<path>; anything else is a 404 with the site's own 404 page."""

    def __init__(self, *args, site: Path, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # keep the test output quiet
        pass

    def resolve(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(PREFIX):
            return None
        rel = posixpath.normpath(path[len(PREFIX):] or ".")
        if rel.startswith("..") or rel.startswith("/"):
            return None
        target = self.site / rel
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def do_GET(self):
        target = self.resolve()
        if target is None:
            status, body, kind = 404, (self.site / "404.html").read_bytes(), "text/html; charset=utf-8"
        else:
            status, body = 200, target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
                kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Served:
    def __init__(self, site: Path, root: str):
        self.site, self.root = site, root  # root: http://127.0.0.1:PORT/dossier-test/
        self.data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))

    def url(self, path: str = "index.html") -> str:
        return self.root + path


@pytest.fixture(scope="module")
def served(tmp_path_factory, shared_cache) -> Iterator[Served]:
    project = make_project(tmp_path_factory.mktemp("browser"))
    site = project / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, site=site))
    server.daemon_threads = True
    root = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    run = run_build(project, "build", "--base-url", root, "--cache", str(shared_cache))
    assert run.code == 0, run.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(site, root)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def article_url(served: Served, index: int = 0) -> str:
    return served.data["articles"][index]["url"]


def pages_by_type(served: Served) -> dict[str, str]:
    data = served.data
    return {
        "home": "index.html",
        "articles-index": "articles/index.html",
        "article": article_url(served),
        "actors-index": "actors/index.html",
        "actor": MADURO,
        "outlets-index": "outlets/index.html",
        "outlet": data["outlets"][0]["url"],
        "timeline": "timeline/index.html",
        "network": "network.html",
        "curation": "curation.html",
        "search": "search.html",
        "404": "no-such-page.html",
    }


PAGE_TYPES = ["home", "articles-index", "article", "actors-index", "actor", "outlets-index", "outlet", "timeline",
              "network", "curation", "search", "404"]


def open_page(page, served: Served, kind: str) -> None:
    """Go to a page type and wait until its scripts have done their work."""
    path = pages_by_type(served)[kind]
    if kind == "search":
        page.goto(served.url("search.html?q=Maduro"))
        page.wait_for_selector(".search-title a")
    else:
        page.goto(served.url(path))
    if kind == "timeline":
        page.wait_for_selector(".filter-form:not([hidden])")
    page.wait_for_load_state("load")


class Problems:
    """Console errors, uncaught exceptions and failed requests of one page."""

    def __init__(self, page):
        self.items: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.items.append(f"console: {msg.text} @ {msg.location}"))
        page.on("pageerror", lambda exc: self.items.append(f"pageerror: {exc}"))
        page.on("response", lambda r: r.status >= 400 and self.items.append(f"HTTP {r.status}: {r.url}"))
        page.on("requestfailed", lambda r: self.items.append(f"request failed: {r.url} ({r.failure})"))


# --- 1. search ---------------------------------------------------------------------------------

def test_header_search_finds_maduro(page, served):
    page.goto(served.url())
    box = page.locator("#q")
    box.wait_for(state="visible")
    assert page.locator(".search-fallback").is_hidden()
    box.fill("Maduro")
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == PREFIX + "search.html"
    assert "q=Maduro" in page.url
    wanted = PREFIX + MADURO
    results = page.locator(".search-title a")
    results.first.wait_for()
    # Pagefind shows results a page at a time: load more until the actor page shows up (or none is left)
    page.wait_for_function(
        """(wanted) => {
            const hrefs = [...document.querySelectorAll('.search-title a')].map(a => a.getAttribute('href'));
            if (hrefs.some(h => h.split('#')[0] === wanted)) return true;
            const more = document.querySelector('.search-more:not([hidden])');
            if (more) { more.click(); return false; }
            return hrefs.length > 0 && !more ? 'none' : false;
        }""", arg=wanted)
    hrefs = [a.get_attribute("href") for a in results.all()]
    assert any(h.split("#")[0] == wanted for h in hrefs), hrefs
    assert all(h.startswith(PREFIX) for h in hrefs), hrefs


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_without_javascript_the_header_links_to_the_actor_index(no_js_page, served):
    page = no_js_page
    page.goto(served.url())
    fallback = page.locator("header .search-fallback")
    assert fallback.is_visible()
    assert fallback.inner_text().strip() == "Find an actor"
    assert urljoin(page.url, fallback.get_attribute("href")) == served.url("actors/index.html")


@pytest.mark.parametrize(("path", "selector"), [
    pytest.param("index.html", "header form.search-box", id="header-search-box"),
    pytest.param("timeline/index.html", "form.filter-form", id="timeline-filter-form"),
])
def test_without_javascript_script_only_controls_are_hidden(no_js_page, served, path, selector):
    page = no_js_page
    page.goto(served.url(path))
    assert page.locator(selector).count() == 1
    assert page.locator(selector).is_hidden(), f"{selector} is visible on {path} without JavaScript"
    if selector.startswith("header"):
        assert page.locator("#q").is_hidden()


# --- 2. navigation -----------------------------------------------------------------------------

EFFECTIVE_BACKGROUND = """(el) => {
    for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        const m = c.match(/[\\d.]+/g).map(Number);
        if (m.length < 4 || m[3] > 0) return m.slice(0, 3);
    }
    return [255, 255, 255];
}"""


def test_mention_backlink_lands_on_a_highlighted_sentence(page, served):
    page.goto(served.url())
    with page.expect_navigation():
        page.locator("main a.actor", has_text="Nicolás Maduro").first.click()
    assert page.url == served.url(MADURO)
    backlink = page.locator("section[aria-labelledby=h-mentions] ul.backlinks a").first
    with page.expect_navigation():
        backlink.click()
    match = re.search(r"/articles/[^/#]+\.html#(s\d+)$", page.url)
    assert match, page.url
    sid = match.group(1)
    target = page.locator(":target")
    assert target.count() == 1
    assert target.get_attribute("id") == sid
    assert "Maduro" in target.inner_text()
    other = page.locator(f".text .s:not(#{sid})").first
    highlighted = target.evaluate(EFFECTIVE_BACKGROUND)
    ordinary = other.evaluate(EFFECTIVE_BACKGROUND)
    assert max(abs(a - b) for a, b in zip(highlighted, ordinary, strict=True)) >= 16, (highlighted, ordinary)


def test_previous_and_next_article_links(page, served):
    # an article with both neighbours
    for article in served.data["articles"]:
        page.goto(served.url(article["url"]))
        if page.locator(".pager a[rel=prev]").count() and page.locator(".pager a[rel=next]").count():
            break
    else:
        pytest.fail("no article has both a previous and a next article")
    start = page.url
    title = page.locator("h1").inner_text()
    for rel, back in (("next", "prev"), ("prev", "next")):
        link = page.locator(f".pager a[rel={rel}]")
        expected = link.inner_text().strip(" ←→")
        with page.expect_navigation():
            link.click()
        assert page.url != start
        assert page.locator("h1").inner_text().strip() == expected
        # ... and the way back leads to where we started
        returning = page.locator(f".pager a[rel={back}]")
        assert returning.inner_text().strip(" ←→") == title
        with page.expect_navigation():
            returning.click()
        assert page.url == start


@pytest.mark.parametrize("kind", ["home", "article", "actor", "timeline"])
def test_skip_link_is_the_first_focusable_element(page, served, kind):
    open_page(page, served, kind)
    page.keyboard.press("Tab")
    focused = page.evaluate("({cls: document.activeElement.className, text: document.activeElement.textContent,"
                            " href: document.activeElement.getAttribute('href')})")
    assert focused == {"cls": "skip", "text": "Skip to content", "href": "#main"}
    box = page.locator("a.skip").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))


# --- 3. scripts run cleanly --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["timeline/index.html", "network.html"])
def test_no_console_errors(page, served, path):
    problems = Problems(page)
    page.goto(served.url(path), wait_until="networkidle")
    assert not problems.items, "\n".join(problems.items)


def test_timeline_filter_by_actor(page, served):
    problems = Problems(page)
    page.goto(served.url("timeline/index.html"))
    form = page.locator("form.filter-form")
    form.wait_for(state="visible")
    events = page.locator("li.event:visible")
    total = page.locator("li.event").count()
    assert total > 1
    assert events.count() == total
    options = page.locator("#filter-actor option").all()
    counts = {o.get_attribute("value"): int(re.search(r"\((\d+)\)$", o.inner_text()).group(1))
              for o in options if o.get_attribute("value")}
    actor, expected = min(counts.items(), key=lambda kv: kv[1])
    assert expected < total
    page.select_option("#filter-actor", actor)
    page.wait_for_function("(n) => document.querySelectorAll('li.event:not([hidden])').length === n", arg=expected)
    assert events.count() == expected
    assert page.locator("#filter-count").inner_text() == f"{expected} of {total} events"
    page.select_option("#filter-actor", "")
    page.wait_for_function("(n) => document.querySelectorAll('li.event:not([hidden])').length === n", arg=total)
    assert not problems.items, "\n".join(problems.items)


# --- 4. small screens --------------------------------------------------------------------------

NARROW_PAGES = ["home", "article", "actor", "outlets-index", "timeline", "network", "curation", "search"]


@pytest.mark.parametrize("kind", NARROW_PAGES)
def test_no_horizontal_scroll_at_360px(browser, served, kind):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        open_page(page, served, kind)
        sizes = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        if sizes["scroll"] > sizes["inner"]:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                    + ' right=' + Math.round(e.getBoundingClientRect().right))""")
            pytest.fail(f"{kind}: scrollWidth {sizes['scroll']} > innerWidth {sizes['inner']}; too wide: {wide}")
    finally:
        context.close()


# --- 5. crawl ----------------------------------------------------------------------------------

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
XML_LINK = re.compile(r"""(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>""")


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read()


def test_crawl_has_no_broken_links_or_anchors(served):
    origin = served.url("")[: -len(PREFIX)]
    seen: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []  # (page, link, target document)
    # search.html is reached through the header form's action, not an href: start there too
    queue = [served.url("search.html"), served.url("index.html")]
    broken: list[str] = []
    referrer: dict[str, str] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, kind, body = fetch(url)
        seen[url] = status
        if status != 200:
            broken.append(f"{referrer.get(url, '(start)')} -> {url}: HTTP {status}")
            continue
        text = body.decode("utf-8", errors="replace")
        if kind == "text/html":
            parser = PageParser()
            parser.feed(text)
            ids[url] = parser.ids
            links = parser.links
        elif kind == "text/css":
            links = CSS_URL.findall(text)
        elif kind.endswith("xml"):
            links = [a or b for a, b in XML_LINK.findall(text)]
        else:
            links = []
        for link in links:
            if link.startswith(("data:", "mailto:", "javascript:")):
                continue
            absolute = urljoin(url, link)
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                continue  # external
            document = parts._replace(fragment="").geturl()
            if parts.fragment and kind == "text/html":
                fragments.append((url, link, document))
            if document not in seen:
                referrer.setdefault(document, url)
                queue.append(document)
    for page_url, link, document in fragments:
        fragment = unquote(urlsplit(urljoin(page_url, link)).fragment)
        if document in ids and fragment not in ids[document]:
            broken.append(f"{page_url} -> {link}: no id {fragment!r}")
    assert len(seen) > 50, f"only {len(seen)} URLs crawled"  # 28 of the 89 actors have pages (actor_page_min_articles)
    for must in ("assets/style.css", "assets/site.js", "assets/filter.js", "assets/favicon.svg", "feed.xml", "search.html",
                 "assets/search.js", "network.html", "curation.html", MADURO, "timeline/index.html"):
        assert served.url(must) in seen, must
    assert not broken, "\n".join(broken)


# --- 6. accessibility --------------------------------------------------------------------------

class AxeRuns:
    """axe-core on each page type, light then dark (the same loaded page with `prefers-color-scheme: dark`
    emulated), each page loaded once for both runs."""

    def __init__(self, browser, served: Served):
        from axe_playwright_python.sync_playwright import Axe

        self.axe, self.served = Axe(), served
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
        self.page = self.context.new_page()
        self.results: dict[tuple[str, str], list[dict]] = {}

    def violations(self, kind: str, scheme: str) -> list[dict]:
        if (kind, scheme) not in self.results:
            open_page(self.page, self.served, kind)
            for each in ("light", "dark"):
                self.page.emulate_media(color_scheme=each)
                assert self.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (each == "dark")
                self.results[kind, each] = self.axe.run(self.page, options=axe_options(each)).response["violations"]
            self.page.emulate_media(color_scheme="light")
        return self.results[kind, scheme]


@pytest.fixture(scope="module")
def axe_runs(browser, served) -> Iterator[AxeRuns]:
    runs = AxeRuns(browser, served)
    try:
        yield runs
    finally:
        runs.context.close()


AXE_CASES = [
    pytest.param(kind, scheme, id=f"{kind}-{scheme}")
    for kind in PAGE_TYPES for scheme in ("light", "dark")
]


@pytest.mark.parametrize(("kind", "scheme"), AXE_CASES)
def test_no_serious_accessibility_violations(axe_runs, kind, scheme):
    violations = [v for v in axe_runs.violations(kind, scheme) if v["impact"] in ("serious", "critical")]
    report = [f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
        f"    {node['target']} {node.get('failureSummary', '').splitlines()[-1:]}" for node in v["nodes"][:10])
        for v in violations]
    assert not violations, f"{kind} ({scheme}):\n" + "\n".join(report)


# --- search split into shards (large dossiers) ------------------------------------------------------

@pytest.fixture(scope="module")
def sharded(tmp_path_factory, shared_cache, monkeymodule) -> Iterator[Served]:
    """The default dossier with its search index in several shards, as a dossier of thousands gets."""
    from dossier import pipeline, search
    from dossier.config import Config
    from dossier.problems import Problems

    monkeymodule.setattr(search, "RECORDS_PER_SHARD", 12)
    project = make_project(tmp_path_factory.mktemp("sharded"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, site=project / "site"))
    server.daemon_threads = True
    root = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    monkeymodule.chdir(project)
    pipeline.build(Config(out=project / "site", cache=shared_cache, base_url=root, verbosity=0), Problems())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Served(project / "site", root)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def monkeymodule():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_search_finds_results_in_every_shard(page, sharded):
    from dossier.search import shard_of

    bundles = [p.name for p in sorted((sharded.site / "pagefind").iterdir())]
    assert len(bundles) > 2, bundles
    page.goto(sharded.url("search.html?q=Maduro"))
    page.wait_for_selector(".search-title a")
    page.wait_for_function("""() => {
        const more = document.querySelector('.search-more:not([hidden])');
        if (more) { more.click(); return false; }
        return true;
    }""")
    hrefs = {a.get_attribute("href").split("#")[0].removeprefix(PREFIX) for a in page.locator(".search-title a").all()}
    assert MADURO in hrefs and any(h.startswith("articles/") for h in hrefs), hrefs
    shards = {shard_of(h, len(bundles)) for h in hrefs}
    assert len(shards) > 1, (hrefs, shards)  # results merged from more than the first bundle
