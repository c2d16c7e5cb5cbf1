"""Who said what: each attribution rule, and the sentences that must not be attributed."""

from __future__ import annotations

import pytest

from dossier.actors import Curation, resolve
from dossier.model import Annotation, Sentence
from dossier.quotes import attribute
from tests.test_actors import make


def quotes_of(paragraphs: list[str], entities: list[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """(sentence, speaker's name, cue) for one article built from one-sentence paragraphs."""
    article, annotation = make("a", paragraphs, entities)
    actors = resolve([article], {"a": annotation}, Curation())
    names = {a.id: a.name for a in actors}
    mentions = [m for a in actors for m in a.mentions]
    found = attribute(article, annotation, mentions, {a.id: a.type for a in actors})
    return [(q.sentence, names[q.speaker], q.cue) for q in found]


@pytest.mark.parametrize(("sentence", "entities", "speaker", "cue"), [
    ("Sabatini said the objectives were unclear.", [("Sabatini", "PERSON")], "Sabatini", "said"),
    ("“It is a win,” said David Smilde, a senior fellow.", [("David Smilde", "PERSON")], "David Smilde", "said"),
    ("“We want talks,” Lavrov reportedly said.", [("Lavrov", "PERSON")], "Lavrov", "said"),
    ("Christopher Sabatini, a fellow at Chatham House, said the risk was real.",
     [("Christopher Sabatini", "PERSON"), ("Chatham House", "ORG")], "Christopher Sabatini", "said"),
    ("No agreement was reached, according to Reuters.", [("Reuters", "ORG")], "Reuters", "according to"),
    ("Trish Regan tweeted on Sunday.", [("Trish Regan", "PERSON")], "Trish Regan", "tweeted"),
    ("Antony Blinken on Sunday said the talks went on.", [("Antony Blinken", "PERSON")], "Antony Blinken", "said"),
    # an adverb between: the witness speaks, not the man named before the next verb
    ("Scott Sullivan repeatedly told jurors he met Bernie Ebbers, told him about the changes and warned him.",
     [("Scott Sullivan", "PERSON"), ("Bernie Ebbers", "PERSON")], "Scott Sullivan", "told"),
    ("“Applaud,” said former State Department official Eric Farnsworth.",
     [("State Department", "ORG"), ("Eric Farnsworth", "PERSON")], "Eric Farnsworth", "said"),
])
def test_the_speaker_of_a_sentence(sentence, entities, speaker, cue):
    assert quotes_of([sentence], entities) == [(0, speaker, cue)]


@pytest.mark.parametrize(("sentence", "entities"), [
    ("US officials told the Times about the trip.", [("Times", "ORG")]),  # the Times listens, it does not speak
    ("The delegation met Gerardo Blyde, according to four people.", [("Gerardo Blyde", "PERSON")]),
    ("“Maduro said nothing,” one official wrote.", [("Maduro", "PERSON")]),  # inside the quotation marks
    ("Maduro met the delegation in Caracas.", [("Maduro", "PERSON"), ("Caracas", "GPE")]),  # no speech at all
])
def test_sentences_no_one_is_quoted_in(sentence, entities):
    assert quotes_of([sentence], entities) == []


def test_he_said_refers_to_the_speaker_just_quoted():
    found = quotes_of(["Cabello celebrated the meeting, Cabello said.", "“All Venezuelans should applaud,” he said Wednesday."],
                      [("Cabello", "PERSON"), ("Cabello", "PERSON")])
    assert found == [(0, "Cabello", "said"), (1, "Cabello", "he said")]


def test_he_said_far_from_any_quote_is_not_guessed():
    found = quotes_of(["Maduro said talks would go on.", "The sky was grey.", "Rain fell.", "It was late.", "He said no."],
                      [("Maduro", "PERSON")])
    assert found == [(0, "Maduro", "said")]


def test_interview_answers_belong_to_the_label():
    found = quotes_of(["Keith Mines: The trip mattered.", "Keith Mines: Oil is central."], [])
    assert [(s, name) for s, name, _ in found] == [(0, "Keith Mines"), (1, "Keith Mines")]


@pytest.mark.parametrize(("sentence", "entities", "speaker", "cue"), [
    ("Maduro described the meeting with U.S. officials as “respectful” and “very diplomatic.”", [("Maduro", "PERSON")],
     "Maduro", "described"),
    ("Rodríguez maintained that Washington would leave the door open.", [("Rodríguez", "PERSON"), ("Washington", "GPE")],
     "Rodríguez", "maintained"),
    ("The firm claimed the figures were wrong.", [("The firm", "ORG")], "firm", "claimed"),
])
def test_more_speech_verbs(sentence, entities, speaker, cue):
    assert quotes_of([sentence], entities) == [(0, speaker, cue)]


@pytest.mark.parametrize(("sentence", "entities"), [
    ("Relations broke off after Maduro claimed victory in an election widely seen as fraudulent.", [("Maduro", "PERSON")]),
    ("Chelsea announced a record profit.", [("Chelsea", "ORG")]),
    ("Smith described the scene to nobody in particular.", [("Smith", "PERSON")]),  # a description, no "as"
])
def test_verbs_that_are_not_speech_here(sentence, entities):
    assert quotes_of([sentence], entities) == []


def quotes_in_paragraphs(paragraphs: list[list[str]], entities: list[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """Like quotes_of, with several sentences per paragraph."""
    article, annotation = make("a", [" ".join(p) for p in paragraphs], entities)
    sentences, index = [], 0
    for number, (paragraph, sentence) in enumerate(zip(paragraphs, annotation.sentences, strict=True)):
        offset = sentence.start
        for text in paragraph:
            sentences.append(Sentence(index, number, offset, offset + len(text)))
            offset += len(text) + 1
            index += 1
    annotation = Annotation(sentences, annotation.entities)
    actors = resolve([article], {"a": annotation}, Curation())
    names = {a.id: a.name for a in actors}
    found = attribute(article, annotation, [m for a in actors for m in a.mentions], {a.id: a.type for a in actors})
    return [(q.sentence, names[q.speaker], q.cue) for q in found]


def test_a_quotes_next_sentences_in_the_paragraph_keep_its_speaker():
    found = quotes_in_paragraphs([['"Our results were strong," Richard Parsons said.', '"We expect more next year."',
                                   'Analysts were unconvinced.'],
                                  ['"Costs will rise."']], [("Richard Parsons", "PERSON")])
    assert found == [(0, "Richard Parsons", "said"), (1, "Richard Parsons", "continues the quote")]


def test_a_quotation_left_open_runs_on_into_the_next_sentence():
    found = quotes_in_paragraphs([["Sabatini said: “The talks matter.", "Nobody expected them.”", "Oil prices fell."]],
                                 [("Sabatini", "PERSON")])
    assert found == [(0, "Sabatini", "said"), (1, "Sabatini", "continues the quote")]


def test_he_said_refers_to_the_one_man_named_just_before():
    found = quotes_in_paragraphs([["Tony Blair visited Brighton."], ["He said: “We will win.”"]],
                                 [("Tony Blair", "PERSON"), ("Brighton", "GPE")])
    assert found == [(1, "Tony Blair", "he said")]
    assert quotes_in_paragraphs([["Tony Blair met Gordon Brown."], ["He said: “We will win.”"]],
                                [("Tony Blair", "PERSON"), ("Gordon Brown", "PERSON")]) == []


def test_a_name_after_said_is_the_speaker_only_after_a_quotation_or_a_comma():
    found = quotes_of(["Spokesman Paul Smernicki said the singer left.", "He said Brown was arrested at his hotel."],
                      [("Paul Smernicki", "PERSON"), ("Brown", "PERSON")])
    assert found == [(0, "Paul Smernicki", "said"), (1, "Paul Smernicki", "he said")]
