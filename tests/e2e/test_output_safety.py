"""The output folder and the dev server under stress: interrupted builds, dangerous output folders,
paths that try to leave the site. Real processes, real file system."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT
from tests.e2e.test_hostile import articles_of, build, contents, free_port, small_project, snapshot
from tests.fixtures import hostile

pytestmark = pytest.mark.slow


# -- interrupted builds ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bbc(tmp_path_factory, shared_cache) -> tuple[Path, dict[str, bytes]]:
    """40 BBC articles built once (which warms the cache): (project, the site's bytes)."""
    if not hostile.BBC.is_dir():
        pytest.skip(f"{hostile.BBC} is not there")
    project = tmp_path_factory.mktemp("bbc") / "project"
    assert hostile.copy_bbc(project / "seeds", 40) == 40
    run = build(project, shared_cache, "-q")
    assert run.code == 0, run.stderr
    return project, snapshot(project / "site")


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock")


def interrupt(project: Path, cache: Path, sig: int) -> tuple[subprocess.CompletedProcess, bool]:
    """Start a build, send `sig` as soon as its staging folder appears; returns (the process, whether it appeared)."""
    # Another title: a real build, not "up to date"; the interrupted one must leave the old title in place.
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--cache", str(cache), "-q",
                                "--title", "An interrupted build"],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    appeared = False
    while time.monotonic() < deadline and process.poll() is None:
        if leftovers(project):  # the new site's folder
            process.send_signal(sig)
            appeared = True
            break
    else:
        process.kill()
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), appeared


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGKILL, -signal.SIGKILL)], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_build_leaves_the_previous_site(bbc, shared_cache, sig, code):
    project, before = bbc
    for _ in range(5):  # on a loaded machine the signal can land after the swap (the new title is in place): try again
        done, appeared = interrupt(project, shared_cache, sig)
        if "An interrupted build" not in (project / "site" / "index.html").read_text(encoding="utf-8"):
            break
        assert done.returncode in (0, code), done.stderr[-500:]
        assert build(project, shared_cache, "-q").code == 0 and snapshot(project / "site") == before
    assert appeared, f"the staging folder never appeared (exit {done.returncode}): {done.stderr[-500:]}"
    assert done.returncode == code, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    if sig == signal.SIGINT:
        assert "holds the previous site" in done.stderr and leftovers(project) == []
    else:
        assert leftovers(project), "SIGKILL mid-write should leave the staging folder behind"
    assert snapshot(project / "site") == before
    again = build(project, shared_cache, "-q")
    assert again.code == 0 and "Traceback" not in again.stderr, again.stderr
    assert leftovers(project) == []
    assert snapshot(project / "site") == before


# -- dangerous output folders ----------------------------------------------------------------------

# -- builds at the same time -----------------------------------------------------------------------

def start(project: Path, cache: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--cache", str(cache), "-q", *args],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def two_titles(tmp_path_factory, warm_cache) -> tuple[Path, Path, dict[str, dict[str, bytes]]]:
    """A small project, its own warm cache, and the site a clean build makes under each of two titles."""
    tmp = tmp_path_factory.mktemp("concurrent")
    project, cache = small_project(tmp), tmp / "cache"
    shutil.copytree(warm_cache, cache)
    sites = {}
    for title in ("First", "Second"):
        assert build(project, cache, "--title", title).code == 0
        sites[title] = snapshot(project / "site")
    return project, cache, sites


@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5])
def test_two_builds_at_once_leave_one_whole_site(two_titles, delay):
    """Two terminals, an editor's build-on-save and a CI step may build the same output with the same
    cache at once: the second waits for the first, both succeed, and the site is one build's, whole."""
    project, cache, sites = two_titles
    first = start(project, cache, "--title", "First")
    time.sleep(delay)
    second = start(project, cache, "--title", "Second")
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in err, err
    assert snapshot(project / "site") in sites.values()  # whichever took the lock second, whole
    assert leftovers(project) == []


def test_an_up_to_date_build_during_a_build_leaves_the_site_whole(two_titles):
    project, cache, sites = two_titles
    assert build(project, cache, "--title", "First").code == 0
    changing = start(project, cache, "--title", "Second")
    up_to_date = [start(project, cache, "--title", "Second") for _ in range(3)]
    for process in (changing, *up_to_date):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in err, err
    assert snapshot(project / "site") == sites["Second"] and leftovers(project) == []


