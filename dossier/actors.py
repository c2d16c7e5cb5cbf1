"""Entity mentions -> canonical actors: name keys, known aliases, short forms, type votes, curation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import regex
import yaml

from dossier.mentions import LABEL_TYPES, Candidate, candidates_of, names_known_elsewhere
from dossier.metadata import outlet_named
from dossier.model import Actor, ActorDoubts, Annotation, Article, Mention
from dossier.names import EVENT_NAME, first_name_gender, name_key, type_evidence
from dossier.problems import InputError
from dossier.results import Kept, reuse_each, text_key
from dossier.site import item_id
from dossier.sources import compose_limited, yaml_error_line

KNOWN_FILE = Path(__file__).parent / "data" / "known_entities.yml"
TYPES = ("person", "organization", "place", "group")
# Words spaCy tags as names that never are actors on their own: time zones and job titles ("MPs") too.
NOT_NAMES = {"state", "advertisement", "oops", "type", "podcast", "editorial", "photo", "gmt", "bst", "utc", "cet", "est",
             "pst", "edt", "mp", "mps", "msp", "msps", "mep", "meps", "am", "ams", "td", "tds"}
# Product names written the way Apple writes its own ("iPod", "iTunes"): things, not actors.
PRODUCT_NAME = regex.compile(r"^i[A-Z]")


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


def resolve(articles: list[Article], annotations: dict[str, Annotation], curation: Curation,
            report: ActorDoubts | None = None, store: Kept | None = None, processes: int = 0) -> list[Actor]:
    """Group every name mention of every article into canonical actors; `report` collects the doubts.
    `store` keeps each article's candidates for the next build."""
    report = ActorDoubts() if report is None else report
    entries = [*curation.entries, *known_entries()]
    alias_of, demonym_of = alias_tables(entries)
    types = {name_key(e.name): e.type for e in reversed(entries)}
    known = set(alias_of) | set(demonym_of)
    places = {key for key, canonical in alias_of.items() if types.get(canonical) == "place"}
    names = (frozenset(known), frozenset(places))

    def found_in(article: Article) -> list[Candidate]:
        return candidates_of(article, annotations[article.id], known, places)

    keys = [(article.id, text_key(article.text), names) for article in articles]
    found = reuse_each(store, keys, articles, found_in, processes)
    candidates = [c.copy() for these in found for c in these]  # copies: resolution changes them, the store keeps its own
    table = {form: e.type for e in reversed(entries) if e.type for form in (e.name, *e.aliases)}
    candidates += names_known_elsewhere(articles, annotations, candidates, table)
    candidates = [c for c in candidates if c.key not in NOT_NAMES and c.cue != "work" and not EVENT_NAME.search(c.surface)
                  and not PRODUCT_NAME.match(c.surface)]
    report.ignored.update(c.surface for c in candidates if c.key in curation.ignore)
    candidates = [c for c in candidates if c.key not in curation.ignore]
    apply_splits(candidates, curation, {a.id: a for a in articles}, annotations, report)
    for c in candidates:
        if c.split:
            continue
        if c.label in ("NORP", "PERSON") and c.key in demonym_of:  # "Venezuelan" tagged a person is still an adjective
            c.key, c.label = demonym_of[c.key], "NORP"
        c.key = alias_of.get(c.key, c.key)
    # A nationality adjective ("Latin American") is no actor; a plural group ("Republicans") is, and
    # its adjective in the same article is a mention of it ("a large Muslim community" after "Muslims").
    canonical = set(alias_of.values())
    groups = {(c.article, c.key) for c in candidates if c.label == "NORP" and c.surface.endswith("s")}
    for c in candidates:
        if c.label == "NORP" and (c.article, c.key + "s") in groups:
            c.key += "s"
    candidates = [c for c in candidates if c.label != "NORP" or (c.cue != "noun" and (c.key in canonical or (c.article, c.key) in groups))]
    short = resolve_short_forms([c for c in candidates if not c.split], canonical, report)
    for c in candidates:
        if (c.article, c.start) in short and not c.split:
            c.key, c.short_type = short[(c.article, c.start)]
    for c in candidates:
        if c.cue == "team" and not c.split:  # actors.yml may name the side, or give "O'Gara (team)" to a person
            c.key = alias_of.get(team_key(c.key), team_key(c.key))
    return build_actors(candidates, {name_key(e.name): e for e in reversed(entries)})


