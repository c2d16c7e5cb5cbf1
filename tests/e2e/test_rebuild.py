"""Rebuilds do only the work a change needs, and always end with the site a clean build would make."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.conftest import ROOT, make_project, run_build

pytestmark = pytest.mark.slow


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "pagefind" not in p.parts}


def inode(path):
    return path.stat().st_ino


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def build(project, cache, *args):
    return run_build(project, "build", "--cache", str(cache), *args)


def test_nothing_changed_is_reported_with_the_same_problems_and_exit_code(project, tmp_path, shared_cache):
    cache = shared_cache
    (project / "seeds" / "empty.txt").write_text("\n")
    first = build(project, cache)
    assert first.code == 1 and "seeds/empty.txt" in first.stderr
    page = project / "site" / "index.html"
    before = inode(page)
    again = build(project, cache)
    assert again.code == 1
    assert "up to date" in again.stderr
    assert "seeds/empty.txt: error: the file is empty" in again.stderr  # the skipped input is still reported
    assert inode(page) == before  # nothing was rewritten


def test_an_edited_seed_is_rebuilt_not_skipped(project, tmp_path, shared_cache):
    cache = shared_cache
    assert build(project, cache).code == 0
    seed = project / "seeds" / "000_434454466b79094a.txt"
    text = seed.read_text()
    assert "was a stunning shift in policy" in text
    seed.write_text(text.replace("was a stunning shift in policy", "was a remarkable shift in policy", 1))
    run = build(project, cache)
    assert run.code == 0 and "up to date" not in run.stderr
    page = (project / "site" / "articles" / "000_434454466b79094a.html").read_text()
    assert "remarkable shift" in page and "stunning shift" not in page


def test_a_damaged_site_is_rebuilt(project, tmp_path, shared_cache):
    cache = shared_cache
    assert build(project, cache).code == 0
    (project / "site" / "actors" / "nicolas-maduro.html").unlink()
    run = build(project, cache)
    assert run.code == 0 and "up to date" not in run.stderr
    assert (project / "site" / "actors" / "nicolas-maduro.html").is_file()


def test_a_changed_setting_is_rebuilt(project, tmp_path, shared_cache):
    cache = shared_cache
    assert build(project, cache).code == 0
    run = build(project, cache, "--base-url", "https://example.net/another/")
    assert "up to date" not in run.stderr
    assert "https://example.net/another/index.html" in (project / "site" / "sitemap.xml").read_text()


def test_a_template_change_rewrites_only_the_pages_it_changes_and_matches_a_clean_build(project, tmp_path, shared_cache):
    cache = shared_cache
    theme = tmp_path / "theme"
    theme.mkdir()
    assert build(project, cache, "--templates", str(theme)).code == 0
    site = project / "site"
    actor_page, article_page = site / "actors" / "nicolas-maduro.html", site / "articles" / "000_434454466b79094a.html"
    actor_before, article_before = inode(actor_page), inode(article_page)
    article = (ROOT / "templates" / "article.html").read_text()
    edited = article.replace("<h1>{{ ctx.headline_html(article, page_path) }}</h1>", "<h1 class=\"edited\">{{ article.title }}</h1>")
    assert edited != article
    (theme / "article.html").write_text(edited)
    run = build(project, cache, "--templates", str(theme), "-v")
    assert run.code == 0 and "up to date" not in run.stderr
    assert '<h1 class="edited">' in article_page.read_text()
    assert inode(actor_page) == actor_before  # the same bytes: linked from the site in place, not written
    assert inode(article_page) != article_before
    # the same bytes as a build from nothing with the edited theme
    clean = tmp_path / "clean"
    shutil.copytree(project / "seeds", clean / "seeds")
    shutil.copytree(project / "content", clean / "content")
    assert build(clean, cache, "--templates", str(theme)).code == 0
    assert snapshot(site) == snapshot(clean / "site")


def test_a_changed_base_template_reaches_every_page(project, tmp_path, shared_cache):
    cache = shared_cache
    theme = tmp_path / "theme"
    theme.mkdir()
    assert build(project, cache, "--templates", str(theme)).code == 0
    base = (ROOT / "templates" / "base.html").read_text()
    (theme / "base.html").write_text(base.replace("built with dossier", "built with dossier (edited theme)"))
    assert build(project, cache, "--templates", str(theme)).code == 0
    pages = [p for p in (project / "site").rglob("*.html") if "pagefind" not in p.parts and p.name != "404.html"]
    assert pages and all("(edited theme)" in p.read_text() for p in pages)


def test_the_search_index_is_reused_when_only_the_theme_changes(project, tmp_path, shared_cache):
    cache = shared_cache
    theme = tmp_path / "theme"
    theme.mkdir()
    assert build(project, cache, "--templates", str(theme)).code == 0
    entry = project / "site" / "pagefind" / "0" / "pagefind-entry.json"
    before = inode(entry)
    (theme / "404.html").write_text("<!DOCTYPE html><title>gone</title><p>Not here</p>\n")
    assert build(project, cache, "--templates", str(theme)).code == 0
    assert inode(entry) == before  # linked from the index in place, not indexed again
    (theme / "search.html").write_text((ROOT / "templates" / "search.html").read_text().replace(
        "{% block main %}", "{% block main %}<!-- edited -->"))
    assert build(project, cache, "--templates", str(theme)).code == 0
    searching = (project / "site" / "search.html").read_text()
    assert "<!-- edited -->" in searching and 'data-bundles="pagefind/0/' in searching  # still finds the index
    assert inode(entry) == before
    assert "up to date" in build(project, cache, "--templates", str(theme), "-v").stderr  # recorded as searchable


# -- edits of the inputs: the site a clean build gives -----------------------------------------------

def replace_in(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def insert_paragraph(path, sentence):
    text = path.read_text()
    first_break = text.index("\n\n")
    path.write_text(text[:first_break] + "\n\n" + sentence + text[first_break:])


EDITS = {
    "reworded sentence": lambda p: replace_in(p / "seeds" / "000_434454466b79094a.txt",
                                              "was a stunning shift in policy", "was a remarkable shift in policy"),
    "known actors named again": lambda p: insert_paragraph(p / "seeds" / "002_b24435e7eb72e17b.txt",
                                                           "Nicolás Maduro spoke with Joe Biden again on Tuesday."),
    "a new person": lambda p: insert_paragraph(p / "seeds" / "001_8631d0b8bf69ee07.txt",
                                               "Gordon Brown met Nicolás Maduro in Caracas in March 2021."),
    "curated description": lambda p: replace_in(p / "content" / "actors.yml", "President of Venezuela since 2013",
                                                "Head of state of Venezuela since 2013"),
    "curated type": lambda p: replace_in(p / "content" / "actors.yml", "  - name: Washington Office on Latin America\n    type: organization",
                                         "  - name: Washington Office on Latin America\n    type: group"),
    "overlay title": lambda p: replace_in(p / "content" / "articles" / "000_434454466b79094a.md", "title: ", "title: Revised, "),
    "article deleted": lambda p: (p / "seeds" / "001_8631d0b8bf69ee07.txt").unlink(),
}


def test_an_edited_article_leaves_unrelated_pages_alone(project, shared_cache):
    assert build(project, shared_cache).code == 0
    site = project / "site"
    untouched = [p for p in (site / "actors").glob("*.html")
                 if "000_434454466b79094a.html" not in p.read_text() and "index" not in p.name]
    assert untouched
    untouched.append(site / "sitemap.xml")  # the same pages as before
    before = {p: inode(p) for p in untouched}
    EDITS["reworded sentence"](project)
    assert build(project, shared_cache).code == 0
    assert "remarkable shift" in (site / "articles" / "000_434454466b79094a.html").read_text()
    assert {p: inode(p) for p in untouched} == before


def test_a_watch_session_turns_each_edit_into_the_site_a_clean_build_gives(project, tmp_path, shared_cache, monkeypatch):
    """Watch mode keeps each article's results from build to build; after every edit in turn, the
    site must still be what a build from scratch makes of the same files."""
    from dossier import nlp, pipeline
    from dossier.config import load_config
    from dossier.problems import Problems

    model = nlp.Model(*(lambda c: (c.model, c.exclude))(load_config(ROOT, {})))  # one, loaded once, as a session keeps it

    def build_in(folder, memo):
        monkeypatch.chdir(folder)  # pages name their input files as the command line would, run there
        config = load_config(folder, {"cache": shared_cache, "search": False})
        pipeline.build(config, Problems(), model=model, memo=memo)

    session: dict = {}
    build_in(project, session)
    for number, (name, edit) in enumerate(EDITS.items()):
        edit(project)
        build_in(project, session)
        clean = tmp_path / f"clean-{number}"
        shutil.copytree(project / "seeds", clean / "seeds")
        shutil.copytree(project / "content", clean / "content")
        build_in(clean, None)
        watched, rebuilt = snapshot(project / "site"), snapshot(clean / "site")
        assert sorted(p for p in watched.keys() | rebuilt.keys() if watched.get(p) != rebuilt.get(p)) == [], name


def test_each_run_after_an_edit_redoes_only_the_edited_article_and_gives_a_clean_build(project, tmp_path, shared_cache,
                                                                                       monkeypatch):
    """The command line keeps each article's results on disk from run to run, as a watch session
    keeps them in memory: a run after an edit finds the names of the edited article only, and the
    results carried over several runs still give the site a build from scratch makes."""
    from dossier import actors, pipeline
    from dossier.config import load_config
    from dossier.problems import Problems

    searched: list[str] = []
    candidates_of = actors.candidates_of
    monkeypatch.setattr(actors, "candidates_of", lambda article, *rest: searched.append(article.id) or candidates_of(article, *rest))

    def run_in(folder) -> None:
        monkeypatch.chdir(folder)
        pipeline.build(load_config(folder, {"cache": shared_cache, "search": False}), Problems())

    run_in(project)
    for name, edited in [("reworded sentence", "000_434454466b79094a"), ("a new person", "001_8631d0b8bf69ee07"),
                         ("known actors named again", "002_b24435e7eb72e17b"), ("overlay title", None)]:
        searched.clear()
        EDITS[name](project)
        run_in(project)
        assert searched == ([edited] if edited else []), name  # a new title: the names found stay
    clean = tmp_path / "clean"  # built after the chain: the cache keeps the data of the last build only
    shutil.copytree(project / "seeds", clean / "seeds")
    shutil.copytree(project / "content", clean / "content")
    run_in(clean)
    assert snapshot(project / "site") == snapshot(clean / "site")


# -- any sequence of edits: the incremental site is the clean build's, byte for byte --------------

DOSSIER_WIDE_FOOTER = "<p class=\"count\">{{ ctx.dossier.actors|length }} actors · {{ ctx.dossier.events|length }} events, theme {}</p>\n</footer>"


def edit_seed(project, number: int) -> None:
    seeds = sorted((project / "seeds").glob("*.txt"))  # fewer than five once a seed is deleted
    seed = seeds[number % len(seeds)] if seeds else None
    if seed is not None:
        with seed.open("a", encoding="utf-8") as text:
            text.write(f"\n\nGordon Brown{' and Angela Merkel' * (number % 2)} met officials in Caracas on 3 March 2021.\n")


def edit_front_matter(project, number: int) -> None:
    replace_in(project / "content" / "articles" / "000_434454466b79094a.md", "title: ", f"title: Revised {number}, ")


def edit_actors_yml(project, number: int) -> None:
    path = project / "content" / "actors.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ignore: []", f"ignore: []\n# edit {number}")
                    .replace("President of the United States.", f"Head of state, edit {number}."), encoding="utf-8")


def delete_seed(project, number: int) -> None:
    seeds = sorted((project / "seeds").glob("*.txt"))
    if len(seeds) > 2:
        seeds[number % len(seeds)].unlink()


def add_article(project, number: int) -> None:
    (project / "content" / f"added-{number}.md").write_text(
        f"---\ntitle: Added report {number}\noutlet: Reuters\ndate: 2024-02-0{1 + number % 9}\n---\n"
        f"Delcy Rodríguez met Joe Biden in Washington on Monday, officials said.\n", encoding="utf-8")


def override_base(project, number: int) -> None:
    """A theme override that shows dossier-wide data on every page (every project starts with one)."""
    source = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    (project / "theme" / "base.html").write_text(source.replace("</footer>", DOSSIER_WIDE_FOOTER.replace("theme {}", f"theme {number}")),
                                                 encoding="utf-8")


def edit_template(project, number: int) -> None:
    override = project / "theme" / "article.html"
    source = (ROOT / "templates" / "article.html").read_text(encoding="utf-8")
    override.write_text(source.replace("{% block main %}", f"{{% block main %}}<p>Edition {number}</p>", 1), encoding="utf-8")


def override_event(project, number: int) -> None:
    """event.html is rendered by Python code (views.Context.event_html), which keeps it for later pages."""
    source = (ROOT / "templates" / "event.html").read_text(encoding="utf-8")
    (project / "theme" / "event.html").write_text(source.replace('<span class="when"', f'<span class="edition">{number}</span><span class="when"', 1),
                                                  encoding="utf-8")


def edit_stylesheet(project, number: int) -> None:
    """The stylesheet is a file of the site and inline in the 404 page."""
    (project / "theme" / "assets").mkdir(exist_ok=True)
    source = (ROOT / "templates" / "assets" / "style.css").read_text(encoding="utf-8")
    (project / "theme" / "assets" / "style.css").write_text(source + f"\n.edition-{number} {{ color: red; }}\n", encoding="utf-8")


def remove_override(project, number: int) -> None:
    """Back to the default theme's file."""
    overrides = sorted(p for p in (project / "theme").rglob("*") if p.is_file())
    if overrides:
        overrides[number % len(overrides)].unlink()


