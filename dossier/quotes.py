"""Who said what: sentences where an actor speaks are attributed to the speaker."""

from __future__ import annotations

import re
from collections import defaultdict

from dossier.model import Annotation, Article, Mention, Quote
from dossier.names import first_name_gender

SPEECH = (r"said|says|say|told|tells|tweeted|wrote|writes|added|adds|stated|argued|argues|explained|insisted|warned|"
          r"warns|claimed|claims|noted|asserted|announced|declared|acknowledged|admitted|remarked|replied|responded|"
          r"urged|maintained|maintains|described|describes|stressed|suggested|predicted|conceded|confirmed|denied|revealed|"
          r"according to")
# Verbs that are speech only when what follows is a statement ("claimed the vote was fair", "claimed
# that", a quotation), not a thing won or taken ("claimed victory", "announced a bid", "denied entry").
OBJECT_VERBS = {"claimed", "claims", "announced", "declared", "confirmed", "denied", "admitted", "suggested", "predicted",
                "revealed"}
STATEMENT_AFTER = re.compile(r"^\s*(?:[,:]|[“\"]|that\b|(?:he|she|it|they|we|I|there)\b|(?:[\w’'-]+\s+){0,6}?(?:is|was|were|are|would|will|had|has|have|"
                             r"could|should|must|can|did|does|do)\b)")
# "described the meeting as “respectful”": a description is speech when it says "as".
DESCRIBED_AS = re.compile(r"^.{0,80}?\bas\b")  # the rest of one sentence
CUE = re.compile(rf"\b(?:{SPEECH})\b")
SPEAKER_LABEL = re.compile(r"^(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}): ")
# Between a speaker and the verb: "Sabatini said", "Smilde, a senior fellow at X, said", "Blinken on Sunday said".
# "The Trafford Centre spokeswoman said", "the St David's Centre in Cardiff said": the body speaks through its spokesperson.
# An adverb may stand between ("Mr Sullivan repeatedly told"): without it, the next verb's name spoke instead.
BETWEEN_BEFORE = re.compile(r"^(?:\s+in\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?(?:,[^“”\".;]{0,90},|,)?\s*"
                            r"(?:(?:spokes(?:man|woman|person)|officials?|who|also|later|then|has|have|had|would|will|"
                            r"[a-z]+ly|on \w+|last \w+|this \w+|in a statement|in an interview)\s+)*$")
# Between the verb and a speaker after it: "said former State Department official Eric Farnsworth".
TITLE_WORDS = (r"former|senior|top|then|the|a|an|of|for|on|and|official|officials|spokesman|spokeswoman|spokesperson|minister|"
               r"president|adviser|advisor|analyst|expert|envoy|ambassador|secretary|leader|director|chief|head|lawmaker|[A-Z][\w.’'-]*")
