"""Page assembly: big actors split into pages, text between sentences kept, JSON safe in HTML."""

from __future__ import annotations

import json

from dossier.exports import html_safe_json
from dossier.fragments import segments
from dossier.model import Actor, Mention
from dossier.views import MENTIONS_PER_PAGE, actor_part_path, mention_parts


def actor_with(sentences: int) -> Actor:
    mentions = [Mention("uk", f"a{n // 10}", "UK", "GPE", n % 10, 0, 2) for n in range(sentences)]
    return Actor("uk", "United Kingdom", "place", mentions=mentions)


def test_an_actor_named_in_many_sentences_gets_several_pages():
    assert mention_parts(actor_with(MENTIONS_PER_PAGE)) == 1
    assert mention_parts(actor_with(MENTIONS_PER_PAGE + 1)) == 2
    assert actor_part_path("uk", 1) == "actors/uk.html"
    assert actor_part_path("uk", 2) == "actors/uk/2.html"


def test_segments_mark_mentions_and_keep_the_rest():
    text = "Maduro met Putin."
    parts = segments(text, 0, len(text), [(0, 6, None, True), (11, 16, None, True)])
    assert [(p.text, p.highlight) for p in parts] == [("Maduro", True), (" met ", False), ("Putin", True), (".", False)]
    assert "".join(p.text for p in parts) == text


def test_overlapping_marks_never_duplicate_text():
    text = "Nicolás Maduro spoke."
    parts = segments(text, 0, len(text), [(0, 14, None, True), (8, 14, None, True)])
    assert "".join(p.text for p in parts) == text


