"""Entity mentions -> canonical actors: name keys, known aliases, short forms, type votes, curation."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import regex
import yaml
from slugify import slugify

from dossier.model import Actor, ActorDoubts, Annotation, Article, Mention
from dossier.problems import InputError
from dossier.results import Kept, text_key
from dossier.site import item_id
from dossier.sources import compose_limited, yaml_error_line

KNOWN_FILE = Path(__file__).parent / "data" / "known_entities.yml"
TYPES = ("person", "organization", "place", "group")
LABEL_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
               "FAC": "place", "NORP": "group"}
LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
POSSESSIVE = re.compile(r"['’]s?$")
# A personal title before a name ("Mr Blair", "President Biden"), not a word of an organisation's name.
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Prof|Professor|President|Senator|Sen|Rep|Gov|Governor|"
                       r"Chancellor|Pope|Vice President|Prime Minister|Secretary of State)\.?\s+(?=[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){0,2}$)")
# Words spaCy tags as names that never are actors on their own.
NOT_NAMES = {"state", "advertisement", "oops", "type", "podcast", "editorial", "photo"}


@lru_cache(maxsize=1 << 17)  # the same names recur in article after article (and build after build in watch mode)
def name_key(name: str) -> str:
    """Comparison key: case, accents, abbreviation dots, a leading 'the', a title and possessives folded.

    `Nicolás Maduro’s` -> `nicolas maduro`; `the U.S.` -> `us`; `Mr Blair` -> `blair`.
    """
    name = LEADING_ARTICLE.sub("", name.strip())
    name = HONORIFIC.sub("", name)
    name = POSSESSIVE.sub("", name)
    name = re.sub(r"(?<=\w)\.(?=\w|$)|(?<=\b\w)\.", "", name)
    if PLAIN_NAME.fullmatch(name):
        return name.lower()  # what slugify makes of it, without its 20 µs (12.7k actors a build)
    return slugify(name, separator=" ", lowercase=True)


PLAIN_NAME = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")  # ASCII words, one space apart


@dataclass
class Entry:
    """A known or curated actor: its canonical name and what else it is called."""

    name: str
    type: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    description: str = ""
    links: list[str] = field(default_factory=list)
    curated: bool = False
    splits: list[Split] = field(default_factory=list)


CONTEXT_TIMEOUT = 0.5  # seconds one `split` context may take on one sentence: no backtracking hangs a build


@dataclass(frozen=True)
class Split:
    """Mentions written `name` belong to this actor in these articles, or in sentences matching `context`.
    The context is the analyst's regular expression, so it runs with a time bound (the `regex`
    package's timeout); `line` is where actors.yml states the rule."""

    name: str
    articles: tuple[str, ...] = ()
    context: regex.Pattern | None = None
    line: int | None = None

    def claims(self, key: str, article: str, sentence: str) -> bool:
        """Raises TimeoutError when the context takes longer than CONTEXT_TIMEOUT on the sentence."""
        return (key == name_key(self.name) and (not self.articles or article in self.articles)
                and (self.context is None or bool(self.context.search(sentence, timeout=CONTEXT_TIMEOUT))))


@dataclass
class Curation:
    entries: list[Entry] = field(default_factory=list)
    ignore: set[str] = field(default_factory=set)  # name keys


@cache
def known_entries(path: Path = KNOWN_FILE) -> tuple[Entry, ...]:
    return tuple(Entry(e["name"], e.get("type"), list(e.get("aliases", [])), list(e.get("demonyms", [])))
                 for e in yaml.safe_load(path.read_text(encoding="utf-8")))


CURATION_ACTOR_KEYS = {"name", "type", "aliases", "merge", "description", "links", "split"}
SPLIT_KEYS = {"name", "articles", "context"}
CURATION_TOP_KEYS = {"actors", "ignore"}


