"""Name mentions in one article's text: the model's entities, trimmed, split and completed by rules."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from dossier.model import Annotation, Article
from dossier.names import name_key

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

    def copy(self) -> Candidate:
        """A copy to resolve; copy.copy takes several times longer, for ten thousand candidates a build."""
        return Candidate(self.article, self.surface, self.label, self.key, self.sentence, self.start, self.end,
                         self.short_type, self.split)


def candidates_of(article: Article, annotation: Annotation, known: set[str], places: set[str]) -> list[Candidate]:
    found = []
    labels = speaker_labels(article)
    taken = [(start, end) for start, end, _ in labels]
    text = article.text  # joined from the paragraphs at each use
    spans = [(e.label, start, end) for e in annotation.entities if e.label in LABEL_TYPES
             for start, end in refine(text, e.start, e.end, known, places)]
    spans += [("PERSON", start, end) for start, end, _ in labels]
    for label, start, end in spans:
        if (label != "PERSON" or (start, end) not in taken) and any(s <= start < e for s, e in taken):
            continue
        surface = text[start:end]
        if not plausible_name(surface):
            continue
        key = name_key(surface)
        if len(key) < 2 or not re.search(r"[a-z]", key):
            continue
        sentence = annotation.sentence_at(start)
        found.append(Candidate(article.id, surface, label, key, sentence, start, end))
    return found


def plausible_name(surface: str) -> bool:
    """A name has a handful of words and no symbols: the tagger sometimes labels junk (base64, emoji runs)."""
    return len(surface) <= 80 and len(surface.split()) <= 8 and not any(
        unicodedata.category(ch) in ("So", "Sk", "Cn", "Co", "Cs") or ch in "<>{}[]|\\/=@#" for ch in surface)


SPEAKER_LABEL = re.compile(r"(?m)^(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}): ")


def speaker_labels(article: Article) -> list[tuple[int, int, str]]:
    """Interview labels ("Keith Mines: ...") that open two or more paragraphs name a person."""
    found = [(m.start("name"), m.end("name"), m.group("name")) for m in SPEAKER_LABEL.finditer(article.text)]
    counts = Counter(name for _, _, name in found)
    return [f for f in found if counts[f[2]] >= 2]


TRIM_LEFT = re.compile(r"^(?:(?:the|The|THE)\s+|['’]s\s+)+")
# Trailing punctuation, but not the dot of an abbreviation ("U.S.").
TRIM_RIGHT = re.compile(r"(?:['’]s?|[\s&,;:\-–—]+|(?<!\b[A-Z])\.)$")


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
    possessive = re.search(r"['’]s\s+(?=[A-Z])", surface)
    if possessive:
        return refine(text, start + possessive.end(), end, known, places)
    parts = re.split(r"(?<=[\w.])[-–](?=[A-Z])", surface)
    if len(parts) == 2 and all(name_key(p) in known for p in parts):
        middle = start + len(parts[0])
        return [(start, middle), (middle + 1, end)]
    words = surface.split(" ")
    for n in (2, 1):
        if len(words) >= n + 2 and name_key(" ".join(words[:n])) in places:
            return [(start + len(" ".join(words[:n])) + 1, end)]
    return [(start, end)] if end > start else []


