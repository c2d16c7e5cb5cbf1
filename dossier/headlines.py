"""Actors named in headlines. A headline is not part of the text the model reads (a page shows it as
the title), so its names are found from the actors already resolved, as the rest of the dossier is
swept for names the model missed: an actor's name or alias is a mention of it unless it is part of
a longer name.

A person counts by a full name (a surname alone may be anyone's), or by the surname of a person the
article itself names in full, when no other person it names shares it ("Blair" in "Blair rallies party
faithful" above an article on Tony Blair). A name with lowercase words or "&" in it ("Bank of
England", "Tate & Lyle") is found whole, and "England" or "Tate" alone there are parts of it. A
one-word name where any word would be capitalised (a headline's first word, after a label such as
"Analysis:", a headline in Title Case) counts only for an actor the article names: "Will" is a verb
there, "Reading" a gerund. A form two actors share is nobody's, and so is a one-word name that is
also the surname of a person the article names ("Jordan" above an article on Michael Jordan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.mentions import KNOWN_RUN, OPENERS
from dossier.model import Actor, Article

# Words before a name that are not part of it ("Mr Blair", "President Maduro")
TITLES = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "President", "PM", "Premier", "Chancellor",
          "Minister", "Senator", "Governor", "King", "Queen", "Prince", "Princess", "Pope", "General", "Judge"}
BEFORE_NAMES = OPENERS | TITLES
WORD = re.compile(r"[A-Za-z][\w'’-]*")
# A capitalised word and "of" or "&" before a name, or "of"/"&" and a capitalised word after it: the name
# is part of a longer one ("Bank Of England" in Title Case). Not "and", "for", "on": "Bush and Blair
# discuss Iraq", "Support for Blair slips", "Blair on Iraq".
JOINED_BEFORE = re.compile(r"[A-Z][\w’'-]*\s+(?:[Oo]f|[Dd]e|[Dd]el|[Dd]a|&)\s+$")
# ... and a number after it: "Euro 2004", "PlayStation 3"; not a score ("Hearts 2-1 Livingston").
JOINED_AFTER = re.compile(r"\s+(?:[Oo]f|[Dd]e|[Dd]el|[Dd]a|&)\s+[A-Z]|\s+\d+\b(?![-–:./])")
LABEL_END = (":", "-", "–", "—", "|", ".", "?", "!")  # "Analysis: Will rates rise?", "Q&A - ..."
OPENING_MARKS = " \"'“‘”’(["
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
               "vs", "via", "with"}


def headline_names(articles: list[Article], actors: list[Actor]) -> dict[str, list[tuple[int, int, str]]]:
    """article id -> (start, end, actor id) of each name in its title, in order; articles whose
    title names no actor are left out."""
    owners: dict[str, set[str]] = {}
    for actor in actors:
        for form in {actor.name, *actor.aliases}:
            if form.strip() and (actor.type != "person" or " " in form):
                owners.setdefault(form, set()).add(actor.id)
    forms = {form: next(iter(ids)) for form, ids in owners.items() if len(ids) == 1}
    joined = [form for form in forms if re.search(r" (?:[a-z]+|&) ", form)]
    whole = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(f) for f in sorted(joined, key=len, reverse=True)) + r")(?![\w&])") \
        if joined else None
    named_in: dict[str, set[str]] = {}
    surnames_in: dict[str, dict[str, set[str]]] = {}
    for actor in actors:
        for article in actor.articles:
            named_in.setdefault(article, set()).add(actor.id)
            if actor.type == "person" and " " in actor.name.strip():  # a one-word "person" is often the model's error
                surnames = surnames_in.setdefault(article, {})
                for words in (form.split() for form in {actor.name, *actor.aliases}):
                    if words:
                        surnames.setdefault(words[-1], set()).add(actor.id)
    found = {}
    for article in articles:
        surnames = surnames_in.get(article.id, {})
        own = {surname: next(iter(ids)) for surname, ids in surnames.items() if len(ids) == 1 and surname not in owners}
        spans = names_in(article.title, Names(forms, whole, own, set(surnames), named_in.get(article.id, set())))
        if spans:
            found[article.id] = spans
    return found


@dataclass(frozen=True)
class Names:
    """What one headline is read with: every actor's unshared forms, a search for those with
    lowercase words or "&" in them, the surnames of the persons the article names (those only one
    of them has, and all of them), and the actors it names."""

    forms: dict[str, str]
    whole: re.Pattern | None
    surnames: dict[str, str]
    person_words: set[str]
    named: set[str]


def names_in(title: str, names: Names) -> list[tuple[int, int, str]]:
    """The names in one headline: in a headline in sentence case a capitalised run must be the whole
    name (after an opener or a title); in Title Case, where every word is capitalised, the longest
    known name from each word on."""
    spans = [(m.start(), m.end(), names.forms[m.group(0)]) for m in names.whole.finditer(title)] if names.whole else []
    taken = list(spans)
    title_case = is_title_case(title)
    for run in KNOWN_RUN.finditer(title):
        words = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group(0))]
        free = [w for w in words if not any(s < w[1] and w[0] < e for s, e, _ in taken)]
        if len(free) < len(words) and not title_case:
            continue  # part of a name found whole ("Bank of England")
        for segment in contiguous(free, words) if title_case else [words]:
            spans += run_names(title, segment, names, title_case)
    return sorted(spans)


def contiguous(free: list[tuple[int, int]], words: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The runs of consecutive words of `words` that are all in `free`."""
    segments: list[list[tuple[int, int]]] = [[]]
    for word in words:
        if word in free:
            segments[-1].append(word)
        elif segments[-1]:
            segments.append([])
    return [s for s in segments if s]


def run_names(title: str, words: list[tuple[int, int]], names: Names, title_case: bool) -> list[tuple[int, int, str]]:
    first = 0
    while first < len(words) - 1 and title[slice(*words[first])] in BEFORE_NAMES:
        first += 1
    spans, at = [], first
    while at < len(words):
        shortest = len(words) if not title_case else at + 1
        match = None
        for last in range(len(words), shortest - 1, -1):
            start, end = words[at][0], words[last - 1][1]
            text = title[start:end]
            actor = names.forms.get(text) or (names.surnames.get(text) if last - at == 1 else None)
            one_word = last - at == 1
            if not actor or (one_word and text in names.person_words and actor != names.surnames.get(text)):
                continue  # unknown, or a one-word name that is also another person's surname here
            if (not one_word or actor in names.named or not (title_case or opens(title, start))) and not (
                    JOINED_BEFORE.search(title, max(0, start - 30), start) or JOINED_AFTER.match(title, end)):
                match = (start, end, actor)
                break
        if match:
            spans.append(match)
            at = last
        elif title_case:
            at += 1
        else:
            break
    return spans


def opens(title: str, start: int) -> bool:
    """Whether the word at `start` opens the headline, or what follows a label ("Analysis: ...")."""
    before = title[:start].rstrip(OPENING_MARKS)
    return not before or before.endswith(LABEL_END)


def is_title_case(title: str) -> bool:
    """Most words capitalised, small words aside ("US Officials Meet Maduro, Fail to Drive Wedge")."""
    words = [w for w in WORD.findall(title) if w.lower() not in SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
