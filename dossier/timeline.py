"""Date expressions -> normalized dates with precision; dated sentences -> timeline events."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache, partial

from dossier.model import Annotation, Article, Event, Mention, Source
from dossier.results import Kept, reuse

MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}
MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
QUALIFIER = r"(?:(?P<qualifier>early|mid|late|(?:the )?(?:end|start|beginning|middle) of)[- ]+(?:the )?)?"
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
    text = re.sub(r"(?<=[a-z])'s?$", "", text)  # "last year's results"
    for grammar in (absolute, relative, full_date):
        try:
            found = grammar(text, published, future)
        except (OverflowError, ValueError):  # arithmetic past year 1 or 9999
            return None
        if found:
            return found if re.fullmatch(r"\d{4}(-\d\d){0,2}", found.date) else None
    return None


# A year and a month or numeric day-month parts: something only a full date parser reads well
# ("the 7th of March, 2022", "2022-03-07", "7.3.2022").
FULL_DATE_SHAPE = re.compile(r"(?=.*\b(?:1[89]|20)\d\d\b)(?=.*(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,2}[./-]\d{1,2}))")


def full_date(text: str, published: dt.date | None, future: bool) -> Resolved | None:
    """Day-precision dates the grammar does not know, read by dateparser in strict mode (all parts required)."""
    if len(text) > 40 or not FULL_DATE_SHAPE.search(text):
        return None
    parsed = parse_with_dateparser(text)
    return Resolved(parsed.isoformat(), "day", "", "full date (dateparser)") if parsed else None


@lru_cache(maxsize=4096)
def parse_with_dateparser(text: str) -> dt.date | None:
    import dateparser  # imported on first need: it takes a moment to load

    parsed = dateparser.parse(text, languages=["en"], settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if parsed else None


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
        (rf"{QUALIFIER}(?P<which>last|this|next|past) (?P<unit>week|weekend|month|year)", this_or_last),
        (r"(?P<qualifier>earlier|later) (?P<which>this) (?P<unit>week|month|year)", this_or_last),
        (rf"{MONTH},? (?P<which>last|this|next) year", month_of_year),
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
    return {"end of": "late", "start of": "early", "beginning of": "early", "middle of": "mid",
            "earlier": "", "later": ""}.get(word, word)


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
    # a week, or the weekend that closes it: its precision is the week starting on that Monday
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
    which_one = "next" if (year, month) > (published.year, published.month) else "most recent"
    return Resolved(f"{year}-{month:02d}", "month", qualifier, f"the {which_one} {MONTH_NAMES[month - 1].title()} {describe(published)}")


def month_of_year(parts: dict, published: dt.date, future: bool) -> Resolved:
    """'August last year', 'February next year', 'May this year'."""
    month = month_number(parts["month"])
    year = published.year + {"last": -1, "this": 0, "next": 1}[parts["which"]]
    return Resolved(f"{year}-{month:02d}", "month", "", f"{MONTH_NAMES[month - 1].title()} of {parts['which']} year {describe(published)}")


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


# "1930 GMT" is half past seven in the evening, not a year.
CLOCK_TIME = re.compile(r"\s*(?:GMT|BST|UTC|CET|EST|EDT|ET|PT|hrs|hours|local time)\b")


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
    entries = []
    seen = set()
    for entity in annotation.entities:
        if entity.label != "DATE" or (CLOCK_TIME.match(text, entity.end) and entity.text.isdigit()):
            continue
        index = annotation.sentence_at(entity.start)
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


def events_of(entries: list[Entry], store: Kept | None = None) -> list[Event]:
    """Group entries from different articles that tell the same happening into one event. Only
    entries of the same date and precision can merge: `store` (watch mode) keeps the grouping of
    each date for the next build, where most dates have the same entries."""
    ordered = sorted(entries, key=lambda e: (e.resolved.date, e.article, e.sentence))
    by_date: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in ordered:
        by_date[(entry.resolved.date, entry.resolved.precision)].append(entry)
    groups: list[list[Entry]] = []
    for same_date in by_date.values():
        groups += reuse(store, tuple(same_date), partial(same_happenings, same_date))
    position = {entry: n for n, entry in enumerate(ordered)}
    groups.sort(key=lambda group: position[group[0]])  # in the order they begin: ties in the last sort keep it
    events = []
    for group in groups:
        first = group[0].resolved
        sources = [Source(e.article, e.sentence, e.text, e.expression, f"“{e.expression}” → {e.resolved.label} ({e.resolved.how})")
                   for e in group]
        actors = sorted({a for e in group for a in e.actors})
        events.append(Event(first.date, first.precision, first.label, first.qualifier, sources, actors))
    flag_disputed(groups, events)
    return sorted(events, key=lambda e: (e.date, e.sources[0].article, e.sources[0].sentence))


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
    if entry.resolved.date != head.resolved.date or entry.resolved.precision != head.resolved.precision:
        return False
    if any(e.article == entry.article for e in group):
        return False
    shared = len(set(entry.actors) & set().union(*(e.actors for e in group)))

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