def parse_curation(text: str) -> Curation:
    """content/actors.yml -> Curation; mistakes raise InputError with the line."""
    try:
        root = compose_limited(text, first_line=1)
    except yaml.YAMLError as exc:
        line = yaml_error_line(exc)
        raise InputError(f"malformed YAML: {getattr(exc, 'problem', exc)}", line + 1 if line is not None else None) from None
    curation = Curation()
    if root is None:
        return curation
    if not isinstance(root, yaml.MappingNode):
        raise InputError("the curation file must be a mapping with `actors:` and `ignore:`", root.start_mark.line + 1)
    seen: dict[str, tuple[int, int]] = {}  # alias key -> (actor number, line)
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if key_node.value not in CURATION_TOP_KEYS:
            raise InputError(f"unknown key {key_node.value!r} (known: actors, ignore)", line)
        value = yaml.safe_load(yaml.serialize(value_node))
        if key_node.value == "ignore":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError("`ignore` must be a list of names", line)
            curation.ignore = {name_key(v) for v in value}
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            raise InputError("`actors` must be a list of actors", line)
        for number, item_node in enumerate(value_node.value):
            entry = curated_entry(item_node)
            line = item_node.start_mark.line + 1
            for alias in (entry.name, *entry.aliases):
                key = name_key(alias)
                if key in seen and seen[key][0] != number:
                    raise InputError(f"{alias!r} is claimed by two actors (also on line {seen[key][1]})", line)
                seen[key] = (number, line)
            curation.entries.append(entry)
    return curation


def curated_entry(node: yaml.Node) -> Entry:
    line = node.start_mark.line + 1
    item = yaml.safe_load(yaml.serialize(node))
    if not isinstance(item, dict):
        raise InputError("each actor must be a mapping with at least `name:`", line)
    key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}  # a mistake is reported at its key

    def at(key: str) -> int:
        return key_lines.get(key, line)

    unknown = sorted(set(item) - CURATION_ACTOR_KEYS)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(sorted(CURATION_ACTOR_KEYS))})",
                         at(unknown[0]))
    if not isinstance(item.get("name"), str) or not item["name"].strip():
        raise InputError("an actor needs a `name`", at("name"))
    if item.get("type") is not None and item["type"] not in TYPES:
        raise InputError(f"type must be one of {', '.join(TYPES)}, got {item['type']!r}", at("type"))
    for key in ("aliases", "merge", "links"):
        if not isinstance(item.get(key, []), list) or not all(isinstance(v, str) for v in item.get(key, [])):
            raise InputError(f"`{key}` must be a list of text", at(key))
    for link in item.get("links", []):
        if not link.startswith(("http://", "https://")):
            raise InputError(f"links must be http(s) addresses, got {link!r}", at("links"))
    aliases = [*item.get("aliases", []), *item.get("merge", [])]
    return Entry(item["name"].strip(), item.get("type"), aliases, [], str(item.get("description") or ""),
                 item.get("links", []), curated=True, splits=curated_splits(item.get("split", []), at("split")))


def curated_splits(value: object, line: int) -> list[Split]:
    """`split:` rules: [{name: Rodríguez, articles: [id, ...], context: "regular expression"}, ...]."""
    if not isinstance(value, list):
        raise InputError("`split` must be a list of {name, articles, context} rules", line)
    splits = []
    for rule in value:
        if not isinstance(rule, dict) or not isinstance(rule.get("name"), str):
            raise InputError("each `split` rule needs a `name` (the shared name to claim)", line)
        unknown = sorted(set(rule) - SPLIT_KEYS)
        if unknown:
            raise InputError(f"unknown key(s) in split: {', '.join(map(repr, unknown))} (known: {', '.join(sorted(SPLIT_KEYS))})", line)
        articles = rule.get("articles", [])
        if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
            raise InputError("split `articles` must be a list of article ids", line)
        if not articles and "context" not in rule:
            raise InputError(f"split of {rule['name']!r} needs `articles` or `context` to tell the actors apart", line)
        try:
            context = regex.compile(rule["context"], regex.VERSION0) if "context" in rule else None
        except (regex.error, TypeError) as exc:
            raise InputError(f"split `context` is not a valid regular expression: {exc}", line) from None
        splits.append(Split(rule["name"], tuple(articles), context, line))
    return splits


