"""Who said what: sentences where an actor speaks are attributed to the speaker."""

from __future__ import annotations

import re
from collections import defaultdict

from dossier.model import Annotation, Article, Mention, Quote
from dossier.names import first_name_gender

SPEECH = (r"said|says|say|told|tells|tweeted|wrote|writes|added|adds|stated|argued|argues|explained|insisted|warned|"
          r"warns|claimed|claims|noted|asserted|announced|declared|acknowledged|admitted|remarked|replied|responded|"
          r"urged|maintained|maintains|described|describes|stressed|suggested|predicted|conceded|confirmed|denied|"
          r"according to")
# Verbs that are speech only when what follows is a statement ("claimed the vote was fair", "claimed
# that", a quotation), not a thing won or taken ("claimed victory", "announced a bid", "denied entry").
OBJECT_VERBS = {"claimed", "claims", "announced", "declared", "confirmed", "denied", "admitted", "suggested", "predicted"}
STATEMENT_AFTER = re.compile(r"^\s*(?:[,:]|[“\"]|that\b|(?:[\w’'-]+\s+){0,6}?(?:is|was|were|are|would|will|had|has|have|"
                             r"could|should|must|can|did|does|do)\b)")
# "described the meeting as “respectful”": a description is speech when it says "as".
DESCRIBED_AS = re.compile(r"^.{0,80}?\bas\b")  # the rest of one sentence
CUE = re.compile(rf"\b(?:{SPEECH})\b")
PRONOUN_CUE = re.compile(rf"\b(?:he|she)\s+(?:{SPEECH})\b|\b(?:{SPEECH})\s+(?:he|she)\b", re.I)
QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
SPEAKER_LABEL = re.compile(r"^(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}): ")
# Between a speaker and the verb: "Sabatini said", "Smilde, a senior fellow at X, said", "Blinken on Sunday said".
BETWEEN_BEFORE = re.compile(r"^(?:,[^“”\".;]{0,90},|,)?\s*(?:(?:also|later|then|has|have|had|would|will|previously|"
                            r"reportedly|publicly|on \w+|last \w+|this \w+|in a statement|in an interview)\s+)*$")
# Between the verb and a speaker after it: "said former State Department official Eric Farnsworth".
TITLE_WORDS = (r"former|senior|top|then|the|a|an|of|for|on|and|official|officials|spokesman|spokeswoman|spokesperson|minister|"
               r"president|adviser|advisor|analyst|expert|envoy|ambassador|secretary|leader|director|chief|head|lawmaker|[A-Z][\w.’'-]*")
BETWEEN_AFTER = re.compile(rf"^\s+(?:(?:{TITLE_WORDS})\s+)*$")
AFTER_ACCORDING = re.compile(r"^\s+(?:the\s+)?(?:[\w.’'-]+\s+){0,4}$")
LISTENER_CUES = ("told", "tells")  # "told the Times": the one after the verb listens
SPEAKING_TYPES = ("person", "organization")


