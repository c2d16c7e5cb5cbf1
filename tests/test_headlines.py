"""Actors named in headlines (dossier/headlines.py)."""

from __future__ import annotations

from dossier.headlines import headline_names
from dossier.model import Actor, Article, Mention


def person(actor_id: str, name: str, *articles: str, aliases: tuple[str, ...] = ()) -> Actor:
    return Actor(actor_id, name, "person", list(aliases), mentions=[Mention(actor_id, a, name, "PERSON", 0, 0, len(name)) for a in articles])


def named(title: str, actors: list[Actor], article_id: str = "a") -> list[str]:
    """The headline's names as written, each with the actor it links to."""
    spans = headline_names([Article(article_id, f"{article_id}.txt", title, [])], actors).get(article_id, [])
    return [f"{title[start:end]}={actor_id}" for start, end, actor_id in spans]


BLAIR = person("tony-blair", "Tony Blair", "a", aliases=("Mr Blair",))
YUKOS = Actor("yukos", "Yukos", "organization", mentions=[Mention("yukos", "b", "Yukos", "ORG", 0, 0, 5)])


def test_a_surname_is_the_person_the_article_names():
    assert named("Blair rallies party faithful", [BLAIR]) == ["Blair=tony-blair"]
    assert named("Mr Blair backs tax pledge", [BLAIR]) == ["Blair=tony-blair"]
    # above an article that does not name him, "Blair" may be anyone
    assert named("Blair rallies party faithful", [BLAIR], article_id="other") == []


def test_a_surname_two_people_of_the_article_share_is_nobodys():
    gordon, james = person("gordon-brown", "Gordon Brown", "a"), person("james-brown", "James Brown", "a")
    assert named("Brown sets out spending plans", [gordon, james]) == []
    assert named("Gordon Brown sets out spending plans", [gordon, james]) == ["Gordon Brown=gordon-brown"]


def test_a_name_inside_a_longer_name_is_not_a_mention():
    tate = person("tate", "Tate", "a")
    assert named("Tate & Lyle boss bags top award", [tate]) == []
    assert named("Blair Witch sequel opens", [BLAIR]) == []  # a capitalised run is one name in sentence case


def test_a_one_word_name_where_any_word_is_capitalised_needs_the_article_to_name_it():
    will = Actor("will", "Will", "organization", mentions=[Mention("will", "b", "Will", "ORG", 0, 0, 4)])
    assert named("Will rates rise again?", [will]) == []  # a headline's first word
    assert named("Shareholders sue Yukos over tax bill", [YUKOS]) == ["Yukos=yukos"]  # inside a sentence-case headline
    assert named("Yukos faces tax bill", [YUKOS]) == []
    assert named("Yukos faces tax bill", [YUKOS], article_id="b") == ["Yukos=yukos"]


def test_title_case_headlines_are_read_word_by_word():
    maduro = person("nicolas-maduro", "Nicolás Maduro", "a")
    venezuela = Actor("venezuela", "Venezuela", "place", mentions=[Mention("venezuela", "a", "Venezuela", "GPE", 0, 0, 9)])
    assert named("US Officials Meet Maduro, Fail to Drive Wedge With Venezuela", [maduro, venezuela]) == [
        "Maduro=nicolas-maduro", "Venezuela=venezuela"]


def test_a_form_two_actors_share_is_nobodys():
    club = Actor("barcelona-club", "Barcelona", "organization", mentions=[Mention("barcelona-club", "b", "Barcelona", "ORG", 0, 0, 9)])
    city = Actor("barcelona", "Barcelona", "place", mentions=[Mention("barcelona", "c", "Barcelona", "GPE", 0, 0, 9)])
    assert named("Duff ruled out of Barcelona clash", [club, city]) == []
    assert named("Duff ruled out of Barcelona clash", [club]) == ["Barcelona=barcelona-club"]


def test_names_with_lowercase_words_are_found_whole():
    boe = Actor("bank-of-england", "Bank of England", "organization", mentions=[Mention("bank-of-england", "b", "Bank of England", "ORG", 0, 0, 15)])
    england = Actor("england", "England", "place", mentions=[Mention("england", "c", "England", "GPE", 0, 0, 7)])
    tate = Actor("tate-lyle", "Tate & Lyle", "organization", mentions=[Mention("tate-lyle", "b", "Tate & Lyle", "ORG", 0, 0, 11)])
    assert named("Bank of England raises rates", [boe, england]) == ["Bank of England=bank-of-england"]
    assert named("Shares in Tate & Lyle fall", [tate]) == ["Tate & Lyle=tate-lyle"]
    assert named("Bank Of England Raises Interest Rates Again", [england]) == []  # Title Case: part of a longer name
    euro = Actor("euro", "Euro", "organization", mentions=[Mention("euro", "b", "Euro", "ORG", 0, 0, 4)])
    hearts = Actor("hearts", "Hearts", "organization", mentions=[Mention("hearts", "a", "Hearts", "ORG", 0, 0, 6)])
    assert named("Umbro profits lifted by Euro 2004", [euro]) == []
    assert named("Hearts 2-1 Livingston", [hearts]) == ["Hearts=hearts"]


def test_a_name_after_and_for_or_on_is_still_a_name():
    bush = person("george-bush", "George Bush", "a")
    assert named("Support for Blair slips", [BLAIR]) == ["Blair=tony-blair"]
    assert named("Blair on Iraq: no regrets", [BLAIR]) == ["Blair=tony-blair"]
    assert named("Bush and Blair discuss Iraq", [BLAIR, bush]) == ["Bush=george-bush", "Blair=tony-blair"]


def test_a_label_or_a_quote_mark_opens_a_headline():
    will = Actor("will", "Will", "organization", mentions=[Mention("will", "b", "Will", "ORG", 0, 0, 4)])
    assert named("Analysis: Will rates rise again?", [will]) == []
    assert named('"Yukos faces tax bill"', [YUKOS]) == []
    assert named('"Yukos faces tax bill"', [YUKOS], article_id="b") == ["Yukos=yukos"]


def test_a_surname_of_a_person_the_article_names_is_not_a_place():
    jordan = person("michael-jordan", "Michael Jordan", "a", aliases=("Jordan",))
    country = Actor("jordan", "Jordan", "place", mentions=[Mention("jordan", "c", "Jordan", "GPE", 0, 0, 6)])
    assert named("Bulls welcome back Jordan", [jordan, country]) == []
    assert named("Bulls welcome back Jordan", [jordan, country], article_id="other") == ["Jordan=jordan"]


def test_an_empty_alias_is_no_name():
    assert named("Blair rallies party faithful", [person("tony-blair", "Tony Blair", "a", aliases=("", " "))]) == ["Blair=tony-blair"]
