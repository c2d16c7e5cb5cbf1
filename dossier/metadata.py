"""Article metadata: front matter wins; otherwise title, date, outlet and authors read from the text.

Every value records its evidence. What the text does not tell stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import yaml
from slugify import slugify

from dossier.clean import CleanText, Paragraph, Removal
from dossier.model import Article, Evidence
from dossier.problems import InputError

OUTLETS_FILE = Path(__file__).parent / "data" / "outlets.yml"
HEADLINE_MAX_WORDS = 25
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?")
# "Mexico City, Mexico, March 7, 2022 – " at the start of the first paragraphs.
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][\w.'’ -]{{1,40}}(?:, [A-Z][\w.'’ -]{{1,40}}){{0,2}}),\s+"
    rf"(?P<date>(?:{MONTHS})\s+\d{{1,2}},\s+\d{{4}})\s*[–—-]+\s*")
FRONT_MATTER_KEYS = {"source", "title", "outlet", "date", "authors", "url"}


@dataclass(frozen=True)
class Outlet:
    name: str
    url: str | None
    aliases: tuple[str, ...]
    group: str | None

    @property
    def id(self) -> str:
        return slugify(self.name)


@cache
def known_outlets(path: Path = OUTLETS_FILE) -> tuple[Outlet, ...]:
    return tuple(Outlet(e["name"], e.get("url"), tuple(e.get("aliases", ())), e.get("group"))
                 for e in yaml.safe_load(path.read_text(encoding="utf-8")))


def outlet_named(name: str) -> Outlet | None:
    key = name.casefold().removeprefix("the ")
    for outlet in known_outlets():
        if key in {n.casefold().removeprefix("the ") for n in (outlet.name, *outlet.aliases)}:
            return outlet
    return None


def infer(article_id: str, path: str, cleaned: CleanText) -> Article:
    """An Article with every field the text tells, each with its evidence."""
    paragraphs = list(cleaned.paragraphs)
    removed = list(cleaned.removed)
    evidence: dict[str, Evidence] = {}
    title = None
    if paragraphs and is_headline(paragraphs[0].text) and len(paragraphs) > 1:
        title = paragraphs.pop(0).text
        evidence["title"] = Evidence("text", "first line of the file")
    article = Article(id=article_id, path=path, title=title or "", paragraphs=paragraphs,
                      removed=removed, evidence=evidence)
    apply_findings(article, cleaned)
    if article.date is None:
        find_dateline(article)
    if article.outlet is None:
        find_outlet(article)
    if not title:
        article.title = first_words(article.text)
        evidence["title"] = Evidence("default", "no headline in the text: the article's first words")
    article.removed.sort(key=lambda r: r.line)
    return article


def is_headline(text: str) -> bool:
    return (len(text.split()) <= HEADLINE_MAX_WORDS and not re.search(r"[.:;,”\"]$", text)
            and not text.startswith(("“", '"')))


def first_words(text: str, limit: int = 10) -> str:
    words = text.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def apply_findings(article: Article, cleaned: CleanText) -> None:
    for finding in cleaned.findings:
        where = f"line {finding.line}: “{finding.evidence}”"
        if finding.field == "date" and article.date is None and valid_date(finding.value):
            article.date = finding.value
            article.evidence["date"] = Evidence("text", where)
        elif finding.field == "author" and finding.value not in article.authors:
            article.authors.append(finding.value)
            article.evidence["authors"] = Evidence("text", where)
        elif finding.field == "editor" and finding.value not in article.editors:
            article.editors.append(finding.value)
            article.evidence["editors"] = Evidence("text", where)
        elif finding.field == "outlet" and article.outlet is None:
            article.outlet = canonical_outlet(finding.value)
            article.evidence["outlet"] = Evidence("text", f"sign-off on {where}")


def canonical_outlet(name: str) -> str:
    outlet = outlet_named(name)
    return outlet.name if outlet else name


def valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def find_dateline(article: Article) -> None:
    for index, paragraph in enumerate(article.paragraphs[:3]):
        match = DATELINE.match(paragraph.text)
        if not match:
            continue
        date = parse_month_day_year(match.group("date"))
        if date is None:
            continue
        article.date = date.isoformat()
        article.dateline = match.group("place")
        article.evidence["date"] = Evidence("text", f"dateline on line {paragraph.line}: “{match.group(0).strip()}”")
        article.removed.append(Removal(paragraph.line, match.group(0).strip(), "dateline (shown as metadata)"))
        article.paragraphs[index] = Paragraph(paragraph.text[match.end():], paragraph.line)
        return


def parse_month_day_year(text: str) -> dt.date | None:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y"):
        try:
            return dt.datetime.strptime(text.replace("Sept", "Sep"), fmt).date()
        except ValueError:
            continue
    return None


# How an article names itself, as opposed to citing another outlet. `{o}` is an outlet's name.
SELF_CUES = (r"\btold (?:[Tt]he )?{o}\b", r"\b(?:confirmed|said|explained|spoke|acknowledged|admitted|denied|wrote)\b[^.]{{0,40}}?\bto (?:[Tt]he )?{o}\b",
             r"\bto (?:[\w.]+ and )?(?:[Tt]he )?[\w. ]{{0,30}}? and (?:[Tt]he )?{o}\b", r"\b{o}['’]s (?:[A-Z][\w-]+ ){{1,2}}(?!the\b)")
CITATION_CUES = (r"\b(?i:according to|on|by|in|from|via|citing) (?:[Tt]he )?{o}\b",
                 r"\b{o}(?: first)? (?:reported|reports|said|says|claimed|described|wrote|revealed)\b")


@cache
def outlet_cues() -> tuple[dict[str, tuple[str, bool]], tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    """Every known outlet name in one alternation, inside each cue: one scan of the text per cue.

    Returns name -> (outlet name, whether it is the name of a publisher group), self cues, citation cues.
    """
    names: dict[str, tuple[str, bool]] = {}
    for outlet in known_outlets():
        for name in (outlet.name, *outlet.aliases):
            names.setdefault(name.removeprefix("the ").removeprefix("The "), (outlet.name, False))
        if outlet.group:
            names.setdefault(outlet.group, (outlet.name, True))
    alternation = "(?P<o>" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    return (names, tuple(re.compile(c.format(o=alternation)) for c in SELF_CUES),
            tuple(re.compile(c.format(o=alternation)) for c in CITATION_CUES))


def find_outlet(article: Article) -> None:
    """The outlet the article names as itself and never cites as a source."""
    text = article.text
    names, self_cues, citation_cues = outlet_cues()
    cited = {names[m.group("o")][0] for cue in citation_cues for m in cue.finditer(text) if not names[m.group("o")][1]}
    self_named: dict[str, str] = {}
    for cue in self_cues:
        for match in cue.finditer(text):
            self_named.setdefault(names[match.group("o")][0], match.group(0))
    candidates = sorted(set(self_named) - cited)
    if not candidates:
        return
    name = candidates[0]
    article.outlet = name
    extra = f" (also named: {', '.join(candidates[1:])})" if len(candidates) > 1 else ""
    article.evidence["outlet"] = Evidence("text", f"the article names itself: “{self_named[name]}”{extra}")


def apply_front_matter(article: Article, meta: dict, meta_lines: dict, content_id: str) -> list[tuple[str, int | None]]:
    """Overlay front matter on an article; returns warnings (unknown keys).

    Raises InputError, with the line, before changing anything: a rejected file leaves no trace.
    """
    warnings = []
    updates: dict[str, object] = {}
    for key in sorted(meta):
        line = meta_lines.get(key)
        value = meta[key]
        if key not in FRONT_MATTER_KEYS:
            warnings.append((f"unknown front matter key {key!r} ignored (known: {', '.join(sorted(FRONT_MATTER_KEYS))})", line))
        elif key in ("title", "outlet"):
            updates[key] = require_text(key, value, line)
        elif key == "date":
            updates[key] = require_date(value, line)
        elif key == "authors":
            updates[key] = require_names(value, line)
        elif key == "url":
            updates[key] = require_http_url(value, line)
    for key, value in updates.items():
        setattr(article, key, value)
        article.evidence[key] = Evidence("front matter", f"content/{content_id}.md")
    return warnings


def require_text(key: str, value: object, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{key} must be text, got {shorten(repr(value))}", line)
    return value.strip()


def require_date(value: object, line: int | None) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str) and valid_date(value.strip()):
        value = dt.date.fromisoformat(value.strip())
    if isinstance(value, dt.date) and 1000 <= value.year <= 9000:
        return value.isoformat()
    raise InputError(f"date must be a date written YYYY-MM-DD (years 1000-9000), got {shorten(repr(value))}", line)


def shorten(text: str, limit: int = 80) -> str:
    """A value quoted in an error message: enough to recognise it, never a flood."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def require_names(value: object, line: int | None) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"authors must be a name or a list of names, got {shorten(repr(value))}", line)
    return [v.strip() for v in value]


def require_http_url(value: object, line: int | None) -> str:
    if isinstance(value, str):
        parsed = urlparse(value.strip())
        if parsed.scheme in ("http", "https") and parsed.netloc:
            return value.strip()
    raise InputError(f"url must be an http:// or https:// address, got {shorten(repr(value))}", line)
