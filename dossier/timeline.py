"""Date expressions -> normalized dates with precision; dated sentences -> timeline events."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from dossier.model import Annotation, Article, Event, Mention, Source

MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}
MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
QUALIFIER = r"(?:(?P<qualifier>early|mid|late|(?:the )?(?:end|start|beginning|middle) of)[- ]+)?"
YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
LEAD = r"^(?:(?:on|in|since|by|until|from|during|of|around|about|as of)\s+)?(?:the\s+)?"
PART_OF_DAY = r"(?:\s+(?:night|morning|afternoon|evening))?"


@dataclass(frozen=True)
class Resolved:
    date: str  # ISO prefix
    precision: str  # day | week | month | year | decade
    qualifier: str
    how: str  # how the expression was resolved, for the reader

    @property
    def label(self) -> str:
        return date_label(self.date, self.precision, self.qualifier)


class Unresolved(Exception):
    """A relative date in an article whose publication date is unknown."""


def date_label(date: str, precision: str, qualifier: str = "") -> str:
    q = f"{qualifier} " if qualifier else ""
    if precision == "decade":
        return f"{q}{date[:4]}s"
    if precision == "year":
        return f"{q}{date}"
    parsed = dt.date.fromisoformat(date if precision != "month" else date + "-01")
    if precision == "month":
        return f"{q}{parsed:%b %Y}"
    if precision == "week":
        return f"week of {parsed.day} {parsed:%b %Y}"
    return f"{parsed:%a} {parsed.day} {parsed:%b %Y}"


def month_number(text: str) -> int:
    return MONTH_ABBR[text.lower().rstrip(".")[:4] if text.lower().startswith("sept") else text.lower()[:3]]


def resolve(expression: str, published: dt.date | None, future: bool = False) -> Resolved | None:
    """A date expression -> Resolved, or None when it is no point in time (a duration, an age).

    Raises Unresolved for a relative expression when `published` is None.
    """
    text = re.sub(r"\s+", " ", expression.strip().lower().replace("’", "'"))
    text = re.sub(LEAD, "", text)
    for grammar in (absolute, relative):
        found = grammar(text, published, future)
        if found:
            return found
    return None


def absolute(text: str, published: dt.date | None, future: bool) -> Resolved | None:
    patterns = (
        (rf"(?:{WEEKDAY},? )?{MONTH} {DAY},? {YEAR}", "day"),
        (rf"(?:{WEEKDAY},? )?{DAY} {MONTH},? {YEAR}", "day"),
        (rf"{QUALIFIER}{MONTH},? (?:of )?{YEAR}", "month"),
        (rf"{QUALIFIER}{YEAR}", "year"),
        (rf"{QUALIFIER}(?P<decade>1[89]\d0|20\d0)'?s", "decade"),
    )
    for pattern, precision in patterns:
        match = re.fullmatch(pattern, text)
        if not match:
            continue
        parts = match.groupdict()
        qualifier = normalize_qualifier(parts.get("qualifier"))
        if precision == "day":
            try:
                day = dt.date(int(parts["year"]), month_number(parts["month"]), int(parts["day"]))
            except ValueError:
                return None
            return Resolved(day.isoformat(), "day", "", "absolute date")
        if precision == "month":
            return Resolved(f"{parts['year']}-{month_number(parts['month']):02d}", "month", qualifier, "absolute month")
        if precision == "year":
            return Resolved(parts["year"], "year", qualifier, "absolute year")
        return Resolved(parts["decade"], "decade", qualifier, "absolute decade")
    return None


def relative(text: str, published: dt.date | None, future: bool) -> Resolved | None:
    rules = (
        (rf"(?:(?P<which>last|this|next|past) )?{WEEKDAY}{PART_OF_DAY}", weekday),
        (r"(?P<word>today|tonight|yesterday|tomorrow)", today),
        (rf"{QUALIFIER}(?P<which>last|this|next|past) (?P<unit>week|month|year)", this_or_last),
        (rf"(?P<count>\d+|{'|'.join(NUMBERS)}) (?P<unit>day|week|month|year)s? ago", ago),
        (rf"{QUALIFIER}(?:(?P<which>last|this|next) )?{MONTH}", month_only),
        (rf"(?:{WEEKDAY},? )?{MONTH} {DAY}", month_day),
        (rf"(?:{WEEKDAY},? )?{DAY} {MONTH}", month_day),
    )
    for pattern, rule in rules:
        match = re.fullmatch(pattern, text)
        if match:
            if published is None:
                raise Unresolved(text)
            return rule(match.groupdict(), published, future)
    return None


def normalize_qualifier(word: str | None) -> str:
    word = (word or "").removeprefix("the ")
    return {"end of": "late", "start of": "early", "beginning of": "early", "middle of": "mid"}.get(word, word)


def describe(published: dt.date) -> str:
    return f"in an article of {published:%a} {published.day} {published:%b %Y}"


def weekday(parts: dict, published: dt.date, future: bool) -> Resolved:
    target = WEEKDAYS.index(parts["weekday"])
    forward = parts.get("which") == "next" or (future and parts.get("which") not in ("last", "past"))
    if forward:
        delta = (target - published.weekday()) % 7 or 7
    else:
        delta = -((published.weekday() - target) % 7)
        if parts.get("which") in ("last", "past") and delta == 0:
            delta = -7
    day = published + dt.timedelta(days=delta)
    direction = "the next" if forward else "the most recent"
    return Resolved(day.isoformat(), "day", "", f"{direction} {parts['weekday'].title()} {describe(published)}")


def today(parts: dict, published: dt.date, future: bool) -> Resolved:
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[parts["word"]]
    day = published + dt.timedelta(days=offset)
    return Resolved(day.isoformat(), "day", "", f"{parts['word']} {describe(published)}")


def this_or_last(parts: dict, published: dt.date, future: bool) -> Resolved:
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[parts["which"]]
    unit = parts["unit"]
    qualifier = normalize_qualifier(parts.get("qualifier"))
    how = f"{parts['which']} {unit} {describe(published)}"
    if unit == "year":
        return Resolved(str(published.year + step), "year", qualifier, how)
    if unit == "month":
        year, month = shift_month(published.year, published.month, step)
        return Resolved(f"{year}-{month:02d}", "month", qualifier, how)
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    return Resolved(monday.isoformat(), "week", "", how)


def ago(parts: dict, published: dt.date, future: bool) -> Resolved | None:
    count = int(parts["count"]) if parts["count"].isdigit() else NUMBERS[parts["count"]]
    if count is None:
        return None  # "several years ago" names no point in time
    unit = parts["unit"]
    how = f"{parts['count']} {unit}(s) before {describe(published)[3:]}"
    if unit == "day":
        return Resolved((published - dt.timedelta(days=count)).isoformat(), "day", "", how)
    if unit == "week":
        day = published - dt.timedelta(weeks=count)
        return Resolved((day - dt.timedelta(days=day.weekday())).isoformat(), "week", "", how)
    if unit == "month":
        year, month = shift_month(published.year, published.month, -count)
        return Resolved(f"{year}-{month:02d}", "month", "", how)
    return Resolved(str(published.year - count), "year", "", how)


def month_only(parts: dict, published: dt.date, future: bool) -> Resolved:
    month = month_number(parts["month"])
    which = parts.get("which")
    if which == "next" or (future and which is None):
        year = published.year + (month <= published.month)
    elif which == "this":
        year = published.year
    else:
        year = published.year - (month > published.month or (which == "last" and month == published.month))
    qualifier = normalize_qualifier(parts.get("qualifier"))
    which_one = "next" if year > published.year else "most recent"
    return Resolved(f"{year}-{month:02d}", "month", qualifier, f"the {which_one} {MONTH_NAMES[month - 1].title()} {describe(published)}")


def month_day(parts: dict, published: dt.date, future: bool) -> Resolved | None:
    month, day = month_number(parts["month"]), int(parts["day"])
    try:
        candidate = dt.date(published.year, month, day)
    except ValueError:
        return None
    if candidate > published and not future:
        candidate = candidate.replace(year=published.year - 1) if (month, day) != (2, 29) else candidate
    return Resolved(candidate.isoformat(), "day", "", f"{MONTH_NAMES[month - 1].title()} {day} {describe(published)}")


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


# Only plain future forms: "would" and "scheduled" also narrate the past ("had a previously scheduled meeting").
FUTURE_CUES = re.compile(r"\bwill\b|\b(?:is|are) (?:to|expected to|scheduled to|set to|due to|going to)\b|\bnext\b|\bupcoming\b", re.I)


@dataclass(frozen=True)
class Entry:
    article: str
    sentence: int
    text: str
    resolved: Resolved
    expression: str
    actors: tuple[str, ...]


@lru_cache(maxsize=4096)
def cached_resolve(expression: str, published: dt.date | None, future: bool) -> Resolved | None:
    return resolve(expression, published, future)


def entries_of(article: Article, annotation: Annotation, mentions: list[Mention],
               unresolved: list[tuple[str, str]]) -> list[Entry]:
    """Timeline entries of one article; relative dates it cannot resolve go to `unresolved`."""
    text = article.text
    published = dt.date.fromisoformat(article.date) if article.date else None
    actors_by_sentence: dict[int, set[str]] = defaultdict(set)
    for m in mentions:
        actors_by_sentence[m.sentence].add(m.actor)
    starts = [s.start for s in annotation.sentences]
    entries = []
    seen = set()
    for entity in annotation.entities:
        if entity.label != "DATE":
            continue
        index = sentence_at(starts, entity.start)
        sentence = annotation.sentences[index]
        sentence_text = text[sentence.start:sentence.end]
        future = bool(FUTURE_CUES.search(sentence_text))
        try:
            found = cached_resolve(entity.text, published, future)
        except Unresolved:
            unresolved.append((article.id, entity.text))
            continue
        if found is None or (index, found.date) in seen:
            continue
        seen.add((index, found.date))
        entries.append(Entry(article.id, index, sentence_text, found, entity.text,
                             tuple(sorted(actors_by_sentence[index]))))
    return entries


def sentence_at(starts: list[int], offset: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, offset) - 1)


def events_of(entries: list[Entry]) -> list[Event]:
    """Group entries from different articles that tell the same happening into one event."""
    groups: list[list[Entry]] = []
    by_date: dict[tuple[str, str], list[list[Entry]]] = defaultdict(list)  # only same-date groups can merge
    for entry in sorted(entries, key=lambda e: (e.resolved.date, e.article, e.sentence)):
        same_date = by_date[(entry.resolved.date, entry.resolved.precision)]
        for group in same_date:
            if same_happening(group, entry):
                group.append(entry)
                break
        else:
            same_date.append([entry])
            groups.append(same_date[-1])
    events = []
    for group in groups:
        first = group[0].resolved
        sources = [Source(e.article, e.sentence, e.text, e.expression, f"“{e.expression}” → {e.resolved.label} ({e.resolved.how})")
                   for e in group]
        actors = sorted({a for e in group for a in e.actors})
        events.append(Event(first.date, first.precision, first.label, first.qualifier, sources, actors))
    return sorted(events, key=lambda e: (e.date, e.sources[0].article, e.sources[0].sentence))


def same_happening(group: list[Entry], entry: Entry) -> bool:
    """Same date and precision, another article, shared actors and similar wording."""
    head = group[0]
    if entry.resolved.date != head.resolved.date or entry.resolved.precision != head.resolved.precision:
        return False
    if any(e.article == entry.article for e in group):
        return False
    shared = set(entry.actors) & set().union(*(e.actors for e in group))
    overlap = max(word_overlap(e.text, entry.text) for e in group)
    if entry.resolved.precision in ("day", "week"):
        return len(shared) >= 2 or (len(shared) >= 1 and overlap >= 0.15)
    # A year or a month holds many happenings: ask for the same actors and the same wording.
    return len(shared) >= 2 and overlap >= 0.2


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def word_overlap(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    return len(wa & wb) / max(1, len(wa | wb))
