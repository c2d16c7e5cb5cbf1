"""Hostile input: broken encodings, bad front matter, markup in every name, loops, interruptions, traversal.

Every case runs the real command line (`build.py`) with the real model on a corpus generated in a temporary
folder by tests/fixtures/hostile.py. Cases that crash the whole build are built on their own, so one bug does
not hide the others.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import xml.etree.ElementTree as ET
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dossier.site import article_path
from tests.e2e.conftest import Run, run_build
from tests.fixtures import hostile
from tests.fixtures.hostile import REAL_SEEDS

pytestmark = pytest.mark.slow


# -- helpers --------------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    # Pagefind's filter and metadata indexes are not byte-stable between its runs (Pagefind/pagefind#638).
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and "pagefind" not in p.parts}


def contents(root: Path) -> dict[str, bytes | None]:
    """Every file under `root` and its bytes (None: unreadable); symlinks are not followed."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            rel = str(path.relative_to(root))
            try:
                found[rel] = None if path.is_symlink() or path.is_dir() else path.read_bytes()
            except OSError:
                found[rel] = None
    return found


def small_project(tmp: Path) -> Path:
    """Two real seeds (already in the shared annotation cache) and an empty content folder."""
    project = tmp / "project"
    hostile.copy_real_seeds(project / "seeds")
    (project / "content").mkdir()
    return project


def build(project: Path, cache: Path, *args: str) -> Run:
    return run_build(project, "build", "--cache", str(cache), *args)


def error_lines(run: Run) -> list[str]:
    return [line for line in run.stderr.splitlines() if ": error: " in line]


def mentions(lines: list[str], rel: str) -> list[str]:
    """The lines that report the input `rel` (relative to the project; messages may print it absolute)."""
    where = re.compile(rf"(?:^|/){re.escape(rel)}(?::(\d+))?: (?:error|warning): ")
    return [line for line in lines if where.search(line)]


def articles_of(site: Path) -> dict[str, dict]:
    return {a["id"]: a for a in json.loads((site / "dossier.json").read_text(encoding="utf-8"))["articles"]}


def actors_of(site: Path) -> list[dict]:
    return json.loads((site / "dossier.json").read_text(encoding="utf-8"))["actors"]


class Page(HTMLParser):
    """Text, elements and attributes of one HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return "".join(self.text)


def page_text(path: Path) -> str:
    return Page(path.read_text(encoding="utf-8")).plain


def h1_of(path: Path) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    assert match, path
    return Page(match.group(1)).plain


RAW_MARKUP = ("<script>alert", "<img src=x", "<svg onload", "</script><script>", "onerror=alert(1)>")
BAD_SCHEMES = re.compile(r"^\s*(?:javascript|data|vbscript)\s*:", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background"}


def markup_violations(site: Path) -> list[str]:
    """What a browser would run: script elements or handlers from the inputs, script-ish links, raw payloads."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".xml", ".svg") or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}: raw {payload!r}" for payload in RAW_MARKUP if payload in text]
        if path.suffix == ".xml":
            ET.fromstring(text.encode())  # well-formed: nothing broke out of an element
            continue
        page = Page(text)
        for tag, attrs in page.elements:
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"{rel}: <{tag} {name}=…>")
                if name in URL_ATTRIBUTES and value and BAD_SCHEMES.match(value):
                    found.append(f"{rel}: <{tag} {name}={value!r}>")
            if tag in ("iframe", "object", "embed", "img", "svg") and tag not in THEME_TAGS:
                found.append(f"{rel}: <{tag}> element")
            if tag == "script" and not (attrs.get("src") or "").split("?")[0].endswith(".js"):
                found.append(f"{rel}: inline <script>")
        found += [f"{rel}: script content {s[:40]!r}" for s in page.scripts if "alert" in s]
    return found


THEME_TAGS = {"svg"}  # the theme draws actor networks as inline SVG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the hostile dossier, built once ----------------------------------------------------------------

class Hostile:
    def __init__(self, root: Path, cache: Path):
        self.root = root
        self.project = root / "project"
        self.corpus = hostile.write_corpus(self.project)
        self.site = self.project / "site"
        self.before = contents(root)
        self.run = build(self.project, cache)
        hostile.restore_permissions(self.project)
        self.after = contents(root)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory, warm_cache) -> Hostile:
    return Hostile(tmp_path_factory.mktemp("hostile"), warm_cache)


