"""Dated sentences -> timeline entries (each with its kind: event, background, forecast) -> events.

Expressions are read by `dossier.dates`; this module gives each one what the expression alone
cannot say: the tense of the clause that holds it, the date the article gave last (for "a year
earlier"), and whether it names a happening, the background of one, or a plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import attrgetter

from dossier.dates import resolve
from dossier.model import Annotation, Article, Entity, Event, Mention, Source
from dossier.periods import Anchor, Resolved, Unresolved, date_label, period_end, period_start
from dossier.results import Kept, reuse

__all__ = ["Entry", "Found", "Resolved", "Unresolved", "date_label", "entries_of", "events_of", "read_dates", "resolve"]

KINDS = ("event", "background", "forecast")

# Markers of the tense of a clause, longest first: the nearest one to a date gives its direction.
FUTURE = r"will|shall|'ll|going to|(?:is|are|was|were|be) (?:due |set |expected |scheduled |likely |poised |about |planned )?to|" \
         r"(?:plans?|intends?|aims?|hopes?|expects?|wants?) to|would|could|might|should|upcoming|forthcoming"
IRREGULAR_PAST = "said|told|made|took|came|went|gave|saw|became|began|fell|rose|grew|won|lost|left|met|held|paid|sold|bought|" \
                 "brought|thought|knew|spent|sent|built|led|ran|got|found|kept|struck|wrote|spoke|chose|drew|fought|flew|broke|" \
                 "stood|shot|threw|withdrew|hit|cut|ago|was|were|had|did|has|have|been"
PRESENT = r"is|are|am|says|does|remains|continues|seems"
NOT_VERBS = {"need", "speed", "seed", "feed", "bed", "red", "shed", "indeed", "hundred", "united", "proceed", "exceed", "succeed",
             "breed", "greed", "embed", "weed", "reed", "deed", "heed", "bled", "fled", "led", "wed", "ted", "fred", "ned", "ed"}
TENSE_MARKER = re.compile(rf"\b(?:(?P<future>{FUTURE})|(?P<present>{PRESENT})|(?P<past>{IRREGULAR_PAST}|[a-z]{{2,}}ed))\b(?! have\b)")
REPORTING = {"said", "says", "told", "added", "announced", "reported", "warned", "confirmed"}
PARTICIPLE_AFTER = re.compile(r"(?:\b(?:is|are|am|be|being|been|was|were|has|have|had|get|gets|got)|['’]s)\s+"
                              r"(?:(?:\w+ly|not|also|already|still|now|just)\s+){0,2}$")
AUXILIARIES = {"was", "were", "had", "has", "have", "been", "did"}
# A quote mark or a semicolon ends a clause; a comma or a conjunction usually does.
STRONG_BREAK = re.compile(r"[;:\"“”()]|\s[-–—]\s")
WEAK_BREAK = re.compile(r",|\b(?:but|while|although|though|whereas|and|because|which|who)\b")


def clause_tense(sentence: str, start: int, end: int) -> str:
    """'past', 'present', 'future' or '' for the date at sentence[start:end]: the tense marker nearest
    to it, not crossing a quote or semicolon, each comma or conjunction in between counting as a long way.
    A reporting verb some words before the date gives way to a verb after it: in "said the play's
    15 March opening date remains unchanged" the date belongs to the reported clause."""
    candidates: list[tuple[int, str, bool, bool]] = []  # distance, tense, a distant reporting verb, after the date
    for match in TENSE_MARKER.finditer(sentence):
        if match.start() < end and start < match.end():
            continue  # inside the date itself ("six years ago")
        word = match.group()
        if match["past"] and word not in AUXILIARIES and (word in NOT_VERBS or PARTICIPLE_AFTER.search(sentence, 0, match.start())):
            continue  # not a verb, or a participle whose auxiliary ("is tipped", "will be held") gives the tense
        after = match.start() >= end
        gap = sentence[end:match.start()] if after else sentence[match.end():start]
        if STRONG_BREAK.search(gap):
            continue
        if after and not gap.strip() and match["past"] and word.endswith("ed"):
            continue  # no subject between: a participle ("come out of this year strengthened"), not the clause's verb
        distant = word in REPORTING and not after and len([w for w in gap.split() if w not in ("on", "in", "at", "during")]) > 1
        tense = "future" if match["future"] else "present" if match["present"] else "past"
        candidates.append((len(gap) + 60 * len(WEAK_BREAK.findall(gap)), tense, distant, after))
    if any(after and distance < 60 for distance, _, _, after in candidates):
        candidates = [c for c in candidates if not c[2]]
    # the nearest; on a tie the verb before it ("said on Sunday he could not confirm")
    return min(candidates, key=lambda c: (c[0], c[3]))[1] if candidates else ""


