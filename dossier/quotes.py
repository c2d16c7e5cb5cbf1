"""Who said what: sentences where an actor speaks are attributed to the speaker."""

from __future__ import annotations

import re
from collections import defaultdict

from dossier.model import Annotation, Article, Mention, Quote

SPEECH = (r"said|says|say|told|tells|tweeted|wrote|writes|added|adds|stated|argued|argues|explained|insisted|warned|"
          r"claimed|noted|asserted|announced|declared|acknowledged|remarked|replied|responded|urged|according to")
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
    label_speaker: dict[int, str] = {}  # paragraph -> speaker of its interview label
    for sentence in annotation.sentences:
        body = text[sentence.start:sentence.end]
        here = by_sentence[sentence.index]
        outside = [m for m in here if not inside_quotes(body, m.start - sentence.start)]
        if SPEAKER_LABEL.match(body) and here and here[0].start == sentence.start:
            label_speaker[sentence.paragraph] = here[0].actor
        speaker, cue = find_speaker(body, sentence.start, outside, types)
        if speaker is None and last_speaker and sentence.index - last_speaker[0] <= 2:
            pronoun = PRONOUN_CUE.search(body)
            if pronoun and not inside_quotes(body, pronoun.start()):
                speaker, cue = last_speaker[1], pronoun.group(0).lower()
        if speaker is None and sentence.paragraph in label_speaker:
            speaker, cue = label_speaker[sentence.paragraph], "interview label"
        if speaker:
            quotes.append(Quote(article.id, sentence.index, speaker, cue))
            if types.get(speaker) == "person":
                last_speaker = (sentence.index, speaker)
    return quotes


def inside_quotes(body: str, offset: int) -> bool:
    return any(m.start() < offset < m.end() for m in QUOTED.finditer(body))


def find_speaker(body: str, start: int, mentions: list[Mention], types: dict[str, str]) -> tuple[str | None, str]:
    """The actor who speaks in a sentence, from the speech verbs outside its quotation marks."""
    for cue in CUE.finditer(body):
        if inside_quotes(body, cue.start()):
            continue
        word = cue.group(0)
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


def prefer_person(candidates: list[Mention], types: dict[str, str]) -> str:
    """"Sabatini, a fellow at Chatham House, said": the person speaks, not the body named beside them."""
    return next((m.actor for m in candidates if types.get(m.actor) == "person"), candidates[0].actor)