@dataclass
class Candidate:
    """One raw mention before it knows its actor."""

    article: str
    surface: str
    label: str
    key: str
    sentence: int
    start: int
    end: int
    short_type: str = ""  # the type of the full name this short form resolved to
    split: bool = False  # claimed by a curated split rule: no further resolution

    def copy(self) -> Candidate:
        """A copy to resolve; copy.copy takes several times longer, for ten thousand candidates a build."""
        return Candidate(self.article, self.surface, self.label, self.key, self.sentence, self.start, self.end,
                         self.short_type, self.split)


def resolve(articles: list[Article], annotations: dict[str, Annotation], curation: Curation,
            report: ActorDoubts | None = None, store: Kept | None = None) -> list[Actor]:
    """Group every name mention of every article into canonical actors; `report` collects the doubts.
    `store` (watch mode) keeps each article's candidates for the next build."""
    report = ActorDoubts() if report is None else report
    entries = [*curation.entries, *known_entries()]
    alias_of, demonym_of = alias_tables(entries)
    types = {name_key(e.name): e.type for e in reversed(entries)}
    known = set(alias_of) | set(demonym_of)
    places = {key for key, canonical in alias_of.items() if types.get(canonical) == "place"}
    names = (frozenset(known), frozenset(places))

    def found_in(article: Article) -> list[Candidate]:
        if store is None:
            return candidates_of(article, annotations[article.id], known, places)
        kept = store.get((article.id, text_key(article.text), names), lambda: candidates_of(article, annotations[article.id], known, places))
        return [c.copy() for c in kept]  # resolution changes them

    candidates = [c for a in articles for c in found_in(a) if c.key not in NOT_NAMES]
    report.ignored.update(c.surface for c in candidates if c.key in curation.ignore)
    candidates = [c for c in candidates if c.key not in curation.ignore]
    apply_splits(candidates, curation, {a.id: a for a in articles}, annotations, report)
    for c in candidates:
        if c.split:
            continue
        if c.label == "NORP" and c.key in demonym_of:
            c.key = demonym_of[c.key]
        c.key = alias_of.get(c.key, c.key)
    # A nationality adjective ("Latin American") is no actor; a plural group ("Republicans") is.
    canonical = set(alias_of.values())
    candidates = [c for c in candidates if c.label != "NORP" or c.key in canonical or c.surface.endswith("s")]
    short = resolve_short_forms([c for c in candidates if not c.split], canonical, report)
    for c in candidates:
        if (c.article, c.key) in short and not c.split:
            c.key, c.short_type = short[(c.article, c.key)]
    return build_actors(candidates, {name_key(e.name): e for e in reversed(entries)})


def apply_splits(candidates: list[Candidate], curation: Curation, articles: dict[str, Article],
                 annotations: dict[str, Annotation], report: ActorDoubts) -> None:
    """Curated split rules claim their mentions. A rule whose context runs out of time is dropped
    for the whole build (a rule applied to some sentences only would split at random) and reported."""
    def sentence_of(c: Candidate) -> str:
        sentence = annotations[c.article].sentences[c.sentence]
        return articles[c.article].text[sentence.start:sentence.end]

    claimed_by: list[tuple[Entry, set[int]]] = []  # in the rules' order: the first rule that claims a mention wins
    for entry in curation.entries:
        for split in entry.splits:
            try:
                claimed_by.append((entry, {i for i, c in enumerate(candidates) if split.claims(c.key, c.article, sentence_of(c))}))
            except TimeoutError:
                report.slow_splits.append((split.name, split.line))
    for i, c in enumerate(candidates):
        entry = next((entry for entry, claimed in claimed_by if i in claimed), None)
        if entry is not None:
            c.key, c.split = name_key(entry.name), True


def alias_tables(entries: list[Entry]) -> tuple[dict[str, str], dict[str, str]]:
    """Name key of any alias -> key of the canonical name; earlier entries (curation) win."""
    alias_of: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    for entry in entries:
        canonical = name_key(entry.name)
        for alias in (entry.name, *entry.aliases):
            alias_of.setdefault(name_key(alias), canonical)
        for demonym in entry.demonyms:
            demonym_of.setdefault(name_key(demonym), canonical)
    return alias_of, demonym_of