def test_json_cannot_close_a_script_element():
    text = html_safe_json({"title": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and json.loads(text)["title"].startswith("</script>")


def small_dossier():
    from dossier.clean import Paragraph
    from dossier.model import Annotation, Article, Dossier, Sentence

    text = "Maduro spoke. Putin listened."
    article = Article(id="a", path="seeds/a.txt", title="Talks", paragraphs=[Paragraph(text, 1)], date="2024-01-02")
    annotation = Annotation(sentences=[Sentence(0, 0, 0, 13), Sentence(1, 0, 14, 29)], entities=[])
    maduro = Actor("maduro", "Nicolás Maduro", "person", mentions=[Mention("maduro", "a", "Maduro", "PERSON", 0, 0, 6)])
    return Dossier("Talks", "", [article], {"a": annotation}, [maduro], [])


def test_the_open_pages_render_first_and_the_rest_follows_unchanged():
    from dossier.config import Config
    from dossier.pages import render_all

    early: dict = {}
    files = render_all(small_dossier(), Config(actor_page_min_articles=1), first={"actors/maduro.html"}, on_first=early.update)
    assert files == render_all(small_dossier(), Config(actor_page_min_articles=1))  # the order of rendering changes no byte
    assert early["actors/maduro.html"] == files["actors/maduro.html"]
    assert early["assets/style.css"] == files["assets/style.css"]  # the reloaded page needs its assets at once
    assert "articles/a.html" not in early and "index.html" not in early  # not rendered yet: not served stale


def test_the_open_pages_are_handed_over_first_with_the_assets():
    from dossier.config import Config
    from dossier.pages import render_all

    early: list = []
    files = render_all(small_dossier(), Config(actor_page_min_articles=1), first={"actors/maduro.html"}, on_first=early.append)
    assert len(early) == 1 and "actors/maduro.html" in early[0] and "assets/style.css" in early[0]
    assert "articles/a.html" not in early[0]  # the rest comes once rendered
    assert early[0]["actors/maduro.html"] == files["actors/maduro.html"]


def long_report_dossier(paragraphs: int = 600):
    """One article of `paragraphs` paragraphs of about 600 characters, Maduro named in each."""
    from dossier.clean import Paragraph
    from dossier.model import Annotation, Article, Dossier, Sentence

    body = "Maduro spoke at length about the economy, the oil sector and the talks. " * 8
    texts = [f"{n}. {body.strip()}" for n in range(paragraphs)]
    article = Article(id="report", path="content/report.md", title="Report", paragraphs=[Paragraph(t, 2 * n + 1) for n, t in enumerate(texts)],
                      date="2024-01-02")
    sentences, mentions, offset = [], [], 0
    for n, text in enumerate(texts):
        sentences.append(Sentence(n, n, offset, offset + len(text)))
        start = offset + text.index("Maduro")
        mentions.append(Mention("maduro", "report", "Maduro", "PERSON", n, start, start + 6))
        offset += len(text) + 2
    maduro = Actor("maduro", "Nicolás Maduro", "person", mentions=mentions)
    return Dossier("Report", "", [article], {"report": Annotation(sentences, [])}, [maduro], [])


def test_a_long_report_is_split_into_pages_and_every_backlink_finds_its_sentence():
    import re

    from dossier.config import Config
    from dossier.pages import render_all

    files = render_all(long_report_dossier(), Config(actor_page_min_articles=1))  # a page for the one-article actor
    parts = sorted(p for p in files if p.startswith("articles/report"))
    assert parts[0] == "articles/report.html" and len(parts) >= 3 and "articles/report.p2.html" in parts
    assert max(len(files[p]) for p in parts) < 400_000
    shown = {p: set(re.findall(r'id="s(\d+)"', files[p].decode())) for p in parts}
    assert sorted(int(s) for ids in shown.values() for s in ids) == list(range(600))  # each sentence once
    actor_pages = [p for p in files if p.startswith("actors/maduro")]
    links = [link for p in actor_pages for link in re.findall(r'href="(?:\.\./)+(articles/report[^"#]*)#s(\d+)"', files[p].decode())]
    assert len(links) == 600
    for page, sentence in links:
        assert sentence in shown[page], f"s{sentence} is not on {page}"
    assert b'aria-label="Pages of this article"' in files["articles/report.p2.html"]


def test_the_home_page_latest_are_events_no_later_than_the_newest_article():
    from dossier.clean import Paragraph
    from dossier.model import Article, Dossier, Event, Source
    from dossier.pages import latest_events

    def event(date: str, kind: str = "event", end: str = "") -> Event:
        return Event(date, "day" if len(date) == 10 else "year", date, "", [Source("a", 0, "t", date, "")], end=end, kind=kind)

    article = Article(id="a", path="seeds/a.txt", title="t", paragraphs=[Paragraph("t", 1)], date="2022-03-11")
    events = [event("2019"), event("2022-03-05"), event("2022-03-10", "background"), event("2022-03-11"),
              event("2022-03-12"), event("2024", "forecast"), event("2046")]
    dossier = Dossier("d", "", [article], {}, [], events)
    assert [e.date for e in latest_events(dossier)] == ["2022-03-11", "2022-03-05", "2019"]


def two_article_dossier():
    """Maduro named in both articles, Putin in one."""
    from dossier.clean import Paragraph
    from dossier.model import Annotation, Article, Dossier, Sentence

    text = "Maduro spoke. Putin listened."
    articles = [Article(id=i, path=f"seeds/{i}.txt", title=f"Talks {i}", paragraphs=[Paragraph(text, 1)], date=f"2024-01-0{n}")
                for n, i in enumerate(("a", "b"), 1)]
    annotation = Annotation(sentences=[Sentence(0, 0, 0, 13), Sentence(1, 0, 14, 29)], entities=[])
    maduro = Actor("maduro", "Nicolás Maduro", "person", mentions=[Mention("maduro", i, "Maduro", "PERSON", 0, 0, 6) for i in "ab"])
    putin = Actor("putin", "Vladimir Putin", "person", mentions=[Mention("putin", "b", "Putin", "PERSON", 1, 14, 19)])
    return Dossier("Talks", "", articles, {"a": annotation, "b": annotation}, [maduro, putin], [])


def test_an_actor_named_in_fewer_articles_than_the_threshold_has_no_page_and_no_link(tmp_path):
    import json

    from dossier.config import Config
    from dossier.pages import actor_records, article_records, render_all
    from tests.e2e.links import broken_links

    dossier = two_article_dossier()
    files = render_all(dossier, Config())
    assert "actors/maduro.html" in files and "actors/putin.html" not in files
    article = files["articles/b.html"].decode()
    assert '<span class="m type-person" title="person">Putin</span>' in article  # plain text with its type
    assert '<span class="actor type-person" title="person">Vladimir Putin</span>' in article  # listed where it occurs
    assert "actors/putin.html" not in "".join(f.decode() for name, f in files.items() if name.endswith(".html"))
    exported = {a["id"]: a for a in json.loads(files["dossier.json"])["actors"]}
    assert exported["putin"]["url"] == "articles/b.html#s1" and not exported["putin"]["page"]
    assert exported["maduro"]["url"] == "actors/maduro.html" and exported["maduro"]["page"]
    assert [r.page for r in actor_records(dossier.actors, 2)] == ["actors/maduro.html"]
    record = next(r for r in article_records("Talks", "", dossier.articles) if r.page == "articles/b.html")
    assert "Putin" in " ".join([record.text, *record.paragraphs])  # still found
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    assert broken_links(tmp_path) == []
    every = render_all(dossier, Config(actor_page_min_articles=1))
    assert "actors/putin.html" in every


def test_rendering_alone_leaves_no_cache_folder_a_build_would_refuse(tmp_path):
    """A script or a test that renders pages must not create the cache folder untagged: the next
    `make site` would refuse it as someone else's."""
    from dossier.config import Config
    from dossier.pages import render_all

    render_all(small_dossier(), Config(cache=tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


def test_each_page_records_the_theme_files_it_read_and_python_reads_are_shared(tmp_path):
    """What a page read decides whether a theme edit renders it again: its own template and what
    that loads; a template Python code renders (and keeps for later pages) counts for every page,
    with what it loads in turn."""
    import shutil

    from dossier.config import DEFAULT_THEME, Config
    from dossier.model import Event, Source
    from dossier.pages import ThemeReads, render_all

    theme = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    (theme / "event.html").write_text('{% import "extra.html" as extra %}' + (theme / "event.html").read_text())
    (theme / "extra.html").write_text("{% macro nothing() %}{% endmacro %}")
    dossier = small_dossier()
    dossier.events.append(Event("2024-01-02", "day", "2 Jan 2024", "", [Source("a", 0, "Maduro spoke.", "today", "the article's date")]))
    reads = ThemeReads({})
    render_all(dossier, Config(actor_page_min_articles=1, templates=theme), reads=reads)
    assert reads.pages["actors/maduro.html"] >= {"actor.html", "base.html", "macros.html"}
    assert "article.html" not in reads.pages["actors/maduro.html"]
    assert reads.pages["404.html"] >= {"404.html", "base.html"}
    assert {"assets/style.css", "event.html", "extra.html"} <= reads.shared  # inline in 404.html; Context.event_html


def test_a_theme_edit_leaves_only_the_pages_that_read_none_of_it():
    from dossier.pages import ThemeReads, untouched_pages

    last = ThemeReads({"base.html": "1", "article.html": "2", "actor.html": "3", "event.html": "4"},
                      {"articles/a.html": frozenset({"base.html", "article.html"}), "actors/b.html": frozenset({"base.html", "actor.html"}),
                       "feed.xml": frozenset({"feed.xml"})}, {"event.html"})
    assert untouched_pages(last, {**last.theme, "article.html": "5"}) == ["actors/b.html", "feed.xml"]
    assert untouched_pages(last, {**last.theme, "base.html": "5"}) == ["feed.xml"]
    assert untouched_pages(last, {**last.theme, "feed.xml": "6"}) == ["articles/a.html", "actors/b.html"]  # an override added
    assert untouched_pages(last, {k: v for k, v in last.theme.items() if k != "actor.html"}) == ["articles/a.html", "feed.xml"]
    assert untouched_pages(last, {**last.theme, "event.html": "5"}) == []  # read by Python: every page
    assert untouched_pages(None, last.theme) == []


def test_what_an_imported_template_loads_counts_for_every_page_that_imports_it(tmp_path):
    """Jinja keeps an imported template's module (imported without context): what it imports runs
    once a process, for the first page. Every page importing it read that too; and "./x.html" is
    the file x.html."""
    import shutil
    from dataclasses import replace

    from dossier.config import DEFAULT_THEME, Config
    from dossier.pages import ThemeReads, render_all

    theme = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    article = (theme / "article.html").read_text()
    (theme / "article.html").write_text(article.replace(
        "{% block main %}", '{% block main %}{% from "tags.html" import tag %}<p>{{ tag() }}{% include "./snippet.html" %}</p>', 1))
    (theme / "tags.html").write_text('{% from "helpers.html" import h %}{% macro tag() %}[{{ h() }}]{% endmacro %}')
    (theme / "helpers.html").write_text("{% macro h() %}helper{% endmacro %}")
    (theme / "snippet.html").write_text("snippet")
    dossier = small_dossier()
    dossier.articles.append(replace(dossier.articles[0], id="b", path="seeds/b.txt"))
    dossier.annotations["b"] = dossier.annotations["a"]
    reads = ThemeReads({})
    files = render_all(dossier, Config(templates=theme), reads=reads)
    assert b"[helper]" in files["articles/a.html"] and b"[helper]" in files["articles/b.html"]
    for page in ("articles/a.html", "articles/b.html"):
        assert {"tags.html", "helpers.html", "snippet.html"} <= reads.pages[page], page