def refusal_setup(tmp_path: Path) -> tuple[Path, Path]:
    """A project and a fake home folder, with files in them that must survive: (project, home)."""
    home = tmp_path / "users" / "alice"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.docx").write_text("precious")
    project = small_project(tmp_path)
    (project / "mine").mkdir()
    (project / "mine" / "thesis.docx").write_text("precious too")
    (project / "hidden").mkdir()
    (project / "hidden" / ".git").mkdir()
    (project / "hidden" / ".git" / "config").write_text("[core]")
    os.symlink(home, project / "home-link")
    return project, home


@pytest.mark.parametrize(("out", "extra"), [
    ("mine", ()),
    ("hidden", ()),
    ("/", ("--force",)),
    ("{home}", ("--force",)),
    ("home-link", ("--force",)),
    (".", ("--force",)),
    ("..", ("--force",)),
    ("seeds", ("--force",)),
    ("seeds/..", ("--force",)),
    pytest.param("{users}", ("--force",)),
], ids=["stranger", "stranger-hidden-files", "root", "home", "link-to-home", "project", "above-project", "inputs",
        "inputs-dotdot", "above-home"])
def test_dangerous_output_folders_are_refused(tmp_path, warm_cache, out, extra):
    project, home = refusal_setup(tmp_path)
    before = contents(tmp_path)
    target = out.format(home=home, users=home.parent)
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--cache", str(warm_cache), "--out", target, *extra],
                          cwd=project, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(home)})
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and ("refusing" in done.stderr or "--force" in done.stderr), done.stderr
    assert contents(tmp_path) == before  # nothing deleted, nothing written


def test_an_output_folder_inside_the_inputs_is_not_read_back(tmp_path, warm_cache):
    project = small_project(tmp_path)
    first = build(project, warm_cache, "--out", "seeds/site")
    if first.code == 2:
        return  # refused: fine
    second = build(project, warm_cache, "--out", "seeds/site")
    assert second.code == 0
    assert not [i for i in articles_of(project / "seeds" / "site") if i.startswith("site/")]


# -- the dev server ------------------------------------------------------------------------------

@pytest.fixture(params=["/", "/dossier-test/"], ids=["at-root", "under-a-path"])
def server(request, tmp_path, warm_cache) -> tuple[int, str]:
    """A watch session on a small dossier, serving at `prefix`: (port, prefix)."""
    prefix = request.param
    project = small_project(tmp_path)
    (tmp_path / "secret.txt").write_text("TOP-SECRET-OUTSIDE")
    (project / "secret.txt").write_text("TOP-SECRET-PROJECT")
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "watch", "--port", str(port), "--cache", str(warm_cache),
                                "--base-url", f"http://127.0.0.1:{port}{prefix}"],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    for line in process.stdout:  # up once it says so
        log.append(line)
        if "watching" in line:
            break
    assert process.poll() is None, "".join(log)
    os.symlink(project / "secret.txt", project / "site" / "leak.txt")
    yield port, prefix
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    assert "Traceback" not in "".join(log) + out


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)  # sent as is: no client-side normalization
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


TRAVERSALS = ["/../secret.txt", "/../../secret.txt", "/articles/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
              "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/.%2e/secret.txt", "/%252e%252e/secret.txt",
              "/%252e%252e%252fsecret.txt", "/articles/%252e%252e/%252e%252e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt",
              "/%2e%2e%5c%2e%2e%5csecret.txt", "//etc/passwd", "/%2fetc%2fpasswd", "/..%00/secret.txt", "/%00../secret.txt",
              "/articles/..%2f..%2f..%2fsecret.txt", "/leak.txt", "/../../../../../../../../etc/passwd",
              "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%c0%afsecret.txt", "/....//secret.txt"]


def test_the_dev_server_serves_only_the_site_folder(server):
    port, prefix = server
    assert fetch(port, f"{prefix}index.html")[0] == 200
    assert fetch(port, f"{prefix}assets/style.css")[0] == 200
    served = []
    for path in [*(prefix.rstrip("/") + t for t in TRAVERSALS), "/secret.txt", "/../secret.txt", "/%2e%2e/secret.txt"]:
        status, body = fetch(port, path)
        if status not in (400, 403, 404) or b"TOP-SECRET" in body or b"root:" in body:
            served.append(f"{path}: {status} {body[:60]!r}")
    assert served == []
