"""Pages an analyst can brief from, read in real Chromium as the analyst would: an actor's key facts
first, lists that stay short, a reading view without link fog, search that answers with the actor,
outlets compared, citations copied, printing, hover previews and the network's controls.
Each test loads a page once and checks what a reader notices there."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.e2e import test_browser
from tests.e2e.browser import assert_readable_everywhere
from tests.e2e.test_browser import MADURO, PREFIX, Problems

# the default dossier served under a sub-path, and one browser, as test_browser.py has them
served, browser, page = test_browser.served, test_browser.browser, test_browser.page

pytestmark = pytest.mark.browser


def test_an_actor_page_opens_with_its_key_facts(page, served):
    problems = Problems(page)
    maduro = next(a for a in served.data["actors"] if a["url"] == MADURO)
    page.goto(served.url(MADURO))
    facts = page.locator("section.facts")
    named = facts.locator("dt", has_text=re.compile("^Named$")).locator("xpath=following-sibling::dd[1]").inner_text()
    assert named.startswith(f"{maduro['mentions']} mentions in {len(maduro['articles'])} articles"), named
    box = facts.bounding_box()
    assert box["y"] < 400, "the facts are not in the first screen"
    assert box["y"] + box["height"] < page.locator("figure.network").bounding_box()["y"], "the picture comes before the facts"
    dates = [d.get_attribute("datetime") for d in facts.locator("dd time").all()]
    dated = sorted(a["date"] for a in served.data["articles"] if a["id"] in maduro["articles"] and a["date"])
    assert dates == [dated[0], dated[-1]], dates
    assert facts.locator("dt", has_text="Named most with").count() == 1
    assert facts.locator("dt + dd a.actor").count() >= 3
    quotes = facts.locator(".top-quote")
    assert quotes.count() == 2
    outlets = {o["name"] for o in served.data["outlets"]}
    for quote in quotes.all():
        source = quote.locator(".meta").inner_text()
        assert any(name in source for name in outlets) and re.search(r"\d{4}-\d{2}-\d{2}", source), source
    assert page.locator("figure.network").bounding_box()["width"] <= 450, "the connection picture is not smaller"
    # the jump links reach the sections without scrolling through them
    page.locator("nav.jump a", has_text="Mentions").click()
    page.wait_for_url(re.compile("#h-mentions$"))
    heading = page.locator("#h-mentions").bounding_box()
    assert 20 <= heading["y"] < 900, "the heading is under the sticky jump links or off screen"
    assert not problems.items, "\n".join(problems.items)


def test_the_reading_view_links_a_name_once_a_paragraph_and_keeps_the_speaker_with_its_quote(browser, served):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        article = next(a for a in served.data["articles"] if a["id"].startswith("000_"))
        page.goto(served.url(article["url"]))
        repeated = page.evaluate("""() => [...document.querySelectorAll('.text p')].flatMap(p => {
            const hrefs = [...p.querySelectorAll('a.m')].map(a => a.getAttribute('href'));
            return hrefs.filter((h, i) => hrefs.indexOf(h) !== i);
        })""")
        assert repeated == [], f"names linked twice in one paragraph: {repeated}"
        again = page.locator(".text .m-again").first
        assert again.get_attribute("title"), "a name named again says whose it is on hover"
        labels = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.text a.m')].map(a =>
            [a.className.match(/type-(\\w+)/)[1], getComputedStyle(a, '::after').content]))""")
        assert set(labels) >= {"person", "place"} and all(v not in ("none", "normal", '""') for v in labels.values()), labels
        # the speaker tag and its quote's first word share a line, at 360 px too
        for quote in page.locator(".text .s.quote").all()[:6]:
            tops = quote.evaluate("""(q) => {
                const tag = q.querySelector('.speaker');
                let node = tag.nextSibling;
                while (node && !(node.textContent || '').trim()) node = node.nextSibling;
                const range = document.createRange();
                const text = node.nodeType === 3 ? node : node.firstChild;
                const at = text.textContent.search(/\\S/);
                range.setStart(text, at); range.setEnd(text, at + 1);
                return [tag.getBoundingClientRect().bottom, range.getBoundingClientRect().bottom];
            }""")
            assert abs(tops[0] - tops[1]) < 8, f"speaker tag and quote on different lines: {tops}"
    finally:
        context.close()


def test_no_page_says_1_mentions_and_lists_stay_short(served):
    plural = re.compile(r"(?<![\d,.])1 (mentions|articles|outlets|sentences|items)\b")
    for path in served.site.rglob("*.html"):
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
        assert not plural.search(text), f"{path.relative_to(served.site)}: {plural.search(text).group()}"
    home = (served.site / "index.html").read_text(encoding="utf-8")
    latest = home.split('id="h-articles"')[1].split("</ul>")[0]
    assert latest.count("<li>") <= 12


