"""The search records: what Pagefind reads for each page, and when an index is built again."""

from __future__ import annotations

from dossier.search import Index, Record, record_html, records_digest


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
    with Index(records, tmp_path) as index:
        assert index.cached and index.process is None  # no Pagefind process was started
        site = tmp_path / "site"
        site.mkdir()
        index.copy_into(site)
    assert (site / "pagefind" / "pagefind-entry.json").read_text() == "{}"
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_ino == (kept / "pagefind-entry.json").stat().st_ino
