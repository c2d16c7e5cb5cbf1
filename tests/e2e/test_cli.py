"""The command line as a user meets it: exit codes, messages, and a site that is never half-written."""

from __future__ import annotations

import codecs
import shutil

import pytest

from tests.e2e.conftest import make_project, run_build

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_help_documents_every_option(project):
    run = run_build(project, "build", "--help")
    assert run.code == 0
    for option in ("--seeds", "--content", "--templates", "--out", "--cache", "--base-url", "--title", "--force", "--quiet", "--verbose"):
        assert option in run.stdout


def test_readme_documents_every_option():
    """Every option of every command is in the README (like Datasette's documentation test)."""
    import argparse

    import build
    from tests.e2e.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    commands = next(a for a in build.parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        assert f"build.py {name}" in readme, name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert f"`{option}" in readme, f"{name} {option}"


def test_bad_inputs_are_reported_and_skipped(project, shared_cache):
    (project / "seeds" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (project / "seeds" / "empty.txt").write_text("  \n\n")
    (project / "seeds" / "latin.txt").write_bytes("Caf\xe9 talks\n\nPresident Nicolás Maduro met officials in Caracas.".encode("cp1252"))
    (project / "seeds" / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + "Wide title\n\nVladimir Putin spoke on Monday.".encode("utf-16-le"))
    (project / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    run = run_build(project, "build", "--cache", str(shared_cache))
    assert run.code == 1
    assert "seeds/photo.txt" in run.stderr and "binary" in run.stderr
    assert "seeds/empty.txt" in run.stderr and "empty" in run.stderr
    assert "content/broken.md:2" in run.stderr  # where the unclosed [ opens
    assert "seeds/latin.txt" in run.stderr and "cp1252" in run.stderr
    assert "Traceback" not in run.stderr
    pages = {p.name for p in (project / "site" / "articles").glob("*.html")}
    assert {"latin.html", "wide.html", "000_434454466b79094a.html"} <= pages
    assert "photo.html" not in pages and "empty.html" not in pages
    assert "Café talks" in (project / "site" / "articles" / "latin.html").read_text()


def test_a_failed_build_leaves_the_previous_site(project, shared_cache, tmp_path):
    assert run_build(project, "build", "--cache", str(shared_cache)).code == 0
    before = snapshot(project / "site")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "actor.html").write_text("{% extends 'base.html' %}{% block main %}{{ actor.name }{% endblock %}")
    run = run_build(project, "build", "--cache", str(shared_cache), "--templates", str(theme))
    assert run.code == 2
    assert "actor.html" in run.stderr and "Traceback" not in run.stderr
    assert snapshot(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock"]  # the lock stays, as Hugo's does


def test_template_override_replaces_one_file(project, shared_cache, tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "404.html").write_text("<!DOCTYPE html><title>gone</title><p>Custom not-found page</p>\n")
    assert run_build(project, "build", "--cache", str(shared_cache), "--templates", str(theme)).code == 0
    assert "Custom not-found page" in (project / "site" / "404.html").read_text()
    assert "Nicolás Maduro" in (project / "site" / "actors" / "nicolas-maduro.html").read_text()


def test_refuses_to_replace_a_folder_it_did_not_create(project, shared_cache):
    mine = project / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    run = run_build(project, "build", "--cache", str(shared_cache), "--out", "mine")
    assert run.code == 2 and "--force" in run.stderr
    assert (mine / "thesis.docx").read_text() == "precious"
    forced = run_build(project, "build", "--cache", str(shared_cache), "--out", "mine", "--force")
    assert forced.code == 0 and (mine / "index.html").is_file() and not (mine / "thesis.docx").exists()


def test_usage_errors_exit_2_without_traceback(project):
    run = run_build(project, "build", "--base-url", "ftp://nope")
    assert run.code == 2 and "base-url" in run.stderr and "Traceback" not in run.stderr
    assert run_build(project, "build", "--no-such-flag").code == 2
    assert run_build(project, "build", "--seeds", "missing", "--content", "missing-too").code == 2


def test_clean_removes_only_what_it_made(project, shared_cache):
    assert run_build(project, "build", "--cache", str(shared_cache)).code == 0
    assert run_build(project, "clean", "--cache", str(project / "no-cache")).code == 0
    assert not (project / "site").exists()
    (project / "site").mkdir()
    (project / "site" / "keep.txt").write_text("mine")
    assert run_build(project, "clean").code == 2
    assert (project / "site" / "keep.txt").exists()


def test_clean_never_deletes_a_cache_folder_dossier_did_not_make(project, tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "thesis.tex").write_text("years of work")
    run = run_build(project, "clean", "--cache", str(papers))
    assert run.code == 2 and "not made by dossier" in run.stderr
    assert (papers / "thesis.tex").read_text() == "years of work"
    (project / "linked-cache").symlink_to(papers, target_is_directory=True)
    assert run_build(project, "clean", "--cache", "linked-cache").code == 2
    assert (papers / "thesis.tex").exists()
    # nor will a build adopt it as its cache (then clean would)
    run = run_build(project, "build", "--cache", str(papers))
    assert run.code == 2 and "not made by dossier" in run.stderr
    assert sorted(p.name for p in papers.iterdir()) == ["thesis.tex"]


def test_clean_reads_the_folders_from_dossier_toml(project, warm_cache):
    (project / "dossier.toml").write_text('out = "public"\ncache = "build-cache"\n')
    shutil.copytree(warm_cache, project / "build-cache")  # the seeds' annotations: this test is about the folders, not the model
    assert run_build(project, "build").code == 0
    assert (project / "public" / "index.html").is_file() and (project / "build-cache").is_dir()
    assert run_build(project, "clean").code == 0
    assert not (project / "public").exists() and not (project / "build-cache").exists()


def test_the_title_flag_wins_over_the_introductions_title(project, shared_cache):
    intro = project / "content" / "index.md"
    intro.write_text("---\ntitle: Venezuela talks\n---\nWhat the talks were about.\n")
    assert run_build(project, "build", "--cache", str(shared_cache)).code == 0
    assert "<title>Venezuela talks</title>" in (project / "site" / "index.html").read_text()
    assert run_build(project, "build", "--cache", str(shared_cache), "--title", "Caracas file").code == 0
    assert "<title>Caracas file</title>" in (project / "site" / "index.html").read_text()
