"""Anchored dates: "a year earlier", "the previous day", "two years later", "the same quarter",
"the two previous quarters", counted from the date the article gave last (the anchor).

Without an anchor, or with one too coarse for the step ("two days later" after "1984"), the date is
Unresolved with the reason, for the curation queue: never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from dossier.periods import NUMBERS, Anchor, Resolved, Unresolved, shift_month

COUNT = rf"(?P<count>\d+|{'|'.join(NUMBERS)})"
# Months in each unit of a precision, for the arithmetic of anchored dates ("a year earlier")
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12}


ANCHORED = (
    re.compile(rf"(?:the )?(?:same (?:period|quarter|month|time) )?{COUNT} (?P<unit>day|week|month|year|quarter|decade)s? "
               r"(?P<dir>later|earlier|before|after|previously|on)"),
    re.compile(r"(?:the )?(?P<dir>previous|following|preceding|next|prior) (?P<unit>day|week|month|year|quarter|decade)"),
    re.compile(r"(?:the )?(?P<unit>day|week|month|year|quarter) (?P<dir>before|after|earlier|later)"),
    re.compile(r"(?:the )?(?P<unit>year)-(?P<dir>earlier|ago)(?: (?:period|quarter|month|figures?|results?))?"),
)


SAME_PERIOD = re.compile(r"(?:(?P<same>same|that) (?P<unit>quarter|period|month|time|half|day|year)(?: (?:of|in) (?P<year>1[89]\d\d|20\d\d))?"
                         r"|(?P<q>quarter))")
# "the two previous quarters", "the preceding three quarters" (a count is needed: "previous years" is no period)
PREVIOUS_PERIODS = re.compile(rf"(?:(?P<count>\d+|{'|'.join(NUMBERS)}) (?:previous|preceding|prior)|(?:previous|preceding|prior) "
                              rf"(?P<count2>\d+|{'|'.join(NUMBERS)})) (?P<unit>quarter|month|year)s")


def anchored(text: str, published: dt.date | None, tense: str, anchor: Anchor | None) -> Resolved | None:
    """'a year earlier', 'the previous day', 'two years later': counted from the date the article gave last."""
    same = SAME_PERIOD.fullmatch(text)
    before = PREVIOUS_PERIODS.fullmatch(text)
    if same or before:
        if anchor is None:
            raise Unresolved(f"{text} (no earlier date in the article to count from)")
        base, expression = anchor
        where = f"the date before it in the article (“{expression}”)"
        if same and same["unit"] in ("day", "year") and not base.end:  # "that day", "the same year"
            if same["unit"] == "year" and len(base.date) >= 4:
                return Resolved(base.date[:4], "year", "", f"the year of {base.label}, {where}")
            if same["unit"] == "day" and base.precision == "day":
                return replace(base, qualifier="", how=f"the day of {base.label}, {where}")
            raise Unresolved(f"{text} (the date before it, {base.label}, is not a day)")
        if base.end or base.precision not in ("month", "quarter", "half", "season", "year"):
            raise Unresolved(f"{text} (the date before it, {base.label}, is not a period of its kind)")
        if same and same["q"] and base.precision != "quarter":
            raise Unresolved(f"{text} (the date before it, {base.label}, is not a quarter)")
        if same and same["year"]:
            return replace(base, date=same["year"] + base.date[4:], qualifier="", how=f"the period of {base.label} in {same['year']}, {where}")
        if same:
            return replace(base, qualifier="", how=f"the same period as {base.label}, {where}")
        count = (before["count"] or before["count2"] or "")
        number = int(count) if count.isdigit() else NUMBERS.get(count, 1) or 1
        unit = before["unit"]
        if unit != base.precision and not (unit == "year" and base.precision == "year"):
            raise Unresolved(f"{text} (the date before it, {base.label}, is not a {unit})")
        size = MONTHS_IN[unit]
        if unit == "year":
            return Resolved(str(int(base.date) - number), "year", "", f"the {number} years before {base.label}, {where}", str(int(base.date) - 1))
        first, last = shift_month(int(base.date[:4]), int(base.date[5:7]), -size * number), \
            shift_month(int(base.date[:4]), int(base.date[5:7]), -size)
        return Resolved(f"{first[0]}-{first[1]:02d}", unit, "", f"the {number} {unit}s before {base.label}, {where}",
                        f"{last[0]}-{last[1]:02d}" if number > 1 else "")
    for pattern in ANCHORED:
        match = pattern.fullmatch(text)
        if match:
            break
    else:
        return None
    parts = match.groupdict()
    count = parts.get("count") or "1"
    number = int(count) if count.isdigit() else NUMBERS.get(count)
    if number is None:
        return None
    if anchor is None:
        raise Unresolved(f"{text} (no earlier date in the article to count from)")
    base, expression = anchor
    if base.end:
        raise Unresolved(f"{text} (the date before it is a range)")
    sign = 1 if parts["dir"] in ("later", "after", "following", "next", "on") else -1
    unit = "month" if parts["unit"] == "month" else parts["unit"]
    step = number * sign
    how = f"{number} {parts['unit']}{'s' if number > 1 else ''} {'after' if sign > 0 else 'before'} {base.label}, " \
          f"the date before it in the article (“{expression}”)"
    if unit in ("day", "week"):
        if base.precision not in ("day", "week"):
            raise Unresolved(f"{text} (the date before it, {base.label}, is not a day)")
        day = dt.date.fromisoformat(base.date) + dt.timedelta(days=step * (7 if unit == "week" else 1))
        if base.precision == "week":  # a week after a day is a day; after a week, a week
            return Resolved((day - dt.timedelta(days=day.weekday())).isoformat(), "week", "", how)
        return replace(base, date=day.isoformat(), qualifier="", how=how)
    if unit == "decade":
        return Resolved(str(int(base.date[:4]) + 10 * step), "year" if base.precision not in ("decade", "century") else base.precision, "", how)
    months = MONTHS_IN.get(unit, 12) * step
    if base.precision in ("day", "week") and unit != "month":
        year = int(base.date[:4]) + months // 12
        return Resolved(str(year), "year", "", how) if months % 12 == 0 else \
            Resolved(f"{year}-{base.date[5:7]}", "month", "", how)
    if base.precision in ("day", "week", "month", "quarter", "half", "season"):
        coarse = base.precision if base.precision not in ("day", "week") else "month"
        if MONTHS_IN[coarse] > abs(months):
            raise Unresolved(f"{text} (the date before it, {base.label}, is coarser than a {unit})")
        year, month = shift_month(int(base.date[:4]), int(base.date[5:7]), months)
        return Resolved(f"{year}-{month:02d}", coarse, "", how)
    if base.precision == "year" and months % 12 == 0:
        return Resolved(str(int(base.date) + months // 12), "year", "", how)
    raise Unresolved(f"{text} (the date before it, {base.label}, is coarser than a {unit})")
