"""Article metadata read from the text, and front matter laid over it."""

from __future__ import annotations

import pytest

from dossier.clean import CleanText, Paragraph, clean
from dossier.config import FolderDefaults
from dossier.metadata import apply_defaults, apply_front_matter, infer
from dossier.model import Article, Evidence
from dossier.problems import InputError
from dossier.sources import split_front_matter


def cleaned(*texts: str) -> CleanText:
    """Paragraphs as the cleaner gives them: one per line, blank lines between (lines 1, 3, 5...)."""
    return CleanText([Paragraph(text, 2 * i + 1) for i, text in enumerate(texts)])


def article_of(*texts: str) -> Article:
    return infer("a", "seeds/a.txt", cleaned(*texts))


# -- title ----------------------------------------------------------------------------------------

def test_first_line_headline_becomes_the_title():
    article = article_of("Russia crisis sends U.S. officials to Venezuela to meet with Maduro",
                         "Top U.S. officials traveled to Caracas over the weekend.")
    assert article.title == "Russia crisis sends U.S. officials to Venezuela to meet with Maduro"
    assert article.evidence["title"].source == "text"
    assert [(p.line, p.text) for p in article.paragraphs] == [(3, "Top U.S. officials traveled to Caracas over the weekend.")]


def test_without_a_headline_the_title_is_the_first_words():
    first = "Senior US officials have flown to Venezuela for rare talks with Nicolás Maduro’s government."
    article = article_of(first, "White House negotiators met Maduro representatives.")
    assert article.title == "Senior US officials have flown to Venezuela for rare talks…"
    assert article.evidence["title"].source == "default"
    assert [p.text for p in article.paragraphs] == [first, "White House negotiators met Maduro representatives."]


def test_a_single_paragraph_is_the_text_not_a_headline():
    article = article_of("Venezuela and Russia deepen ties")
    assert article.title == "Venezuela and Russia deepen ties"
    assert article.evidence["title"].source == "default"
    assert [p.text for p in article.paragraphs] == ["Venezuela and Russia deepen ties"]


@pytest.mark.parametrize("first", [
    "“The drumbeat of war is sounding loud” Russia says",
    "The United States and their allies are trying to play other countries against each other while Russia keeps"
    " its oil flowing to Caracas and Havana despite every sanction announced in Washington",
    "Venezuela, Russia and the oil market,",
    "What do we know about the meetings:",
], ids=["opening-quote", "long", "trailing-comma", "trailing-colon"])
def test_lines_that_are_not_headlines(first):
    article = article_of(first, "Second paragraph.")
    assert article.evidence["title"].source == "default"
    assert article.paragraphs[0].text == first
    assert len(article.paragraphs) == 2


# -- date -----------------------------------------------------------------------------------------

def test_dateline_gives_the_date_and_is_stripped():
    text = "\n".join(["US Officials Meet Maduro, Fail to Drive Wedge Between Venezuela and Russia",
                      "",
                      "Mexico City, Mexico, March 7, 2022 ( – A high-level delegation visited Venezuela on Saturday.",
                      "",
                      "News of the delegation was first broken by the New York Times."])
    article = infer("001", "seeds/001.txt", clean(text))
    assert article.date == "2022-03-07"
    assert article.dateline == "Mexico City, Mexico"
    assert article.evidence["date"].source == "text"
    assert "line 3" in article.evidence["date"].detail
    assert article.title == "US Officials Meet Maduro, Fail to Drive Wedge Between Venezuela and Russia"
    assert [(p.line, p.text) for p in article.paragraphs] == [
        (3, "A high-level delegation visited Venezuela on Saturday."),
        (5, "News of the delegation was first broken by the New York Times.")]
    assert any(r.line == 3 and r.text.startswith("Mexico City, Mexico, March 7, 2022") for r in article.removed)
    assert [r.line for r in article.removed] == sorted(r.line for r in article.removed)


@pytest.mark.parametrize(("first", "date", "place", "rest"), [
    ("CARACAS, March 5, 2022 – Maduro met U.S. officials.", "2022-03-05", "CARACAS", "Maduro met U.S. officials."),
    ("Caracas, Venezuela, Sept. 5, 2021 — Talks began.", "2021-09-05", "Caracas, Venezuela", "Talks began."),
    ("Washington, Dec. 31, 2019 - The sanctions took effect.", "2019-12-31", "Washington", "The sanctions took effect."),
])
def test_dateline_variants(first, date, place, rest):
    article = article_of(first, "More text.")
    assert (article.date, article.dateline) == (date, place)
    assert article.paragraphs[0].text == rest


def test_date_header_gives_the_date():
    article = infer("000", "seeds/000.txt", clean(" date 2022-03-11 The rare U.S. visit was a stunning shift.\n\nMore text."))
    assert article.date == "2022-03-11"
    assert article.evidence["date"].source == "text"
    assert "date 2022-03-11" in article.evidence["date"].detail