BETWEEN_AFTER = re.compile(rf"^\s+(?:(?:{TITLE_WORDS})\s+)*$")
INVERSION_BEFORE = re.compile(r"[,”\"’'—–-]\s*(?:(?:also|later|then)\s+)?$")
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
    found: dict[int, tuple[str, str]] = {}  # sentence -> (speaker, cue)
    opens: dict[int, tuple[bool, bool]] = {}  # sentence -> (starts inside a quotation, ends inside one)
    recent: list[tuple[int, int, str]] = []  # (sentence, paragraph, speaker) of each quote so far
    people_before: list[Mention] = []  # the people named, outside quotation marks, in the sentence before
    label_speaker: dict[int, str] = {}  # paragraph -> speaker of its interview label
    still_open, paragraph = False, -1
    for sentence in annotation.sentences:
        body = text[sentence.start:sentence.end]
        if sentence.paragraph != paragraph:
            still_open, paragraph = False, sentence.paragraph
        spans = quoted_spans(body, still_open)
        opens[sentence.index] = (still_open, ends_open(body, spans))
        still_open = opens[sentence.index][1]

        def outside_quotes(offset: int, spans: list[tuple[int, int]] = spans) -> bool:
            return not any(a <= offset < b for a, b in spans)

        here = by_sentence[sentence.index]
        outside = [m for m in here if outside_quotes(m.start - sentence.start)]
        if SPEAKER_LABEL.match(body) and here and here[0].start == sentence.start:
            label_speaker[sentence.paragraph] = here[0].actor
        speaker, cue = find_speaker(body, sentence.start, outside, types, outside_quotes)
        if speaker is None:
            speaker, cue = referred_speaker(body, sentence, recent, people_before, types, outside_quotes)
        previous = found.get(sentence.index - 1)
        if (speaker is None and previous and recent and recent[-1][:2] == (sentence.index - 1, sentence.paragraph)
                and (opens[sentence.index][0] or body.lstrip().startswith(("“", '"')))):
            speaker, cue = previous[0], "continues the quote"  # the quote's next sentence, same paragraph
        if speaker is None and sentence.paragraph in label_speaker:
            speaker, cue = label_speaker[sentence.paragraph], "interview label"
        if speaker:
            found[sentence.index] = (speaker, cue)
            recent.append((sentence.index, sentence.paragraph, speaker))
        people_before = [m for m in outside if types.get(m.actor) == "person"]
    opened_before(annotation, found, opens)
    return [Quote(article.id, index, speaker, cue) for index, (speaker, cue) in sorted(found.items())]


def opened_before(annotation: Annotation, found: dict[int, tuple[str, str]], opens: dict[int, tuple[bool, bool]]) -> None:
    """A quotation that runs over several sentences and names its speaker at the end
    ("“The whistle doesn't need to be blown. ... I said yes,” said Poll."): its first sentences are the speaker's too."""
    sentences = annotation.sentences
    for sentence in reversed(sentences):
        after = sentence.index + 1
        if (sentence.index not in found and after in found and after < len(sentences)
                and sentences[after].paragraph == sentence.paragraph and opens[sentence.index][1] and opens[after][0]):
            found[sentence.index] = (found[after][0], "opens the quote")


def quoted_spans(body: str, starts_open: bool) -> list[tuple[int, int]]:
    """The spans of a sentence inside quotation marks, curly or straight. A straight mark opens after a
    space or at the start and closes after a word or punctuation, so a quotation left open by the
    sentence before (or never opened, as scraped texts drop marks) still has the right inside."""
    spans, start = [], 0 if starts_open else None
    for match in re.finditer(r'[“”"]', body):
        mark, at = match.group(0), match.start()
        opening = mark == "“" or (mark == '"' and (at == 0 or body[at - 1] in " (\n\t—–-") and at + 1 < len(body)
                                                  and not body[at + 1].isspace())
        if opening and start is None:
            start = at
        elif not opening:
            spans.append((start if start is not None else 0, at + 1))
            start = None
    if start is not None:
        spans.append((start, len(body)))
    return spans


