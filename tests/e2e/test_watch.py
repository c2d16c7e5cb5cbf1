"""Watch mode in a subprocess on a temporary dossier: edit, add, delete, break, fix, reload."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.slow
SMALL = ["001_8631d0b8bf69ee07.txt", "004_d10a44f87dd545c6.txt"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Events:
    """A Server-Sent Events client: each `next()` blocks until the server publishes a build. With
    `page`, it stands for a browser showing that page, as the reload script does."""

    def __init__(self, port: int, page: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.request("GET", "/__dossier__/events" + (f"?page={page}" if page else ""))
        self.response = self.conn.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> dict:
        deadline = time.monotonic() + 60  # keep-alive lines come every 15 s: the socket never times out
        while time.monotonic() < deadline:
            line = self.response.fp.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[6:])
        raise AssertionError("no build was published within 60 s")

    def close(self) -> None:
        self.conn.close()


class Session:
    def __init__(self, project: Path, port: int, prefix: str, *extra: str, base_url: bool = True):
        self.project, self.port, self.prefix = project, port, prefix
        chosen = settings(port, prefix) if base_url else ["--cache", "cache"]  # the rest from dossier.toml
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "watch", "--port", str(port), *chosen, *extra],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.log: list[str] = []
        for line in self.process.stdout:  # the server is up once it says so
            self.log.append(line)
            if "watching" in line:
                break
        assert self.process.poll() is None, "".join(self.log)
        self.events = Events(port)
        self.state = self.events.next()

    def after_change(self, change) -> dict:
        """Apply a change to the files, then wait for the build it triggers."""
        change()
        self.state = self.events.next()
        return self.state

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{self.prefix}{path}", timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def stop(self) -> str:
        self.events.close()
        self.process.send_signal(2)  # Ctrl-C
        out, _ = self.process.communicate(timeout=30)
        return "".join(self.log) + out


def settings(port: int, prefix: str) -> list[str]:
    return ["--templates", "theme", "--base-url", f"http://127.0.0.1:{port}{prefix}", "--cache", "cache"]


def small_project(tmp_path, shared_cache) -> Path:
    project = tmp_path / "watched"
    (project / "seeds").mkdir(parents=True)
    for name in SMALL:
        shutil.copy(ROOT / "seeds" / name, project / "seeds" / name)
    (project / "content").mkdir()
    (project / "theme").mkdir()
    shutil.copytree(shared_cache, project / "cache")
    return project


@pytest.fixture
def session(tmp_path, shared_cache):
    watch = Session(small_project(tmp_path, shared_cache), free_port(), "/dossier-test/")
    yield watch
    output = watch.stop()
    assert watch.process.returncode == 0, output
    assert "Traceback" not in output


def test_an_edited_seed_shows_up_in_its_page_and_editor_swap_files_build_nothing(session):
    (session.project / "seeds" / ".004.txt.swp").write_bytes(b"\x00vim swap")
    (session.project / "seeds" / "4913").write_text("")
    seed = session.project / "seeds" / SMALL[1]
    before = session.state["version"]
    state = session.after_change(lambda: seed.write_text(seed.read_text() + "\n\nPresident Volodymyr Zelensky thanked the delegation.\n"))
    assert state["version"] == before + 1  # one build, for the real edit only
    status, html = session.get("articles/004_d10a44f87dd545c6.html")
    assert status == 200 and "Volodymyr Zelensky" in html
    # named in one of the two articles: plain text there, no page of its own (actor_page_min_articles)
    assert session.get("actors/volodymyr-zelensky.html")[0] == 404


@pytest.mark.parametrize("folder", ["seeds", "content"])
def test_a_folder_moved_away_and_back_is_watched_again(session, folder):
    """A watched folder restored from a backup (moved away, then back) is followed: later edits in it rebuild."""
    watched, aside = session.project / folder, session.project / f"{folder}-backup"
    if folder == "content":  # an empty folder moved away changes no build: give it a file first
        session.after_change(lambda: (watched / "index.md").write_text("---\ntitle: Watched dossier\n---\nIntro.\n"))
    session.after_change(lambda: watched.rename(aside))
    session.after_change(lambda: aside.rename(watched))
    if folder == "seeds":
        seed = watched / SMALL[1]
        session.after_change(lambda: seed.write_text(seed.read_text() + "\n\nPresident Volodymyr Zelensky thanked the delegation.\n"))
        assert "Volodymyr Zelensky" in session.get("articles/004_d10a44f87dd545c6.html")[1]
    else:
        note = watched / "note.md"
        session.after_change(lambda: note.write_text("---\ntitle: Analyst note on the talks\n---\nThe talks went on.\n"))
        assert "Analyst note on the talks" in session.get("index.html")[1]


def test_an_added_article_appears_and_a_deleted_one_disappears(session):
    new = session.project / "seeds" / "extra.txt"
    session.after_change(lambda: new.write_text("Extra report on Caracas\n\nJuan Guaidó met Antony Blinken in Washington on Monday.\n"))
    assert "Extra report on Caracas" in session.get("index.html")[1]
    assert "extra.html" in session.get("actors/antony-blinken.html")[1]
    session.after_change(new.unlink)
    assert "Extra report on Caracas" not in session.get("index.html")[1]
    assert session.get("articles/extra.html")[0] == 404
    assert "extra.html" not in session.get("actors/antony-blinken.html")[1]


def test_a_template_error_is_shown_then_cleared(session):
    broken = session.project / "theme" / "actor.html"
    state = session.after_change(lambda: broken.write_text("{% extends 'base.html' %}{% block main %}{{ actor.name }{% endblock %}"))
    assert "actor.html:1" in state["error"]
    status, html = session.get("index.html")  # the last good site is still served
    assert status == 200 and "Nicolás Maduro" in html
    state = session.after_change(broken.unlink)
    assert state["error"] == ""


def test_a_real_browser_reloads_after_a_save(session):
    from tests.e2e.browser import chromium

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{session.port}{session.prefix}articles/001_8631d0b8bf69ee07.html")
        page.wait_for_function("document.readyState === 'complete'")
        page.evaluate("window.__before_save = true")
        seed = session.project / "seeds" / SMALL[0]
        session.after_change(lambda: seed.write_text(seed.read_text() + "\n\nThe reload marker sentence.\n"))
        page.wait_for_function("!window.__before_save && document.body.innerText.includes('reload marker')", timeout=15000)


def test_the_first_save_on_an_up_to_date_site_annotates_only_the_saved_article(tmp_path, shared_cache):
    """Watch mode started on a site built before skips the first build; the first save then annotates
    the saved article alone and serves the edit."""
    project, port = small_project(tmp_path, shared_cache), free_port()
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", *settings(port, "/p/")], cwd=project,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    watch = Session(project, port, "/p/", "-v")
    seed = project / "seeds" / SMALL[0]
    watch.after_change(lambda: seed.write_text(seed.read_text() + "\n\nA new closing line about Caracas.\n"))
    assert "A new closing line" in watch.get("articles/" + SMALL[0].replace(".txt", ".html"))[1]
    output = watch.stop()
    assert watch.process.returncode == 0, output
    assert "up to date" in output
    assert "annotating 1 article(s)" in output


def test_the_open_page_reloads_first_and_no_other_page_is_stale(session):
    """The page in the browser is rendered before the rest of a template edit's pages; a page opened
    right after it reloads must already show the edit too."""
    from tests.e2e.browser import chromium

    base = (ROOT / "templates" / "base.html").read_text()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{session.port}{session.prefix}articles/001_8631d0b8bf69ee07.html")
        page.wait_for_function("document.readyState === 'complete'")
        page.evaluate("window.__before_save = true")
        theme = session.project / "theme" / "base.html"
        theme.write_text(base.replace("</footer>", "<p id='edited-footer'>edited</p></footer>"))
        page.wait_for_function("!window.__before_save && !!document.getElementById('edited-footer')", timeout=15000)
        for other in ("index.html", "actors/nicolas-maduro.html", "timeline/"):
            page.goto(f"http://127.0.0.1:{session.port}{session.prefix}{other}")
            assert page.locator("#edited-footer").count() == 1, other


def test_a_build_failing_after_the_open_page_rendered_reloads_it_back_to_the_last_good_site(session):
    """The open page renders first and reloads at once; if a later page then fails, the browser must
    not keep showing what the failed build rendered."""
    browser = Events(session.port, session.prefix + "index.html")
    browser.next()
    base = (ROOT / "templates" / "base.html").read_text()
    (session.project / "theme" / "base.html").write_text(base.replace(
        "</footer>", "NEW FOOTER{% if section == 'actors' %}{{ no_such_thing.at_all }}{% endif %}</footer>"))
    shown = browser.next()
    assert shown["error"] == ""  # the open page, rendered first, is fine
    failed = browser.next()
    assert failed["error"].startswith("Build failed; showing the last good site")
    assert failed["generation"] == shown["generation"] + 1  # the last good site is served again: reload
    assert "base.html" in failed["error"]
    assert "NEW FOOTER" not in session.get("index.html")[1]  # the reloaded page is the last good one
    browser.close()


def test_a_new_input_error_keeps_the_last_good_site_until_it_is_fixed(session):
    seed = session.project / "seeds" / SMALL[1]
    broken = session.project / "content" / "broken.md"

    def break_and_edit():
        broken.write_text("---\ntitle: [unclosed\n---\nBody\n")
        seed.write_text(seed.read_text() + "\n\nA sentence written with the broken file.\n")

    state = session.after_change(break_and_edit)
    assert state["error"].startswith("Build failed; showing the last good site") and "content/broken.md" in state["error"]
    assert "written with the broken file" not in session.get("articles/004_d10a44f87dd545c6.html")[1]
    state = session.after_change(broken.unlink)
    assert state["error"] == ""
    assert "written with the broken file" in session.get("articles/004_d10a44f87dd545c6.html")[1]


def test_an_input_broken_before_the_session_does_not_stop_its_builds(tmp_path, shared_cache):
    project, port = small_project(tmp_path, shared_cache), free_port()
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", *settings(port, "/p/")], cwd=project,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr  # the site in place was built without the error below
    (project / "seeds" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    watch = Session(project, port, "/p/")
    assert "seeds/photo.txt" in watch.state["error"] and "left out of the site" in watch.state["error"]
    seed = project / "seeds" / SMALL[0]
    before = watch.state["generation"]
    state = watch.after_change(lambda: seed.write_text(seed.read_text() + "\n\nA line added despite the photo.\n"))
    assert state["generation"] == before + 1 and "seeds/photo.txt" in state["error"]
    assert "despite the photo" in watch.get("articles/" + SMALL[0].replace(".txt", ".html"))[1]
    watch.stop()


def test_without_a_site_the_server_says_so_and_reloads_once_there_is_one(tmp_path, shared_cache):
    project = small_project(tmp_path, shared_cache)
    (project / "theme" / "base.html").write_text("{% block main %}{{ broken }\n")
    watch = Session(project, free_port(), "/p/")
    status, html = watch.get("index.html")
    assert status == 404 and "Not built yet" in html and "/__dossier__/events" in html  # overlay and reload
    assert "base.html:1" in watch.state["error"] and "there is no site yet" in watch.state["error"]
    state = watch.after_change((project / "theme" / "base.html").unlink)
    assert state["error"] == ""
    assert watch.get("index.html")[0] == 200
    watch.stop()


def test_the_server_adds_the_reload_script_links_absolute_urls_to_itself_and_stays_inside_the_site(tmp_path, shared_cache):
    project = small_project(tmp_path, shared_cache)
    port = free_port()
    watch = Session(project, port, "/", base_url=False)
    assert "/__dossier__/events" in watch.get("index.html")[1]
    assert "__dossier__" not in (project / "site" / "index.html").read_text()  # served pages get it, the site's files do not
    status, html = watch.get("no-such-page.html")
    # (its style is inline: served at any depth, it is styled wherever it is)
    assert status == 404 and f'href="http://localhost:{port}/index.html"' in html and f'src="http://localhost:{port}/assets/site.js"' in html
    for path in ("../seeds/001_8631d0b8bf69ee07.txt", "..%2f..%2fseeds/001_8631d0b8bf69ee07.txt",
                 "%2e%2e/%2e%2e/etc/passwd", "articles/..%2f..%2fcache"):
        status, body = watch.get(path)
        assert status == 404 and "Venezuela" not in body.split("<main")[0]
    watch.stop()


def test_an_edited_dossier_toml_moves_the_served_path_and_the_watched_templates(tmp_path, shared_cache):
    project = small_project(tmp_path, shared_cache)
    port = free_port()
    watch = Session(project, port, "/", base_url=False)
    (project / "theme2").mkdir()
    toml = f'base_url = "http://localhost:{port}/sub/"\ntemplates = "theme2"\n'
    assert watch.after_change(lambda: (project / "dossier.toml").write_text(toml))["error"] == ""
    watch.prefix = "/sub/"
    assert watch.get("index.html")[0] == 200
    base = (ROOT / "templates" / "base.html").read_text().replace("</footer>", "FROM THEME2</footer>")
    watch.after_change(lambda: (project / "theme2" / "base.html").write_text(base))
    assert "FROM THEME2" in watch.get("index.html")[1]
    watch.stop()