def test_impossible_date_header_is_not_used():
    article = infer("x", "seeds/x.txt", clean(" date 2022-13-45 The rare U.S. visit was a stunning shift.\n\nMore text."))
    assert article.date is None
    assert "date" not in article.evidence


def test_unknown_date_stays_none():
    article = article_of("US officials fly to Venezuela for talks",
                         "Senior US officials have flown to Venezuela on Saturday for rare talks in March.")
    assert article.date is None
    assert article.dateline is None
    assert "date" not in article.evidence


# -- outlet, authors, editors -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cited"), [
    ("A government official told Venezuelanalysis that no agreement was reached.", ["Venezuelanalysis"]),
    ("He told the Times Educational Supplement that exams would change.", []),
    ("A source confirmed on Sunday to the Miami Herald that the meeting occurred.", ["Miami Herald"]),
    ("The minister told The Washington Post that talks would continue.", ["The Washington Post"]),
    ("The talks made little progress, according to Reuters. AP reported a second meeting.", ["Reuters", "Associated Press"]),
    ("The New York Times first reported the meeting.", ["The New York Times"]),
    ("Blinken said on NBC’s Meet the Press that talks continue.", ["NBC News"]),
])
def test_told_or_cited_outlets_are_sources_never_the_outlet(text, cited):
    """"He told the Times Educational Supplement" once made a BBC article The New York Times."""
    article = article_of(text, "More text.")
    assert article.outlet is None
    assert "outlet" not in article.evidence
    assert article.cites == cited


def test_the_times_alone_is_the_times_unless_the_article_names_the_new_york_times():
    assert article_of("He told the Times that exams would change.", "More.").cites == ["The Times"]
    assert article_of("The New York Times broke the news.", "Officials told the Times it was a shift.").cites == [
        "The New York Times"]


@pytest.mark.parametrize(("text", "outlet"), [
    ("USIP’s Ana Caridad and Keith Mines look at what we know about the trip.", "United States Institute of Peace"),
    ("The BBC's Jonathan Beale said the mood was tense.", "BBC News"),
])
def test_a_staff_member_of_the_outlet_makes_a_weak_inferred_outlet(text, outlet):
    article = article_of(text, "More text.")
    assert article.outlet == outlet
    assert article.evidence["outlet"].source == "inferred"


@pytest.mark.parametrize("text", [
    "He starred in NBC's The Contender last year.",  # a programme, not a journalist
    "The BBC's Jonathan Beale said the mood was tense, according to the BBC.",  # cited as well: no guess
    "The BBC's Jonathan Beale and Reuters' Sarah Marsh reported.",  # two outlets' staff: no guess
])
def test_no_weak_self_reference_is_guessed(text):
    assert article_of(text, "More text.").outlet is None


def test_byline_and_sign_offs_fill_authors_editors_and_outlet():
    text = "\n".join(["Talks in Caracas", "", "Maduro met the delegation.", "", "Tom Phillips Latin America correspondent", "",
                      "Edited by Ricardo Vaz in Caracas.", "", "The GuardianTramp"])
    article = infer("g", "seeds/g.txt", clean(text))
    assert article.authors == ["Tom Phillips"]
    assert article.editors == ["Ricardo Vaz"]
    assert article.outlet == "The Guardian"
    assert article.evidence["outlet"].source == "text"
    assert "line 9" in article.evidence["outlet"].detail
    assert [p.text for p in article.paragraphs] == ["Maduro met the delegation."]


# -- front matter ---------------------------------------------------------------------------------------

def seed_article() -> Article:
    article = infer("a", "seeds/a.txt", clean(" date 2022-03-11 The rare U.S. visit was a stunning shift.\n\nMore text."))
    assert article.date == "2022-03-11"
    return article


def front(*lines: str) -> tuple[dict, dict]:
    meta, _, _, meta_lines = split_front_matter("\n".join(["---", *lines, "---", "Notes."]))
    return meta, meta_lines


def test_front_matter_overrides_with_evidence():
    meta, lines = front("source: seeds/a.txt",
                        "title: Rare U.S. visit to Maduro",
                        "date: 2022-03-06",
                        "authors: [Tom Phillips, Ana Caridad]",
                        "outlet: The Guardian",
                        "url: https://www.theguardian.com/world/2022/mar/06/us-officials-venezuela")
    article = seed_article()
    assert apply_front_matter(article, meta, lines, "articles/a") == []
    assert article.title == "Rare U.S. visit to Maduro"
    assert article.date == "2022-03-06"
    assert article.authors == ["Tom Phillips", "Ana Caridad"]
    assert article.outlet == "The Guardian"
    assert article.url == "https://www.theguardian.com/world/2022/mar/06/us-officials-venezuela"
    for key in ("title", "date", "authors", "outlet", "url"):
        assert article.evidence[key] == Evidence("front matter", "content/articles/a.md")