def ends_open(body: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the sentence ends inside a quotation; `spans` are its quoted_spans."""
    return bool(spans) and spans[-1][1] == len(body) and not body.rstrip().endswith(("”", '"'))


# A speaker told by a pronoun or a description instead of a name: "he said", "She added:", "it said",
# "The pop star said", "claimed the union organisation".
LEAD = r"(?:^|[,;:“”\"]\s*|\b(?:and|but|And|But|so|yet)\s+)"
PRONOUN_SUBJECT = re.compile(rf"{LEAD}(?P<who>[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+(?:[a-z]+\s+){{0,3}}?(?P<cue>{SPEECH})\b"
                             rf"|\b(?P<cue2>{SPEECH})\s+(?P<who2>he|she|it|they)\b"
                             rf"|^(?P<who3>He|She|It|They)\b[^“”\"]{{0,100}}?\band\s+(?P<cue3>{SPEECH})\b")
DESCRIPTION_SUBJECT = re.compile(rf"{LEAD}(?P<who>[Tt]he|[Ii]ts|[Hh]is|[Hh]er)\s+(?:[\w-]+\s+){{0,3}}?(?P<head>[a-z][\w-]*)\s+"
                                 rf"(?:has\s+|had\s+|have\s+)?(?P<cue>{SPEECH})\b"
                                 rf"|\b(?P<cue2>{SPEECH})\s+(?P<who2>the|its|his|her)\s+(?:[a-z][\w-]*\s+){{0,3}}(?P<head2>[a-z][\w-]*)\W*$")
# A description whose head is one of these names an organisation ("the bank said"); any other, a person ("the pop star said").
BODY_NOUNS = {"bank", "company", "firm", "group", "union", "organisation", "organization", "government", "club", "ministry",
              "party", "council", "agency", "centre", "center", "association", "committee", "commission", "department",
              "board", "regulator", "authority", "watchdog", "body", "network", "broadcaster", "channel", "airline",
              "carrier", "retailer", "chain", "manufacturer", "maker", "giant", "operator", "league", "federation", "team",
              "university", "institute", "newspaper", "paper", "magazine", "court", "administration", "service"}
REFERENCE_WINDOW = 3  # sentences: a pronoun or a description reaches back this far, or to its paragraph's quotes


def referred_speaker(body: str, sentence, recent: list[tuple[int, int, str]], people_before: list[Mention],
                     types: dict[str, str], outside_quotes) -> tuple[str | None, str]:
    """The speaker of a sentence whose subject is a pronoun or a description: the latest speaker it
    can refer to (a person for he/she, an organisation for it/they, either for a description) in
    its paragraph or a few sentences back; for he/she, else the one fitting person just named."""
    if not CUE.search(body):
        return None, ""  # both patterns hold a speech verb: most sentences have none
    for pattern in (PRONOUN_SUBJECT, DESCRIPTION_SUBJECT):
        for match in pattern.finditer(body):
            groups = {k: v for k, v in match.groupdict().items() if v}
            cue_group = next(k for k in ("cue", "cue2", "cue3") if k in groups)
            who = next(groups[k] for k in ("who", "who2", "who3") if k in groups).lower()
            if not outside_quotes(match.start(cue_group)) or not is_speech(groups[cue_group], body[match.end(cue_group):]):
                continue
            head = groups.get("head") or groups.get("head2") or ""
            kinds = {"he": ("person",), "she": ("person",), "it": ("organization",), "they": ("organization",)}.get(
                who, ("organization",) if head in BODY_NOUNS else ("person",))
            said = match.group(0).strip(" ,;:“”\"").lower()
            for index, paragraph, speaker in reversed(recent):
                if index < sentence.index - REFERENCE_WINDOW and paragraph != sentence.paragraph:
                    break
                if types.get(speaker) in kinds:
                    return speaker, said
            if who in PRONOUN_GENDER:
                speaker = person_just_named(who, people_before)
                if speaker:
                    return speaker, said
    return None, ""


PRONOUN_GENDER = {"he": "male", "she": "female"}


def person_just_named(pronoun: str, people_before: list[Mention]) -> str | None:
    """The one person named in the sentence before whose first name does not contradict the pronoun."""
    fitting = {m.actor for m in people_before
               if len(m.surface.split()) == 1 or first_name_gender(m.surface.split()[0]) in ("", PRONOUN_GENDER[pronoun])}
    return fitting.pop() if len(fitting) == 1 else None


def find_speaker(body: str, start: int, mentions: list[Mention], types: dict[str, str],
                 outside_quotes=None) -> tuple[str | None, str]:
    """The actor who speaks in a sentence, from the speech verbs outside its quotation marks."""
    if outside_quotes is None:
        spans = quoted_spans(body, False)

        def outside_quotes(offset: int) -> bool:
            return not any(a <= offset < b for a, b in spans)
    for cue in CUE.finditer(body):
        if not outside_quotes(cue.start()):
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
        # the speaker after the verb only where a quotation or a clause ends before it ("…,” said
        # Farnsworth"); "He said Brown was arrested" reports what Brown did
        if word not in LISTENER_CUES and INVERSION_BEFORE.search(body[:cue.start()]):
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