def test_the_404_page_is_styled_and_links_home_from_any_depth(page, served):
    page.goto(served.url("deep/er/than/any/page.html"))
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "flex", "the 404 page is unstyled"
    home = page.locator("main a", has_text="home page")
    assert urljoin(page.url, home.get_attribute("href")) == served.url("index.html")


def test_search_names_each_results_kind_and_opens_an_article_at_its_best_sentence(page, served):
    problems = Problems(page)
    page.goto(served.url("search.html?q=Maduro"))
    page.wait_for_selector(".search-result")
    first = page.locator(".search-result").first
    assert first.locator(".search-title a").get_attribute("href") == PREFIX + MADURO, "the actor named is not first"
    assert first.locator(".badge").inner_text() == "person"
    assert re.fullmatch(r"\d+ mentions", first.locator(".search-facts").inner_text())
    hrefs = [a.get_attribute("href") for a in page.locator(".search-title a").all()]
    assert PREFIX + "index.html" not in hrefs, "the home page is a search result"
    assert page.locator(".search-result img").count() == 0
    article = page.locator(".search-result", has=page.locator(".badge", has_text="article")).first
    facts = article.locator(".search-facts").inner_text()
    outlets = {o["name"] for o in served.data["outlets"]}
    assert any(name in facts for name in outlets), facts
    link = article.locator(".search-title a")
    assert re.search(r"^" + re.escape(PREFIX) + r"articles/[^/#]+\.html#s\d+$", link.get_attribute("href")), link.get_attribute("href")
    marked = article.locator(".search-excerpt mark").first.inner_text()
    with page.expect_navigation():
        link.click()
    target = page.locator(".text .s:target")
    assert target.count() == 1 and marked.casefold() in target.inner_text().casefold(), "the result does not open at its sentence"
    top = target.bounding_box()["y"]
    assert 40 <= top < 500 or page.evaluate("scrollY") == 0, f"the sentence opens at {top} px: no context above it, or off screen"
    assert not problems.items, "\n".join(problems.items)


def test_search_opens_each_article_at_a_sentence_holding_the_words_found(page, served):
    """Every article result of a two-word search lands on a sentence that holds one of them."""
    page.goto(served.url("search.html?q=Guaidó%20opposition"))
    page.wait_for_selector(".search-result")
    results = page.locator(".search-result", has=page.locator(".badge", has_text="article"))
    hrefs = [r.locator(".search-title a").get_attribute("href") for r in results.all()]
    assert len(hrefs) >= 2 and all(re.search(r"#s\d+$", h) for h in hrefs), hrefs
    for href in hrefs:
        page.goto(urljoin(page.url, href))
        words = page.locator(".text .s:target").inner_text().casefold()
        assert "guaidó" in words or "opposition" in words, (href, words)


def test_outlets_are_compared_and_each_count_opens_that_outlets_sentences(page, served):
    page.goto(served.url("outlets/index.html"))
    table = page.locator("table.compare")
    assert table.locator("thead th").count() == len(served.data["outlets"]) + 1
    row = table.locator("tbody tr").first
    actor = row.locator("th a").inner_text()
    cell = row.locator("td a").first
    count = int(cell.inner_text())
    with page.expect_navigation():
        cell.click()
    fragment = urlsplit(page.url).fragment
    assert fragment.startswith("o-")
    column = page.locator(f"section[aria-labelledby={fragment}]")
    heading = column.locator("h2").inner_text()
    assert f"{count} mention" in heading, heading
    sentences = int(re.search(r"in (\d+) sentence", heading).group(1))
    assert column.locator(".backlinks li").count() == min(sentences, 60)
    assert actor in page.locator("h1").inner_text()
    assert page.locator(".side-by-side > section").count() >= 2


def test_a_sentence_is_copied_as_a_citation_and_an_actor_page_prints_without_its_picture(browser, served):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        article = next(a for a in served.data["articles"] if a["date"] and a["outlet"])
        outlet = next(o["name"] for o in served.data["outlets"] if o["id"] == article["outlet"])
        page.goto(served.url(article["url"]))
        sentence = page.locator(".text .s").nth(2)
        sentence.click(position={"x": 2, "y": 5})
        button = page.locator("button.cite")
        button.click()
        page.wait_for_function("document.querySelector('.cite-status').textContent !== ''")
        assert page.locator(".cite-status").inner_text() == "Citation copied"
        copied = page.evaluate("navigator.clipboard.readText()")
        sid = sentence.get_attribute("id")
        words = sentence.evaluate("s => s.textContent.replace('Copy citation', '').replace('Citation copied', '')").split()[:4]
        for part in [outlet, article["title"], article["date"], f"{article['url']}#{sid}", " ".join(words)]:
            assert part in copied, (part, copied)
        page.goto(served.url(MADURO))
        assert page.locator(".print-source").first.is_hidden(), "the printed source shows on screen"
        page.emulate_media(media="print")
        assert page.locator("figure.network").is_hidden() and page.locator("nav.jump").is_hidden()
        first = page.locator("section[aria-labelledby=h-mentions] h3").first
        meta = first.locator("xpath=following-sibling::p[1]")
        assert meta.is_visible() and re.search(r"\d{4}-\d{2}-\d{2}|date unknown", meta.inner_text())
        # every printed mention says its outlet and date, wherever the page breaks fall
        names = {o["name"] for o in served.data["outlets"]} | {"outlet unknown"}
        mentions = page.locator(".backlinks li").all()
        maduro = next(a for a in served.data["actors"] if a["url"] == MADURO)
        assert len(mentions) >= maduro["mentions"] // 2
        for item in mentions:
            source = item.locator(".print-source")
            said = source.inner_text()
            assert source.is_visible() and any(name in said for name in names), said
            assert re.search(r"\d{4}-\d{2}-\d{2}|date unknown", said), said
        pdf = page.pdf(format="A4")
        printed = pdf.count(b"/Type /Page\n")
        assert 0 < printed <= 12, f"{printed} printed pages for {maduro['mentions']} mentions"
    finally:
        context.close()