PROPERTY_EDITS = [edit_seed, edit_front_matter, edit_actors_yml, delete_seed, add_article, override_base, edit_template,
                  override_event, edit_stylesheet, remove_override]


def test_any_sequence_of_edits_builds_what_a_clean_build_builds(tmp_path_factory, shared_cache, monkeypatch):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from dossier import nlp, pipeline
    from dossier.config import load_config
    from dossier.problems import Problems

    model = nlp.Model(*(lambda c: (c.model, c.exclude))(load_config(ROOT, {})))

    def build_in(folder, out):
        monkeypatch.chdir(folder)  # pages name their input files as the command line would, run there
        config = load_config(folder, {"cache": shared_cache, "search": False, "templates": folder / "theme", "out": out})
        pipeline.build(config, Problems(), model=model)
        return snapshot(out)

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(PROPERTY_EDITS), st.integers(0, 8)), min_size=1, max_size=3))
    def check(edits):
        root = tmp_path_factory.mktemp("edits")
        project = make_project(root)
        (project / "theme").mkdir()
        override_base(project, 0)
        build_in(project, project / "site")
        for number, (edit, value) in enumerate(edits):
            edit(project, value)
            incremental = build_in(project, project / "site")
            clean = build_in(project, root / f"clean-{number}")  # a new output folder: nothing of the last build is used
            assert sorted(p for p in incremental.keys() | clean.keys() if incremental.get(p) != clean.get(p)) == [], \
                [e.__name__ for e, _ in edits[:number + 1]]

    check()