def team_key(place: str) -> str:
    """A place playing sport is another actor than the place: "England" the side is no part of England the country."""
    return f"{place} team"


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


def resolve_short_forms(candidates: list[Candidate], known: set[str],
                        report: ActorDoubts | None = None) -> dict[tuple[str, int], tuple[str, str]]:
    """(article, offset) of a short form -> (full key, its type), where the short form names one full name.

    A person's first name or a later part of the name ("Keith", "Maduro", "Rodríguez" of Sergio
    Rodríguez Gelfenstein) or an organisation's last word ("Times") refers to the nearest full name
    before it in the same article that contains it, else the only one in the article; then to the
    one full name in the articles that tell the same story (they share two full names of people or
    organisations); then, written with a courtesy title ("Mr Blair"), to the one person of that name
    the dossier writes in full in two articles or more.
    Ambiguous short forms are left alone and reported.
    """
    kinds: dict[str, dict[str, int]] = defaultdict(dict)
    surface: dict[str, str] = {}
    for c in candidates:
        counts, label_type = kinds[c.key], LABEL_TYPES[c.label]
        counts[label_type] = counts.get(label_type, 0) + 1
        surface.setdefault(c.key, c.surface)
    # each name's type as build_actors will give it: "Jean-Pierre Jeunet" tagged ORG once is a person
    kind = {key: type_by_evidence(surface[key], counts) for key, counts in kinds.items() if " " in key}  # full names only are looked up
    # short key -> the full keys it may abbreviate and where each is written, per article and across the dossier
    local: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    everywhere: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)  # full key -> articles naming it
    for c in candidates:
        if " " in c.key and c.label in ("PERSON", "ORG"):
            where[c.key].add(c.article)
            for short in abbreviations(c.key, kind[c.key]):
                local[(c.article, short)][c.key].append(c.start)
                everywhere[short].add(c.key)
    company = companions(candidates)
    resolved: dict[tuple[str, int], tuple[str, str]] = {}
    for c in candidates:
        if " " in c.key or c.key in known or c.label not in ("PERSON", "ORG"):
            continue

        fitting = {f for f in everywhere.get(c.key, set()) if kind[f] == "person" or c.label == "ORG"}
        written = {f: starts for f, starts in local.get((c.article, c.key), {}).items() if f in fitting}
        before = {f: max(s for s in starts if s < c.start) for f, starts in written.items() if min(starts) < c.start}
        related = {f for f in fitting if any(len(company[c.article] & company[a]) >= 2 for a in where[f])}
        # a titled surname across the dossier: only someone written in full in two articles or more
        dossier_wide = {f for f in fitting if kind[f] == "person" and len(where[f]) >= 2 and titled_as(c.title, f)}
        if before:
            full = max(before, key=lambda f: before[f])  # the nearest full name before it
        elif written or related or dossier_wide:
            options = next(set(pool) for pool in (written, related, dossier_wide) if pool)
            if len(options) > 1:
                doubt = (c.article, c.surface, sorted(options))
                if report is not None and doubt not in report.ambiguous:
                    report.ambiguous.append(doubt)
                continue
            full = options.pop()
        else:
            continue
        resolved[(c.article, c.start)] = (full, kind[full])
    return resolved


COURTESY = {"Mr": "male", "Sir": "male", "Lord": "male", "Mrs": "female", "Ms": "female", "Miss": "female",
            "Dame": "female", "Lady": "female", "Baroness": "female", "Dr": "", "Professor": "", "Prof": ""}


def titled_as(title: str, full: str) -> bool:
    """Whether a surname written with a courtesy title ("Mr Blair") may be this person's across the
    dossier: only with a title, and never a man's title for a woman's first name ("Mr Jones" is not Norah Jones)."""
    title = title.rstrip(".")
    if title not in COURTESY:
        return False
    gender = first_name_gender(full.split()[0].title())
    return not COURTESY[title] or gender in ("", COURTESY[title])


