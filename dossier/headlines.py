"""Actors named in headlines. A headline is not part of the text the model reads (a page shows it as
the title), so its names are found from the actors already resolved, as the rest of the dossier is
swept for names the model missed: an actor's name or alias is a mention of it unless it is part of
a longer name.

A person counts by a full name (a surname alone may be anyone's), or by the surname of a person the
article itself names, when no other person it names shares it ("Blair" in "Blair rallies party
faithful" above an article on Tony Blair). "Tate" in "Tate & Lyle" and "England" in "Bank of England" are
parts of longer names. A one-word name where any word would be capitalised (a
headline's first word, a headline in Title Case) counts only for an actor the article names: "Will"
is a verb there, "Reading" a gerund. A form two actors share is nobody's.
"""

from __future__ import annotations

import re

from dossier.mentions import JOINED_AFTER, JOINED_BEFORE, KNOWN_RUN, OPENERS
from dossier.model import Actor, Article

# Words before a name that are not part of it ("Mr Blair", "President Maduro")
TITLES = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "President", "PM", "Premier", "Chancellor",
          "Minister", "Senator", "Governor", "King", "Queen", "Prince", "Princess", "Pope", "General", "Judge"}
BEFORE_NAMES = OPENERS | TITLES
WORD = re.compile(r"[A-Za-z][\w'’-]*")
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
               "vs", "via", "with"}


def headline_names(articles: list[Article], actors: list[Actor]) -> dict[str, list[tuple[int, int, str]]]:
    """article id -> (start, end, actor id) of each name in its title, in order; articles whose
    title names no actor are left out."""
    owners: dict[str, set[str]] = {}
    for actor in actors:
        for form in {actor.name, *actor.aliases}:
            if actor.type != "person" or " " in form:
                owners.setdefault(form, set()).add(actor.id)
    forms = {form: next(iter(ids)) for form, ids in owners.items() if len(ids) == 1}
    named_in: dict[str, set[str]] = {}
    surnames_in: dict[str, dict[str, set[str]]] = {}
    for actor in actors:
        for article in actor.articles:
            named_in.setdefault(article, set()).add(actor.id)
            if actor.type == "person":
                surnames = surnames_in.setdefault(article, {})
                for form in {actor.name, *actor.aliases}:
                    surnames.setdefault(form.split()[-1], set()).add(actor.id)
    found = {}
    for article in articles:
        own = {surname: next(iter(ids)) for surname, ids in surnames_in.get(article.id, {}).items()
               if len(ids) == 1 and surname not in owners}
        spans = names_in(article.title, forms, own, named_in.get(article.id, set()))
        if spans:
            found[article.id] = spans
    return found


def names_in(title: str, forms: dict[str, str], surnames: dict[str, str], named: set[str]) -> list[tuple[int, int, str]]:
    """The names in one headline: in a headline in sentence case a capitalised run must be the whole
    name (after an opener or a title); in Title Case, where every word is capitalised, the longest
    known name from each word on."""
    title_case = is_title_case(title)
    spans = []
    for run in KNOWN_RUN.finditer(title):
        words = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group(0))]
        first = 0
        while first < len(words) - 1 and title[slice(*words[first])] in BEFORE_NAMES:
            first += 1
        at = first
        while at < len(words):
            shortest = len(words) if not title_case else at + 1
            match = None
            for last in range(len(words), shortest - 1, -1):
                start, end = words[at][0], words[last - 1][1]
                actor = forms.get(title[start:end]) or (surnames.get(title[start:end]) if last - at == 1 else None)
                if actor and (last - at > 1 or actor in named or not (title_case or start == 0)) and not (
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


def is_title_case(title: str) -> bool:
    """Most words capitalised, small words aside ("US Officials Meet Maduro, Fail to Drive Wedge")."""
    words = [w for w in WORD.findall(title) if w.lower() not in SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
