"""Writing the site: the atomic swap, hard links for unchanged files, the lock, the folder checks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dossier.output import OWNER_MARKER, check_output_folder, locked, write_site
from dossier.problems import ConfigError

FILES = {"index.html": b"<h1>Home</h1>", "articles/a.html": b"<p>A</p>", "actors/x.html": b"<p>X</p>"}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def beside(out: Path) -> list[str]:
    """What the build left next to the site (the lock file aside)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name not in (out.name, f".{out.name}.lock"))


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


def test_unchanged_files_are_linked_not_written(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    before = {rel: (out / rel).stat().st_ino for rel in FILES}
    stats = write_site(out, {**FILES, "index.html": b"<h1>New</h1>"})
    assert stats == {"written": 1, "unchanged": 2}
    assert (out / "articles/a.html").stat().st_ino == before["articles/a.html"]
    assert (out / "index.html").stat().st_ino != before["index.html"]


def test_a_file_changed_by_hand_in_the_site_is_written_again(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    (out / "articles/a.html").unlink()
    (out / "articles/a.html").write_bytes(b"<p>edited by hand, longer</p>")
    write_site(out, FILES)
    assert tree(out)["articles/a.html"] == FILES["articles/a.html"]


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


def test_the_site_in_place_is_never_missing_during_a_swap(tmp_path):
    """Another process checks, as fast as it can, that site/index.html is there while builds swap."""
    out = tmp_path / "site"
    write_site(out, FILES)
    watcher = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, sys
        missing = 0
        while not os.path.exists({str(tmp_path / "stop")!r}):
            missing += not os.path.exists({str(out / "index.html")!r})
        print(missing)
        """)], stdout=subprocess.PIPE, text=True)
    for n in range(30):
        write_site(out, {**FILES, "index.html": f"<h1>{n}</h1>".encode()})
    (tmp_path / "stop").touch()
    assert watcher.communicate(timeout=30)[0].strip() == "0"
    assert tree(out)["index.html"] == b"<h1>29</h1>"


def test_what_a_killed_build_left_beside_the_site_is_removed_by_the_next(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    (tmp_path / ".site.new-dead").mkdir()
    (tmp_path / ".site.new-dead" / "index.html").write_text("half")
    with locked(out):
        pass
    assert beside(out) == []
    assert tree(out)["index.html"] == FILES["index.html"]


def test_a_site_moved_aside_by_an_interrupted_two_step_swap_is_put_back(tmp_path):
    out = tmp_path / "site"
    write_site(out, FILES)
    aside = tmp_path / ".site.new-interrupted"
    aside.mkdir()
    os.rename(out, aside / "old")  # interrupted between the two renames of a system without an exchange
    with locked(out):
        pass
    assert tree(out)["index.html"] == FILES["index.html"] and beside(out) == []


def test_a_second_build_waits_for_the_first(tmp_path):
    out = tmp_path / "site"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from pathlib import Path
        from dossier.output import locked
        with locked(Path({str(out)!r})):
            print("locked", flush=True)
            time.sleep(1.5)
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with locked(out):
        waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert waited > 0.5


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


def test_refuses_a_symbolic_link_as_the_output_folder(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "precious.txt").write_text("mine")
    (tmp_path / "site").symlink_to(target, target_is_directory=True)
    with pytest.raises(ConfigError, match="symbolic link"):
        check_output_folder(tmp_path / "site", [], force=True)
    assert (target / "precious.txt").read_text() == "mine"