WORK_NOUNS = re.compile(r"\b(?:film|movie|album|novel|book|song|single|play|musical|opera|series|show|titled|called|entitled)\W{0,3}$", re.I)


def looks_like_a_title(sentence: str, start: int, end: int, resolved: Resolved, published: dt.date | None, tense: str) -> bool:
    """A bare number read as a year that is rather the title of a work: in quotes, after "the film",
    or a year far ahead in a clause that is not about the future ("Wong Kar-Wai for 2046")."""
    if not resolved.date.isdigit() or not sentence[start:end].strip().isdigit():
        return False
    before, after = sentence[max(0, start - 1):start], sentence[end:end + 1]
    if before in "\"“‘'" and before and after in "\"”’'" and after:
        return True
    if WORK_NOUNS.search(sentence[:start]):
        return True
    if re.search(r"\b(?:the|a|an)\s+$", sentence[:start], re.I) and re.match(r"(?:\s+[A-Z][\w'-]*)++(?!\s+[a-z])", sentence[end:]) \
            and not re.match(r"\s+(?:[A-Z][a-z]+day|January|February|March|April|May|June|July|August|September|October|November|December)\b",
                             sentence[end:]):
        return True  # "the 1994 Energy Charter Treaty" is part of a name; "the 1964 Disney movie" is not
    return published is not None and int(resolved.date) > published.year + 10 and tense != "future"


BACKGROUND_LEAD = re.compile(r"\b(?:since|until|till|throughout|through|over|up to|ever since|as far back as)\s+(?:the\s+)?(?:past\s+|last\s+)?$", re.I)
RANGE_LEAD = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.I)
STILL_AHEAD = re.compile(r"\b(?:later|end|rest|remainder|coming|by)\b", re.I)
WHEN_LEAD = re.compile(r"\b(?:in|by|during|within|before|until|from)\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?$", re.I)
DEADLINE_LEAD = re.compile(r"\bby\s+(?:the\s+(?:end|middle|start|beginning)\s+of\s+)?$", re.I)


def kind_of(resolved: Resolved, published: dt.date | None, tense: str, sentence: str, start: int, end: int) -> str:
    """event (it happened), background (since, until, for years; a decade, a century, a range) or
    forecast (ahead of the article, or in a clause about the future that the date has not yet passed)."""
    try:
        first, last = period_start(resolved), period_end(resolved)
    except ValueError:
        return "background"
    lead = sentence[max(0, start - 30):start]
    if published is not None and (first > published or (last >= published and (
            tense == "future" or (tense != "past" and resolved.precision not in ("day", "week"))
            or STILL_AHEAD.search(lead + sentence[start:start + 30].split(" of ")[0])))):
        return "forecast"  # ahead of the article; or under way, and the clause looks ahead or is not about the past
    if published is None and ((tense != "past" and DEADLINE_LEAD.search(lead)) or (tense == "future" and (
            resolved.precision not in ("decade", "century") or WHEN_LEAD.search(lead)))):
        # undated: "fewer consumers by 2050 means" is a target, "by 2004 sales had doubled" is not. A decade or
        # century in a future clause is when only after "in", "by", "during" ("will reach Mars in the 2030s");
        # else it is what the plan is about ("will feature 19th Century paintings", "films of the 1980s")
        return "forecast"
    if resolved.precision in ("decade", "century") or BACKGROUND_LEAD.search(lead) \
            or (resolved.end and (RANGE_LEAD.search(lead) or re.search(r"\b(?:from|between)\b", sentence[start:end], re.I))) \
            or re.search(r"\bsince\b[^,;.]{0,50}$", sentence[max(0, start - 60):start], re.I) \
            or re.match(r"(?:since|until|till|throughout)\b", sentence[start:], re.I):
        return "background"
    return "event"