def test_the_build_finishes_with_exit_code_1_and_no_traceback(dossier):
    assert dossier.run.code == 1, dossier.run.stderr
    assert "Traceback" not in dossier.run.stderr
    assert (dossier.site / "index.html").is_file()
    errors = error_lines(dossier.run)
    assert len(errors) >= len(dossier.corpus.errors)
    assert f"\n{len(errors)} input(s) skipped" in dossier.run.stderr, dossier.run.stderr


def test_each_bad_input_is_reported_once_with_its_path_line_and_reason(dossier):
    errors = error_lines(dossier.run)
    wrong = []
    for expect in dossier.corpus.errors:
        lines = mentions(errors, expect.path)
        if len(lines) != 1:
            wrong.append(f"{expect.path}: reported {len(lines)} times: {lines}")
            continue
        line = lines[0]
        number = re.search(rf"{re.escape(expect.path)}(?::(\d+))?: error: ", line).group(1)
        if expect.lines is not None and (number is None or int(number) not in expect.lines):
            wrong.append(f"{expect.path}: line {number}, expected one of {expect.lines}: {line}")
        reason = line.split(": error: ", 1)[1].casefold()
        if not any(word in reason for word in expect.words):
            wrong.append(f"{expect.path}: reason does not say {' or '.join(expect.words)}: {line}")
        if len(reason) > 300:
            wrong.append(f"{expect.path}: reason of {len(reason)} characters")
    unexpected = [line for line in errors if not any(mentions([line], e.path) for e in dossier.corpus.errors + dossier.corpus.unreadable)]
    assert not wrong and not unexpected, "\n".join([*wrong, *(f"unexpected: {u}" for u in unexpected)])


def test_files_that_are_used_with_a_doubt_get_a_warning(dossier):
    lines = dossier.run.stderr.splitlines()
    for expect in dossier.corpus.warnings:
        found = [line for line in mentions(lines, expect.path) if ": warning: " in line
                 and any(word in line.casefold() for word in expect.words)]
        assert len(found) == 1, (expect, mentions(lines, expect.path))
        if expect.lines:
            assert f"{expect.path}:{expect.lines[0]}: warning" in found[0]


def test_the_rest_of_the_dossier_is_built(dossier):
    built = articles_of(dossier.site)
    for article_id, snippet in dossier.corpus.built.items():
        assert article_id in built, article_id
        page = dossier.site / built[article_id]["url"]
        assert page.is_file(), page
        assert snippet in page_text(page), (article_id, snippet)


def test_skipped_inputs_leave_no_page(dossier):
    built = articles_of(dossier.site)
    for article_id in dossier.corpus.skipped:
        assert article_id not in built
        assert not (dossier.site / article_path(article_id)).exists(), article_id
    titles = {a["title"] for a in built.values()}
    assert not {"Must not apply", "Must not exist", "Must not exist either", "Content duplicate"} & titles
    assert not any(i.startswith("loop/") for i in built), "the folder symlink loop was followed"


def test_no_markup_from_the_inputs_reaches_a_page(dossier):
    assert markup_violations(dossier.site) == []


def test_markup_in_inputs_is_shown_as_text(dossier):
    """Escaped, not dropped: the reader sees what the input said."""
    article = page_text(dossier.site / article_path(REAL_SEEDS[0][:-4]))
    assert f"{hostile.CLOSE} title" in article  # the title from the front matter
    assert hostile.SCRIPT in article and hostile.IMG in article  # raw HTML in the notes
    xss_seed = page_text(dossier.site / article_path(f"xss/{hostile.XSS_FILE}"))
    assert f"{hostile.SCRIPT} Talks resume in Caracas" in xss_seed
    assert hostile.IMG in xss_seed and hostile.CLOSE in xss_seed
    home = page_text(dossier.site / "index.html")
    assert '<div onclick="alert(4)">block HTML</div>' in home and "(javascript:alert(5))" in home
    names = {a["name"]: a for a in actors_of(dossier.site)}
    assert h1_of(dossier.site / names[hostile.SCRIPT]["url"]) == hostile.SCRIPT
    assert h1_of(dossier.site / names["../../../etc/passwd"]["url"]) == "../../../etc/passwd"


def test_a_hostile_http_url_stays_one_attribute(dossier):
    page = Page((dossier.site / article_path(REAL_SEEDS[0][:-4])).read_text(encoding="utf-8"))
    links = [attrs["href"] for tag, attrs in page.elements if tag == "a" and (attrs.get("href") or "").startswith("https://example.org/")]
    assert links == [f"https://example.org/{hostile.SVG}"]


