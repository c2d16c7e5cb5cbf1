"""Output paths, page-relative links, the atomic site write and the output-folder safety checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.problems import ConfigError
from dossier.site import (
    OWNER_MARKER,
    NewSite,
    article_path,
    check_output_folder,
    environment,
    finish_removals,
    recover_interrupted,
    relative_url,
    write_site,
)

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

def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def beside(out: Path) -> list[str]:
    """What the build left next to the site, once the replaced site has been deleted in the background."""
    finish_removals()
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


FILES = {"index.html": b"<h1>Home</h1>", "articles/a.html": b"<p>A</p>", "actors/x.html": b"<p>X</p>"}


def test_write_site_writes_every_file_and_the_marker(tmp_path):
    out = tmp_path / "site"
    stats = write_site(out, FILES)
    assert tree(out) == {**FILES, OWNER_MARKER: (out / OWNER_MARKER).read_bytes()}
    assert stats == {"written": 3, "unchanged": 0}  # the marker and its manifest are not counted
    assert beside(out) == []


def test_write_site_replaces_the_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site(out, {**FILES, "actors/gone.html": b"old actor"})
    write_site(out, {**FILES, "index.html": b"<h1>New home</h1>"})
    files = tree(out)
    assert "actors/gone.html" not in files
    assert files["index.html"] == b"<h1>New home</h1>"
    assert beside(out) == []


def test_unchanged_files_keep_their_inode(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    before = {rel: (out / rel).stat().st_ino for rel in FILES}
    stats = write_site(out, {**FILES, "index.html": b"<h1>Changed</h1>"})
    assert stats == {"written": 1, "unchanged": 2}
    assert (out / "articles/a.html").stat().st_ino == before["articles/a.html"]
    assert (out / "actors/x.html").stat().st_ino == before["actors/x.html"]
    assert (out / "index.html").read_bytes() == b"<h1>Changed</h1>"
    # Once the previous site is deleted, no second link to the kept file is left behind.
    finish_removals()
    assert (out / "articles/a.html").stat().st_nlink == 1


def test_a_removal_a_killed_remover_left_is_finished_by_the_next_build(tmp_path):
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    exited.wait()
    left = tmp_path / f".site.gone-{exited.pid}"  # its remover is no longer running
    (left / "actors").mkdir(parents=True)
    (left / "actors" / "x.html").write_bytes(b"old")
    busy = tmp_path / f".site.gone-{os.getpid()}"  # a remover still at work: not this build's to delete
    busy.mkdir()
    write_site(tmp_path / "site", FILES)
    finish_removals()
    assert not left.exists() and busy.exists()


@pytest.mark.parametrize("bad", ["b/../../evil.html", "../evil.html", "ABSOLUTE"])
def test_failure_midway_leaves_the_previous_site_untouched(tmp_path, bad):
    bad = str(tmp_path / "evil.html") if bad == "ABSOLUTE" else bad
    out = tmp_path / "site"
    write_site(out, FILES)
    old = tree(out)
    with pytest.raises(ValueError, match="escapes"):
        write_site(out, {"a.html": b"new a", bad: b"evil", "c.html": b"new c", "index.html": b"new home"})
    assert tree(out) == old
    assert beside(out) == []
    assert not (tmp_path / "evil.html").exists()


def test_recover_interrupted_restores_the_old_site(tmp_path):
    out = tmp_path / "site"
    old = tmp_path / ".site.old-123"
    (old / "articles").mkdir(parents=True)
    (old / "index.html").write_bytes(b"previous home")
    (old / "articles" / "a.html").write_bytes(b"previous a")
    (tmp_path / ".site.tmp-123").mkdir()
    recover_interrupted(out)
    assert tree(out) == {"index.html": b"previous home", "articles/a.html": b"previous a"}
    assert beside(out) == []


def test_recover_interrupted_keeps_a_present_site(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_bytes(b"current")
    (tmp_path / ".site.old-99").mkdir()
    (tmp_path / ".site.old-99" / "index.html").write_bytes(b"stale")
    recover_interrupted(out)
    assert tree(out) == {"index.html": b"current"}
    assert beside(out) == []


def test_write_site_after_an_interruption_starts_from_the_old_site(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    out.rename(tmp_path / ".site.old-4242")
    stats = write_site(out, FILES)
    assert stats["unchanged"] == 3
    assert tree(out)["index.html"] == FILES["index.html"]
    assert beside(out) == []


# -- output folder checks --------------------------------------------------------------------------------

def test_refuses_the_root_folder():
    with pytest.raises(ConfigError):
        check_output_folder(Path("/"), [], force=True)


def test_refuses_the_home_folder(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(ConfigError):
        check_output_folder(home, [], force=True)
    with pytest.raises(ConfigError):
        check_output_folder(tmp_path / "home" / "sub" / "..", [], force=True)


@pytest.mark.parametrize("out_name", [".", "seeds", "content"])
def test_refuses_a_folder_containing_the_inputs(tmp_path, out_name):
    project = tmp_path / "project"
    for name in ("seeds", "content"):
        (project / name).mkdir(parents=True)
    (project / "seeds" / "a.txt").write_text("text")
    with pytest.raises(ConfigError, match="inputs"):
        check_output_folder(project / out_name, [project / "seeds", project / "content"], force=True)
    assert (project / "seeds" / "a.txt").read_text() == "text"


def test_refuses_a_non_empty_foreign_folder_without_force(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="force"):
        check_output_folder(out, [tmp_path / "seeds"], force=False)
    check_output_folder(out, [tmp_path / "seeds"], force=True)


def test_accepts_a_missing_an_empty_or_an_own_folder(tmp_path):
    seeds = tmp_path / "seeds"
    check_output_folder(tmp_path / "missing", [seeds], force=False)
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty", [seeds], force=False)
    write_site(tmp_path / "own", FILES)
    check_output_folder(tmp_path / "own", [seeds], force=False)


def test_refuses_a_file(tmp_path):
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(ConfigError):
        check_output_folder(tmp_path / "site", [], force=True)


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


def test_pages_put_by_a_forked_child_land_in_the_new_site(tmp_path):
    from dossier.site import NewSite

    out = tmp_path / "site"
    write_site(out, FILES)
    new = NewSite(out)
    pid = os.fork()
    if pid == 0:
        try:
            new.put("actors/x.html", b"<p>X</p>")  # unchanged: linked
            new.put("actors/y.html", b"<p>Y</p>")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    files = {"index.html": b"<h1>Home</h1>", "articles/a.html": None,
             "actors/x.html": new.put("actors/x.html", b"<p>X</p>"), "actors/y.html": new.put("actors/y.html", b"<p>Y</p>")}
    old_inode = (out / "actors/x.html").stat().st_ino
    stats = write_site(out, files, new=new)
    assert tree(out) == {**FILES, "actors/y.html": b"<p>Y</p>", OWNER_MARKER: (out / OWNER_MARKER).read_bytes()}
    assert (out / "actors/x.html").stat().st_ino == old_inode
    assert stats == {"written": 1, "unchanged": 3}


def test_a_page_put_twice_never_writes_through_a_link_into_the_site_in_place(tmp_path):
    """A failed child's share is rendered again: its pages may be in the new folder already, some as
    hard links to the site people are reading."""
    from dossier.site import NewSite

    out = tmp_path / "site"
    write_site(out, FILES)
    new = NewSite(out)
    assert not new.put("actors/x.html", b"<p>X</p>").written  # linked to the page in place
    assert new.put("actors/x.html", b"<p>X, changed</p>").written
    assert (out / "actors/x.html").read_bytes() == b"<p>X</p>"
    write_site(out, {**FILES, "actors/x.html": new.put("actors/x.html", b"<p>X, changed</p>")}, new=new)
    assert (out / "actors/x.html").read_bytes() == b"<p>X, changed</p>"


def test_a_failed_build_leaves_no_new_folder(tmp_path):
    from dossier.site import NewSite

    out = tmp_path / "site"
    write_site(out, FILES)
    new = NewSite(out)
    new.put("index.html", b"half")
    new.discard()
    assert tree(out)["index.html"] == FILES["index.html"]
    assert beside(out) == []


def test_compiled_templates_are_kept_for_the_next_process_and_an_edit_is_compiled_again(tmp_path):
    theme, compiled = tmp_path / "theme", tmp_path / "cache" / "templates"
    theme.mkdir()
    (theme / "page.html").write_text("first {{ 1 + 1 }}")
    assert environment([theme], "https://x.org/", compiled=compiled).get_template("page.html").render() == "first 2"
    assert list(compiled.iterdir())  # kept for the next process
    (theme / "page.html").write_text("second {{ 2 + 2 }}")
    assert environment([theme], "https://x.org/", compiled=compiled).get_template("page.html").render() == "second 4"


def test_a_folder_whose_every_page_is_kept_moves_into_the_new_site_whole(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    folder, page = (out / "actors").stat().st_ino, (out / "actors/x.html").stat().st_ino
    stats = write_site(out, {**FILES, "index.html": b"<h1>New</h1>", "actors/x.html": None, "articles/a.html": None},
                       also_kept=("pagefind",))
    assert (out / "actors").stat().st_ino == folder and (out / "actors/x.html").stat().st_ino == page
    assert tree(out) == {**FILES, "index.html": b"<h1>New</h1>", OWNER_MARKER: (out / OWNER_MARKER).read_bytes()}
    assert stats == {"written": 1, "unchanged": 2}
    assert beside(out) == []


def test_a_build_killed_after_taking_folders_gives_them_back(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    (out / "pagefind").mkdir()
    (out / "pagefind" / "index.js").write_text("index")
    old = tree(out)
    dying = NewSite(out)
    dying.take_folders(["actors", "pagefind"])  # ... and the process is killed before its swap
    assert not (out / "actors").exists()
    NewSite(out).discard()  # the next build, recovering first
    assert tree(out) == old
    assert beside(out) == []


def test_a_swap_that_fails_after_taking_folders_leaves_the_site_in_place_whole(tmp_path, monkeypatch):
    from dossier import site

    out = tmp_path / "site"
    write_site(out, FILES)
    old = tree(out)
    rename = os.rename

    def failing_swap(source, target):
        if str(source) == str(out.absolute()):
            raise OSError("device busy")
        rename(source, target)

    monkeypatch.setattr(site.os, "rename", failing_swap)
    with pytest.raises(OSError, match="busy"):
        write_site(out, {**FILES, "index.html": b"<h1>New</h1>", "actors/x.html": None})
    assert tree(out) == old
    assert beside(out) == []


# -- the spare site: the one replaced, written over by the next build ---------------------------------


def spare_builds(tmp_path: Path, *sites: dict[str, bytes | None]) -> tuple[Path, Path]:
    """Build each of `sites` in turn with a spare folder, as the command line does."""
    out, spare = tmp_path / "out" / "site", tmp_path / "cache" / "spare-site"
    for files in sites:
        write_site(out, files, spare=spare)
    return out, spare


def inode(path: Path) -> int:
    return path.stat().st_ino


def test_the_replaced_site_waits_as_the_spare_and_the_next_build_writes_over_its_files(tmp_path):
    out, spare = spare_builds(tmp_path, {**FILES, "index.html": b"<h1>One</h1>"})
    write_site(out, {**FILES, "index.html": b"<h1>Two</h1>"}, spare=spare)
    assert tree(spare)["index.html"] == b"<h1>One</h1>"  # the replaced site, whole, with its manifest
    assert tree(spare)[OWNER_MARKER] and beside(out) == []
    with open(spare / "index.html", "rb") as one:  # open, its file cannot be deleted and another made in its place
        stats = write_site(out, {**FILES, "index.html": b"<h1>Three, longer than the first</h1>"}, spare=spare)
        assert one.read() == b"<h1>Three, longer than the first</h1>"  # the same file, written over
    assert tree(out) == {**FILES, "index.html": b"<h1>Three, longer than the first</h1>",
                         OWNER_MARKER: (out / OWNER_MARKER).read_bytes()}
    assert tree(spare)["index.html"] == b"<h1>Two</h1>"
    assert stats == {"written": 1, "unchanged": 2}


def test_a_spare_file_linked_to_the_site_in_place_is_never_written_through(tmp_path):
    """A kept page is a hard link from the site in place when the spare had no file of its own: the
    next build that changes it must make a new file, not write into the one people are reading."""
    out, spare = spare_builds(tmp_path, {**FILES, "articles/b.html": b"<p>B</p>"})
    write_site(out, {**FILES, "articles/a.html": None, "articles/b.html": b"<p>B, two</p>"}, spare=spare)
    assert inode(out / "articles/a.html") == inode(spare / "articles/a.html")  # no spare then: linked
    write_site(out, {**FILES, "articles/a.html": b"<p>A, changed</p>", "articles/b.html": None}, spare=spare)
    assert (out / "articles/a.html").read_bytes() == b"<p>A, changed</p>"
    assert (spare / "articles/a.html").read_bytes() == b"<p>A</p>"  # the site it replaced, untouched


def test_a_page_kept_from_the_site_in_place_is_copied_over_the_spare_file_with_its_times(tmp_path):
    out, spare = spare_builds(tmp_path, FILES, {**FILES, "articles/a.html": b"<p>A, two</p>"})
    os.utime(out / "articles/a.html", ns=(1_000_000_000, 1_000_000_000))
    with open(spare / "articles/a.html", "rb") as spare_file:
        write_site(out, {**FILES, "index.html": b"<h1>Three</h1>", "articles/a.html": None}, spare=spare)
        assert spare_file.read() == b"<p>A, two</p>"  # written over, not replaced
    assert (out / "articles/a.html").read_bytes() == b"<p>A, two</p>"
    assert (out / "articles/a.html").stat().st_mtime_ns == 1_000_000_000


def test_pages_and_files_the_new_site_has_not_are_gone_from_the_spare(tmp_path):
    out, spare = spare_builds(tmp_path, {**FILES, "actors/old.html": b"old", "actors/y/z/2.html": b"part 2"}, FILES)
    (spare / "pagefind").mkdir()
    (spare / "pagefind" / "stale.js").write_text("an index no longer wanted")
    write_site(out, {**FILES, "actors/new.html": b"new"}, spare=spare)
    assert set(tree(out)) == {*FILES, "actors/new.html", OWNER_MARKER}
    assert not (out / "actors" / "y").exists() and not (out / "pagefind").exists()


def test_a_page_deleted_from_the_site_is_written_again_when_that_site_is_the_spare(tmp_path):
    """A damaged site, whose manifest still lists a page deleted by hand, becomes the spare."""
    out, spare = spare_builds(tmp_path, FILES)
    (out / "actors" / "x.html").unlink()
    write_site(out, {**FILES, "index.html": b"<h1>Two</h1>"}, spare=spare)
    write_site(out, FILES, spare=spare)
    assert tree(out) == {**FILES, OWNER_MARKER: (out / OWNER_MARKER).read_bytes()}


def test_a_failed_build_leaves_the_site_in_place_and_the_next_one_trusts_nothing_the_spare_held(tmp_path):
    out, spare = spare_builds(tmp_path, FILES, {**FILES, "index.html": b"<h1>Two</h1>"})
    before = tree(out)
    with pytest.raises(ValueError, match="escapes"):
        write_site(out, {"actors/x.html": b"<p>half written</p>", "index.html": b"<h1>Three</h1>", "../evil.html": b"x"},
                   spare=spare)
    assert tree(out) == before
    assert OWNER_MARKER not in tree(spare)  # kept to write over, but no longer a whole site
    write_site(out, FILES, spare=spare)  # the same digests as the spare's manifest once listed
    assert tree(out) == {**FILES, OWNER_MARKER: (out / OWNER_MARKER).read_bytes()}


def test_mirror_links_keeps_the_links_it_has_and_sets_right_the_rest(tmp_path):
    from dossier.site import mirror_links

    source, target = tmp_path / "bundle", tmp_path / "site" / "pagefind"
    (source / "fragment").mkdir(parents=True)
    for name, text in {"pagefind.js": "js", "fragment/a.pf": "a", "fragment/b.pf": "b"}.items():
        (source / name).write_text(text)
    mirror_links(source, target)
    kept = inode(target / "fragment/a.pf")
    (target / "fragment/b.pf").unlink()
    (target / "fragment/b.pf").write_text("a stale copy")
    (target / "extra.pf").write_text("not in the bundle")
    mirror_links(source, target)
    assert tree(target) == tree(source)
    assert inode(target / "fragment/a.pf") == kept == inode(source / "fragment/a.pf")
    assert inode(target / "fragment/b.pf") == inode(source / "fragment/b.pf")
