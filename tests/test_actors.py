"""Name mentions to canonical actors, on hand-built articles and annotations (no language model)."""

from __future__ import annotations

from dataclasses import astuple, fields

import pytest

from dossier.actors import Candidate, Curation, name_key, parse_curation, resolve
from dossier.clean import Paragraph
from dossier.model import Actor, Annotation, Article, Entity, Sentence
from dossier.problems import InputError

# -- name keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Nicolás Maduro", "Nicolas Maduro"),
    ("NICOLÁS MADURO", "nicolas maduro"),
    ("Delcy Rodríguez", "Delcy Rodriguez"),
    ("U.S.", "US"),
    ("the U.S.", "US"),
    ("U.S.A.", "USA"),
    ("the United States", "United States"),
    ("The Kremlin", "Kremlin"),
    ("Maduro’s", "Maduro"),
    ("Maduro's", "Maduro"),
    ("Nicolás Maduro’s", "Nicolas Maduro"),
    ("Venezuela’s", "venezuela"),
])
def test_name_keys_fold_to_the_same_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("name", "key"), [
    ("Nicolás Maduro’s", "nicolas maduro"),
    ("the U.S.", "us"),
    ("Iván Duque", "ivan duque"),
    ("Tony Blair", "tony blair"),
    ("G8 Summit", "g8 summit"),
    ("Jean-Claude Juncker", "jean claude juncker"),
    ("Tony  Blair", "tony blair"),
    ("AT&T", "at t"),
])
def test_name_key_values(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize(("a", "b"), [
    ("Delcy Rodríguez", "Jorge Rodríguez"),
    ("Paris", "Pari"),
    ("Theodore", "Odore"),
    ("US", "USA"),
])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


# -- hand-built articles ----------------------------------------------------------------------------

def make(article_id: str, paragraphs: list[str], entities: list[tuple[str, str]]) -> tuple[Article, Annotation]:
    """An article with one sentence per paragraph; `entities` are (surface, label) in text order."""
    article = Article(id=article_id, path=f"seeds/{article_id}.txt", title=article_id,
                      paragraphs=[Paragraph(p, 2 * i + 1) for i, p in enumerate(paragraphs)])
    text = article.text
    sentences, offset = [], 0
    for index, paragraph in enumerate(paragraphs):
        sentences.append(Sentence(index, index, offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    found, cursor = [], 0
    for surface, label in entities:
        start = text.index(surface, cursor)
        found.append(Entity(label, start, start + len(surface), surface))
        cursor = start + len(surface)
    for e in found:
        assert text[e.start:e.end] == e.text
    return article, Annotation(sentences, found)


def run(*built: tuple[Article, Annotation], curation: Curation | None = None) -> list[Actor]:
    articles = [a for a, _ in built]
    return resolve(articles, {a.id: ann for a, ann in built}, curation or Curation())


def named(actors: list[Actor], name: str) -> Actor:
    matches = [a for a in actors if a.name == name]
    assert len(matches) == 1, f"{name!r} not among {[a.name for a in actors]}"
    return matches[0]


def actor_at(actors: list[Actor], article: str, start: int) -> Actor:
    (actor,) = [a for a in actors for m in a.mentions if m.article == article and m.start == start]
    return actor


def test_mentions_point_at_their_text():
    built = make("a", ["Officials from the United States flew to Caracas.", "Nicolás Maduro’s government met them."],
                 [("the United States", "GPE"), ("Caracas", "GPE"), ("Nicolás Maduro’s", "PERSON")])
    text = built[0].text
    for actor in run(built):
        for m in actor.mentions:
            assert text[m.start:m.end] == m.surface
            assert m.article == "a"
    assert {a.name for a in run(built)} == {"United States", "Caracas", "Nicolás Maduro"}


def test_surname_tagged_org_joins_the_full_name_in_the_same_article():
    built = make("a", ["Nicolás Maduro met the delegation in Caracas.", "Maduro said the talks were respectful.",
                       "Officials said Maduro would release two Americans."],
                 [("Nicolás Maduro", "PERSON"), ("Caracas", "GPE"), ("Maduro", "ORG"), ("Maduro", "ORG")])
    actors = run(built)
    maduro = named(actors, "Nicolás Maduro")
    assert maduro.type == "person"
    assert len(maduro.mentions) == 3
    assert [m.sentence for m in maduro.mentions] == [0, 1, 2]
    assert "Maduro" not in {a.name for a in actors}


def test_surname_in_another_article_of_the_same_story_joins_the_one_full_name():
    first = make("a", ["Nicolás Maduro met Antony Blinken and Juan Guaidó."],
                 [("Nicolás Maduro", "PERSON"), ("Antony Blinken", "PERSON"), ("Juan Guaidó", "PERSON")])
    second = make("b", ["Maduro told Antony Blinken that Juan Guaidó had no power."],
                  [("Maduro", "ORG"), ("Antony Blinken", "PERSON"), ("Juan Guaidó", "PERSON")])
    maduro = named(run(first, second), "Nicolás Maduro")
    assert maduro.articles == ["a", "b"]
    assert maduro.type == "person"


def test_surname_in_an_unrelated_article_stays_apart():
    """'Jones' in a sports report is not Norah Jones from an arts page: the articles share no one."""
    arts = make("a", ["Norah Jones won three awards."], [("Norah Jones", "PERSON")])
    sport = make("b", ["Jones scored twice for Wales."], [("Jones", "PERSON"), ("Wales", "GPE")])
    actors = run(arts, sport)
    assert named(actors, "Norah Jones").articles == ["a"]
    assert named(actors, "Jones").articles == ["b"]


def test_titles_are_folded_so_mr_blair_is_blair():
    assert name_key("Mr Blair") == name_key("Blair") == "blair"
    assert name_key("President Biden") == "biden"
    assert name_key("General Motors") == "general motors"
    assert name_key("Lord of the Rings") == "lord of the rings"


def test_two_full_names_sharing_a_surname_stay_apart():
    paragraphs = ["Vice President Delcy Rodríguez met Lavrov.", "Jorge Rodríguez, who leads the National Assembly, joined the talks.",
                  "Rodríguez said Venezuela would stay neutral."]
    built = make("a", paragraphs, [("Delcy Rodríguez", "PERSON"), ("Lavrov", "PERSON"), ("Jorge Rodríguez", "PERSON"),
                                   ("National Assembly", "ORG"), ("Rodríguez", "PERSON"), ("Venezuela", "GPE")])
    actors = run(built)
    delcy, jorge = named(actors, "Delcy Rodríguez"), named(actors, "Jorge Rodríguez")
    assert delcy.id != jorge.id
    assert [m.sentence for m in delcy.mentions] == [0]
    assert [m.sentence for m in jorge.mentions] == [1, 2]  # the nearest full name before the surname


def test_a_surname_refers_to_the_nearest_full_name_before_it_never_a_further_one():
    """In 001, "Rodríguez maintained ..." follows the analyst Sergio Rodríguez Gelfenstein, not Delcy Rodríguez."""
    paragraphs = ["Vice President Delcy Rodríguez took part.", "Analyst Sergio Rodríguez Gelfenstein told us it was a wedge.",
                  "Rodríguez maintained that the door stays open.", "Later, Delcy Rodríguez spoke.", "Rodríguez said no."]
    built = make("a", paragraphs, [("Delcy Rodríguez", "PERSON"), ("Sergio Rodríguez Gelfenstein", "PERSON"),
                                   ("Rodríguez", "ORG"), ("Delcy Rodríguez", "PERSON"), ("Rodríguez", "PERSON")])
    actors = run(built)
    text = built[0].text
    assert actor_at(actors, "a", text.index("Rodríguez maintained")).name == "Sergio Rodríguez Gelfenstein"
    assert actor_at(actors, "a", text.index("Rodríguez said")).name == "Delcy Rodríguez"


def test_mr_surname_joins_the_one_man_of_that_name_in_the_dossier_but_not_a_woman():
    blair = make("a", ["Tony Blair spoke in Brighton."], [("Tony Blair", "PERSON"), ("Brighton", "GPE")])
    again = make("a2", ["Tony Blair met union leaders."], [("Tony Blair", "PERSON")])
    later = make("b", ["Mr Blair said taxes would not rise."], [("Blair", "PERSON")])
    arts = make("c", ["Norah Jones won three awards."], [("Norah Jones", "PERSON")])
    arts2 = make("c2", ["Norah Jones toured."], [("Norah Jones", "PERSON")])
    sport = make("d", ["Mr Jones scored twice."], [("Jones", "PERSON")])
    novel = make("e", ["Dan Brown wrote a novel."], [("Dan Brown", "PERSON")])
    budget = make("f", ["Mr Brown set the budget."], [("Brown", "PERSON")])
    actors = run(blair, again, later, arts, arts2, sport, novel, budget)
    assert named(actors, "Tony Blair").articles == ["a", "a2", "b"]
    assert named(actors, "Norah Jones").articles == ["c", "c2"]
    assert named(actors, "Dan Brown").articles == ["e"]  # named once: too little to say "Mr Brown" is him


def test_a_title_or_role_before_a_name_makes_it_a_person():
    """The model tagged "Sergio" a nationality and missed the rest of the analyst's name."""
    built = make("a", ["Venezuelan geopolitical analyst Sergio Rodríguez Gelfenstein told us so.",
                       "Shares in General Motors fell."], [("Venezuelan", "NORP"), ("Sergio", "NORP"), ("General Motors", "ORG")])
    actors = run(built)
    assert named(actors, "Sergio Rodríguez Gelfenstein").type == "person"
    assert named(actors, "General Motors").type == "organization"
    assert not [a for a in actors if a.name == "Sergio"]


@pytest.mark.parametrize(("surface", "name"), [
    ("Welshman Ray Reardon", "Ray Reardon"),
    ("Llanelli Grammar School - and", "Llanelli Grammar School"),
    ("Juan Carlos Ferrero", "Juan Carlos Ferrero"),
])
def test_demonyms_and_dangling_conjunctions_are_cut_from_spans(surface, name):
    built = make("a", [f"It was {surface} who won."], [(surface, "PERSON")])
    assert [a.name for a in run(built)] == [name]


def test_bare_surname_joins_the_full_name_of_its_own_article():
    both = make("a", ["Delcy Rodríguez met Lavrov.", "Jorge Rodríguez joined.", "Rodríguez said little."],
                [("Delcy Rodríguez", "PERSON"), ("Lavrov", "PERSON"), ("Jorge Rodríguez", "PERSON"), ("Rodríguez", "PERSON")])
    only_delcy = make("b", ["Delcy Rodríguez spoke to reporters.", "Rodríguez called the visit positive."],
                      [("Delcy Rodríguez", "PERSON"), ("Rodríguez", "PERSON")])
    actors = run(both, only_delcy)
    delcy = named(actors, "Delcy Rodríguez")
    assert [(m.article, m.sentence) for m in delcy.mentions] == [("a", 0), ("b", 0), ("b", 1)]
    assert actor_at(actors, "a", both[0].text.index("Rodríguez said")).id != delcy.id


def test_united_states_forms_are_one_place():
    built = make("a", ["Officials from the United States flew to Caracas.", "The U.S. delegation met Maduro.", "US sanctions remain in place."],
                 [("the United States", "GPE"), ("Caracas", "GPE"), ("U.S.", "GPE"), ("Maduro", "PERSON"), ("US", "ORG")])
    actors = run(built)
    us = named(actors, "United States")
    assert us.type == "place"
    assert [m.sentence for m in us.mentions] == [0, 1, 2]
    assert not {"US", "U.S.", "U.S", "the United States"} & {a.name for a in actors}


def test_demonym_counts_as_the_country():
    built = make("a", ["Russian President Vladimir Putin invaded Ukraine.", "Russia has ties with Venezuela.",
                       "Latin American governments watched."],
                 [("Russian", "NORP"), ("Vladimir Putin", "PERSON"), ("Ukraine", "GPE"), ("Russia", "GPE"),
                  ("Venezuela", "GPE"), ("Latin American", "NORP")])
    actors = run(built)
    russia = named(actors, "Russia")
    assert russia.type == "place"
    assert [(m.surface, m.sentence) for m in russia.mentions] == [("Russian", 0), ("Russia", 1)]
    assert "Russian" not in {a.name for a in actors}
    assert "Latin American" not in {a.name for a in actors}


def test_demonym_alone_makes_the_country_a_place():
    actors = run(make("a", ["Russian officials declined to comment."], [("Russian", "NORP")]))
    assert [(a.name, a.type) for a in actors] == [("Russia", "place")]


def test_plural_group_is_an_actor():
    actors = run(make("a", ["Chavistas celebrated the visit."], [("Chavistas", "NORP")]))
    assert [(a.name, a.type) for a in actors] == [("Chavistas", "group")]


# -- curation ---------------------------------------------------------------------------------------------

CURATION = """\
# Curation for the test dossier.
actors:
  - name: Juan Guaidó
    type: person
    aliases: [Guaido, Interim President Guaidó]
    description: Opposition leader.
    links: [https://en.wikipedia.org/wiki/Juan_Guaid%C3%B3]
  - name: Chavismo
    type: group
  - name: United States
    type: place
    aliases: [Washington]
ignore: [Interfax, Meet the Press]
"""


def test_curation_aliases_type_and_ignore():
    curation = parse_curation(CURATION)
    built = make("a", ["Juan Guaidó called for protests.", "Guaido was not at the meeting.", "Chavismo celebrated, according to Interfax.",
                       "Blinken spoke on Meet the Press.", "Washington wants oil."],
                 [("Juan Guaidó", "ORG"), ("Guaido", "ORG"), ("Chavismo", "ORG"), ("Interfax", "ORG"), ("Blinken", "PERSON"),
                  ("Meet the Press", "ORG"), ("Washington", "GPE")])
    actors = run(built, curation=curation)
    guaido = named(actors, "Juan Guaidó")
    assert guaido.type == "person"
    assert guaido.curated
    assert guaido.description == "Opposition leader."
    assert guaido.links == ["https://en.wikipedia.org/wiki/Juan_Guaid%C3%B3"]
    assert [m.surface for m in guaido.mentions] == ["Juan Guaidó", "Guaido"]
    assert named(actors, "Chavismo").type == "group"
    names = {a.name for a in actors}
    assert "Interfax" not in names
    assert "Meet the Press" not in names
    # The curated alias wins over the known entity "Washington" (a place of its own).
    assert [m.surface for m in named(actors, "United States").mentions] == ["Washington"]
    assert "Washington" not in names


def test_empty_curation():
    assert parse_curation("") == Curation()
    assert parse_curation("# nothing yet\n") == Curation()


PREFIX = "# Curation\nactors:\n  - name: Joe Biden\n    type: person\n"  # lines 1-4; the faulty actor starts on line 5


@pytest.mark.parametrize(("text", "lines", "words"), [
    (PREFIX + "  - name: Keith Mines\n    colour: red\n", (6,), "colour"),
    (PREFIX + "  - name: Keith Mines\n    type: alien\n", (6,), "alien"),
    (PREFIX + "  - type: person\n", (5,), "name"),
    (PREFIX + "  - name: Keith Mines\n    links: [javascript:alert(1)]\n", (6,), "javascript"),
    (PREFIX + "  - name: Keith Mines\n    aliases: Mines\n", (6,), "aliases"),
    (PREFIX + "  - Keith Mines\n", (5,), "mapping"),
    (PREFIX + "colour: red\n", (5,), "colour"),
    (PREFIX + "ignore: Oops\n", (5,), "ignore"),
    ("# Curation\nactors:\n  name: Joe Biden\n", (2,), "list"),
    ("- name: Joe Biden\n", (1,), "mapping"),
])
def test_curation_mistakes_name_the_line(text, lines, words):
    """The line of the faulty key where there is one, else the actor's first line."""
    with pytest.raises(InputError) as caught:
        parse_curation(text)
    assert caught.value.line in lines
    assert words in caught.value.reason


def test_alias_claimed_by_two_actors():
    text = PREFIX + "  - name: Delcy Rodríguez\n    aliases: [Rodríguez]\n  - name: Jorge Rodríguez\n    aliases: [Rodriguez]\n"
    with pytest.raises(InputError, match="claimed by two actors") as caught:
        parse_curation(text)
    assert caught.value.line in (7, 8)
    assert "line 5" in caught.value.reason


def test_name_claimed_as_another_actors_alias():
    text = PREFIX + "  - name: Jill Biden\n    aliases: [Joe Biden]\n"
    with pytest.raises(InputError, match="claimed by two actors") as caught:
        parse_curation(text)
    assert caught.value.line in (5, 6)
    assert "line 3" in caught.value.reason


def test_an_actor_may_list_its_own_name_as_an_alias():
    curation = parse_curation("actors:\n  - name: Nicolás Maduro\n    aliases: [Nicolas Maduro, Maduro]\n")
    assert [e.name for e in curation.entries] == ["Nicolás Maduro"]


def test_alias_claimed_twice_on_one_line():
    with pytest.raises(InputError, match="claimed by two actors"):
        parse_curation("actors: [{name: Delcy Rodríguez, aliases: [Rodríguez]}, {name: Jorge Rodríguez, aliases: [Rodríguez]}]\n")


@pytest.mark.parametrize(("text", "line"), [
    ("actors:\n  - name: Keith: Mines\n", 2),
    ("actors:\n  - name: Keith Mines\n    aliases: [Mines]]\n", 3),
    ("# one\n# two\nactors:\n  - name: Keith Mines\n   - name: Ana Caridad\n", 5),
    ("actors:\n\t- name: Keith Mines\n", 2),
    ("actors:\n  - name: Keith Mines\n    aliases: [Mines, K. Mines\n    type: person\n", 3),
])
def test_malformed_yaml_names_the_line(text, line):
    with pytest.raises(InputError, match="malformed YAML") as caught:
        parse_curation(text)
    assert caught.value.line == line


def test_a_kept_candidate_is_copied_with_every_field():
    """Watch mode resolves copies of the candidates it kept; a field left out would differ from a clean build."""
    original = Candidate(*(f"value {n}" for n, _ in enumerate(fields(Candidate))))
    copied = original.copy()
    assert copied is not original
    assert astuple(copied) == astuple(original)


SPLIT_CURATION = """actors:
  - name: Delcy Rodríguez
    split:
      - name: Rodríguez
        context: "{context}"
  - name: Jorge Rodríguez
"""


def split_dossier() -> tuple[tuple[Article, Annotation], ...]:
    return (make("a", ["Delcy Rodríguez spoke.", "Rodríguez, the vice president, spoke again."],
                 [("Delcy Rodríguez", "PERSON"), ("Rodríguez", "PERSON")]),)


def test_a_split_context_claims_the_mentions_in_sentences_it_matches():
    curation = parse_curation(SPLIT_CURATION.format(context="vice president"))
    actors = run(*split_dossier(), curation=curation)
    assert len(named(actors, "Delcy Rodríguez").mentions) == 2


def test_a_backtracking_split_context_is_dropped_and_reported_not_a_hang():
    """(a|aa)+$ against a long run of a's followed by b backtracks for ages: the rule runs out of
    time, is dropped for every mention (never applied to some only) and named with its line."""
    from dossier.model import ActorDoubts

    curation = parse_curation(SPLIT_CURATION.format(context="(a|aa)+$"))
    doubts = ActorDoubts()
    article, annotation = make("a", ["Delcy Rodríguez spoke.", "Rodríguez said " + "a" * 40 + "b."],
                               [("Delcy Rodríguez", "PERSON"), ("Rodríguez", "PERSON")])
    actors = resolve([article], {"a": annotation}, curation, doubts)
    assert doubts.slow_splits == [("Rodríguez", 3)]  # the line of its `split:`
    assert actor_at(actors, "a", article.text.index("Rodríguez said")).name == "Delcy Rodríguez"  # as without the rule


def test_a_surname_seen_again_is_a_mention_even_where_the_model_missed_it():
    built = make("a", ["The film stars Tom Hanks.", "Tautou will play Hanks' partner.", "Directed by Jean-Pierre Jeunet.",
                       "Jeunet was also responsible."], [("Tom Hanks", "PERSON"), ("Jean-Pierre Jeunet", "ORG")])
    actors = run(built)
    assert len(named(actors, "Tom Hanks").mentions) == 2
    jeunet = named(actors, "Jean-Pierre Jeunet")
    assert jeunet.type == "person" and len(jeunet.mentions) == 2


def test_an_acronym_joins_the_organisation_whose_initials_it_is_and_a_spaced_dash_ends_a_name():
    built = make("a", ["The Mobile Data Association counted texts.", "The MDA said it was a record.",
                       "I still like Arsene Wenger - he always said so."],
                 [("Mobile Data Association", "ORG"), ("MDA", "ORG"), ("Arsene Wenger - he", "PERSON")])
    actors = run(built)
    assert named(actors, "Mobile Data Association").aliases == ["MDA"]
    assert named(actors, "Arsene Wenger").type == "person"


def test_awards_and_competitions_are_not_actors():
    built = make("a", ["Swank won at the Oscars and the Golden Globe Awards.", "Spain won the Davis Cup in Seville."],
                 [("Swank", "PERSON"), ("Oscars", "ORG"), ("the Golden Globe Awards", "ORG"), ("Spain", "GPE"),
                  ("the Davis Cup", "FAC"), ("Seville", "GPE")])
    assert sorted(a.name for a in run(built)) == ["Seville", "Spain (team)", "Swank"]  # Spain won as a side


def test_a_country_playing_sport_is_its_team_and_a_venue_stays_a_place():
    sport = make("a", ["England beat Wales in the Six Nations at Twickenham.", "The squad flew home to Cardiff after the US Open."],
                 [("England", "GPE"), ("Wales", "GPE"), ("Twickenham", "PERSON"), ("Cardiff", "GPE"), ("US", "GPE")])
    news = make("b", ["England's economy grew."], [("England", "GPE")])
    actors = run(sport, news)
    assert named(actors, "England (team)").type == named(actors, "Wales (team)").type == "organization"
    assert named(actors, "England").type == "place" and named(actors, "England").articles == ["b"]
    assert named(actors, "Twickenham").type == named(actors, "Cardiff").type == "place"
    assert named(actors, "United States").type == "place"  # "US" of the US Open is no side


def test_the_words_around_a_name_outweigh_the_models_label():
    built = make("a", ["Baikal bought oil giant Yukos last week.", "Tate's shares rose.", "Redknapp's appointment was confirmed."],
                 [("Yukos", "PERSON"), ("Tate", "PERSON"), ("Redknapp", "ORG")])
    actors = run(built)
    assert named(actors, "Yukos").type == named(actors, "Tate").type == "organization"
    assert named(actors, "Redknapp").type == "person"


def test_a_one_word_name_that_is_the_surname_of_one_person_in_the_dossier_leans_person():
    full = make("a", ["Jamie Foxx sang."], [("Jamie Foxx", "PERSON")])
    short = make("b", ["Foxx won the prize."], [("Foxx", "ORG")])
    assert named(run(full, short), "Foxx").type == "person"


@pytest.mark.parametrize(("name", "label", "kind"), [
    ("Miguel Díaz-Canel", "ORG", "person"),  # a first name breaks the tie with the model's one tag
    ("General Assembly", "ORG", "organization"),  # "General" is in the first-name table, but opens bodies' names
    ("Manchester United", "PERSON", "organization"),
    ("Miami Herald", "FAC", "organization"),  # a known outlet
    ("Warner Brothers", "PERSON", "organization"),
    ("G8", "PERSON", "organization"),  # no person's name has a digit or an ampersand
    ("Tate & Lyle", "PERSON", "organization"),
    ("Embassy Hotel", "ORG", "place"),
    ("Wolong Nature Reserve", "ORG", "place"),
    ("Nick Park", "ORG", "person"),  # a first name before the place word
])
def test_types_by_the_evidence_of_the_name(name, label, kind):
    built = make("a", [f"They met {name} there."], [(name, label)])
    assert named(run(built), name).type == kind


def test_a_name_known_from_another_article_is_a_mention_wherever_it_is_written_unless_part_of_a_longer_name():
    tagged = make("a", ["The Evening Standard reported it.", "Gazprom bid.", "Gazprom won."],
                  [("Evening Standard", "ORG"), ("Gazprom", "ORG"), ("Gazprom", "ORG")])
    missed = make("b", ["He told the Evening Standard so.", "The Evening Standard Awards were held.",
                        "Gazprom lost.", "It sold it to Gazprom in May."], [])
    actors = run(tagged, missed)
    standard, gazprom = named(actors, "Evening Standard"), named(actors, "Gazprom")
    assert [m.article for m in standard.mentions] == ["a", "b"]  # not the Awards: a longer name
    assert [m.article for m in gazprom.mentions] == ["a", "a", "b"]  # not where a one-word name opens a sentence


def test_a_known_country_the_model_missed_is_a_mention_but_a_surname_alone_is_not_carried_across():
    tagged = make("a", ["Tony Blair met Bush.", "Blair left."], [("Tony Blair", "PERSON"), ("Blair", "PERSON")])
    missed = make("b", ["Officials in the UK said Blair would go."], [])
    actors = run(tagged, missed)
    assert named(actors, "United Kingdom").articles == ["b"]  # from the table of known actors
    assert named(actors, "Tony Blair").articles == ["a"]  # a surname may be anyone's


def test_an_untagged_first_name_and_surname_is_a_person_but_not_a_venue():
    built = make("a", ["Mauresmo routed Vera Zvonareva, then beat Russian Elena Dementieva.", "They met at Victoria Park."], [])
    actors = run(built)
    assert {a.name for a in actors} == {"Vera Zvonareva", "Elena Dementieva"}
    assert named(actors, "Elena Dementieva").type == "person"


def test_titles_of_works_time_zones_job_titles_and_products_are_not_actors():
    built = make("a", ["He starred in the horror film Nightmare On Elm Street.", "The vote is at 1230 GMT.",
                       "MPs sold the iPod."], [("Nightmare On Elm Street", "ORG"), ("GMT", "ORG"), ("MPs", "ORG"), ("iPod", "ORG")])
    assert run(built) == []


def test_an_organisations_acronym_in_brackets_and_its_last_word_seen_again_are_mentions_of_it():
    built = make("a", ["US giant United Parcel Services (UPS) may bid.", "Group Menatep says it is illegal.",
                       "Menatep has asked for its money.", "The Bank of England held rates; England won."],
                 [("United Parcel Services", "ORG"), ("Group Menatep", "ORG"), ("Bank of England", "ORG")])
    actors = run(built)
    assert named(actors, "United Parcel Services").aliases == ["UPS"]
    assert named(actors, "Group Menatep").aliases == ["Menatep"]
    assert "England" not in named(actors, "Bank of England").aliases  # a place is no short name of a body


def test_a_groups_adjective_joins_the_group_and_a_lone_nationality_word_is_no_mention_of_its_country():
    built = make("a", ["Tactical voting by Muslims matters.", "A large Muslim community lives there.",
                       "Two airlines in the US - American and Southwest - lost money."],
                 [("Muslims", "NORP"), ("Muslim", "NORP"), ("US", "GPE"), ("American", "NORP"), ("Southwest", "ORG")])
    actors = run(built)
    assert named(actors, "Muslims").aliases == ["Muslim"]
    assert named(actors, "United States").aliases == ["US"]  # "American" here is the airline


def test_a_country_opening_a_body_the_model_tagged_apart_is_part_of_its_name():
    built = make("a", ["Thomas Slattery filed the suit in the US District Court in San Jose."],
                 [("Thomas Slattery", "PERSON"), ("US", "GPE"), ("District Court", "ORG"), ("San Jose", "GPE")])
    assert sorted(a.name for a in run(built)) == ["San Jose", "Thomas Slattery", "US District Court"]


def test_in_a_sports_report_the_nationality_standing_for_a_side_and_a_clubs_players_make_teams_and_clubs():
    built = make("a", ["England threw everything at the French in the final minutes of the Six Nations match.",
                       "The squad praised the Welsh international.", "He was Llanelli's player of the season."],
                 [("England", "GPE"), ("French", "NORP"), ("Welsh", "NORP"), ("Llanelli", "PERSON")])
    actors = run(built)
    assert named(actors, "France (team)").type == "organization"
    assert "Wales (team)" not in {a.name for a in actors}  # "the Welsh international" is a player
    assert named(actors, "Llanelli").type == "organization"


def test_a_side_the_tool_got_wrong_is_curated_by_its_name():
    built = make("a", ["Ireland beat Wales in the Six Nations.", "The squad thanked O'Gara."],
                 [("Ireland", "GPE"), ("Wales", "GPE"), ("O'Gara", "GPE")])
    curation = parse_curation("actors:\n  - name: Ronan O'Gara\n    type: person\n    merge: [\"O'Gara (team)\"]\n"
                              "  - name: Irish rugby union team\n    aliases: [Ireland (team)]\n")
    actors = run(built, curation=curation)
    assert named(actors, "Ronan O'Gara").type == "person"
    assert named(actors, "Irish rugby union team").mentions[0].surface == "Ireland"
