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
from dossier.config import FolderDefaults
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
    """The known outlet of that name, else of that alias: "The Times" is The Times even though
    The New York Times is also called "the Times"."""
    return outlets_by_name().get(outlet_key(name))


def outlet_key(name: str) -> str:
    return name.casefold().removeprefix("the ")


@cache
def outlets_by_name() -> dict[str, Outlet]:
    """Each known outlet by its name and its aliases; a name wins over another outlet's alias, and
    the first outlet listed over a later one."""
    found: dict[str, Outlet] = {}
    for outlet in known_outlets():
        found.setdefault(outlet_key(outlet.name), outlet)
    for outlet in known_outlets():
        for alias in outlet.aliases:
            found.setdefault(outlet_key(alias), outlet)
    return found


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


# Someone *told* or *cited* by an article is a source, never its publisher: these make an outlet a
# cited source. `{o}` is an outlet's name; the look-ahead keeps "the Times Educational Supplement"
# (a longer name) from being "the Times".
NOT_LONGER = r"(?![\w-]|\s+(?:[A-Z][\w’'-]|&))"
CITATION_CUES = (
    r"\b(?i:told|tells|telling|according to|citing|cited by|quoted by|quoted in|in an interview with|interviewed by|on|by|in|from|via|to)"
    r" (?:[Tt]he )?{o}" + NOT_LONGER,
    r"\b(?i:told|tells|to|according to|citing) (?:[Tt]he )?[A-Z][\w.&’' ]{{0,30}}? and (?:[Tt]he )?{o}" + NOT_LONGER,
    r"\b{o}" + NOT_LONGER + r"(?: first)? (?:reported|reports|said|says|claimed|described|wrote|revealed|quoted|cited|"
    r"learned|understands|has learned|broke|published|obtained)\b",
)
# The one weak way an article names itself in its own text: a staff member introduced by the outlet's
# possessive ("USIP’s Ana Caridad", "the BBC's Nick Robinson"). Shown as inferred, ranked below folder defaults.
SELF_CUES = (r"\b{o}['’]s? (?:(?:[a-z]+ ){{0,2}}(?:correspondent|editor|reporter|analyst|expert|experts|staff) )?"
             r"(?!(?:The|A|An|This|Its) )[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+\b(?! [A-Z])",)
# How strongly each kind of evidence tells the outlet, strongest first.
OUTLET_RANK = ("front matter", "url", "text", "folder default", "inferred")


@cache
def outlet_cues() -> tuple[dict[str, tuple[tuple[str, ...], bool]], tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    """Every known outlet name in one alternation, inside each cue: one scan of the text per cue.

    Returns name -> (the outlets it may name, first listed first; whether it is a publisher group),
    self cues, citation cues. A short alias can be shared ("the Times"): `which_outlet` decides.
    """
    names: dict[str, tuple[tuple[str, ...], bool]] = {}
    for outlet in known_outlets():
        for name in dict.fromkeys(n.removeprefix("the ").removeprefix("The ") for n in (outlet.name, *outlet.aliases)):
            owners, _ = names.get(name, ((), False))
            names[name] = ((*owners, outlet.name), False)
        if outlet.group:
            names.setdefault(outlet.group, ((outlet.name,), True))
    # The look-ahead on the names' first letters lets a scan pass most words without trying every name.
    first_letters = "".join(sorted({re.escape(n[0]) for n in names}))
    alternation = f"(?=[{first_letters}])(?P<o>" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    return (names, tuple(re.compile(c.format(o=alternation)) for c in SELF_CUES),
            tuple(re.compile(c.format(o=alternation)) for c in CITATION_CUES))


def which_outlet(owners: tuple[str, ...], short: str, text: str) -> str:
    """The outlet a shared short name refers to: the one the article also names in full, else the one
    called just that ("told the Times" is The Times unless the article names The New York Times)."""
    if len(owners) == 1:
        return owners[0]
    for owner in owners:
        full = owner.removeprefix("The ")
        if full != short and full in text:
            return owner
    return next((o for o in owners if o.removeprefix("The ") == short), owners[0])


def cited_outlets(text: str) -> list[str]:
    """Outlets the article cites as sources ("told Reuters", "according to the BBC", "AP reported"), in order."""
    names, _, citation_cues = outlet_cues()
    found: dict[int, str] = {}
    for cue in citation_cues:
        for match in cue.finditer(text):
            owners, group = names[match.group("o")]
            if not group:
                found.setdefault(match.start("o"), which_outlet(owners, match.group("o"), text))
    return list(dict.fromkeys(found[start] for start in sorted(found)))


def find_outlet(article: Article) -> None:
    """Cited outlets, and the outlet the article weakly names as itself (a staff member's possessive)
    and never cites as a source: inferred, so the page and the curation queue say so."""
    text = article.text
    article.cites = cited_outlets(text)
    if article.outlet is not None:
        return
    names, self_cues, _ = outlet_cues()
    self_named: dict[str, str] = {}
    for cue in self_cues:
        for match in cue.finditer(text):
            self_named.setdefault(which_outlet(names[match.group("o")][0], match.group("o"), text), match.group(0))
    candidates = sorted(set(self_named) - set(article.cites))
    if len(candidates) != 1:  # none, or several outlets' staff: no guess
        return
    article.outlet = candidates[0]
    article.evidence["outlet"] = Evidence("inferred", f"the article names its own staff: “{self_named[candidates[0]]}”")


def outlet_of_url(url: str) -> Outlet | None:
    """The known outlet whose web address has the same domain as `url` (www. aside)."""
    host = (urlparse(url).hostname or "").removeprefix("www.")
    for outlet in known_outlets():
        known = (urlparse(outlet.url).hostname or "").removeprefix("www.") if outlet.url else ""
        if known and (host == known or host.endswith("." + known)):
            return outlet
    return None


def apply_defaults(article: Article, defaults: FolderDefaults | None) -> None:
    """Settle the outlet by the strongest evidence, then fill what is still unknown from the folder defaults.

    Front matter wins, then the article's web address, then a masthead, byline or sign-off in the
    text, then the folder's default, then a weak self-reference (inferred)."""
    rank = OUTLET_RANK.index(article.evidence["outlet"].source) if "outlet" in article.evidence else len(OUTLET_RANK)
    known = outlet_of_url(article.url) if article.url else None
    if known is not None and rank > OUTLET_RANK.index("url"):
        article.outlet, rank = known.name, OUTLET_RANK.index("url")
        article.evidence["outlet"] = Evidence("url", f"the article’s address is on {urlparse(article.url).hostname}")
    if defaults is not None:
        fill_defaults(article, defaults)
    article.cites = [name for name in article.cites if name != article.outlet]  # "told the BBC" in a BBC article


def fill_defaults(article: Article, defaults: FolderDefaults) -> None:
    rank = OUTLET_RANK.index(article.evidence["outlet"].source) if "outlet" in article.evidence else len(OUTLET_RANK)
    where = f"dossier.toml: everything under {defaults.folder}/" if defaults.folder else "dossier.toml: every article"
    if defaults.outlet and rank > OUTLET_RANK.index("folder default"):
        article.outlet = canonical_outlet(defaults.outlet)
        article.evidence["outlet"] = Evidence("folder default", where)
    if defaults.date and article.date is None:
        article.date = defaults.date
        article.evidence["date"] = Evidence("folder default", where)
    if defaults.authors and not article.authors:
        article.authors = list(defaults.authors)
        article.evidence["authors"] = Evidence("folder default", where)


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