def companions(candidates: list[Candidate]) -> dict[str, set[str]]:
    """Article -> the multi-word people and organisations it names: two articles that share two of them
    tell the same story, so a short name in one may abbreviate a full name in the other."""
    found: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        if " " in c.key and c.label in ("PERSON", "ORG"):
            found[c.article].add(c.key)
    return found


@lru_cache(maxsize=1 << 15)  # a full name is abbreviated once per mention
def abbreviations(full: str, kind: str) -> list[str]:
    """The short forms a full name may appear as: a person's first name or any later part of it (two
    surnames: "Rodríguez Gelfenstein"), an organisation's last word or its initials ("Mobile Data
    Association", "MDA")."""
    tokens = full.split()
    if kind == "person":
        return sorted({tokens[0], *(t for t in tokens[1:] if len(t) > 2)})
    initials = "".join(t[0] for t in tokens if t not in ("of", "and", "the", "for", "de", "in"))
    return sorted({*([tokens[-1]] if len(tokens[-1]) > 3 else []), *([initials] if len(initials) >= 3 else [])})


def build_actors(candidates: list[Candidate], entries: dict[str, Entry]) -> list[Actor]:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        groups[c.key].append(c)
    surnames = tally(key.rsplit(" ", 1)[1] for key, group in groups.items()
                     if " " in key and any(c.label == "PERSON" for c in group))
    actors = []
    for key in sorted(groups):
        group = groups[key]
        entry = entries.get(key)
        votes = tally(vote(c, entry) for c in group)
        if entry:
            name = entry.name
        elif group[0].cue == "team":  # named after its place: "England (team)"
            place = entries.get(key.removesuffix(" team"))
            name = f"{place.name if place else display_name(group)} (team)"
        else:
            name = display_name(group)
        cues = tally(vote(c, entry) for c in group if c.cue)
        kind = (entry.type if entry and entry.type else None) or type_by_evidence(name, votes, cues, surnames.get(key) == 1)
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
    if candidate.cue:
        return "organization" if candidate.cue == "team" else candidate.cue
    if candidate.label == "NORP" and entry is not None and entry.type:
        return entry.type
    return LABEL_TYPES[candidate.label]


def tally(values: Iterable[str]) -> dict[str, int]:
    """Counts by value, first seen first; a Counter per actor costs more than the counting itself."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def type_by_evidence(name: str, votes: dict[str, int], cues: dict[str, int] | None = None, surname: bool = False) -> str:
    """The strongest evidence wins: what the name itself tells (a known outlet, "FC", "Ltd"), else
    the votes of its mentions, where a mention whose words tell its type ("oil giant Yukos") counts
    three times and wins a tie. What the name tells weakly (a first name; `surname`: the last name of
    one person the dossier names in full) is one more vote, and wins a tie the words leave. Other
    ties go to the first mention's type."""
    evidence = type_evidence(name, is_outlet(name))
    if evidence is not None and evidence[1]:
        return evidence[0]
    weighted = dict(votes)
    for kind, count in (cues or {}).items():
        weighted[kind] = weighted.get(kind, 0) + 2 * count  # one vote each already
    prefer = pick_type(cues) if cues else ""
    if evidence is None and surname:
        evidence = ("person", False)
    if evidence is not None:
        weighted[evidence[0]] = weighted.get(evidence[0], 0) + 1
        prefer = prefer or evidence[0]
    return pick_type(weighted, prefer)


@lru_cache(maxsize=1 << 16)
def is_outlet(name: str) -> bool:
    """Whether a name is a known outlet's; outlet_named reads the whole table, for names typed over and over."""
    return outlet_named(name) is not None


def pick_type(votes: dict[str, int], prefer: str = "") -> str:
    """The most voted type; a tie goes to `prefer`, else to the type voted first (dicts keep that order)."""
    return max(votes.items(), key=lambda kv: (kv[1], kv[0] == prefer))[0]


def display_name(group: list[Candidate]) -> str:
    """The fullest form, then the one with accents (the proper spelling), then the most frequent."""
    if len(group) == 1:
        return group[0].surface
    forms = tally(c.surface for c in group)
    plural = all(c.label == "NORP" for c in group)  # a group by its plural: "Muslims", not "Muslim"
    return sorted(forms, key=lambda f: (-len(f.split()), f.isascii(), plural and not f.endswith("s"), -forms[f], f))[0]