def candidates_of(article: Article, annotation: Annotation, known: set[str], places: set[str]) -> list[Candidate]:
    found = []
    labels = speaker_labels(article)
    taken = [(start, end) for start, end, _ in labels]
    text = article.text  # joined from the paragraphs at each use
    spans = [(e.label, start, end) for e in annotation.entities if e.label in LABEL_TYPES
             for start, end in refine(text, e.start, e.end, known, places)]
    spans += [("PERSON", start, end) for start, end, _ in labels]
    for label, start, end in spans:
        if (label != "PERSON" or (start, end) not in taken) and any(s <= start < e for s, e in taken):
            continue
        surface = text[start:end]
        if not plausible_name(surface):
            continue
        key = name_key(surface)
        if len(key) < 2 or not re.search(r"[a-z]", key):
            continue
        sentence = annotation.sentence_at(start)
        found.append(Candidate(article.id, surface, label, key, sentence, start, end))
    return found


def plausible_name(surface: str) -> bool:
    """A name has a handful of words and no symbols: the tagger sometimes labels junk (base64, emoji runs)."""
    return len(surface) <= 80 and len(surface.split()) <= 8 and not any(
        unicodedata.category(ch) in ("So", "Sk", "Cn", "Co", "Cs") or ch in "<>{}[]|\\/=@#" for ch in surface)


SPEAKER_LABEL = re.compile(r"(?m)^(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}): ")


def speaker_labels(article: Article) -> list[tuple[int, int, str]]:
    """Interview labels ("Keith Mines: ...") that open two or more paragraphs name a person."""
    found = [(m.start("name"), m.end("name"), m.group("name")) for m in SPEAKER_LABEL.finditer(article.text)]
    counts = Counter(name for _, _, name in found)
    return [f for f in found if counts[f[2]] >= 2]


TRIM_LEFT = re.compile(r"^(?:(?:the|The|THE)\s+|['’]s\s+)+")
# Trailing punctuation, but not the dot of an abbreviation ("U.S.").
TRIM_RIGHT = re.compile(r"(?:['’]s?|[\s&,;:\-–—]+|(?<!\b[A-Z])\.)$")


def refine(text: str, start: int, end: int, known: set[str], places: set[str]) -> list[tuple[int, int]]:
    """Trim an entity span to the name itself, or split it where the tagger joined two names.

    Drops a leading article and possessive remains, takes the head of "Venezuela’s National
    Assembly", splits "U.S.-Venezuela" into two known names, and cuts a known place off the
    front of a person ("in Caracas Sergey Melik").
    """
    surface = text[start:end]
    left = TRIM_LEFT.match(surface)
    if left:
        start += left.end()
    while True:
        right = TRIM_RIGHT.search(text, start, end)
        if not right or right.start() == end or right.start() <= start:
            break
        end = right.start()
    surface = text[start:end]
    possessive = re.search(r"['’]s\s+(?=[A-Z])", surface)
    if possessive:
        return refine(text, start + possessive.end(), end, known, places)
    parts = re.split(r"(?<=[\w.])[-–](?=[A-Z])", surface)
    if len(parts) == 2 and all(name_key(p) in known for p in parts):
        middle = start + len(parts[0])
        return [(start, middle), (middle + 1, end)]
    words = surface.split(" ")
    for n in (2, 1):
        if len(words) >= n + 2 and name_key(" ".join(words[:n])) in places:
            return [(start + len(" ".join(words[:n])) + 1, end)]
    return [(start, end)] if end > start else []


