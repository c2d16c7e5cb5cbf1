"""The search records: what Pagefind reads for each page, and when an index is built again."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from dossier import search
from dossier.search import (
    ARTICLES_PER_SHARD,
    MOST_SHARDS,
    RECORDS_PER_SHARD,
    Record,
    Search,
    record_html,
    records_digest,
    shard_count,
    shard_of,
    shards_of,
)


def test_a_record_is_escaped_and_carries_its_filters():
    html = record_html(Record("articles/a.html", "<b>Title</b>", "Tom & Jerry <script>", (("outlet", 'The "Times"'),)))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;Title" in html
    assert '<span data-pagefind-filter="outlet">The &quot;Times&quot;</span>' in html
    assert "data-pagefind-body" in html


def test_the_digest_follows_the_records_not_their_order():
    a = Record("articles/a.html", "A", "alpha")
    b = Record("actors/b.html", "B", "beta", (("kind", "actor"),))
    assert records_digest([a, b]) == records_digest([b, a])
    assert records_digest([a, b]) != records_digest([a, Record("actors/b.html", "B", "beta!", (("kind", "actor"),))])
    assert records_digest([a]) != records_digest([a, b])


def cache_shards(cache: Path, records: list[Record], per_shard: int | None = None) -> None:
    """Put a bundle for each shard of `records` in the cache, as if Pagefind had built them."""
    for shard in shards_of(records, per_shard):
        folder = cache / "search" / records_digest(shard)
        folder.mkdir(parents=True)
        (folder / "pagefind-entry.json").write_text(folder.name)


def test_an_index_for_the_same_records_is_taken_from_the_cache_as_links(tmp_path):
    records = [Record("articles/a.html", "A", "alpha")]
    cache_shards(tmp_path, records)
    with Search(tmp_path) as found:
        found.add(records)
        assert all(i.cached and i.process is None for i in found.indexes)  # no Pagefind ran
        site = tmp_path / "site"
        found.copy_into(site)
    assert found.bundles == ["pagefind/0/"]
    copied = site / "pagefind" / "0" / "pagefind-entry.json"
    kept = tmp_path / "search" / records_digest(records) / "pagefind-entry.json"
    assert copied.read_text() == kept.read_text() and copied.stat().st_ino == kept.stat().st_ino


def test_records_are_split_into_stable_shards():
    assert shard_count(1) == 1 and shard_count(RECORDS_PER_SHARD) == 1
    assert shard_count(RECORDS_PER_SHARD + 1) == 2 and shard_count(10**6) == MOST_SHARDS
    pages = [f"articles/{n}.html" for n in range(4000)]
    shards = [shard_of(page, 8) for page in pages]
    assert shards == [shard_of(page, 8) for page in pages]  # the same page, the same shard
    assert min(shards.count(n) for n in range(8)) > 300  # and spread out


def test_an_edited_article_reindexes_one_shard_of_a_few_hundred_articles(tmp_path):
    records = [Record(f"articles/{n}.html", str(n), f"text {n}") for n in range(2225)]
    cache_shards(tmp_path, records, ARTICLES_PER_SHARD)
    with Search(tmp_path) as second:
        second.add([*records[:-1], Record(records[-1].page, records[-1].title, "edited")], ARTICLES_PER_SHARD)
        again = [index for index in second.indexes if not index.cached]
        assert len(again) == 1 and len(again[0].records) < 2 * ARTICLES_PER_SHARD < len(records) / 2
        assert (again[0].bundle() / "pagefind-entry.json").is_file()  # built by the real Pagefind


def test_sentence_maps_say_in_which_word_of_its_paragraph_each_sentence_starts():
    import json

    from dossier.clean import Paragraph
    from dossier.model import Annotation, Article, Sentence
    from dossier.search import sentence_maps, word_starts

    first, second = "Blair spoke. Then  Brown [replied] at length.", "A new paragraph here."
    article = Article("a", "a.txt", "A", [Paragraph(first, 1), Paragraph(second, 3)])
    text = article.text
    starts = [0, first.index("Then"), first.index("replied"), text.index("A new")]
    ends = [*starts[1:], len(text)]
    paragraphs = [0, 0, 0, 1]
    annotation = Annotation([Sentence(i, p, s, e) for i, (p, s, e) in enumerate(zip(paragraphs, starts, ends, strict=True))], [])
    # "replied" starts inside the word "[replied]": the sentence starts in that word, the fourth
    assert word_starts(article, annotation) == [[0, 0, 2, 4], [3, 0]]
    maps = sentence_maps([article], {"a": annotation}, {"a": "articles/a.html"}, lambda _: [0, 3])
    (path, make), = maps.items()
    assert path.startswith("search/sentences.") and path.endswith(".json")
    entry = json.loads(make())["articles/a.html"]
    assert entry["parts"] == [[0, "articles/a.html"], [3, "articles/a.p2.html"]], "a long article names the page of each part"


def stand_in_pagefind(tmp_path: Path, monkeypatch, body: str) -> None:
    """Pagefind's place taken by a Python program: what the build runs, and how, without indexing."""
    program = tmp_path / "pagefind"
    program.write_text(f"#!{sys.executable}\nimport os, sys, time\n{body}\n")
    program.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: str(program))


RECORDS = [Record("articles/a.html", "A", "one"), Record("articles/b.html", "B", "two")]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="the idle class is Linux's")
def test_pagefind_runs_at_the_lowest_priority_on_the_pages_written_for_it(tmp_path, monkeypatch):
    """The forked process writes the stand-in pages, then runs Pagefind in the idle class at nice 19,
    reading nothing, so that it never takes a core from the model or the rendering."""
    stand_in_pagefind(tmp_path, monkeypatch, "print(os.sched_getscheduler(0), os.nice(0), sys.stdin.read() == '', "
                                             "sorted(os.listdir(sys.argv[2] + '/articles')))")
    work = tmp_path / "work"
    work.mkdir()
    process = search.start_pagefind(RECORDS, work)
    process.join()
    assert process.exitcode == 0
    assert (work / search.LOG).read_text().split(maxsplit=3) == [str(os.SCHED_IDLE), "19", "True", "['a.html', 'b.html']\n"]


def test_a_failing_pagefind_is_an_error_that_says_why(tmp_path, monkeypatch):
    stand_in_pagefind(tmp_path, monkeypatch, "print('pagefind: cannot read the pages'); sys.exit(3)")
    index = Search(tmp_path / "cache")
    index.add(RECORDS)
    with pytest.raises(RuntimeError, match=r"exit code 3\): pagefind: cannot read the pages"):
        index.indexes[0].bundle()


def test_a_cancelled_index_stops_pagefind_at_once_and_leaves_no_work_behind(tmp_path, monkeypatch):
    stand_in_pagefind(tmp_path, monkeypatch, "time.sleep(60)")
    with Search(tmp_path / "cache") as index:
        index.add(RECORDS)
        started = time.monotonic()
        running = index.indexes[0].process
    assert time.monotonic() - started < 10 and not running.is_alive()
    assert not [p for p in (tmp_path / "cache" / "search").iterdir() if p.name.startswith(".build-")]