def attribute(article: Article, annotation: Annotation, mentions: list[Mention], types: dict[str, str]) -> list[Quote]:
    """Quotes of one article. `types` maps actor id -> actor type."""
    text = article.text
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: m.start):
        if types.get(m.actor) in SPEAKING_TYPES:
            by_sentence[m.sentence].append(m)
    quotes: list[Quote] = []
    last_speaker: tuple[int, str] | None = None  # (sentence, person) of the latest quote: "he said" refers to it
    last_quote: tuple[int, int, str, bool] | None = None  # (sentence, paragraph, speaker, quotation left open)
    people_before: list[Mention] = []  # the people named, outside quotation marks, in the sentence before
    label_speaker: dict[int, str] = {}  # paragraph -> speaker of its interview label
    for sentence in annotation.sentences:
        body = text[sentence.start:sentence.end]
        here = by_sentence[sentence.index]
        outside = [m for m in here if not inside_quotes(body, m.start - sentence.start)]
        if SPEAKER_LABEL.match(body) and here and here[0].start == sentence.start:
            label_speaker[sentence.paragraph] = here[0].actor
        speaker, cue = find_speaker(body, sentence.start, outside, types)
        pronoun = PRONOUN_CUE.search(body)
        if speaker is None and pronoun and not inside_quotes(body, pronoun.start()):
            speaker = pronoun_speaker(pronoun.group(0), sentence.index, last_speaker, people_before, types)
            cue = pronoun.group(0).lower() if speaker else ""
        if (speaker is None and last_quote and last_quote[0] == sentence.index - 1 and last_quote[1] == sentence.paragraph
                and (last_quote[3] or body.lstrip().startswith(("“", '"')))):
            speaker, cue = last_quote[2], "continues the quote"  # the quote's next sentence, same paragraph
        if speaker is None and sentence.paragraph in label_speaker:
            speaker, cue = label_speaker[sentence.paragraph], "interview label"
        if speaker:
            quotes.append(Quote(article.id, sentence.index, speaker, cue))
            last_quote = (sentence.index, sentence.paragraph, speaker, left_open(body, last_quote is not None and cue == "continues the quote"
                                                                                 and last_quote[3]))
            if types.get(speaker) == "person":
                last_speaker = (sentence.index, speaker)
        people_before = [m for m in outside if types.get(m.actor) == "person"]
    return quotes


PRONOUN_GENDER = {"he": "male", "she": "female"}


def pronoun_speaker(cue: str, index: int, last_speaker: tuple[int, str] | None, people_before: list[Mention],
                    types: dict[str, str]) -> str | None:
    """Who "he said" is: the person quoted last, two sentences back at most; else the one person
    named in the sentence before whose first name does not contradict the pronoun."""
    if last_speaker and index - last_speaker[0] <= 2:
        return last_speaker[1]
    pronoun = next(w for w in re.findall(r"\w+", cue.lower()) if w in PRONOUN_GENDER)
    fitting = {m.actor for m in people_before
               if first_name_gender(m.surface.split()[0]) in ("", PRONOUN_GENDER[pronoun]) or len(m.surface.split()) == 1}
    return fitting.pop() if len(fitting) == 1 else None


def left_open(body: str, was_open: bool) -> bool:
    """Whether a quotation runs on past the end of the sentence (opened and not closed)."""
    open_ = was_open
    for mark in re.findall(r'[“”"]', body):
        open_ = True if mark == "“" else False if mark == "”" else not open_
    return open_


def inside_quotes(body: str, offset: int) -> bool:
    return any(m.start() < offset < m.end() for m in QUOTED.finditer(body))


def find_speaker(body: str, start: int, mentions: list[Mention], types: dict[str, str]) -> tuple[str | None, str]:
    """The actor who speaks in a sentence, from the speech verbs outside its quotation marks."""
    for cue in CUE.finditer(body):
        if inside_quotes(body, cue.start()):
            continue
        word = cue.group(0)
        if not is_speech(word, body[cue.end():]):
            continue
        after = [m for m in mentions if m.start - start >= cue.end()]
        if word == "according to":
            cited = [m for m in after if AFTER_ACCORDING.match(body[cue.end():m.start - start])]
            if cited:
                return cited[0].actor, word
            continue
        before = [m for m in mentions if m.end - start <= cue.start() and BETWEEN_BEFORE.match(body[m.end - start:cue.start()])]
        if before:
            return prefer_person(before[::-1], types), word
        if word not in LISTENER_CUES:
            named = [m for m in after if BETWEEN_AFTER.match(body[cue.end():m.start - start])]
            if named:
                return prefer_person(named, types), word
    return None, ""


def is_speech(word: str, rest: str) -> bool:
    """A speech verb in use: "claimed victory" is no statement, "described X" only "as" something."""
    if word in ("described", "describes"):
        return bool(DESCRIBED_AS.match(rest))
    return word not in OBJECT_VERBS or bool(STATEMENT_AFTER.match(rest))


def prefer_person(candidates: list[Mention], types: dict[str, str]) -> str:
    """"Sabatini, a fellow at Chatham House, said": the person speaks, not the body named beside them."""
    return next((m.actor for m in candidates if types.get(m.actor) == "person"), candidates[0].actor)
