"""The search records: what Pagefind reads for each page, and when an index is built again."""

from __future__ import annotations

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


def test_an_index_for_the_same_records_is_taken_from_the_cache(tmp_path):
    records = [Record("articles/a.html", "A", "alpha")]
    kept = tmp_path / "search" / records_digest(records)
    (kept / "fragment").mkdir(parents=True)
    (kept / "pagefind-entry.json").write_text("{}")
    with Search(records, tmp_path) as found:
        assert found.cached and all(i.process is None and i.starting is None for i in found.indexes)  # no Pagefind ran
        site = tmp_path / "site"
        found.copy_into(site)
    assert found.bundles == ["pagefind/0/"]
    copied = site / "pagefind" / "0" / "pagefind-entry.json"
    assert copied.read_text() == "{}" and copied.stat().st_ino == (kept / "pagefind-entry.json").stat().st_ino


def test_records_are_split_into_stable_shards():
    assert shard_count(1) == 1 and shard_count(RECORDS_PER_SHARD) == 1
    assert shard_count(RECORDS_PER_SHARD + 1) == 2 and shard_count(10**6) == MOST_SHARDS
    pages = [f"articles/{n}.html" for n in range(4000)]
    shards = [shard_of(page, 8) for page in pages]
    assert shards == [shard_of(page, 8) for page in pages]  # the same page, the same shard
    assert min(shards.count(n) for n in range(8)) > 300  # and spread out


def test_an_edited_article_reindexes_a_shard_of_a_few_hundred_articles(tmp_path):
    records = [Record(f"articles/{n}.html", str(n), f"text {n}") for n in range(2225)]
    first = Search([], tmp_path, begin=False)
    first.add(records, ARTICLES_PER_SHARD)
    for index in first.indexes:
        (index.folder / "fragment").mkdir(parents=True)
    second = Search([], tmp_path, begin=False)
    second.add([*records[:-1], Record(records[-1].page, records[-1].title, "edited")], ARTICLES_PER_SHARD)
    again = [index for index in second.indexes if not index.cached]
    assert len(again) == 1 and len(again[0].records) < 2 * ARTICLES_PER_SHARD < len(records) / 2


def test_one_changed_record_leaves_the_other_shards_cached(tmp_path):
    records = [Record(f"articles/{n}.html", str(n), f"text {n}") for n in range(RECORDS_PER_SHARD * 2 + 1)]
    first = Search(records, tmp_path, begin=False)
    for index in first.indexes:  # pretend every shard was built
        (index.folder / "fragment").mkdir(parents=True)
    changed = [*records[:-1], Record(records[-1].page, records[-1].title, "edited")]
    second = Search(changed, tmp_path, begin=False)
    assert [i.cached for i in second.indexes].count(False) == 1


def cached_search(tmp_path, pages: int) -> Search:
    """A search whose every shard is in the cache already (as if Pagefind had built it)."""
    records = [Record(f"articles/{n}.html", str(n), f"text {n}") for n in range(pages)]
    found = Search(records, tmp_path / "cache", begin=False)
    for index in found.indexes:
        index.folder.mkdir(parents=True)
        (index.folder / "pagefind-entry.json").write_text(index.folder.name)
    return found


def test_an_index_swapped_into_a_live_site_puts_each_shard_under_pagefind(tmp_path):
    """Watch mode: the index built after the pages are live replaces site/pagefind."""
    site = tmp_path / "site"
    (site / "pagefind" / "0").mkdir(parents=True)
    (site / "pagefind" / "0" / "pagefind-entry.json").write_text("the last index")
    found = cached_search(tmp_path, RECORDS_PER_SHARD + 1)
    found.swap_into(site)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "pagefind/0/pagefind-entry.json", "pagefind/1/pagefind-entry.json"]
    assert (site / "pagefind" / "1" / "pagefind-entry.json").read_text() == found.indexes[1].folder.name


def test_an_index_copied_into_a_spare_site_drops_the_shards_it_no_longer_has(tmp_path):
    staging = tmp_path / "staging"
    cached_search(tmp_path, RECORDS_PER_SHARD * 2 + 1).copy_into(staging)  # three shards
    cached_search(tmp_path, 1).copy_into(staging)
    assert sorted(p.name for p in (staging / "pagefind").iterdir()) == ["0"]
