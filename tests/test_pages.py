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