@pytest.mark.browser
def test_no_script_from_the_inputs_runs_on_any_page(dossier):
    """Pagefind's UI writes filter values and excerpts as HTML: the hostile outlet name must stay text
    on the search page; and no page of the site, opened in Chromium, runs anything the inputs hold."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from tests.e2e.browser import chromium

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(dossier.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialogs: list[str] = []
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search.html?q=talks")
            page.wait_for_selector(".search-result", timeout=20_000)
            page.locator("details.search-narrow summary").click()  # the filters, folded under the search box
            labels = page.locator(".search-filters label").all_inner_texts()
            titles = page.locator(".search-title a").all_inner_texts()
            page.wait_for_timeout(500)  # an injected handler would have fired by now
            injected = page.locator("#search img, #search script, #search svg").count()
            kinds = {}  # one page of each kind (folder and page name shape): each shows hostile input
            for path in sorted(dossier.site.rglob("*.html")):
                kinds.setdefault((path.parent, path.name == "index.html", path.name.count(".")), path)
            for path in kinds.values():
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path.relative_to(dossier.site).as_posix()}")
            page.wait_for_timeout(300)
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == []
    assert injected == 0
    assert any(hostile.IMG in label for label in labels), labels  # shown as the text it is
    assert any(hostile.CLOSE in title for title in titles), titles


def test_json_files_carry_no_raw_markup(dossier):
    found = []
    for path in sorted(dossier.site.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        json.loads(text)
        found += [f"{path.name}: {payload!r}" for payload in RAW_MARKUP if payload in text]
    assert found == []


def test_pages_do_not_publish_the_build_machines_paths(dossier):
    leaks = [p.relative_to(dossier.site).as_posix() for p in dossier.site.rglob("*")
             if p.is_file() and str(dossier.project).encode() in p.read_bytes()]
    assert leaks == []


def test_nothing_is_written_outside_the_output_folder(dossier):
    """No new, changed or deleted file anywhere but in site/: the inputs are read, never rewritten."""
    def outside(files: dict) -> dict:  # the build's lock beside the site aside, as Hugo's .hugo_build.lock
        return {p: data for p, data in files.items() if not (p in ("project/site", "project/.site.lock") or p.startswith("project/site/"))}

    assert outside(dossier.after) == outside(dossier.before)
    assert not [p for p in dossier.site.rglob("*") if p.is_symlink()]
    root = dossier.site.resolve()
    assert all(p.resolve().is_relative_to(root) for p in dossier.site.rglob("*"))


def test_encodings_and_line_endings_are_normalized(dossier):
    built = articles_of(dossier.site)
    assert built["cp1252"]["title"] == "Café talks in Bogotá"
    assert built["utf16le"]["title"] == "Wide talks headline" and built["utf16be"]["title"] == "Big end talks headline"
    assert built["utf8bom"]["title"] == "Byte order mark headline"
    for path in (dossier.site / "articles").rglob("*.html"):
        raw = path.read_bytes()
        assert b"\r" not in raw and "\ufeff".encode() not in raw and b"\x00" not in raw, path
    newlines = (dossier.site / built["newlines"]["url"]).read_text(encoding="utf-8")
    paragraphs = [Page(p).plain.strip() for p in re.findall(r'<p(?: id="p\d+")?>(.*?)</p>', newlines, re.S)]
    for sentence in ("First paragraph ends with CRLF.", "Second paragraph ends with CR.", "Third paragraph ends with LF."):
        assert sentence in paragraphs, paragraphs


def test_right_to_left_text_and_names_survive(dossier):
    built = articles_of(dossier.site)
    rtl = built[hostile.RTL_FILE]
    assert rtl["title"] == hostile.RTL_TITLE
    assert re.fullmatch(r"articles/[a-z0-9-]+\.html", rtl["url"]), rtl["url"]
    assert hostile.RTL_TITLE in page_text(dossier.site / rtl["url"])
    names = {a["name"]: a for a in actors_of(dossier.site)}
    for name in ("محمد بن سلمان", "יצחק הרצוג 🇮🇱", "🕊️"):
        assert name in names, sorted(names)
        assert re.fullmatch(r"actors/[a-z0-9-]+\.html", names[name]["url"]), names[name]["url"]
        assert h1_of(dossier.site / names[name]["url"]) == name


def test_emoji_sequences_are_shown_whole(dossier):
    page = page_text(dossier.site / articles_of(dossier.site)[hostile.RTL_FILE]["url"])
    assert hostile.EMOJI_TEXT in page
    def cut(name: str) -> bool:  # half a flag, or a skin tone without its emoji
        flags = re.search("[\U0001F1E6-\U0001F1FF]*$", name).group()
        return len(flags) % 2 == 1 or bool(re.search("(?<![\U0001F300-\U0001FAFF])[\U0001F3FB-\U0001F3FF]$", name))

    broken = [a["name"] for a in actors_of(dossier.site) if cut(a["name"])]
    assert broken == []


def test_actor_names_that_slug_alike_get_distinct_pages(dossier):
    actors = actors_of(dossier.site)
    names = {a["name"]: a for a in actors}
    assert names[hostile.SLUG_A]["id"] != names[hostile.SLUG_B]["id"]
    assert len({a["id"] for a in actors}) == len(actors)
    assert names[hostile.SLUG_A]["page"] and names[hostile.SLUG_B]["page"]  # curated: pages of their own
    for actor in actors:  # no page overwritten by another actor's
        if actor["page"]:
            assert h1_of(dossier.site / actor["url"]) == actor["name"]
        else:  # named in one article: its url is the sentence that names it
            assert (dossier.site / actor["url"].partition("#")[0]).is_file()


def test_names_differing_in_case_and_accents_are_one_actor(dossier):
    """As documented: "Nicolás Maduro" = "Nicolas Maduro"; one page, the other spellings listed as aliases."""
    maduro = [a for a in actors_of(dossier.site) if a["name"].casefold() in ("nicolás maduro", "nicolas maduro")]
    assert len(maduro) == 1 and "Nicolas Maduro" in maduro[0]["aliases"]


def test_the_same_hostile_inputs_give_the_same_bytes(dossier, warm_cache):
    """Actor ids (a-b-ruiz, a-b-ruiz-2, …) and every other byte are stable from one build to the next."""
    before = snapshot(dossier.site)
    for path in (dossier.project / "seeds" / "locked.txt", dossier.project / "seeds" / "locked-folder"):
        path.chmod(0)
    try:
        run = build(dossier.project, warm_cache)
    finally:
        hostile.restore_permissions(dossier.project)
    assert run.code == 1 and sorted(error_lines(run)) == sorted(error_lines(dossier.run))
    assert snapshot(dossier.site) == before


def test_outlet_names_that_slug_alike_get_distinct_pages(dossier):
    built = articles_of(dossier.site)
    assert built["outlets/paper"]["outlet"] != built["outlets/rolled"]["outlet"]


def test_an_unreadable_file_and_folder_are_reported(dossier):
    probe = dossier.root / "probe.txt"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_bytes()
        readable = True
    except PermissionError:
        readable = False
    finally:
        probe.chmod(0o644)
        probe.unlink()
    if readable:
        pytest.skip(f"running as uid {os.geteuid()}: chmod 000 files stay readable, so the unreadable case cannot happen here")
    errors = error_lines(dossier.run)
    for expect in dossier.corpus.unreadable:
        lines = mentions(errors, expect.path)
        assert len(lines) == 1 and any(w in lines[0].casefold() for w in expect.words), (expect, lines)


# -- separate small builds -------------------------------------------------------------------------

def test_raw_html_in_markdown_is_kept_only_with_allow_html(tmp_path, warm_cache):
    project = small_project(tmp_path)
    (project / "content" / "notes.md").write_text(f"---\nsource: seeds/{REAL_SEEDS[0]}\n---\n"
                                                  "Kept <em class=\"raw\">as markup</em>.\n", encoding="utf-8")
    page = project / "site" / article_path(REAL_SEEDS[0][:-4])
    assert build(project, warm_cache).code == 0
    escaped = Page(page.read_text(encoding="utf-8"))
    assert '<em class="raw">as markup</em>' in escaped.plain and ("em", {"class": "raw"}) not in escaped.elements
    (project / "dossier.toml").write_text("allow_html = true\n")
    assert build(project, warm_cache).code == 0
    allowed = Page(page.read_text(encoding="utf-8"))
    assert ("em", {"class": "raw"}) in allowed.elements and "as markup" in allowed.plain


def test_a_script_link_in_actors_yml_is_reported_and_the_curation_ignored(tmp_path, warm_cache):
    project = small_project(tmp_path)
    (project / "content" / "actors.yml").write_text(
        "actors:\n  - name: Nicolás Maduro\n    description: fine\n  - name: Juan Guaidó\n"
        "    links: [\"javascript:alert(1)\"]\n", encoding="utf-8")
    run = build(project, warm_cache)
    assert run.code == 1 and "Traceback" not in run.stderr
    (line,) = mentions(error_lines(run), "content/actors.yml")
    assert re.search(r"actors\.yml:5: error: .*links", line), line  # the line of the faulty key
    assert "ignored" in line
    assert '<p class="description">fine</p>' not in (project / "site" / "actors" / "nicolas-maduro.html").read_text(encoding="utf-8")
    assert markup_violations(project / "site") == []


def test_a_split_context_that_backtracks_is_reported_and_the_build_finishes(tmp_path, warm_cache):
    project = small_project(tmp_path)
    (project / "content" / "actors.yml").write_text(
        'actors:\n  - name: Delcy Rodríguez\n    split:\n      - name: Rodríguez\n        context: "(a|aa)+$"\n', encoding="utf-8")
    (project / "content" / "cry.md").write_text(
        "---\ntitle: A long cry\ndate: 2024-02-01\n---\nVice President Delcy Rodríguez spoke in Caracas.\n\n"
        "Rodríguez said that the crowd shouted " + "a" * 60 + "b for an hour.\n", encoding="utf-8")
    run = build(project, warm_cache)
    assert run.code == 1 and "Traceback" not in run.stderr
    (line,) = mentions(error_lines(run), "content/actors.yml")
    assert re.search(r"actors\.yml:3: error: the split `context` for 'Rodríguez' took over", line), line
    assert (project / "site" / "index.html").is_file()


def crash_case(tmp_path: Path, cache: Path, setup) -> tuple[Path, Run]:
    project = small_project(tmp_path)
    setup(project)
    return project, build(project, cache)


def assert_built_with_the_rest(project: Path, run: Run) -> None:
    assert run.code in (0, 1), run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    built = articles_of(project / "site")
    assert {s[:-4] for s in REAL_SEEDS} <= set(built)


def _seed_named_index(project: Path) -> None:
    (project / "seeds" / "index.txt").write_text("Index headline\n\nA seed that happens to be called index.\n")


def _outlet_named_index(project: Path) -> None:
    (project / "content" / "o.md").write_text(f"---\nsource: seeds/{REAL_SEEDS[1]}\noutlet: Index\n---\n")


def _actor_named_index(project: Path) -> None:
    (project / "content" / "actors.yml").write_text("actors:\n  - name: Index\n    aliases: [Nicolás Maduro]\n")


def _date_at_the_end_of_time(project: Path) -> None:
    (project / "content" / "o.md").write_text(f"---\nsource: seeds/{REAL_SEEDS[1]}\ndate: 0001-01-01\n---\n")


@pytest.mark.parametrize("setup", [
    pytest.param(_seed_named_index, id="seed-named-index"),
    pytest.param(_outlet_named_index, id="outlet-named-index"),
    pytest.param(_actor_named_index, id="actor-named-index"),
    pytest.param(_date_at_the_end_of_time, id="date-0001-01-01"),
])
def test_names_and_dates_at_the_edges_do_not_stop_the_build(tmp_path, warm_cache, setup):
    project, run = crash_case(tmp_path, warm_cache, setup)
    assert_built_with_the_rest(project, run)


def _bomb(levels: int = 7, width: int = 8) -> str:
    lines = [f"source: seeds/{REAL_SEEDS[1]}", "a: &a [" + ", ".join(['"lol"'] * width) + "]"]
    previous = "a"
    for name in "bcdefghij"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
        previous = name
    return "---\n" + "\n".join([*lines, f"title: *{previous}"]) + "\n---\nNotes.\n"


def test_a_yaml_alias_bomb_is_reported_briefly(tmp_path, warm_cache):
    project = small_project(tmp_path)
    (project / "content" / "bomb.md").write_text(_bomb(), encoding="utf-8")
    run = build(project, warm_cache)
    assert run.code == 1 and "Traceback" not in run.stderr
    (line,) = mentions(error_lines(run), "content/bomb.md")
    assert len(line) < 1000, f"{len(line)} characters"
