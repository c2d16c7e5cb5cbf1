"""What the pages of a large dossier keep short and what an analyst reads first, rendered from small
dossiers: paged lists, the curation queue by kind, the decades of a long timeline, an actor's facts,
search records that weigh actors by their mentions."""

from __future__ import annotations

import re
from collections import Counter

from dossier.clean import Paragraph
from dossier.config import Config
from dossier.model import Actor, ActorDoubts, Annotation, Article, Dossier, Event, Mention, Quote, Sentence, Source


def dossier_of(articles: int, ignored: int = 0, years: int = 0) -> Dossier:
    """`articles` articles of two sentences, each naming Maduro in its first and quoting him in its
    second, from two outlets; `ignored` names in the curation queue; events in `years` years."""
    text = "Maduro spoke with Biden about the oil sector and the sanctions on his government. Maduro said the talks were respectful."
    items, annotations, mentions, biden, quotes = [], {}, [], [], []
    for n in range(articles):
        article_id = f"a{n:03d}"
        items.append(Article(id=article_id, path=f"seeds/{article_id}.txt", title=f"Talks {n}", paragraphs=[Paragraph(text, 1)],
                             outlet="The Post" if n % 2 else "The Herald", date=f"2022-03-{n % 28 + 1:02d}",
                             url="https://example.org/talks" if n == 0 else None))
        second = text.index("Maduro said")
        annotations[article_id] = Annotation([Sentence(0, 0, 0, second - 1), Sentence(1, 0, second, len(text))], [])
        mentions += [Mention("maduro", article_id, "Maduro", "PERSON", 0, 0, 6),
                     Mention("maduro", article_id, "Maduro", "PERSON", 1, second, second + 6)]
        biden.append(Mention("biden", article_id, "Biden", "PERSON", 0, 18, 23))
        quotes.append(Quote(article_id, 1, "maduro", "said"))
    actors = [Actor("maduro", "Nicolás Maduro", "person", mentions=mentions), Actor("biden", "Joe Biden", "person", mentions=biden)]
    events = [Event(f"{1900 + 3 * y}", "year", f"{1900 + 3 * y}", "", [Source("a000", 0, text[:20], f"{1900 + 3 * y}", "absolute year")])
              for y in range(years)]
    doubts = ActorDoubts(ignored=Counter({f"name {n}": 1 for n in range(ignored)}))
    return Dossier("Talks", "", items, annotations, actors, events, quotes, curation=doubts)


def rendered(dossier: Dossier, monkeypatch=None, **limits) -> dict[str, str]:
    from dossier import pages

    for name, value in limits.items():
        monkeypatch.setattr(pages, name, value)
    return {path: data.decode("utf-8") for path, data in pages.render_all(dossier, Config()).items() if path.endswith(".html")}


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_long_lists_come_in_pages_and_the_home_page_stays_short(monkeypatch):
    files = rendered(dossier_of(30, ignored=7), monkeypatch, ARTICLES_PER_PAGE=12, QUEUE_PREVIEW=3, QUEUE_PER_PAGE=5)
    assert [p for p in files if p.startswith("articles/index")] == ["articles/index.html", "articles/index.2.html", "articles/index.3.html"]
    last = files["articles/index.3.html"]
    assert last.split('<ul class="articles">')[1].split("</ul>")[0].count("<li>") == 6 and "this page shows 25 to 30" in text_of(last)
    assert '<strong aria-current="page">3</strong>' in last and 'href="index.2.html"' in last
    assert "outlets/the-herald.2.html" in files and "outlets/the-herald.3.html" not in files  # 15 articles
    home = files["index.html"]
    assert home.split('id="h-articles"')[1].split("</ul>")[0].count("<li>") == 12
    assert "All 30 articles, newest first" in text_of(home)
    queue = files["curation.html"]
    assert "Ignored names 7" in text_of(queue) and queue.count("name ") == 3 and "All 7 items: ignored names" in text_of(queue)
    assert "name 6" in files["curation/ignored-2.html"] and "7 items of the curation queue" in text_of(files["curation/ignored.html"])


def test_a_long_timeline_is_navigated_by_decade(monkeypatch):
    from dossier import views

    monkeypatch.setattr(views, "TIMELINE_PAGE_LIMIT", 10)  # a page a year
    files = rendered(dossier_of(1, years=40))
    year_page = files["timeline/1951.html"]
    nav = year_page.split('<nav class="years"')[1].split("</nav>")[0]
    assert nav.count("<li") <= 15, "one link a decade"
    assert '<strong aria-current="page">1951</strong>' in nav
    assert re.findall(r">(19\d\d)</a>", nav.split('class="years-of"')[1]) == ["1954", "1957"]


def test_an_actor_page_states_its_facts_and_an_article_links_a_name_once_a_paragraph():
    files = rendered(dossier_of(3))
    facts = text_of(files["actors/maduro.html"].split('class="facts"')[1].split("</section>")[0])
    assert "Named 6 mentions in 3 articles from 2 outlets" in facts
    assert "First dated 2022-03-01" in facts and "Latest dated 2022-03-03" in facts
    assert "Named most with Joe Biden 3" in facts
    assert facts.count("Maduro said the talks were respectful.") == 2 and "The Herald · 2022-03-03" in facts
    biden = text_of(files["actors/biden.html"])
    assert "3 mentions" in biden and "1 mentions" not in biden
    article = files["articles/a000.html"]
    text = article.split('<div class="text">')[1].split("</div>")[0]
    assert re.findall(r'class="m type-person" href="../actors/(\w+).html"', text) == ["maduro", "biden"]  # then again: plain
    assert 'class="m-again" title="Nicolás Maduro (person)"' in article
    assert '<a class="source-link" href="https://example.org/talks"' in article and "Read at source" in article
    assert "Read at source" not in files["articles/a001.html"]


