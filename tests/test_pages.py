"""Page assembly: big actors split into pages, text between sentences kept, JSON safe in HTML."""

from __future__ import annotations

import json

from dossier.exports import html_safe_json
from dossier.model import Actor, Mention
from dossier.views import MENTIONS_PER_PAGE, actor_part_path, mention_parts, segments


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
    assert "Putin" in next(r.text for r in article_records("Talks", "", dossier.articles) if r.page == "articles/b.html")  # still found
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    assert broken_links(tmp_path) == []
    every = render_all(dossier, Config(actor_page_min_articles=1))
    assert "actors/putin.html" in every
