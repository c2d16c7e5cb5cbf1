"""Page assembly: big actors split into pages, text between sentences kept, JSON safe in HTML."""

from __future__ import annotations

import json

from dossier.model import Actor, Mention
from dossier.pages import MENTIONS_PER_PAGE, actor_part_path, html_safe_json, mention_parts, segments


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


def test_a_template_needs_what_it_extends_imports_and_includes():
    from jinja2 import DictLoader, Environment

    from dossier.pages import templates_behind, uses_any

    env = Environment(loader=DictLoader({
        "base.html": "<main>{% block main %}{% endblock %}</main>",
        "macros.html": "{% macro m() %}x{% endmacro %}",
        "part.html": "part",
        "article.html": "{% extends 'base.html' %}{% from 'macros.html' import m %}{% block main %}{% include 'part.html' %}{% endblock %}",
        "actor.html": "{% extends 'base.html' %}",
        "dynamic.html": "{% include name %}",
    }))
    assert {"article.html", "base.html", "macros.html", "part.html"} <= templates_behind(env, "article.html")
    assert "event.html" in templates_behind(env, "actor.html")  # rendered from code for any page
    known: dict = {}
    assert uses_any(env, "article.html", "a.html", {"part.html"}, known)
    assert not uses_any(env, "actor.html", "b.html", {"part.html"}, known)
    assert uses_any(env, "actor.html", "b.html", {"base.html"}, known)
    assert uses_any(env, "dynamic.html", "c.html", {"part.html"}, known)  # a name known only at run time: could be any


def small_dossier():
    from dossier.clean import Paragraph
    from dossier.model import Annotation, Article, Sentence
    from dossier.pipeline import Dossier

    text = "Maduro spoke. Putin listened."
    article = Article(id="a", path="seeds/a.txt", title="Talks", paragraphs=[Paragraph(text, 1)], date="2024-01-02")
    annotation = Annotation(sentences=[Sentence(0, 0, 0, 13), Sentence(1, 0, 14, 29)], entities=[])
    maduro = Actor("maduro", "Nicolás Maduro", "person", mentions=[Mention("maduro", "a", "Maduro", "PERSON", 0, 0, 6)])
    return Dossier("Talks", "", [article], {"a": annotation}, [maduro], [])


def test_the_open_pages_render_first_and_the_rest_follows_unchanged():
    from dossier.config import Config
    from dossier.pages import render_all

    early: dict = {}
    files = render_all(small_dossier(), Config(), first={"actors/maduro.html"}, on_first=early.update)
    assert files == render_all(small_dossier(), Config())  # the order of rendering changes no byte
    assert early["actors/maduro.html"] == files["actors/maduro.html"]
    assert early["assets/style.css"] == files["assets/style.css"]  # the reloaded page needs its assets at once
    assert "articles/a.html" not in early and "index.html" not in early  # not rendered yet: not served stale


def test_unchanged_pages_are_known_early_and_nothing_is_early_without_an_open_page():
    from dossier.config import Config
    from dossier.pages import render_all

    early: dict = {}
    only_actors = lambda env, template, path: template == "actor.html"  # noqa: E731
    render_all(small_dossier(), Config(), wanted=only_actors, first={"actors/maduro.html"}, on_first=early.update)
    assert early["articles/a.html"] is None  # not rendered again: the file in place is current
    calls: list = []
    render_all(small_dossier(), Config(), first={"articles/a.html"}, wanted=only_actors, on_first=calls.append)
    assert calls == []  # the open page is not among those rendered again
