"""Hostile and careless inputs, continued: long documents, and a cache that is damaged, unwritable
or full. Real builds of real seeds; split from test_hostile.py so the two run side by side."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT
from tests.e2e.test_hostile import (
    articles_of,
    assert_built_with_the_rest,
    build,
    error_lines,
    mentions,
    page_text,
    small_project,
    snapshot,
)
from tests.fixtures import hostile

pytestmark = pytest.mark.slow


# -- long documents --------------------------------------------------------------------------------

def test_an_article_over_20_mb_is_skipped_with_a_reason(tmp_path, warm_cache):
    project = small_project(tmp_path)
    hostile.write_huge_article(project / "seeds" / "huge.txt", 21 * 2**20)
    run = build(project, warm_cache)
    assert_built_with_the_rest(project, run)
    (line,) = mentions(error_lines(run), "seeds/huge.txt")
    assert "too large for one article" in line and len(line) < 300


@pytest.fixture(scope="module")
def quick_model(tmp_path_factory) -> Path:
    """A real spaCy pipeline that is fast: words and sentences by punctuation, entities from a list of names.
    The real model on a long text is tested in tests/test_nlp.py; here a 2.5 MB report goes through
    every other stage and onto pages within `make test`'s time."""
    import spacy
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    pipeline = spacy.blank("en")
    # Words split from their punctuation only, without English's exceptions and affix rules: a third
    # of the time on the report, and the sentencizer still finds every full stop.
    pipeline.tokenizer.rules = {}
    pipeline.tokenizer.prefix_search = compile_prefix_regex([r"""[“"‘'(]"""]).search
    pipeline.tokenizer.suffix_search = compile_suffix_regex([r"""[.,;:!?”"’')]"""]).search
    pipeline.tokenizer.infix_finditer = None
    pipeline.add_pipe("sentencizer")
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": name} for label, names in {
        "PERSON": ["Tony Blair", "Gordon Brown", "Michael Howard", "Charles Kennedy", "Blair", "Brown"],
        "ORG": ["Labour", "BBC", "Conservatives", "Lib Dems", "European Union"],
        "GPE": ["UK", "Britain", "London", "Iraq", "US", "Scotland", "Wales"],
        "DATE": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "last year", "next year"]}.items() for name in names])
    folder = tmp_path_factory.mktemp("model") / "quick"
    pipeline.to_disk(folder)
    return folder


def test_a_2_5_mb_report_is_built_on_pages_under_400_kb(tmp_path, quick_model):
    """A 450-page government report is about 2.5 MB of text: it builds, every sentence is on one of
    its pages, none of them over 400 KB, and no page of the site over 1 MB."""
    if not hostile.BBC.is_dir():
        pytest.skip(f"{hostile.BBC} is not there")
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    texts, size = [], 0
    for path in sorted((hostile.BBC / "politics").glob("*.txt")) * 20:
        texts.append(path.read_text(encoding="utf-8", errors="replace").strip())
        size += len(texts[-1].encode())
        if size > 2.5 * 2**20:
            break
    (project / "content" / "report.md").write_text("---\ntitle: A long report\ndate: 2005-03-01\n---\n" + "\n\n".join(texts),
                                                   encoding="utf-8")
    # One process: the pipeline is quick, and sending 2.5 MB of parsed text between processes is not;
    # no search index: the pages are what this test reads.
    (project / "dossier.toml").write_text(f"model = {str(quick_model)!r}\nprocesses = 1\nsearch = false\n", encoding="utf-8")
    run = build(project, tmp_path / "cache")
    assert run.code == 0, run.stderr[-2000:]
    site = project / "site"
    pages = sorted(site.glob("articles/report*.html"))
    assert len(pages) > 20
    assert max(p.stat().st_size for p in pages) < 400_000
    assert max(p.stat().st_size for p in site.rglob("*.html")) < 2**20
    shown = [int(n) for p in pages for n in re.findall(r'id="s(\d+)"', p.read_text(encoding="utf-8"))]
    assert sorted(shown) == list(range(len(shown))) and len(shown) > 10_000


def test_a_200k_character_line_is_built(tmp_path, warm_cache):
    project = small_project(tmp_path)
    line = hostile.long_line()
    (project / "seeds" / "long.txt").write_text(f"Long line headline\n\nAn inline image follows.\n\n{line}\n", encoding="utf-8")
    run = build(project, warm_cache)
    assert_built_with_the_rest(project, run)
    page = page_text(project / "site" / articles_of(project / "site")["long"]["url"])
    assert line[:1000] in page