# "1930 GMT" is half past seven in the evening, not a year.
CLOCK_TIME = re.compile(r"\s*(?:GMT|BST|UTC|CET|EST|EDT|ET|PT|hrs|hours|local time)\b")


# "on Wednesday 19 January, from 1930 on BBC One": a 24-hour clock time after a day, not a year.
BROADCAST_TIME = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|"
                            r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b[^.;]{0,30}\b(?:at|from)\s+$", re.I)


@dataclass(frozen=True)
class Entry:
    article: str
    sentence: int
    text: str
    resolved: Resolved
    expression: str
    actors: tuple[str, ...]
    kind: str = "event"
    start: int = 0  # the expression's place in `text`, to highlight it
    end: int = 0


@dataclass(frozen=True)
class Found:
    """One DATE entity of a text, read: its date (None when it is no point in time), or why it is unresolved."""

    sentence: int
    start: int  # offsets in the text
    end: int
    expression: str
    tense: str
    resolved: Resolved | None = None
    kind: str = "event"
    unresolved: str = ""


@lru_cache(maxsize=4096)
def cached_resolve(expression: str, published: dt.date | None, tense: str, anchor: Anchor | None,
                   fiscal_start: int = 1) -> Resolved | None:
    return resolve(expression, published, tense, anchor, fiscal_start)


def read_dates(text: str, annotation: Annotation, published: dt.date | None, fiscal_start: int = 1) -> list[Found]:
    """Every DATE entity of a text, in order, read with the tense of its clause and, for an anchored
    one ("a year earlier"), the nearest date before it in the same text."""
    found: list[Found] = []
    anchor: Anchor | None = None
    for entity in date_spans(text, annotation):
        if entity.text.isdigit() and (CLOCK_TIME.match(text, entity.end) or BROADCAST_TIME.search(text, max(0, entity.start - 60), entity.start)):
            continue
        index = annotation.sentence_at(entity.start)
        sentence = annotation.sentences[index]
        sentence_text = text[sentence.start:sentence.end]
        start, end = entity.start - sentence.start, entity.end - sentence.start
        tense = clause_tense(sentence_text, start, end)
        try:
            resolved = cached_resolve(entity.text, published, tense, anchor, fiscal_start)
        except Unresolved as reason:  # its message is the expression, and why when it is not the missing publication date
            why = str(reason)
            found.append(Found(index, entity.start, entity.end, entity.text, tense,
                               unresolved=entity.text + (why[why.index(" ("):] if " (" in why else "")))
            continue
        if resolved is None:
            found.append(Found(index, entity.start, entity.end, entity.text, tense))
            continue
        if entity.text in ("Today", "Tonight", "Tomorrow", "Yesterday") and start > 0:
            found.append(Found(index, entity.start, entity.end, entity.text, tense,
                               unresolved=f"{entity.text} (capitalized inside a sentence: a name or a title)"))
            continue  # "the BBC's Today programme", "Are You Lonesome Tonight"
        if looks_like_a_title(sentence_text, start, end, resolved, published, tense):
            found.append(Found(index, entity.start, entity.end, entity.text, tense,
                               unresolved=f"{entity.text} (a number read as a year far ahead, or a title)"))
            continue
        if not resolved.end:
            anchor = (resolved, entity.text)
        found.append(Found(index, entity.start, entity.end, entity.text, tense, resolved,
                           kind_of(resolved, published, tense, sentence_text, start, end)))
    return found


