"""Article metadata read from the text, and front matter laid over it."""

from __future__ import annotations

import pytest

from dossier.clean import CleanText, Paragraph, clean
from dossier.metadata import apply_front_matter, infer
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

@pytest.mark.parametrize(("text", "outlet"), [
    ("A government official told Venezuelanalysis that no agreement was reached.", "Venezuelanalysis"),
    ("USIP’s Ana Caridad and Keith Mines look at what we know about the trip.", "United States Institute of Peace"),
    ("A source familiar with the talks confirmed on Sunday to McClatchy and the Miami Herald that the meeting occurred.", "Miami Herald"),
    ("The minister told The Washington Post that talks would continue.", "The Washington Post"),
])
def test_outlet_naming_itself(text, outlet):
    article = article_of(text, "More text.")
    assert article.outlet == outlet
    assert article.evidence["outlet"].source == "text"


def test_outlet_also_cited_as_a_source_is_not_chosen():
    article = article_of("The talks made little progress, according to Reuters.",
                         "One official told Reuters that the meeting was tense.")
    assert article.outlet is None
    assert "outlet" not in article.evidence


def test_outlet_cited_at_the_start_of_a_sentence_is_not_chosen():
    article = article_of("According to Reuters, the talks made little progress.",
                         "One official told Reuters that the meeting was tense.")
    assert article.outlet is None


def test_cited_outlet_is_skipped_for_the_one_naming_itself():
    article = article_of("The talks made little progress, according to Reuters.",
                         "One official told Reuters that the meeting was tense.",
                         "A diplomat told Venezuelanalysis the visit was a shift.")
    assert article.outlet == "Venezuelanalysis"


@pytest.mark.parametrize("text", [
    "The New York Times first reported the meeting.",
    "Reuters reported that the sides made little progress.",
    "Blinken said on NBC’s Meet the Press that talks continue.",
    "The visit was described by officials as routine.",
])
def test_outlet_only_cited_stays_unknown(text):
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
