"""Resolved dates and the calendar arithmetic of periods: their labels, first and last days.

The data every date stage shares; `dates.py` reads expressions into it, `timeline.py` sorts it into kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Anchor", "Resolved", "Unresolved", "date_label", "period_end", "period_start"]

MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}
@dataclass(frozen=True)
class Resolved:
    date: str  # ISO prefix of the start: a week is its Monday, a quarter, half or season its first month
    precision: str  # one of PRECISIONS
    qualifier: str  # early | mid | late | ""
    how: str  # how the expression was resolved, for the reader
    end: str = ""  # ISO prefix of the last period of a range ("1996-2001": 2001), of the same precision

    @property
    def label(self) -> str:
        start = date_label(self.date, self.precision, self.qualifier)
        return f"{start} – {date_label(self.end, self.precision)}" if self.end else start


class Unresolved(Exception):
    """A relative date in an undated article, or an anchored one ("a year earlier") with no date to count from."""


Anchor = tuple[Resolved, str]  # the date the article gave last, and its expression


def date_label(date: str, precision: str, qualifier: str = "") -> str:
    q = f"{qualifier} " if qualifier else ""
    year = int(date[:4])
    if precision == "century":
        number = year // 100 + 1
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{q}{number}{suffix} century"
    if precision == "decade":
        return f"{q}{date[:4]}s"
    if precision == "year":
        return f"{q}{date}"
    parsed = dt.date.fromisoformat(date if precision in ("day", "week") else date[:7] + "-01")
    if precision == "quarter":
        return f"Q{(parsed.month - 1) // 3 + 1} {year}"
    if precision == "half":
        return f"{'first' if parsed.month <= 6 else 'second'} half of {year}"
    if precision == "season":
        name = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}[parsed.month]
        return f"{q}{name} {year}" + (f"/{(year + 1) % 100:02d}" if name == "winter" else "")
    if precision == "month":
        return f"{q}{parsed:%b %Y}"
    if precision == "week":
        return f"week of {parsed.day} {parsed:%b %Y}"
    return f"{parsed:%a} {parsed.day} {parsed:%b %Y}"


def month_number(text: str) -> int:
    return MONTH_ABBR[text.lower().rstrip(".")[:4] if text.lower().startswith("sept") else text.lower()[:3]]


def normalize_qualifier(word: str | None) -> str:
    word = (word or "").removeprefix("the ")
    return {"end of": "late", "start of": "early", "beginning of": "early", "middle of": "mid",
            "earlier": "", "later": ""}.get(word, word)


def describe(published: dt.date | None) -> str:
    return f"in an article of {published:%a} {published.day} {published:%b %Y}" if published else ""


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def period_end(resolved: Resolved) -> dt.date:
    """The last day of the period a date names (of its end, for a range)."""
    date = resolved.end or resolved.date
    year = int(date[:4])
    if resolved.precision == "day":
        return dt.date.fromisoformat(date)
    if resolved.precision == "week":
        return dt.date.fromisoformat(date) + dt.timedelta(days=6)
    months = {"month": 1, "quarter": 3, "half": 6, "season": 3}.get(resolved.precision)
    if months:
        index = year * 12 + int(date[5:7]) - 1 + months
        return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    span = {"year": 1, "decade": 10, "century": 100}[resolved.precision]
    return dt.date(min(9999, year + span - 1), 12, 31)


def period_start(resolved: Resolved) -> dt.date:
    date = resolved.date
    return dt.date.fromisoformat(date) if len(date) == 10 else dt.date(int(date[:4]), int(date[5:7] or 1) if len(date) > 4 else 1, 1)
