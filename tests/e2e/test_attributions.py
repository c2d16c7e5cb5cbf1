"""Attributions a reader trusts, on the default dossier and on real BBC articles: who an actor is,
who said what, which outlet published an article and which ones it only cites."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, run_build

pytestmark = pytest.mark.slow


def data_of(site: Path) -> dict:
    return json.loads((site / "dossier.json").read_text(encoding="utf-8"))


def actor(data: dict, name: str) -> dict:
    (found,) = [a for a in data["actors"] if a["name"] == name]
    return found


def quotes_of(data: dict, actor_id: str) -> list[str]:
    return [q["text"] for q in data["quotes"] if q["actor"] == actor_id]


def section(page: Path, heading_id: str) -> str:
    return re.search(rf'<section aria-labelledby="{heading_id}">.*?</section>', page.read_text(encoding="utf-8"), flags=re.S).group(0)


def test_the_analyst_is_a_person_and_his_surname_is_his(seeds_build):
    """001: "Sergio" was tagged a nationality, and "Rodríguez maintained ..." went to Delcy Rodríguez."""
    site, _ = seeds_build
    data = data_of(site)
    analyst = actor(data, "Sergio Rodríguez Gelfenstein")
    assert analyst["type"] == "person"
    assert any(q.startswith("Rodríguez maintained") for q in quotes_of(data, analyst["id"]))
    if analyst["page"]:
        assert "maintained that Washington and Caracas" in section(site / analyst["url"], "h-mentions")
    else:  # named in one article only: no page of his own, his name marked where it occurs
        article = (site / analyst["url"].split("#")[0]).read_text(encoding="utf-8")
        assert re.search(r'<span class="m type-person" title="person">Rodríguez</span> maintained that', article)
    delcy, jorge = actor(data, "Delcy Rodríguez"), actor(data, "Jorge Rodríguez")
    assert delcy["id"] != jorge["id"]
    assert not any("maintained that Washington" in q for q in quotes_of(data, delcy["id"]))


def test_people_are_people_and_outlets_organisations(seeds_build):
    data = data_of(seeds_build[0])
    assert actor(data, "Miguel Díaz-Canel")["type"] == "person"
    assert actor(data, "Miami Herald")["type"] == "organization"
    assert not [a for a in data["actors"] if a["name"] in ("Venezuelan", "Caracas Sergey Melik")]


def test_maduros_statement_is_his_quote_and_claiming_victory_is_not(seeds_build):
    site, _ = seeds_build
    data = data_of(site)
    maduro = actor(data, "Nicolás Maduro")
    said = quotes_of(data, maduro["id"])
    assert any(q.startswith("Maduro described the meeting with U.S. officials as “respectful”") for q in said)
    assert not [q for q in data["quotes"] if "claimed victory" in q["text"]]
    quoted = section(site / maduro["url"], "h-quoted")
    assert "described:" in quoted  # the verb, then the sentence
    assert "The Washington Post" in quoted and "2022-03-11" in quoted  # its outlet and date


def test_cited_outlets_are_sources_not_publishers(seeds_build):
    site, _ = seeds_build
    data = data_of(site)
    analysis = next(a for a in data["articles"] if a["id"] == "001_8631d0b8bf69ee07")
    assert analysis["outlet"] == "venezuelanalysis"
    assert "Cites: The New York Times, Reuters." in (site / analysis["url"]).read_text(encoding="utf-8")


def test_an_inferred_outlet_says_so_on_the_page_and_in_the_curation_queue(seeds_build):
    site, _ = seeds_build
    data = data_of(site)
    usip = next(a for a in data["articles"] if a["id"] == "003_649901ef9cf95a2c")
    assert "(inferred)" in (site / usip["url"]).read_text(encoding="utf-8")
    queue = (site / "curation.html").read_text(encoding="utf-8")
    assert "Outlets inferred from the text" in queue
    assert "outlet: United States Institute of Peace" in queue


def bbc_corpus() -> Path | None:
    for candidate in (ROOT.parent / "shared" / "corpus" / "bbc", Path("/work/shared/corpus/bbc")):
        if candidate.is_dir():
            return candidate
    return None


# BBC articles that tell Reuters, the Times or the Guardian something: each was once labelled with that outlet.
BBC_TOLD = ("business/003.txt", "politics/190.txt", "sport/188.txt", "entertainment/094.txt")


@pytest.mark.skipif(bbc_corpus() is None, reason="the BBC corpus (shared/corpus/bbc) is not here")
def test_a_folder_default_makes_every_bbc_article_bbc_news(tmp_path, shared_cache):
    corpus = bbc_corpus()
    project = tmp_path / "project"
    for name in BBC_TOLD:
        target = project / "seeds" / "bbc" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / name, target)
    (project / "dossier.toml").write_text('search = false\n\n[folders.bbc]\noutlet = "BBC News"\n', encoding="utf-8")
    run = run_build(project, "build", "--cache", str(shared_cache))
    assert run.code == 0, run.stderr
    data = data_of(project / "site")
    assert {a["outlet"] for a in data["articles"]} == {"bbc-news"}
    assert [o["name"] for o in data["outlets"]] == ["BBC News"]
    told_reuters = next(a for a in data["articles"] if a["id"] == "bbc/business/003")
    assert "Cites: Reuters" in (project / "site" / told_reuters["url"]).read_text(encoding="utf-8")


def test_headlines_name_their_actors(seeds_build):
    """A headline is no sentence the model reads: its names are found from the actors known, linked in
    the article's heading and listed on the actor's page."""
    site, _ = seeds_build
    heading = re.search(r"<h1>(.*?)</h1>", (site / "articles" / "004_d10a44f87dd545c6.html").read_text(encoding="utf-8")).group(1)
    assert '<a class="m type-person" href="../actors/nicolas-maduro.html">Maduro</a>' in heading
    maduro = actor(data_of(site), "Nicolás Maduro")
    assert "004_d10a44f87dd545c6" in maduro["headlines"] and "002_b24435e7eb72e17b" not in maduro["headlines"]
    page = (site / "actors" / "nicolas-maduro.html").read_text(encoding="utf-8")
    assert "<dt>In headlines</dt><dd>3 headlines: " in page.split('id="h-facts"')[1].split("</section>")[0]
