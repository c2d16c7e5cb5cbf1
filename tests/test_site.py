"""Output paths, page-relative links and the Jinja environment."""

from __future__ import annotations

import os
import re

import pytest

from dossier.site import article_path, environment, relative_url

# -- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "target", "link"), [
    ("actors/x.html", "articles/a.html#s3", "../articles/a.html#s3"),
    ("index.html", "actors/index.html", "actors/index.html"),
    ("index.html", "articles/a.html#s12", "articles/a.html#s12"),
    ("articles/a.html", "articles/b.html", "b.html"),
    ("articles/a.html", "#s3", "a.html#s3"),
    ("articles/2022/march/talks.html", "index.html", "../../../index.html"),
    ("articles/2022/march/talks.html", "actors/nicolas-maduro.html", "../../../actors/nicolas-maduro.html"),
    ("actors/nicolas-maduro.html", "assets/style.css", "../assets/style.css"),
    ("timeline/index.html", "timeline/2022.html", "2022.html"),
    ("index.html", "timeline/", "timeline/"),
    ("actors/index.html", "actors/index.html", "index.html"),
])
def test_relative_url(page, target, link):
    assert relative_url(page, target) == link


def test_relative_paths_agree_with_posixpath_between_any_two_folders_of_a_site():
    import itertools
    import posixpath

    from dossier.site import relative_path

    folders = ["", "actors", "articles", "articles/business", "articles/2022/march", "timeline", "articles/2022"]
    for start, folder in itertools.product(folders, folders):
        target = posixpath.join(folder, "page.html")
        assert relative_path(start, target) == posixpath.relpath(target, start or "."), (start, target)


@pytest.mark.parametrize(("article_id", "path"), [
    ("report", "articles/report.html"),
    ("2022/march/Talks in Caracas", r"articles/2022/march/talks-in-caracas-[0-9a-f]{8}\.html"),
    ("Café Noticias/Día 1", r"articles/cafe-noticias-[0-9a-f]{8}/dia-1-[0-9a-f]{8}\.html"),
    ("politics/100", "articles/politics/100.html"),
    ("000_434454466b79094a", "articles/000_434454466b79094a.html"),
])
def test_article_path_slugs_each_part(article_id, path):
    """Safe parts are kept as they are; others are slugged and get a hash of themselves, so they stay distinct."""
    assert re.fullmatch(path, article_path(article_id))


@pytest.mark.parametrize("key", ["tony blair", "bbc", "g8 summit 2005", "index", "a  b", " tony", "tony ", "café noir",
                                 "o'neil", "tony-blair", "Tony Blair", "x " * 45, "word " * 15 + "end"])
def test_an_item_id_is_the_slug_of_its_key_or_a_hashed_one(key):
    from slugify import slugify

    from dossier.site import item_id, short_hash

    slug = slugify(key, max_length=80, word_boundary=True)
    expected = slug if slug and slug != "index" and slug == slugify(key) else f"{slug or 'item'}-{short_hash(key)}"
    assert item_id(key) == expected


@pytest.mark.parametrize("article_id", ["../../etc/passwd", "a/../../b", "..", "/abs/x"])
def test_article_path_never_leaves_articles(article_id):
    path = article_path(article_id)
    assert path.startswith("articles/")
    assert ".." not in path.split("/")
    assert path.endswith(".html")


def test_distinct_article_ids_get_distinct_pages():
    ids = ["talks_2022", "talks-2022", "Talks 2022"]
    assert len({article_path(i) for i in ids}) == len(ids)


# -- templates ------------------------------------------------------------------------------------------


