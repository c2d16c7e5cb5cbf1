"""The timeline of the default dossier as an analyst reads it: what happened when, apart from what
was so for years and what is only planned."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ENTRY = re.compile(r'<li class="event precision-(?P<precision>\w+) kind-(?P<kind>\w+)" id="(?P<id>[^"]+)"')


def entries(page: Path) -> list[re.Match]:
    return list(ENTRY.finditer(page.read_text(encoding="utf-8")))


def exported(site: Path) -> dict:
    return json.loads((site / "dossier.json").read_text(encoding="utf-8"))


def test_no_background_or_forecast_entry_is_shown_as_an_event(seeds_build):
    site, _ = seeds_build
    data = exported(site)
    kinds = {e["id"]: e["kind"] for e in data["timeline"]}
    assert {"event", "background", "forecast"} <= set(kinds.values())
    event_pages = [p for p in (site / "timeline").glob("*.html") if p.stem not in ("background", "forecast")]
    for page in event_pages:
        for entry in entries(page):
            assert entry["kind"] == "event" and kinds[entry["id"]] == "event", f"{entry['id']} on {page.name}"
    shown = {entry["id"] for entry in entries(site / "timeline" / "index.html")}
    assert shown == {i for i, kind in kinds.items() if kind == "event"}


def test_background_and_forecasts_have_their_own_pages_reached_by_plain_links(seeds_build):
    site, _ = seeds_build
    data = exported(site)
    index = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    for kind in ("background", "forecast"):
        assert f'href="{kind}.html"' in index  # a link, not a script: the lanes work without JavaScript
        on_page = {entry["id"] for entry in entries(site / "timeline" / f"{kind}.html")}
        assert on_page == {e["id"] for e in data["timeline"] if e["kind"] == kind}
    since = next(e for e in data["timeline"] if e["sources"][0]["expression"] == "the late 1990s")
    assert since["kind"] == "background"
    assert next(e for e in data["timeline"] if e["date"] == "2024")["kind"] == "forecast"  # "going into 2024"


def test_latest_on_the_home_page_are_events_on_or_before_the_newest_article(seeds_build):
    site, _ = seeds_build
    data = exported(site)
    newest = max(a["date"] for a in data["articles"] if a["date"])
    by_id = {e["id"]: e for e in data["timeline"]}
    home = (site / "index.html").read_text(encoding="utf-8")
    latest = re.search(r'<section aria-labelledby="h-latest">.*?</section>', home, flags=re.S).group(0)
    shown = [m["id"] for m in ENTRY.finditer(latest)]
    assert shown
    for entry_id in shown:
        assert by_id[entry_id]["kind"] == "event"
        assert by_id[entry_id]["end"] <= newest, entry_id


def test_a_sentence_with_several_dates_marks_a_different_phrase_under_each(seeds_build):
    site, _ = seeds_build
    data = exported(site)
    pages = {a["id"]: a["url"].rsplit("/", 1)[1] for a in data["articles"]}
    by_sentence: dict[tuple[str, int], list[str]] = {}
    for event in data["timeline"]:
        for source in event["sources"]:
            by_sentence.setdefault((source["article"], source["sentence"]), []).append(source["expression"])
    (article, sentence), expressions = next((key, found) for key, found in by_sentence.items() if len(set(found)) >= 3)
    html = "".join(page.read_text(encoding="utf-8") for page in (site / "timeline").glob("*.html"))
    links = re.findall(rf'href="[^"]*{re.escape(pages[article])}#s{sentence}">(.*?)</a>', html, flags=re.S)
    marked = {mark for link in links for mark in re.findall(r"<mark>(.*?)</mark>", link)}
    assert set(expressions) <= marked