DAY_BEFORE = re.compile(r"\b[0-3]?\d(?:st|nd|rd|th)?\s+$")
MONTH_FIRST = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$", re.I)
# Periods the model often leaves untagged; a capitalized word after one makes it a name ("Winter Olympics", "20th Century Fox").
UNTAGGED = re.compile(r"\b(?:(?:early|late|mid)[- ])?(?:(?:the|last|this|next|coming) )?(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)\b(?! [A-Z])"
                      r"|\b(?:the )?(?:1[0-9]|2[01])(?:st|nd|rd|th) [Cc]entury\b(?! [A-Z])|\b(?:first|second)-half\b")


def date_spans(text: str, annotation: Annotation) -> list[Entity]:
    """The DATE entities in order, a bare month widened over the day number the model left before it
    ("11 March" tagged "March"), and the seasons, centuries and halves it left untagged."""
    spans = []
    # The entities that may overlap a span are those starting less than the longest one's length
    # before it: a search of every entity for each date made a long report's timeline quadratic.
    entities = sorted(annotation.entities, key=attrgetter("start"))
    starts = [e.start for e in entities]
    longest = max((e.end - e.start for e in entities), default=0)

    def near(start: int, end: int) -> list[Entity]:
        return entities[bisect.bisect_left(starts, start - longest):bisect.bisect_left(starts, end)]

    for entity in annotation.entities:
        if entity.label != "DATE":
            continue
        day = DAY_BEFORE.search(text, max(0, entity.start - 6), entity.start)
        if day and MONTH_FIRST.match(entity.text) and not any(e.start < entity.start and e.end > day.start()
                                                              for e in near(day.start(), entity.start)):
            entity = Entity(entity.label, day.start(), entity.end, text[day.start():entity.end])
        spans.append(entity)
    for match in UNTAGGED.finditer(text):
        if not any(e.start < match.end() and match.start() < e.end for e in near(match.start(), match.end())):
            spans.append(Entity("DATE", match.start(), match.end(), match.group()))
    return sorted(spans, key=attrgetter("start"))


def entries_of(article: Article, annotation: Annotation, mentions: list[Mention],
               unresolved: list[tuple[str, str]], fiscal_start: int = 1) -> list[Entry]:
    """Timeline entries of one article; dates it cannot resolve go to `unresolved` (article id, expression and why)."""
    text = article.text
    published = dt.date.fromisoformat(article.date) if article.date else None
    actors_by_sentence: dict[int, set[str]] = defaultdict(set)
    for m in mentions:
        actors_by_sentence[m.sentence].add(m.actor)
    entries = []
    seen = set()
    for found in read_dates(text, annotation, published, fiscal_start):
        if found.unresolved:
            unresolved.append((article.id, found.unresolved))
        if found.resolved is None or (found.sentence, found.resolved.date, found.resolved.end) in seen:
            continue
        seen.add((found.sentence, found.resolved.date, found.resolved.end))
        sentence = annotation.sentences[found.sentence]
        entries.append(Entry(article.id, found.sentence, text[sentence.start:sentence.end], found.resolved, found.expression,
                             tuple(sorted(actors_by_sentence[found.sentence])), found.kind,
                             found.start - sentence.start, found.end - sentence.start))
    return entries


def events_of(entries: list[Entry], store: Kept | None = None) -> list[Event]:
    """Group entries from different articles that tell the same happening into one event. Only
    entries of the same date and precision can merge: `store` (watch mode) keeps the grouping of
    each date for the next build, where most dates have the same entries."""
    ordered = sorted(entries, key=lambda e: (e.resolved.date, e.article, e.sentence, e.start))
    by_date: dict[tuple[str, str, str, str], list[Entry]] = defaultdict(list)
    for entry in ordered:
        by_date[(entry.resolved.date, entry.resolved.precision, entry.resolved.end, entry.kind)].append(entry)
    groups: list[list[Entry]] = []
    for same_date in by_date.values():
        groups += reuse(store, tuple(same_date), partial(same_happenings, same_date))
    position = {entry: n for n, entry in enumerate(ordered)}
    groups.sort(key=lambda group: position[group[0]])  # in the order they begin: ties in the last sort keep it
    events = []
    for group in groups:
        first = group[0].resolved
        sources = [Source(e.article, e.sentence, e.text, e.expression, f"“{e.expression}” → {e.resolved.label} ({e.resolved.how})",
                          e.start, e.end) for e in group]
        actors = sorted({a for e in group for a in e.actors})
        events.append(Event(first.date, first.precision, first.label, first.qualifier, sources, actors,
                            end=first.end, kind=group[0].kind))
    flag_disputed(groups, events)
    return sorted(events, key=lambda e: (e.date, e.sources[0].article, e.sources[0].sentence, e.sources[0].start))