def test_outlets_are_compared_by_actor():
    files = rendered(dossier_of(3))
    table = files["outlets/index.html"].split('<table class="compare">')[1].split("</table>")[0]
    row = table.split("Nicolás Maduro</a>")[1].split("</tr>")[0]
    assert re.findall(r">(\d+)</a>", row) == ["4", "2"]  # The Herald (two articles, two mentions each), The Post (one)
    assert 'href="compare/maduro.html#o-the-post"' in table
    column = files["outlets/compare/maduro.html"].split('id="o-the-herald"')[1].split("</section>")[0]
    assert "4 mentions in 4 sentences" in text_of(column) and column.count("<li>") == 4


def test_actor_records_weigh_their_names_by_mentions_and_articles_anchor_paragraphs():
    from dossier.pages import actor_records, article_records
    from dossier.search import record_html

    dossier = dossier_of(2)
    maduro, biden = actor_records(dossier.actors, 1)
    assert maduro.weight > biden.weight and ("mentions", "4") in maduro.meta
    assert 'data-pagefind-weight="' in record_html(maduro) and '<span data-pagefind-meta="mentions">4</span>' in record_html(maduro)
    records = article_records("Talks", "<p>intro</p>", dossier.articles)
    assert [r.page for r in records] == ["articles/a000.html", "articles/a001.html"]  # the home page is no result
    assert '<h6 id="p0">¶</h6><p>Maduro spoke' in record_html(records[0])
    assert ("outlet", "The Herald") in records[0].meta and ("date", "2022-03-01") in records[0].meta


def test_a_long_timeline_lane_is_paged_by_whole_years_and_keeps_its_first_path():
    from dossier.briefing import LANE_PAGE_LIMIT, lane_pages

    def year(label: str, entries: int) -> tuple[str, list]:
        return (label, [("", [object()] * entries)])

    years = [year("15th-century", 5), year("1990", LANE_PAGE_LIMIT - 10), year("2001", 20), year("2002", 3)]
    pages = lane_pages("timeline/background.html", "Timeline: background", years)
    assert [p[0] for p in pages] == ["timeline/background.html", "timeline/background-2.html"]
    assert [[label for label, _ in p[2]] for p in pages] == [["15th-century", "1990"], ["2001", "2002"]], "a year is split"
    assert pages[0][3] == [("15th century–1990", "timeline/background.html"), ("2001–2002", "timeline/background-2.html")]
    assert pages[1][1] == "Timeline: background, 2001–2002"
    assert lane_pages("timeline/forecast.html", "Timeline: forecasts", years[:1]) == [
        ("timeline/forecast.html", "Timeline: forecasts", years[:1], [])], "a short lane is one page, without a pager"


def test_each_mention_carries_its_outlet_and_date_for_print_escaped():
    dossier = dossier_of(2)
    dossier.articles[1].outlet = "The <b>Post</b>"
    page = rendered(dossier)["actors/maduro.html"]
    mentions = page.split('id="h-mentions"')[1]
    sources = re.findall(r'<span class="print-source">([^<]*(?:<(?!/span>)[^<]*)*)</span>', mentions)
    assert len(sources) == mentions.count("<li>") == 4
    assert " — The Herald, 2022-03-01" in sources and " — The &lt;b&gt;Post&lt;/b&gt;, 2022-03-02" in sources, sources


def test_a_long_article_shows_its_first_sentences_naming_both_actors(monkeypatch):
    """Over the limit of sentences naming two actors, the page shows the article's first ones, the
    same in every run: which ones were kept followed the order of a set, which changes between runs."""
    from dossier import briefing

    sentence = "Maduro spoke with Biden again. "
    text = sentence * 40
    article = Article(id="long", path="seeds/long.txt", title="Long talks", paragraphs=[Paragraph(text, 1)], outlet="The Post",
                      date="2022-03-01")
    starts = [n * len(sentence) for n in range(40)]
    annotation = Annotation([Sentence(n, 0, s, s + len(sentence) - 1) for n, s in enumerate(starts)], [])
    maduro = [Mention("maduro", "long", "Maduro", "PERSON", n, s, s + 6) for n, s in enumerate(starts)]
    biden = [Mention("biden", "long", "Biden", "PERSON", n, s + 18, s + 23) for n, s in enumerate(starts)]
    dossier = Dossier("Talks", "", [article], {"long": annotation},
                      [Actor("maduro", "Nicolás Maduro", "person", mentions=maduro), Actor("biden", "Joe Biden", "person", mentions=biden)],
                      [], [])
    monkeypatch.setattr(briefing, "SHARED_ON_PAGE", 5)
    page = next(html for path, html in rendered(dossier).items() if path.startswith("network/"))
    assert re.findall(r'href="\.\./articles/long\.html#s(\d+)"', page) == ["0", "1", "2", "3", "4"]