def test_hover_previews_show_an_actors_facts_and_pages_stay_whole_without_them(page, served, browser):
    article = served.data["articles"][0]
    page.goto(served.url(article["url"]))
    link = page.locator(".text a.m").first
    name = link.evaluate("a => a.getAttribute('href')")
    link.hover()
    preview = page.locator(".preview")
    preview.wait_for(state="visible")
    actor = next(a for a in served.data["actors"] if a["url"].endswith(name.rsplit("/", 1)[1]))
    assert preview.locator(".preview-title").inner_text() == actor["name"]
    assert "mention" in preview.inner_text()
    page.keyboard.press("Escape")
    assert preview.is_hidden()
    context = browser.new_context(java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto(served.url(article["url"]))
        assert bare.locator(".preview").count() == 0 and bare.locator(".text a.m").count() > 5
    finally:
        context.close()


def test_a_link_to_a_sentence_previews_it_in_its_paragraph_with_outlet_and_date(page, served):
    problems = Problems(page)
    outlets = {o["name"] for o in served.data["outlets"]}
    for path, selector in ((MADURO, "section[aria-labelledby=h-mentions] .backlinks a"), ("timeline/index.html", "ul.sources a")):
        page.goto(served.url(path))
        link = page.locator(selector).first
        href = link.get_attribute("href")
        assert re.search(r"#s\d+$", href), href
        link.hover()
        preview = page.locator(".preview")
        preview.wait_for(state="visible")
        meta = preview.locator(".preview-meta").inner_text()
        assert any(name in meta for name in outlets) or "outlet unknown" in meta, meta
        assert re.search(r"\d{4}-\d{2}-\d{2}|date unknown", meta), meta
        marked = preview.locator(".preview-context mark").inner_text()
        context = preview.locator(".preview-context").inner_text()
        assert marked and marked in context, (marked, context)
        page.mouse.move(0, 0)
        preview.wait_for(state="hidden")
        page.goto(urljoin(page.url, href))
        sentence = page.locator(".text .s:target")
        sentence.evaluate("s => s.querySelectorAll('.speaker, .cite-bar').forEach(e => e.remove())")
        assert " ".join(sentence.inner_text().split()) == " ".join(marked.split()), "the preview marks another sentence"
    assert not problems.items, "\n".join(problems.items)


def test_the_network_filters_by_type_lights_links_and_is_a_table_on_phones(page, served, browser):
    page.goto(served.url("network.html"))
    page.locator(".network-filter").wait_for(state="visible")
    places = page.locator("a.node.type-place")
    assert places.count() > 0 and places.first.is_visible()
    page.locator(".network-filter input[value=place]").uncheck()
    assert all(node.is_hidden() for node in places.all())
    page.locator("a.node[data-actor=nicolas-maduro]").focus()
    assert page.locator("svg .edge.on").count() > 0
    row = page.locator("table.connections tbody tr").first
    names = [a.inner_text() for a in row.locator("a.actor").all()]
    count = int(row.locator("td a").last.inner_text())
    with page.expect_navigation():
        row.locator("td a").last.click()
    sentences = page.locator(".backlinks li")
    assert sentences.count() == count, "the count does not open its shared sentences"
    assert all(len(s.locator("mark").all()) >= 2 for s in sentences.all()), "both names are marked in each sentence"
    assert " and ".join(names) in page.locator("h1").inner_text()
    phone = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        small = phone.new_page()
        small.goto(served.url("network.html"))
        assert small.locator("figure.network").is_hidden()
        assert small.locator("table.connections").is_visible()
    finally:
        phone.close()


def test_new_pages_have_no_serious_accessibility_violations_nor_scroll_sideways(browser, served):
    compare = next(Path(served.site, "outlets", "compare").glob("*.html")).relative_to(served.site).as_posix()
    # The outlets index and an actor page are checked with every page type in test_browser.py.
    assert_readable_everywhere(browser, [served.url(path) for path in (compare, "timeline/background.html")])