def same_happenings(entries: list[Entry]) -> list[list[Entry]]:
    """Entries of one date and precision, in groups that tell one happening each."""
    groups: list[list[Entry]] = []
    for entry in entries:
        for group in groups:
            if same_happening(group, entry):
                group.append(entry)
                break
        else:
            groups.append([entry])
    return groups


DISPUTE_WINDOW = 10  # days: the same happening reported on dates this far apart is flagged


def flag_disputed(groups: list[list[Entry]], events: list[Event]) -> None:
    """Events a few days apart, from other articles, with the same actors and wording: the sources disagree on the date."""
    days = sorted((dt.date.fromisoformat(g[0].resolved.date), i) for i, g in enumerate(groups) if g[0].resolved.precision == "day")
    for n, (day, i) in enumerate(days):
        for other_day, j in days[n + 1:]:
            if (other_day - day).days > DISPUTE_WINDOW:
                break
            if other_day != day and same_story(groups[i], groups[j]):
                events[i].disputed.append(events[j].label)
                events[j].disputed.append(events[i].label)


def same_story(a: list[Entry], b: list[Entry]) -> bool:
    if {e.article for e in a} & {e.article for e in b}:
        return False
    shared = set().union(*(e.actors for e in a)) & set().union(*(e.actors for e in b))
    return len(shared) >= 2 and max(word_overlap(x.text, y.text) for x in a for y in b) >= 0.3


def same_happening(group: list[Entry], entry: Entry) -> bool:
    """Same date and precision, another article, shared actors and similar wording."""
    head = group[0]
    if (entry.resolved.date, entry.resolved.precision, entry.resolved.end, entry.kind) != \
            (head.resolved.date, head.resolved.precision, head.resolved.end, head.kind):
        return False
    if not entry.actors or any(e.article == entry.article for e in group):
        return False  # without an actor it can share none: most entries of a busy date
    shared = len(set(entry.actors) & set().union(*(e.actors for e in group)))
    if not shared:
        return False

    def overlap() -> float:  # only when the actors leave it open: most entries of a date share none
        return max(word_overlap(e.text, entry.text) for e in group)

    if entry.resolved.precision in ("day", "week"):
        return shared >= 2 or (shared >= 1 and overlap() >= 0.15)
    # A year or a month holds many happenings: ask for the same actors and the same wording.
    return shared >= 2 and overlap() >= 0.2


# News reports of one happening vary their verbs: "broke off relations", "cut ties", "severed ties".
SAME_MEANING = {"ties": "relations", "relation": "relations", "cut": "broke", "severed": "broke", "break": "broke",
                "broken": "broke", "met": "meet", "meeting": "meet", "meetings": "meet", "talks": "meet", "visited": "visit",
                "visits": "visit", "trip": "visit"}
STOP_WORDS = {"the", "and", "for", "that", "with", "was", "were", "has", "had", "have", "from", "this", "its", "his", "her",
              "their", "but", "not", "are", "who", "which", "said", "after", "also", "been", "into", "than", "they"}


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z]{3,}", text.lower())
    return frozenset(SAME_MEANING.get(w, w) for w in words if w not in STOP_WORDS)


def word_overlap(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    return len(wa & wb) / max(1, len(wa | wb))
