"""Date expressions -> normalized dates with a precision (and an end, for a range).

`resolve` reads one expression as spaCy tagged it. What the expression alone cannot say comes in
from the caller: the article's date (for "last week"), the tense of the clause that holds it (for a
bare "Friday" or "March 30"), and the date the article gave last (for "a year earlier").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dossier.anchored import anchored
from dossier.periods import (
    MONTH_NAMES,
    NUMBERS,
    ORDINALS,
    WEEKDAYS,
    Anchor,
    Resolved,
    Unresolved,
    describe,
    month_number,
    normalize_qualifier,
    shift_month,
)

MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
QUALIFIER = r"(?:(?P<qualifier>early|mid|late|(?:the )?(?:end|start|beginning|middle) of)[- ]+(?:the )?)?"
YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
LEAD = r"^(?:(?:on|in|since|by|until|till|from|during|of|around|about|as of|just|only|some|for|throughout|over)\s+)*(?:the\s+)?"
PART_OF_DAY = r"(?:\s+(?:night|morning|afternoon|evening))?"
COUNT = rf"(?P<count>\d+|{'|'.join(NUMBERS)})"
# spring, summer, autumn and winter begin in March, June, September and December (the meteorological seasons)
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
PRECISIONS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")


def normalize(expression: str) -> str:
    text = re.sub(r"\s+", " ", expression.strip().lower().replace("’", "'").replace("–", "-").replace("—", "-"))
    text = re.sub(LEAD, "", text)
    return re.sub(r"(?<=[a-z])'s?$", "", text)  # "last year's results"


def resolve(expression: str, published: dt.date | None, tense: str | bool = "", anchor: Anchor | None = None,
            fiscal_start: int = 1) -> Resolved | None:
    """A date expression -> Resolved, or None when it is no point in time (a duration, an age).

    `tense` is that of the clause holding the expression: "past", "present", "future" or "" (not
    known); True means "future". `fiscal_start` is the month a fiscal year starts in (1: fiscal
    years are calendar years). Raises Unresolved for a relative expression when `published` is
    None, and for an anchored one when `anchor` is None.
    """
    tense = "future" if tense is True else "" if tense is False else tense
    text = normalize(expression)
    if fiscal_start != 1 and (found := fiscal_year(text, published, fiscal_start)):
        return found
    for grammar in (absolute, ranges, periods, relative, anchored, full_date):
        try:
            found = grammar(text, published, tense, anchor)
        except (OverflowError, ValueError):  # arithmetic past year 1 or 9999
            return None
        if found:
            iso = r"\d{4}(-\d\d){0,2}"
            return found if re.fullmatch(iso, found.date) and re.fullmatch(f"(?:{iso})?", found.end) else None
    return None


# A year and a month or numeric day-month parts: something only a full date parser reads well
# ("the 7th of March, 2022", "2022-03-07", "7.3.2022").
FULL_DATE_SHAPE = re.compile(r"(?=.*\b(?:1[89]|20)\d\d\b)(?=.*(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,2}[./-]\d{1,2}))")


def full_date(text: str, published: dt.date | None, tense: str, anchor: Anchor | None) -> Resolved | None:
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


def absolute(text: str, published: dt.date | None, tense: str, anchor: Anchor | None) -> Resolved | None:
    text = re.sub(r"^(?:fiscal|financial) (?:year )?(?=\d{4}$)", "", text)  # a fiscal year is read as its calendar year
    patterns = (
        (rf"(?:{WEEKDAY},? )?{MONTH} {DAY},? {YEAR}", "day"),
        (rf"(?:{WEEKDAY},? )?{DAY} {MONTH},? {YEAR}", "day"),
        (rf"{QUALIFIER}{MONTH},? (?:of )?{YEAR}", "month"),
        (rf"{QUALIFIER}{YEAR}", "year"),
        (rf"{QUALIFIER}(?P<decade>1[89]\d0|20\d0)'?s", "decade"),
        (rf"{QUALIFIER}(?P<words>(?:nineteen|eighteen|twenty|two thousand)[a-z -]*)", "words"),
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
        if precision == "words":
            year = year_in_words(parts["words"])
            return Resolved(str(year), "year", qualifier, "a year in words") if year else None
        return Resolved(parts["decade"], "decade", qualifier, "absolute decade")
    return None


UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
              "seventeen eighteen nineteen")
UNITS = {w: n for n, w in enumerate(UNIT_WORDS.split(" "))}
TENS = {w: 10 * n for n, w in enumerate(["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]) if w}


def number_in_words(words: list[str]) -> int | None:
    """0-99 from its words ("ninety six", "oh five", "twelve"), None if they are not one."""
    if words in (["hundred"], []):
        return 0
    if len(words) == 2 and words[0] in ("oh", "o") and words[1] in UNITS:
        return UNITS[words[1]]
    if len(words) == 1:
        return UNITS.get(words[0], TENS.get(words[0]))
    if len(words) == 2 and words[0] in TENS and words[1] in UNITS and 0 < UNITS[words[1]] < 10:
        return TENS[words[0]] + UNITS[words[1]]
    return None


def year_in_words(text: str) -> int | None:
    """'nineteen ninety-six' -> 1996, 'two thousand and four' -> 2004."""
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = number_in_words(words[2:]) if words[2:] else 0
        return 2000 + rest if rest is not None else None
    if words and words[0] in ("eighteen", "nineteen", "twenty"):
        rest = number_in_words(words[1:]) if words[1:] else None
        return UNITS.get(words[0], TENS.get(words[0], 0)) * 100 + rest if rest is not None else None
    return None


def ranges(text: str, published: dt.date | None, tense: str, anchor: Anchor | None) -> Resolved | None:
    """One entry with a start and an end: '2009-2010', 'the 2003-04 season', '1956-87', 'from March to May'."""
    text = re.sub(rf"^{COUNT} (?:years?|seasons?|months?) (?:from |between )?", "", text)
    between = text.startswith("between ")
    text = re.sub(r"^(?:from|between) (?:the )?", "", text)
    if " and " in text and not between:
        return None  # "2000 and 2003 results" are two years, not a range
    years = re.fullmatch(rf"{QUALIFIER}(?:(?:fiscal|financial|the) )?(?:years? |season )?(?P<first>1[89]\d\d|20\d\d) ?(?:-|/|to|and|until|till) ?"
                         r"(?P<last>1[89]\d\d|20\d\d|\d\d)(?: (?:season|period|fiscal year|financial year|campaign))?", text)
    if years:
        first, last = int(years["first"]), years["last"]
        end = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        end += 100 if end < first and len(last) == 2 else 0
        if end <= first or end - first > 100:
            return None
        qualifier = normalize_qualifier(years["qualifier"])
        if qualifier == "late":  # "the end of the 2003-04 season": its last year
            return Resolved(str(end), "year", "late", f"the end of {first}-{end}")
        if qualifier == "early":
            return Resolved(str(first), "year", "early", f"the start of {first}-{end}")
        return Resolved(str(first), "year", "", "a range of years", str(end))
    months = re.fullmatch(MONTH.replace("month", "m1") + r" (?:-|to|and|until|till) " + MONTH.replace("month", "m2")
                          + rf"(?:,? {YEAR})?", text)
    if months:
        m1, m2 = month_number(months["m1"]), month_number(months["m2"])
        if months["year"]:
            y2 = int(months["year"])
        else:
            if published is None:
                raise Unresolved(text)
            y2 = int(month_only({"month": months["m2"]}, published, tense).date[:4])
        y1 = y2 - (m1 > m2)
        return Resolved(f"{y1}-{m1:02d}", "month", "", "a range of months" + ("" if months["year"] else f" {describe(published)}"),
                        f"{y2}-{m2:02d}")
    return None


def periods(text: str, published: dt.date | None, tense: str, anchor: Anchor | None) -> Resolved | None:
    """Quarters, halves, seasons, centuries and fiscal years, absolute or relative to the article's date."""
    which = r"(?:(?P<which>last|this|next|coming|past|current|previous) )?"
    quarter = re.fullmatch(r"(?:(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th)[- ]quarter|q(?P<qn>[1-4]))"
                           rf"(?:(?: of)?(?: the year| fiscal| financial)?,? {YEAR}|'?(?P<yy>\d\d)| of (?P<of>the|this|last) year)?", text)
    if quarter:
        number = ORDINALS[quarter["q"]] if quarter["q"] else int(quarter["qn"])
        year = quarter["year"] or (f"20{quarter['yy']}" if quarter["yy"] else None)
        if year:
            return Resolved(f"{year}-{3 * number - 2:02d}", "quarter", "", "absolute quarter")
        if published is None:
            raise Unresolved(text)
        if quarter["of"] in ("this", "last"):
            year = str(published.year - (quarter["of"] == "last"))
            return Resolved(f"{year}-{3 * number - 2:02d}", "quarter", "", f"the {quarter['q']} quarter of {year} {describe(published)}")
        return cycle(published, tense, 3, number - 1, "quarter", f"the {quarter['q'] or 'Q' + quarter['qn']} quarter")
    this_quarter = re.fullmatch(r"(?P<which>last|this|next|current|previous|coming|latest|past) quarter", text)
    if this_quarter:
        if published is None:
            raise Unresolved(text)
        step = {"last": -3, "previous": -3, "past": -3, "latest": -3, "next": 3, "coming": 3}.get(this_quarter["which"], 0)
        year, month = shift_month(published.year, (published.month - 1) // 3 * 3 + 1, step)
        return Resolved(f"{year}-{month:02d}", "quarter", "", f"{this_quarter['which']} quarter {describe(published)}")
    three_months = re.fullmatch(rf"(?:three|3) months (?:to|ending|ended) (?:{DAY} )?{MONTH}(?: \d{{1,2}})?(?:,? {YEAR})?", text)
    if three_months:
        month = month_number(three_months["month"])
        if three_months["year"]:
            year = int(three_months["year"])
        else:
            if published is None:
                raise Unresolved(text)
            year = int(month_only({"month": three_months["month"]}, published, tense).date[:4])
        y, m = shift_month(year, month, -2)
        return Resolved(f"{y}-{m:02d}", "quarter", "", f"the three months to {MONTH_NAMES[month - 1].title()} {year}")
    part = re.fullmatch(rf"(?P<edge>first|last|final) (?P<n>three|3|six|6) months of (?:the year|(?P<which>this|last) year|{YEAR})", text)
    if part:
        months = 3 if part["n"] in ("three", "3") else 6
        if part["year"]:
            year = int(part["year"])
        elif published is None:
            raise Unresolved(text)
        else:
            year = published.year - (part["which"] == "last")
        first = 1 if part["edge"] == "first" else 13 - months
        return Resolved(f"{year}-{first:02d}", "quarter" if months == 3 else "half", "", f"the {part['edge']} {part['n']} months of {year}")
    half = re.fullmatch(rf"(?P<h>first|second|1st|2nd) half(?: of)?(?: the year| this year| last year|,? {YEAR})?"
                        r"|h(?P<hn>[12])(?: (?P<y2>1[89]\d\d|20\d\d))?", text)
    if half:
        number = 1 if (half["h"] or "") in ("first", "1st") or half["hn"] == "1" else 2
        if half["year"] or half["y2"]:
            return Resolved(f"{half['year'] or half['y2']}-{6 * number - 5:02d}", "half", "", "absolute half-year")
        if published is None:
            raise Unresolved(text)
        if text.endswith(("this year", "last year")):
            year = published.year - text.endswith("last year")
            return Resolved(f"{year}-{6 * number - 5:02d}", "half", "", f"the {half['h']} half of {year} {describe(published)}")
        return cycle(published, tense, 6, number - 1, "half", f"the {half['h'] or 'H' + half['hn']} half")
    season = re.fullmatch(rf"{QUALIFIER}{which}(?P<season>spring|summer|autumn|fall|winter)(?:,? (?:of )?{YEAR})?", text)
    if season:
        month = SEASONS[season["season"]]
        qualifier = normalize_qualifier(season["qualifier"])
        if season["year"]:
            return Resolved(f"{season['year']}-{month:02d}", "season", qualifier, "absolute season")
        if published is None:
            raise Unresolved(text)
        return seasonal(season["which"], month, season["season"], published, tense, qualifier)
    century = re.fullmatch(rf"{QUALIFIER}(?:(?P<n>1\d|2[01])(?:st|nd|rd|th)[- ]|(?P<which>this|last|next|current|previous) |"
                           r"(?P<w>eighteenth|nineteenth|twentieth|twenty-first)[- ])?century", text)
    if century and (century["n"] or century["w"] or century["which"] or century["qualifier"]):  # not "the century" alone
        qualifier = normalize_qualifier(century["qualifier"])
        if century["n"] or century["w"]:
            number = int(century["n"]) if century["n"] else {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}[century["w"]]
            return Resolved(f"{(number - 1) * 100:04d}", "century", qualifier, "absolute century")
        if published is None:
            raise Unresolved(text)
        step = {"last": -1, "previous": -1, "next": 1}.get(century["which"] or "", 0)
        return Resolved(f"{(published.year // 100 + step) * 100:04d}", "century", qualifier,
                        f"{century['which'] or 'the'} century {describe(published)}")
    fiscal = re.fullmatch(rf"{which}(?:fiscal|financial) year", text)
    if fiscal and fiscal["which"]:
        if published is None:
            raise Unresolved(text)
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(fiscal["which"], 0)
        return Resolved(str(published.year + step), "year", "",
                        f"{fiscal['which']} fiscal year, read as the calendar year (no fiscal_year_start is set) {describe(published)}")
    return None


def fiscal_year(text: str, published: dt.date | None, first_month: int) -> Resolved | None:
    """A fiscal year on a configured calendar: the twelve months from `first_month`, named by the
    calendar year they end in (as US firms and governments name theirs: fiscal 2005 ends in 2005)."""
    named = (re.fullmatch(rf"(?:fiscal|financial) (?:year )?{YEAR}", text)
             or re.fullmatch(rf"{YEAR} (?:fiscal|financial) year", text))
    relative = re.fullmatch(r"(?P<which>last|this|next|coming|past|current|previous) (?:fiscal|financial) year", text)
    if named:
        start_year, how = int(named["year"]) - 1, f"fiscal {named['year']}, from {MONTH_NAMES[first_month - 1].title()}"
    elif relative:
        if published is None:
            raise Unresolved(text)
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(relative["which"], 0)
        start_year = (published.year if published.month >= first_month else published.year - 1) + step
        how = f"{relative['which']} fiscal year, from {MONTH_NAMES[first_month - 1].title()} {describe(published)}"
    else:
        return None
    end_year, end_month = shift_month(start_year, first_month, 11)
    return Resolved(f"{start_year}-{first_month:02d}", "month", "", how, f"{end_year}-{end_month:02d}")


def cycle(published: dt.date, tense: str, months: int, number: int, precision: str, name: str) -> Resolved:
    """A quarter or a half without a year: the latest one begun by the article's date; in a clause
    about the future the nearest one, since business news announces figures of a quarter just over
    ("will publish third-quarter growth") as often as it forecasts the coming one."""
    current = (published.year * 12 + published.month - 1) // months * months  # months since year 0 of the current period
    target = current - (current // months % (12 // months) - number) * months
    if target > current:
        target -= 12
    if tense == "future" and (current - target) - months >= target + 12 - current:  # the next one begins sooner than this one ended
        target += 12
    year, month = divmod(target, 12)
    direction = "nearest" if tense == "future" else "latest"
    return Resolved(f"{year}-{month + 1:02d}", precision, "", f"{name}, the {direction} one {describe(published)}")


def seasonal(which: str | None, month: int, name: str, published: dt.date, tense: str, qualifier: str) -> Resolved:
    """'last summer', 'this fall', 'the autumn': seasons counted in quarters of the year that begin in March."""
    def index(year: int, first_month: int) -> int:
        return year * 4 + (first_month - 3) // 3

    current = index(published.year - (published.month < 3), (published.month // 3) * 3 or 12)
    candidates = [index(published.year + y, month) for y in (-2, -1, 0, 1)]
    if which in ("last", "past", "previous"):
        target = max(i for i in candidates if i < current)
    elif which in ("next", "coming"):
        target = min(i for i in candidates if i > current)
    elif which in ("this", "current"):  # of the article's year; a winter under way in January is this one
        target = index(published.year - (month == 12 and published.month < 3), month)
    elif tense == "future":  # one not yet begun: "launching services from the autumn" in November is next year's
        target = min(i for i in candidates if i > current)
    else:
        target = max(i for i in candidates if i <= current)
    year, k = divmod(target, 4)
    how = f"{which or 'the'} {name}{'' if which else ' (' + (tense or 'past') + ' tense)'} {describe(published)}"
    return Resolved(f"{year}-{3 * k + 3:02d}", "season", qualifier, how)


def relative(text: str, published: dt.date | None, tense: str, anchor: Anchor | None) -> Resolved | None:
    rules = (
        (rf"(?:(?P<which>last|this|next|past|coming) )?{WEEKDAY}{PART_OF_DAY}", weekday),
        (r"(?P<word>today|tonight|yesterday|tomorrow|this morning|this afternoon|this evening|last night)", today),
        (rf"{QUALIFIER}(?P<which>last|this|next|past|coming|current) (?P<unit>week|weekend|month|year)", this_or_last),
        (r"(?P<qualifier>earlier|later) (?P<which>this) (?P<unit>week|month|year)", this_or_last),
        (rf"{QUALIFIER}(?P<which>this|current|calendar|) ?(?P<unit>year)", this_or_last),
        (r"(?P<which>new) (?P<unit>year)", new_year),
        (rf"{MONTH},? (?P<which>last|this|next) year", month_of_year),
        (rf"{COUNT} (?P<unit>day|week|month|year)s? ago", ago),
        (rf"{QUALIFIER}(?:(?P<which>last|this|next|coming) )?{MONTH}", month_only),
        (rf"(?:{WEEKDAY},? )?{MONTH} {DAY}", month_day),
        (rf"(?:{WEEKDAY},? )?{DAY} {MONTH}", month_day),
    )
    for pattern, rule in rules:
        match = re.fullmatch(pattern, text)
        if match:
            if published is None:
                raise Unresolved(text)
            return rule(match.groupdict(), published, tense)
    return None


def weekday(parts: dict, published: dt.date, tense: str) -> Resolved:
    target = WEEKDAYS.index(parts["weekday"])
    which = parts.get("which")
    ahead = (target - published.weekday()) % 7
    # in a present-tense clause ("the chart is announced on Sunday") the nearest one, else by the tense (news narrates the past)
    nearest = tense == "present" and not which and 0 < ahead < 7 - ahead
    forward = which in ("next", "coming") or (tense == "future" and which not in ("last", "past")) or nearest
    if forward:
        delta = (target - published.weekday()) % 7 or 7
    else:
        delta = -((published.weekday() - target) % 7)
        if which in ("last", "past") and delta == 0:
            delta = -7
    day = published + dt.timedelta(days=delta)
    direction = "the next" if forward else "the most recent"
    because = "" if which else f" ({tense or 'no'} tense in its clause)"
    return Resolved(day.isoformat(), "day", "", f"{direction} {parts['weekday'].title()}{because} {describe(published)}")


def today(parts: dict, published: dt.date, tense: str) -> Resolved:
    offset = -1 if parts["word"] in ("yesterday", "last night") else 1 if parts["word"] == "tomorrow" else 0
    day = published + dt.timedelta(days=offset)
    return Resolved(day.isoformat(), "day", "", f"{parts['word']} {describe(published)}")


def this_or_last(parts: dict, published: dt.date, tense: str) -> Resolved:
    which = parts["which"] or "this"
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(which, 0)
    unit = parts["unit"]
    qualifier = normalize_qualifier(parts.get("qualifier"))
    how = f"{which} {unit} {describe(published)}"
    if unit == "year" and not parts["which"] and qualifier == "late" and tense == "past" and published.month < 12:
        # "rising to 5.1 million by the end of the year": this year's end is ahead, so a past clause means last year's
        return Resolved(str(published.year - 1), "year", qualifier, f"the end of the year before {describe(published)[3:]} (past tense)")
    if unit == "year":
        return Resolved(str(published.year + step), "year", qualifier, how)
    if unit == "month":
        year, month = shift_month(published.year, published.month, step)
        return Resolved(f"{year}-{month:02d}", "month", qualifier, how)
    # a week, or the weekend that closes it: its precision is the week starting on that Monday
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    return Resolved(monday.isoformat(), "week", "", how)


def new_year(parts: dict, published: dt.date, tense: str) -> Resolved:
    """'the new year': the coming one from September on, else the one under way."""
    year = published.year + (published.month >= 9)
    return Resolved(str(year), "year", "", f"the new year {describe(published)}")


def ago(parts: dict, published: dt.date, tense: str) -> Resolved | None:
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


def month_only(parts: dict, published: dt.date, tense: str) -> Resolved:
    """A month without a year: by 'next/last/this', else by the tense of its clause, else the nearest one."""
    month = month_number(parts["month"])
    which = parts.get("which")
    ahead = published.year + (month < published.month)  # this month or a later one
    behind = published.year - (month > published.month)  # this month or an earlier one
    if which in ("next", "coming"):
        year = published.year + (month <= published.month)
    elif which == "this":
        year = published.year
    elif which == "last":
        year = published.year - (month >= published.month)
    elif tense == "future":
        year = ahead
    elif tense == "past":
        year = behind
    else:  # no tense to go by: the nearest, the past one on a tie
        forward = (month - published.month) % 12
        year = ahead if 0 < forward < 12 - forward else behind
    qualifier = normalize_qualifier(parts.get("qualifier"))
    which_one = "next" if (year, month) > (published.year, published.month) else "most recent"
    because = "" if which else " (past tense)" if tense == "past" else " (future tense)" if tense == "future" else \
        " (the nearest: no tense in its clause)"
    return Resolved(f"{year}-{month:02d}", "month", qualifier,
                    f"the {which_one} {MONTH_NAMES[month - 1].title()}{because} {describe(published)}")


def month_of_year(parts: dict, published: dt.date, tense: str) -> Resolved:
    """'August last year', 'February next year', 'May this year'."""
    month = month_number(parts["month"])
    year = published.year + {"last": -1, "this": 0, "next": 1}[parts["which"]]
    return Resolved(f"{year}-{month:02d}", "month", "", f"{MONTH_NAMES[month - 1].title()} of {parts['which']} year {describe(published)}")


def month_day(parts: dict, published: dt.date, tense: str) -> Resolved | None:
    """A day and month without a year: by the tense of its clause, else the nearest one."""
    month, day = month_number(parts["month"]), int(parts["day"])
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    before = [d for d in options if d <= published]
    after = [d for d in options if d >= published]
    if tense == "future" and after:
        candidate, because = after[0], "future tense"
    elif tense == "past" and before:
        candidate, because = before[-1], "past tense"
    elif before or after:
        candidate = min(options, key=lambda d: (abs((d - published).days), d > published))
        because = "the nearest: no tense in its clause"
    else:
        return None
    return Resolved(candidate.isoformat(), "day", "", f"{MONTH_NAMES[month - 1].title()} {day} ({because}) {describe(published)}")