# -- the annotation cache --------------------------------------------------------------------------

def corruptions(text: str, key: str) -> list[str]:
    data = json.loads(text)
    wrong_key = {**data, "key": "0" * 64}
    shifted = {**data, "entities": [[label, start + 1, end + 1, surface] for label, start, end, surface in data["entities"]]}
    return [text[: len(text) // 2], "", "null", "[1, 2, 3]", '{"key": "' + key + '"}', json.dumps(wrong_key), json.dumps(shifted),
            '{"key": "' + key + '", "sentences": [["a", "b", "c", "d"]], "entities": []}']


def test_a_corrupted_cache_is_discarded_and_recomputed(tmp_path, warm_cache):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    first = build(project, cache)
    assert first.code == 0, first.stderr
    before = snapshot(project / "site")
    entries = sorted(cache.glob("??/*.json"))  # the annotation entries
    assert len(entries) >= 5
    for number, entry in enumerate(entries):
        variants = [*corruptions(entry.read_text(encoding="utf-8"), entry.stem), None]
        variant = variants[number % len(variants)]
        if variant is None:
            entry.write_bytes(os.urandom(300) + b"\xff\xfe garbage")
        else:
            entry.write_text(variant, encoding="utf-8")
    shutil.rmtree(project / "site")  # else the build has nothing to do: the site is up to date
    second = build(project, cache)
    assert second.code == 0 and "Traceback" not in second.stderr, second.stderr
    assert "annotating 5 article(s)" in second.stderr
    assert snapshot(project / "site") == before
    shutil.rmtree(project / "site")
    third = build(project, cache)  # the recomputed entries were stored whole
    assert third.code == 0 and "annotating" not in third.stderr, third.stderr
    assert snapshot(project / "site") == before


@pytest.fixture(scope="module")
def small_site(tmp_path_factory, warm_cache) -> dict[str, bytes]:
    """The small project's site, built with the annotations cached: what the cache cases must give."""
    project = small_project(tmp_path_factory.mktemp("reference"))
    reference = build(project, warm_cache)
    assert reference.code == 0, reference.stderr
    return snapshot(project / "site")


def test_a_deeply_nested_cache_entry_is_discarded(tmp_path, warm_cache, small_site):
    project = small_project(tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    for entry in cache.glob("??/*.json"):
        entry.write_text("[" * 100_000)
    run = build(project, cache)
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr[-500:]
    assert snapshot(project / "site") == small_site


def test_a_cache_that_cannot_be_written_builds_the_same_site_without_it(tmp_path, small_site):
    project = small_project(tmp_path)
    run = build(project, Path("/proc/dossier-cache"))  # no one, root included, makes a folder there
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert "cannot write the cache /proc/dossier-cache" in run.stderr and "building without it" in run.stderr
    assert snapshot(project / "site") == small_site and any((project / "site" / "pagefind").iterdir())


@pytest.fixture
def full_cache(tmp_path):
    """A 64 KiB file system as the cache: full after the first annotations."""
    folder = tmp_path / "full-cache"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)]).returncode != 0:
        pytest.skip("mounting a small file system needs root")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_cache_that_fills_up_builds_the_same_site(tmp_path, full_cache, small_site):
    project = small_project(tmp_path)
    run = build(project, full_cache)
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert "cannot write to the cache (No space left on device)" in run.stderr
    assert snapshot(project / "site") == small_site and any((project / "site" / "pagefind").iterdir())


def test_characters_xml_forbids_never_reach_the_feed_or_the_sitemap(tmp_path, warm_cache):
    project = small_project(tmp_path)
    (project / "content" / "controls.md").write_text(
        '---\ntitle: "Talks\\u0001 resume\\u000b in Caracas \\uffff"\n---\nNicolás Maduro met officials\x0c in Caracas.\n',
        encoding="utf-8")
    run = build(project, warm_cache)
    assert run.code == 0, run.stderr
    for name in ("feed.xml", "sitemap.xml"):
        ET.fromstring((project / "site" / name).read_bytes())  # well-formed
    assert "Talks resume in Caracas" in (project / "site" / "feed.xml").read_text(encoding="utf-8")