def test_front_matter_single_author_and_quoted_date():
    meta, lines = front("authors: Keith Mines", "date: '2022-03-09'")
    article = seed_article()
    apply_front_matter(article, meta, lines, "a")
    assert article.authors == ["Keith Mines"]
    assert article.date == "2022-03-09"


def test_unknown_front_matter_key_is_a_returned_warning():
    meta, lines = front("source: seeds/a.txt", "title: New title", "summary: A short summary.")
    article = seed_article()
    warnings = apply_front_matter(article, meta, lines, "a")
    assert len(warnings) == 1
    reason, line = warnings[0]
    assert "summary" in reason
    assert line == 4
    assert article.title == "New title"
    assert "summary" not in article.evidence


@pytest.mark.parametrize("bad", [
    "date: yesterday",
    "date: 2022-03",
    "date: 7 March 2022",
    "authors: 5",
    "authors: [Tom Phillips, 5]",
    "authors: ['']",
    "url: javascript:alert(1)",
    "url: ftp://example.com/article",
    "url: https://",
    "url: www.example.com/article",
    "title: 42",
    "title: ''",
    "outlet: [Reuters, AP]",
])
def test_wrong_front_matter_types_raise_with_the_line(bad):
    meta, lines = front("source: seeds/a.txt", "title: Fine title", bad) if not bad.startswith("title") else \
        front("source: seeds/a.txt", "outlet: Reuters", bad)
    with pytest.raises(InputError) as caught:
        apply_front_matter(seed_article(), meta, lines, "a")
    assert caught.value.line == 4
    assert bad.split(":")[0] in caught.value.reason


def test_rejected_front_matter_leaves_the_article_unchanged():
    meta, lines = front("source: seeds/a.txt", "title: Half-applied title", "url: javascript:alert(1)")
    article = seed_article()
    title, date = article.title, article.date
    with pytest.raises(InputError):
        apply_front_matter(article, meta, lines, "a")
    assert (article.title, article.date, article.url) == (title, date, None)


# -- the outlet by evidence, folder defaults ------------------------------------------------------------

BBC = FolderDefaults("bbc", outlet="BBC", date="2005-01-01", authors=("BBC News staff",))


def test_folder_default_names_the_outlet_of_an_article_that_only_cites_others():
    article = infer("bbc/business/003", "seeds/bbc/business/003.txt",
                    cleaned("Ex-boss launches defence", "He told Reuters and the Associated Press that he was innocent."))
    apply_defaults(article, BBC)
    assert article.outlet == "BBC News"  # the canonical name of the alias
    assert article.evidence["outlet"] == Evidence("folder default", "dossier.toml: everything under bbc/")
    assert article.cites == ["Reuters", "Associated Press"]
    assert (article.date, article.authors) == ("2005-01-01", ["BBC News staff"])


def test_folder_default_beats_a_weak_self_reference_but_not_a_sign_off_or_front_matter():
    weak = article_of("USIP’s Ana Caridad looks at the trip.", "More text.")
    apply_defaults(weak, BBC)
    assert weak.outlet == "BBC News"
    signed = infer("g", "seeds/g.txt", clean("Talks in Caracas\n\nMaduro met the delegation.\n\nThe GuardianTramp"))
    apply_defaults(signed, BBC)
    assert signed.outlet == "The Guardian"
    article = seed_article()
    meta, lines = front("source: seeds/a.txt", "outlet: Reuters", "date: 2022-03-06")
    apply_front_matter(article, meta, lines, "articles/a")
    apply_defaults(article, BBC)
    assert (article.outlet, article.date) == ("Reuters", "2022-03-06")


def test_the_articles_address_names_a_known_outlet():
    article = seed_article()
    meta, lines = front("source: seeds/a.txt", "url: https://www.theguardian.com/world/2022/mar/06/us-venezuela")
    apply_front_matter(article, meta, lines, "articles/a")
    apply_defaults(article, BBC)
    assert article.outlet == "The Guardian"
    assert article.evidence["outlet"].source == "url"


def test_the_own_outlet_is_not_listed_as_cited():
    article = article_of("He told the BBC that he was innocent.", "More text.")
    assert article.cites == ["BBC News"]
    apply_defaults(article, BBC)
    assert article.cites == []


def test_an_outlets_own_name_wins_over_another_outlets_alias():
    from dossier.metadata import outlet_named

    assert outlet_named("The Times").name == "The Times"
    assert outlet_named("the Times").name == "The Times"
    assert outlet_named("NYT").name == "The New York Times"