def test_a_kept_environment_sees_edited_and_new_templates(tmp_path):
    """Watch mode keeps the Jinja environment between builds: edits and new overrides must still show."""
    from dossier.site import environment

    default, mine = tmp_path / "default", tmp_path / "mine"
    default.mkdir()
    mine.mkdir()
    (default / "page.html").write_text("default")
    assert environment([mine, default], "https://x.org/").get_template("page.html").render() == "default"
    (mine / "page.html").write_text("override")
    assert environment([mine, default], "https://x.org/").get_template("page.html").render() == "override"
    (mine / "page.html").write_text("edited")
    later = (mine / "page.html").stat().st_mtime + 5
    os.utime(mine / "page.html", (later, later))
    assert environment([mine, default], "https://x.org/").get_template("page.html").render() == "edited"


def test_templates_link_from_their_page_in_loops_macros_and_the_404_page(tmp_path):
    """Each page gets its own `url`, seen in loops and in macros imported with the context."""
    from jinja2 import pass_context

    from dossier.site import render_text

    (tmp_path / "macros.html").write_text("{% macro home() %}{{ url('index.html') }}{% endmacro %}")
    (tmp_path / "page.html").write_text(
        "{% import 'macros.html' as m with context %}{% for t in targets %}{{ url(t) }} {% endfor %}| {{ m.home() }} | {{ shout('x') }}")
    env = environment([tmp_path], "https://x.org/repo/")
    env.globals["shout"] = pass_context(lambda context, text: f"{text} on {context['page_path']}")
    page = render_text(env, "page.html", "actors/a.html", targets=["actors/b.html", "#s2", "index.html"])
    assert page == "b.html a.html#s2 ../index.html | ../index.html | x on actors/a.html"
    missing = render_text(env, "page.html", "404.html", targets=["assets/style.css"], absolute_links=True)
    assert missing == "https://x.org/repo/assets/style.css | https://x.org/repo/index.html | x on 404.html"


def test_templates_escape_what_they_write_once_and_leave_markup_alone(tmp_path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, UndefinedError
    from markupsafe import Markup

    from dossier.site import render_text

    class Safe:
        def __html__(self):
            return "<i>its own html</i>"

    (tmp_path / "macros.html").write_text("{% macro bold(x) %}<b>{{ x }}</b>{% endmacro %}")
    (tmp_path / "page.html").write_text(
        '{% from "macros.html" import bold %}{{ text }}|{{ 3 }}|{{ markup }}|{{ safe }}|{{ bold(text) }}|'
        '{% set kept %}{{ text }}{% endset %}{{ kept }}|{% filter upper %}{{ text }}{% endfilter %}|'
        '{% autoescape false %}{{ text }}{% endautoescape %}|{{ missing if show }}')
    env = environment([tmp_path], "https://x.org/")
    values = {"text": "Tom & <Jerry> \"'", "markup": Markup("<em>ok</em>"), "safe": Safe(), "show": False}
    page = render_text(env, "page.html", "index.html", **values)
    stock = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True, undefined=StrictUndefined)
    assert page == stock.get_template("page.html").render(**values)  # Jinja's own escaping, byte for byte
    assert page.startswith("Tom &amp; &lt;Jerry&gt; &#34;&#39;|3|<em>ok</em>|<i>its own html</i>|<b>Tom &amp; &lt;Jerry")
    assert page.endswith("|Tom & <Jerry> \"'|")
    with pytest.raises(UndefinedError):
        render_text(env, "page.html", "index.html", text="t", markup="", safe="", show=True)


def test_compiled_templates_are_kept_for_the_next_process_and_an_edit_is_compiled_again(tmp_path):
    theme, compiled = tmp_path / "theme", tmp_path / "cache" / "templates"
    theme.mkdir()
    (theme / "page.html").write_text("first {{ 1 + 1 }}")
    assert environment([theme], "https://x.org/", compiled=compiled).get_template("page.html").render() == "first 2"
    assert list(compiled.iterdir())  # kept for the next process
    (theme / "page.html").write_text("second {{ 2 + 2 }}")
    assert environment([theme], "https://x.org/", compiled=compiled).get_template("page.html").render() == "second 4"
