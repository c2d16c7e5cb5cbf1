"""Name mentions in one article's text: the model's entities, trimmed, split and completed by rules."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from dossier.model import Annotation, Article
from dossier.names import ORG_MARKERS, PLACE_MARKERS, given_name, lowercase_words, name_key, type_evidence

# Patterns used for every candidate, compiled once (re's cache lookup costs more than the match).
LOWERCASE = re.compile(r"[a-z]")
SPACED_CAPITAL = re.compile(r"\s+[A-Z]")
NON_SPACE = re.compile(r"\S+")
NAME_TAIL = re.compile(r"(?:['’]s?|[.,;:!?]+)?$")
CLAUSE_MARK = re.compile(r"[,;:!?]")
SPACED_DASH = re.compile(r"\s[-–—]\s")
POSSESSIVE_BEFORE_NAME = re.compile(r"['’]s\s+(?=[A-Z])")
JOINING_DASH = re.compile(r"(?<=[\w.])[-–](?=[A-Z])")

LABEL_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
               "FAC": "place", "NORP": "group"}

@dataclass
class Candidate:
    """One raw mention before it knows its actor."""

    article: str
    surface: str
    label: str
    key: str
    sentence: int
    start: int
    end: int
    short_type: str = ""  # the type of the full name this short form resolved to
    split: bool = False  # claimed by a curated split rule: no further resolution
    title: str = ""  # the courtesy title or role written before it ("Mr", "analyst")
    cue: str = ""  # what the words around it say it is: "team" (a place playing sport) or an actor type

    def copy(self) -> Candidate:
        """A copy to resolve; copy.copy takes several times longer, for ten thousand candidates a build."""
        return Candidate(self.article, self.surface, self.label, self.key, self.sentence, self.start, self.end,
                         self.short_type, self.split, self.title, self.cue)


def candidates_of(article: Article, annotation: Annotation, known: set[str], places: set[str]) -> list[Candidate]:
    found = []
    labels = speaker_labels(article)
    taken = [(start, end) for start, end, _ in labels]
    text = article.text  # joined from the paragraphs at each use
    spans = [(e.label, start, end) for e in annotation.entities if e.label in LABEL_TYPES
             for start, end in refine(text, e.start, e.end, known, places)]
    titled = role_names(text)
    titles = {start: text[title_start:start].strip() for title_start, start, _ in titled}
    spans = with_role_names(text, spans, places, titled)
    spans = joined_to_bodies(text, spans, places)
    spans = with_names_seen_again(text, spans, known)
    spans += [("PERSON", start, end) for start, end, _ in labels]
    sport = sports_report(text)
    surnames = {text[start:end].split()[-1] for label, start, end in spans if label == "PERSON" and " " in text[start:end]}
    for label, start, end in spans:
        if taken and (label != "PERSON" or (start, end) not in taken) and any(s <= start < e for s, e in taken):
            continue
        surface = text[start:end]
        if not plausible_name(surface):
            continue
        key = name_key(surface)
        if len(key) < 2 or not LOWERCASE.search(key):
            continue
        sentence = annotation.sentence_at(start)
        # a person the model took for a place is no side: "Gethin Jenkins", "O'Gara" after "Ronan O'Gara"
        side = sport and surface not in surnames and type_evidence(surface, False) is None
        cue = context_cue(text, start, end, label if key not in places else "GPE", side)
        found.append(Candidate(article.id, surface, label, key, sentence, start, end, title=titles.get(start, ""), cue=cue))
    return found


# Words that make an article a sports report: there a country or a city named as a participant,
# not as a location, is its team ("England threw everything at the French", "Liverpool were").
SPORT_CUES = re.compile(r"(?=[scmdgrfwipDCFPSht\dT])\b(?:squad|coach|caps|capped|striker|midfielder|defender|goalkeeper|"
                        r"rugby|football|footballer|cricket|tennis|wickets?|innings|referee|Premiership|Six Nations|"
                        r"World Cup|Davis Cup|Champions League|FA Cup|hat-trick|drop-goal|try-line|touchline|scrum|"
                        r"scrummage|semi-finals?|quarter-finals?|(?:first|second|third|fourth|fifth|\d+th) cap|Tests?)\b")
def joined_to_bodies(text: str, spans: list[tuple[str, int, int]], places: set[str]) -> list[tuple[str, int, int]]:
    """A known place the model tagged apart from the body it opens is part of its name: "US" and
    "District Court" are the "US District Court", not the United States."""
    spans = sorted(spans, key=lambda s: s[1])
    out: list[tuple[str, int, int]] = []
    for span in spans:
        if out and span[0] == "ORG" and out[-1][0] in ("GPE", "NORP") and text[out[-1][2]:span[1]] == " " \
                and name_key(text[out[-1][1]:out[-1][2]]) in places and ORG_MARKERS.search(text[span[1]:span[2]]):
            out[-1] = ("ORG", out[-1][1], span[2])
            continue
        out.append(span)
    return out


# Words that come up in sports reports, and in others too ("won the title", "the final quarter").
SPORT_WORDS = re.compile(r"\b(?:match|matches|tournament|championships?|league|medals?|Olympics?|athletics|athletes?|goals?|"
                         r"scored|penalty|fixture|season|champion|victory|beat|beaten|defeat|win|won|title|final|stadium|"
                         r"fans|players?|manager|injury|race|seeded|round)\b")


@lru_cache(maxsize=4096)
def sports_report(text: str) -> bool:
    """Two sports terms, or one among sports words or in a short text: one "capped" is no sports report.
    ("Tests" counts inside a sentence only: "Tests showed ..." is no cricket.)"""
    strong = sum(1 for m in SPORT_CUES.finditer(text)
                 if text[m.start()] != "T" or not SENTENCE_START.search(text, max(0, m.start() - 3), m.start()))
    return strong >= 2 or (strong == 1 and (len(text) < 1000 or len(SPORT_WORDS.findall(text)) >= 3))


# A place after these words is a location even in a sports report ("the trials in Sheffield", "a move to Birmingham").
LOCATION_BEFORE = re.compile(r"(?:\b(?:in|at|from|near|of|across|around|outside|inside|throughout|into|within|(?<!move )to|towards|"
                             r"via|through|visit|visited|visiting|north|south|east|west)\s+(?:the\s+)?|-)$")
# A common noun for a kind of organisation right before a name ("oil giant Yukos", "law firm Tods Murray").
ORG_NOUN_BEFORE = re.compile(r"\b(?:firm|company|giant|group|maker|manufacturer|retailer|carrier|airline|bank|insurer|"
                             r"operator|provider|publisher|label|studio|broadcaster|newspaper|magazine|publication|band|"
                             r"club|side|chain|supermarket|watchdog|regulator|charity|conglomerate)\s+$")


# What a possessive name owns tells what it is: "Tate's shares", "Redknapp's appointment".
OWNED = re.compile(r"['’]s?\s+(?:(?P<organization>shares|share price|profits?|shareholders|chief executive|board|"
                   r"takeover|subsidiary|stake|revenues?)|(?P<person>wife|husband|son|daughter|father|mother|brother|"
                   r"sister|family|career|appointment|resignation|departure|debut|agent|birthday|death|funeral|portrayal))\b")
# What only a side has in a sports report: "Everton's manager", "Llanelli's player of the season".
CLUB_OWNS = re.compile(r"['’]s?\s+(?:\w+\s+)?(?:manager|captain|coach|fans|players?|squad|supporters|chairman|defence|"
                       r"midfield|strikers?|goalkeeper|ground|stadium|academy)\b")
# After a nationality standing for its side: no noun follows ("the French in the final", "beat the Welsh.").
SIDE_AFTER = re.compile(r"\s*(?:[,;:.)]|and\b|or\b|in\b|at\b|on\b|to\b|with\b|for\b|by\b|were\b|are\b|have\b|had\b|$)")
PLACE_BEFORE = re.compile(r"\b(?:in|at|near)\s+$")
# A kind of work right before a title: the name is the work's, no actor ("horror film Nightmare On Elm
# Street", "comedy Sideways", "the US series 21 Jump Street").
WORK_BEFORE = re.compile(r"\b(?:film|movie|comedy|drama|thriller|epic|sitcom|series|novel|album|song|musical|"
                         r"documentary|opera|sequel|programme|soap|cartoon|biopic)\s+(?:\d+\s+)?$")


NOUN_END = re.compile(r"\s*(?:[,;:.)]|and\b|or\b|[-–—]|$)")


def context_cue(text: str, start: int, end: int, label: str, sport: bool) -> str:
    """What the words around a name say it is, stronger evidence than the model's label: a place
    playing sport is its team ("team"); a kind of organisation before it makes it an organisation,
    so do the things it owns; a kind of work makes it a title ("work", no actor); a nationality
    adjective standing alone is a noun for something else ("noun", no mention of the country); a one-word
    "person" after "at" or "in" is a place ("at Twickenham")."""
    if label == "NORP" and not text.endswith("s", start, end) and NOUN_END.match(text, end):
        return "noun"  # "American and Southwest": an adjective standing alone names something else than its country
    if sport and label == "NORP" and text.endswith("the ", 0, start) and SIDE_AFTER.match(text, end):
        return "team"  # "England threw everything at the French in the final"
    if sport and label in ("GPE", "LOC") and not LOCATION_BEFORE.search(text, max(0, start - 30), start) \
            and not text.startswith("-based", end) and not SPACED_CAPITAL.match(text, end, end + 2):
        return "team"  # not "the US Open" either: part of a longer name
    if ORG_NOUN_BEFORE.search(text, max(0, start - 20), start) and type_evidence(text[start:end], False) != ("person", False):
        return "organization"  # not "games maker Peter Molyneux"
    if WORK_BEFORE.search(text, max(0, start - 20), start):
        return "work"
    owned = OWNED.match(text, end, end + 30)
    if owned:
        return owned.lastgroup or ""
    if sport and CLUB_OWNS.match(text, end, end + 30):
        return "organization"  # "Llanelli's player of the season", "Everton's manager"
    if label == "PERSON" and " " not in text[start:end] and PLACE_BEFORE.search(text, max(0, start - 8), start) \
            and not text.startswith(("'", "’"), end) and not given_name(text[start:end]):
        return "place"
    return ""


CAPITALISED_BESIDE = re.compile(r"[A-Z][\w’'-]*\s*$")


def with_names_seen_again(text: str, spans: list[tuple[str, int, int]], known: set[str]) -> list[tuple[str, int, int]]:
    """Spans plus the model's misses of a name already written in full in the article: "Rodriguez
    said ..." after "Delcy Rodriguez" is a mention of a person, "Menatep has" after "Group Menatep"
    one of an organisation, unless part of a longer name; an organisation's own acronym written
    after it in brackets is one of it ("United Parcel Services (UPS)"). The last word of an
    organisation counts when it is its own ("Bank of England" is no "England", "Deutsche Post" no "Post")."""
    again: dict[str, str] = {}
    found = list(spans)
    for label, start, end in spans:
        name = text[start:end]
        if " " not in name.strip():
            continue
        last = name.split()[-1]
        if label == "PERSON" or type_evidence(name, False) == ("person", False):  # "Jean-Pierre Jeunet" tagged ORG
            if len(last) > 2:
                again[last] = "PERSON"
        elif label == "ORG":
            acronym = ACRONYM_AFTER.match(text, end)
            if acronym:
                found.append(("ORG", acronym.start(1), acronym.end(1)))
            if len(last) > 3 and last.istitle() and all(w[:1].isupper() for w in name.split()) \
                    and not ORG_MARKERS.search(last) and name_key(last) not in known:
                again.setdefault(last, "ORG")
    if not again:
        return found
    taken = sorted((start, end) for _, start, end in found)
    starts = [s for s, _ in taken]
    for start, end in occurrences(text, set(again)):
        before = bisect.bisect_left(starts, end)  # the spans starting before this one ends: the last few may overlap it
        if any(e > start for _, e in taken[max(0, before - 3):before]) or CAPITALISED_BESIDE.search(text, max(0, start - 40), start):
            continue
        found.append((again[text[start:end]], start, end))
    return sorted(found, key=lambda s: s[1])


ACRONYM_AFTER = re.compile(r" \(([A-Z][A-Za-z&]{1,9})\)")


# After a name seen again: "Hanks'" and "Hanks's" count; "Hanks-Smith" and "Hanks Jr" are longer names.
NAME_ENDS = re.compile(r"(?!-?\w|['’][a-rt-z]|\s+[A-Z])")


def occurrences(text: str, names: set[str]) -> list[tuple[int, int]]:
    """Where each name is written as a whole word (str.find per name: a pattern compiled per article costs more)."""
    found = []
    for name in names:
        start = text.find(name)
        while start != -1:
            end = start + len(name)
            if (start == 0 or (not text[start - 1].isalnum() and text[start - 1] != "_")) and NAME_ENDS.match(text, end):
                found.append((start, end))
            start = text.find(name, end)
    return found


def plausible_name(surface: str) -> bool:
    """A name has a handful of words and no symbols: the tagger sometimes labels junk (base64, emoji runs)."""
    if len(surface) > 80 or len(surface.split()) > 8:
        return False
    if surface.isascii():  # most names: the symbols below are the only ASCII ones
        return not ASCII_SYMBOLS.search(surface)
    return not any(unicodedata.category(ch) in ("So", "Sk", "Cn", "Co", "Cs") or ch in "<>{}[]|\\/=@#" for ch in surface)


ASCII_SYMBOLS = re.compile(r"[<>{}\[\]|\\/=@#^`]")  # "^" and "`" are the ASCII modifier symbols (Sk)


SPEAKER_LABEL = re.compile(r"(?m)^(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}): ")


def speaker_labels(article: Article) -> list[tuple[int, int, str]]:
    """Interview labels ("Keith Mines: ...") that open two or more paragraphs name a person."""
    found = [(m.start("name"), m.end("name"), m.group("name")) for m in SPEAKER_LABEL.finditer(article.text)]
    counts = Counter(name for _, _, name in found)
    return [f for f in found if counts[f[2]] >= 2]


TRIM_LEFT = re.compile(r"^(?:(?:the|The|THE)\s+|['’]s\s+)+")
# Trailing punctuation, but not the dot of an abbreviation ("U.S."), and a dangling conjunction
# ("Llanelli Grammar School - and").
TRIM_RIGHT = re.compile(r"(?:['’]s?|[\s&,;:\-–—]+|(?<!\b[A-Z])\.|\s(?:and|or|but|with|as)|\s[-–—]\s*(?:and|or))$")
# A demonym or a "-man" word before a person's name is no part of it ("Welshman Ray Reardon").
PERSON_PREFIX = re.compile(r"^(?:[A-Z][a-z]+(?:man|woman|men|women)|[A-Z][a-z]+(?:an|ese|ish))\s+(?=[A-Z][\w’'-]+\s+[A-Z])")

# Titles written before a name: a capitalised courtesy or office title ("Mr", "Gov.", "Secretary of
# State"), or a lowercase role ("analyst", "chairman"; capitalised only to open a sentence: "Referee
# Graham Poll"); the capitalised words after one are a person.
CAPITAL_TITLES = (r"Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Baroness|Prof|Professor|President|Vice President|"
                  r"Senator|Sen|Rep|Gov|Governor|Chancellor|Pope|Prime Minister|Secretary of State|Foreign Minister|"
                  r"Defence Secretary|Home Secretary|Foreign Secretary|Minister|Judge|Justice|King|Queen|Prince|"
                  r"Princess|Mayor|Ambassador|Archbishop|Bishop|Rev|Reverend|Detective|Inspector|Sergeant|Captain|Coach")
ROLE_WORDS = (r"referee|keeper|sprinter|athlete|runner|boxer|golfer|analyst|analysts|economist|chairman|chairwoman|chair|"
              r"spokesman|spokeswoman|spokesperson|president|"
              r"vice-president|minister|secretary|director|chief executive|executive|boss|founder|co-founder|"
              r"manager|coach|captain|striker|midfielder|defender|goalkeeper|winger|player|singer|actor|actress|"
              r"author|writer|novelist|director|producer|presenter|comedian|musician|rapper|star|leader|lawyer|"
              r"attorney|judge|professor|expert|researcher|envoy|ambassador|diplomat|governor|senator|MP|MEP|"
              r"commissioner|chancellor|deputy|adviser|advisor|official|correspondent|editor|reporter|journalist|"
              r"champion|rival|team-mate|colleague|opponent|veteran|newcomer|candidate|prosecutor|investor")
NAME_WORD = r"[A-Z](?:[\w’'-]*[a-z][\w’'-]*|\.)"
# A run of capitalised words (titles included: "President Vladimir Putin"); a title is found by
# looking at its first words and the words before it, so the text is scanned once, at capitals only.
CAPITALISED_RUN = re.compile(rf"(?<![\w’'-]){NAME_WORD}(?:\s+(?:(?:de|da|del|dos|van|von|der|bin|al|la|le)\s+)?{NAME_WORD})*")
WORDS_BEFORE = re.compile(r"(?:(?<=\s)|^)((?:[A-Za-z][\w.-]*\s+){1,3})$")
CAPITAL_TITLE_SET = {t.lower() for t in CAPITAL_TITLES.split("|")}
ROLE_SET = set(ROLE_WORDS.split("|"))
TITLE_TOKENS = {word.lower() for title in (*CAPITAL_TITLE_SET, *ROLE_SET) for word in title.split()}
NAME_WORDS_MAX = 4
ABBREVIATED = {"mr", "mrs", "ms", "mx", "dr", "prof", "sen", "rep", "gov", "rev", "gen", "st"}
# Lowercase words a name written after a title never ends with: "Sheikh Hamad of" is "Sheikh Hamad".
NEVER_LAST_IN_NAME = {"of", "de", "da", "del", "dos", "van", "von", "der", "bin", "al", "la", "le"}


def role_names(text: str) -> list[tuple[int, int, int]]:
    """(title start, name start, name end) of each name written after a title or a role."""
    found = []
    for run in CAPITALISED_RUN.finditer(text):
        window = text[max(0, run.start() - 40):run.start()]
        last = window.rsplit(None, 1)[-1].rsplit("-", 1)[-1].rstrip(".").lower() if window.strip() else ""  # "ex-President"
        if last not in TITLE_TOKENS and not any(w.rstrip(".").lower() in TITLE_TOKENS for w in run.group(0).split()[:-1]):
            continue  # most capitalised runs: no title in sight
        words = [(m.start() + run.start(), m.end() + run.start()) for m in NON_SPACE.finditer(run.group(0))]
        before = WORDS_BEFORE.search(text, max(0, run.start() - 40), run.start())
        previous = [(m.start() + before.start(1), m.end() + before.start(1)) for m in NON_SPACE.finditer(before.group(1))] if before else []
        splits = [split for split in range(len(words)) if title_before(text, previous + words[:split], len(previous)) is not None]
        if not splits:
            continue
        split = max(splits)  # the longest title: "Secretary of State", not "Secretary"
        title = title_before(text, previous + words[:split], len(previous))
        name = words[split:split + NAME_WORDS_MAX]
        while name and text[name[-1][0]:name[-1][1]] in NEVER_LAST_IN_NAME:
            name.pop()
        if not name or not text[name[0][0]].isupper():
            continue
        end = name[-1][1] - len(NAME_TAIL.search(text[name[0][0]:name[-1][1]]).group(0))
        if ORG_MARKERS.search(text[name[0][0]:end]):
            continue  # "the player Manchester United signed": a club, whatever the word before it
        found.append((title, name[0][0], end))
    return found


def title_before(text: str, words: list[tuple[int, int]], capitalised_from: int) -> int | None:
    """The start of a title or role that ends the word list, if one does: a courtesy or office title
    as written ("Mr", "Gov.", "Secretary of State"), or a lowercase role ("analyst") that may be
    capitalised to open a sentence ("Referee Graham Poll")."""
    for k in (3, 2, 1):
        if len(words) < k:
            continue
        start = words[-k][0]
        phrase = text[start:words[-1][1]]
        key = phrase.rstrip(".")
        if k == 1 and "-" in key and key.rsplit("-", 1)[-1].lower() in TITLE_TOKENS:
            start += key.rindex("-") + 1  # "ex-President", "co-chairman"
            phrase = key = key.rsplit("-", 1)[-1]
        if CLAUSE_MARK.search(phrase) or (phrase.endswith(".") and key.lower() not in ABBREVIATED):
            continue  # "the player. Its ...": a title runs into the name, no punctuation between
        sentence_start = start == 0 or text[max(0, start - 2):start] in ("\n\n", ". ", "! ", "? ", '" ', "” ") or text[start - 1] == "\n"
        if key.lower() in CAPITAL_TITLE_SET and key[:1].isupper():
            return start
        if key in ROLE_SET or (sentence_start and key[:1].isupper() and key.lower() in ROLE_SET):
            return start
    return None


def with_role_names(text: str, spans: list[tuple[str, int, int]], places: set[str],
                    titled: list[tuple[int, int, int]]) -> list[tuple[str, int, int]]:
    """The model's spans, where a title or role before a name (`titled`: role_names of the text)
    makes it a person: the name replaces what the model tagged inside it ("analyst Sergio Rodríguez
    Gelfenstein", tagged "Sergio" NORP) or extends a shorter person span. An entity that takes in
    the title itself ("General Motors") wins."""
    out = sorted(spans, key=itemgetter(1))
    longest = max((s[2] - s[1] for s in out), default=0)  # searched from this far before a name: a pass over all was quadratic
    for title_start, start, end in titled:
        if name_key(text[start:end]) in places:
            continue
        low, high = bisect.bisect_left(out, start - longest, key=itemgetter(1)), bisect.bisect_left(out, end, key=itemgetter(1))
        overlapping = [s for s in out[low:high] if start < s[2]]
        if any(s[1] <= title_start and s[0] != "PERSON" for s in overlapping):
            continue
        if any(s[0] == "PERSON" and s[1] <= start and s[2] >= end for s in overlapping):
            continue  # the model's person span already holds the whole name
        out[low:high] = [s for s in out[low:high] if s not in overlapping]
        bisect.insort(out, ("PERSON", start, end), key=itemgetter(1))
        longest = max(longest, end - start)
    return out


def refine(text: str, start: int, end: int, known: set[str], places: set[str]) -> list[tuple[int, int]]:
    """Trim an entity span to the name itself, or split it where the tagger joined two names.

    Drops a leading article and possessive remains, takes the head of "Venezuela’s National
    Assembly", splits "U.S.-Venezuela" into two known names, and cuts a known place off the
    front of a person ("in Caracas Sergey Melik").
    """
    surface = text[start:end]
    left = TRIM_LEFT.match(surface)
    if left:
        start += left.end()
    while True:
        right = TRIM_RIGHT.search(text, start, end)
        if not right or right.start() == end or right.start() <= start:
            break
        end = right.start()
    surface = text[start:end]
    dash = SPACED_DASH.search(surface)
    if dash:  # a spaced dash ends a name: "Arsene Wenger - he", "Llanelli Grammar School - and"
        return refine(text, start, start + dash.start(), known, places)
    prefix = PERSON_PREFIX.match(surface)
    if prefix and len(surface.split()) >= 3 and not given_name(surface.split()[0]):  # "Juan Carlos Ferrero" stays
        return refine(text, start + prefix.end(), end, known, places)
    possessive = POSSESSIVE_BEFORE_NAME.search(surface)
    if possessive:
        return refine(text, start + possessive.end(), end, known, places)
    parts = JOINING_DASH.split(surface)
    if len(parts) == 2 and all(name_key(p) in known for p in parts):
        middle = start + len(parts[0])
        return [(start, middle), (middle + 1, end)]
    words = surface.split(" ")
    for n in (2, 1):
        if len(words) >= n + 2 and name_key(" ".join(words[:n])) in places:
            return [(start + len(" ".join(words[:n])) + 1, end)]
    return [(start, end)] if end > start else []




# A run of capitalised words or acronyms ("Evening Standard", "G8", "U.S."), as a known name may be written.
NAME_TOKEN = r"[A-Z][\w&-]*(?:['’][A-Z][\w&-]*)?(?:\.[A-Z][\w&-]*)*\.?"
KNOWN_RUN = re.compile(rf"(?<![\w’'&.-]){NAME_TOKEN}(?: {NAME_TOKEN})*")
# Capitalised words that open a sentence before a name ("In Glasgow"), not part of it.
OPENERS = {"The", "In", "At", "But", "And", "For", "On", "With", "From", "By", "After", "As", "If", "When", "While",
           "A", "An", "This", "That", "Then", "So", "Now", "Yet", "Or", "Under", "Over", "Since", "Before", "Like", "Unlike",
           "Even", "Just", "Only", "Also", "Not", "Why", "How", "What", "Who", "Where", "His", "Her", "Their", "Its",
           "Our", "My", "Your"}
JOINED_BEFORE = re.compile(r"[A-Z][\w’'-]*\s+(?:of|for|and|de|del|da|on|&)\s+$")  # "Bank of England"
JOINED_AFTER = re.compile(r"\s+(?:of|for|de|del|da|on|&)\s+[A-Z]")
SENTENCE_START = re.compile(r"(?:^|[.!?:\"“”]\s+|\n)$")
TYPE_LABELS = {"person": "PERSON", "organization": "ORG", "place": "GPE", "group": "NORP"}


def names_known_elsewhere(articles: list[Article], annotations: dict[str, Annotation], candidates: list[Candidate],
                          table: dict[str, str]) -> list[Candidate]:
    """Mentions the model missed of names it tagged elsewhere in the dossier, or that the known and
    curated actors (`table`: form -> type) give: once an actor is known, another occurrence of its
    name is a mention unless it is part of a longer name. A person counts by a full name (a surname
    alone may be anyone's); a one-word name counts once the model tagged it twice, and not where it
    opens a sentence ("Reading", "Will")."""
    tagged: dict[str, dict[str, int]] = {}
    for c in candidates:
        if c.label != "NORP" and not c.split:
            labels = tagged.setdefault(c.surface, {})
            labels[c.label] = labels.get(c.label, 0) + 1
    forms = {surface: TYPE_LABELS[kind] for surface, kind in table.items() if kind in TYPE_LABELS}
    for surface, labels in tagged.items():
        label = next(iter(labels)) if len(labels) == 1 else max(labels, key=labels.__getitem__)
        one_word = " " not in surface
        if not (one_word and (label == "PERSON" or sum(labels.values()) < 2)):
            forms.setdefault(surface, label)
    if not forms:
        return []
    taken: dict[str, list[tuple[int, int]]] = {}
    for c in candidates:
        taken.setdefault(c.article, []).append((c.start, c.end))
    found = []
    for article in articles:
        text = article.text
        spans = sorted(taken.get(article.id, []))
        starts = [s for s, _ in spans]
        sport = written = None
        for run in KNOWN_RUN.finditer(text):
            start, surface = run.start(), run.group(0)
            label = forms.get(surface)
            if label is None:
                surface = surface.rstrip(".")
                first, _, rest = surface.partition(" ")
                if surface in forms:
                    label = forms[surface]
                elif first in OPENERS and rest in forms:
                    start, surface, label = start + len(first) + 1, rest, forms[rest]
                elif " " in surface:
                    written = lowercase_words(text) if written is None else written
                    person = untagged_person(surface, written)
                    if person is None:
                        continue
                    start, surface, label = start + len(surface) - len(person), person, "PERSON"
                else:
                    continue
            elif " " not in surface and SENTENCE_START.search(text, max(0, start - 3), start):
                continue
            end = start + len(surface)
            before = bisect.bisect_left(starts, end)  # the spans that start before this name ends; one may overlap it
            if (any(e > start for _, e in spans[max(0, before - 3):before]) or JOINED_BEFORE.search(text, max(0, start - 30), start)
                    or JOINED_AFTER.match(text, end)):
                continue
            if sport is None:
                sport = sports_report(text)
            found.append(Candidate(article.id, surface, label, name_key(surface), annotations[article.id].sentence_at(start),
                                   start, end, cue=context_cue(text, start, end, label, sport)))
    return found


def untagged_person(run: str, written: set[str]) -> str | None:
    """The person a capitalised run the model left untagged names, when its shape says so: a common
    first name and one or two capitalised words ("Vera Zvonareva"), after an opener or a demonym
    ("Russian Elena Dementieva"); never a venue ("Victoria Park") or a body ("Morgan Stanley Bank"),
    nor a name whose later words the text also writes in lowercase ("Marshall Plan", "a plan"):
    `written` holds the text's lowercase words (names.lowercase_words)."""
    words = run.split()
    while words and words[0] in OPENERS:
        words.pop(0)
    while len(words) > 2 and DEMONYM_LIKE.fullmatch(words[0]) and not given_name(words[0]):
        words.pop(0)
    if not 2 <= len(words) <= 3 or not all(TITLE_CASE.fullmatch(w) for w in words):
        return None
    name = " ".join(words)
    if type_evidence(name, False) != ("person", False) or PLACE_MARKERS.search(name):
        return None
    if any(w.lower() in written for w in words[1:]):
        return None
    return name


DEMONYM_LIKE = re.compile(r"[A-Z][a-z]+(?:an|ish|ese|i)")
TITLE_CASE = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*")