def resolve_short_forms(candidates: list[Candidate], known: set[str],
                        report: ActorDoubts | None = None) -> dict[tuple[str, str], tuple[str, str]]:
    """(article, short key) -> (full key, its type), where a short form names exactly one full name.

    A person's surname or first name ("Maduro", "Keith") or an organisation's last word ("Times")
    resolves to the one full name of that kind that contains it: first within the same article,
    then across the articles that tell the same story (they share two full names of people or
    organisations). Ambiguous short forms are left alone.
    """
    kinds: dict[str, dict[str, int]] = defaultdict(dict)
    for c in candidates:
        counts, label_type = kinds[c.key], LABEL_TYPES[c.label]
        counts[label_type] = counts.get(label_type, 0) + 1
    kind = {key: max(counts.items(), key=lambda kv: kv[1])[0] for key, counts in kinds.items()}  # ties: first seen
    # short key -> full keys it may abbreviate, per article and across the dossier
    local: dict[tuple[str, str], set[str]] = defaultdict(set)
    everywhere: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)  # full key -> articles naming it
    for c in candidates:
        if " " in c.key and c.label in ("PERSON", "ORG"):
            where[c.key].add(c.article)
            for short in abbreviations(c.key, kind[c.key]):
                local[(c.article, short)].add(c.key)
                everywhere[short].add(c.key)
    company = companions(candidates)
    resolved = {}
    for c in candidates:
        if " " in c.key or c.key in known or (c.article, c.key) in resolved or c.label not in ("PERSON", "ORG"):
            continue
        related = {f for f in everywhere.get(c.key, set()) if any(len(company[c.article] & company[a]) >= 2 for a in where[f])}
        for pool in (local.get((c.article, c.key), set()), related):
            options = {f for f in pool if kind[f] == "person" or c.label == "ORG"}
            if len(options) == 1:
                full = options.pop()
                resolved[(c.article, c.key)] = (full, kind[full])
                break
            if len(options) > 1:
                doubt = (c.article, c.surface, sorted(options))
                if report is not None and doubt not in report.ambiguous:
                    report.ambiguous.append(doubt)
                break
    return resolved


def companions(candidates: list[Candidate]) -> dict[str, set[str]]:
    """Article -> the multi-word people and organisations it names: two articles that share two of them
    tell the same story, so a short name in one may abbreviate a full name in the other."""
    found: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        if " " in c.key and c.label in ("PERSON", "ORG"):
            found[c.article].add(c.key)
    return found


def abbreviations(full: str, kind: str) -> list[str]:
    """The short forms a full name may appear as: a person's first or last name, an organisation's last word."""
    tokens = full.split()
    if kind == "person":
        return sorted({tokens[0], tokens[-1]})
    return [tokens[-1]] if len(tokens[-1]) > 3 else []


def build_actors(candidates: list[Candidate], entries: dict[str, Entry]) -> list[Actor]:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        groups[c.key].append(c)
    actors = []
    for key in sorted(groups):
        group = groups[key]
        entry = entries.get(key)
        votes = tally(vote(c, entry) for c in group)
        kind = (entry.type if entry and entry.type else None) or pick_type(votes)
        name = entry.name if entry else display_name(group)
        actor_id = item_id(key)
        aliases = sorted({c.surface for c in group} - {name}, key=lambda s: (s.casefold(), s))
        mentions = [Mention(actor_id, c.article, c.surface, c.label, c.sentence, c.start, c.end)
                    for c in sorted(group, key=lambda c: (c.article, c.start))]
        actors.append(Actor(actor_id, name, kind, aliases, entry.description if entry else "",
                            entry.links if entry else [], mentions, dict(votes), bool(entry and entry.curated)))
    return sorted(actors, key=lambda a: a.id)


def vote(candidate: Candidate, entry: Entry | None) -> str:
    """A short form of a person's full name is that person whatever the tagger said; a demonym
    is a mention of its country."""
    if candidate.short_type:
        return candidate.short_type
    if candidate.label == "NORP" and entry is not None and entry.type:
        return entry.type
    return LABEL_TYPES[candidate.label]


def tally(values: Iterable[str]) -> dict[str, int]:
    """Counts by value, first seen first; a Counter per actor costs more than the counting itself."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def pick_type(votes: dict[str, int]) -> str:
    return sorted(votes.items(), key=lambda kv: (-kv[1], TYPES.index(kv[0])))[0][0]


def display_name(group: list[Candidate]) -> str:
    """The fullest form, then the one with accents (the proper spelling), then the most frequent."""
    forms = tally(c.surface for c in group)
    return sorted(forms, key=lambda f: (-len(f.split()), f.isascii(), -forms[f], f))[0]


