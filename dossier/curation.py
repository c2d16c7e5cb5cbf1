"""The curation queue: what an analyst should look at to fix the dossier in minutes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from dossier.actors import known_entries, name_key
from dossier.metadata import outlet_named
from dossier.model import Actor, Article, Dossier, Evidence
from dossier.names import type_evidence
from dossier.results import Kept, reuse, text_key

UNRESOLVED_DATES = "publication date unknown"

DUPLICATE_SCORE = 88  # token-sort ratio (0-100) above which two names of one type look like one actor


@dataclass
class Queue:
    contested: list[Actor] = field(default_factory=list)
    ambiguous: list[tuple[str, str, list[Actor]]] = field(default_factory=list)  # article, short form, candidates
    duplicates: list[tuple[Actor, Actor, int]] = field(default_factory=list)
    ignored: list[tuple[str, int]] = field(default_factory=list)
    unresolved_dates: list[tuple[str, str]] = field(default_factory=list)  # article id, expression
    inferred_outlets: list[tuple[Article, str]] = field(default_factory=list)  # article, the front matter that settles it
    flagged: list[tuple[Actor, str, str]] = field(default_factory=list)  # actor, what looks wrong, the actors.yml fix
    problems: list = field(default_factory=list)

    @property
    def size(self) -> int:
        return (len(self.contested) + len(self.ambiguous) + len(self.duplicates) + len(self.ignored)
                + len(self.unresolved_dates) + len(self.inferred_outlets) + len(self.flagged) + len(self.problems))


def queue(dossier: Dossier) -> Queue:
    by_key = {name_key(a.name): a for a in dossier.actors}
    by_id = {a.id: a for a in dossier.actors}
    ambiguous = [(article, short, [by_key[f] for f in fulls if f in by_key])
                 for article, short, fulls in dossier.curation.ambiguous]
    return Queue(
        contested=sorted((a for a in dossier.actors if a.contested), key=lambda a: (-len(a.mentions), a.id)),
        ambiguous=sorted(ambiguous, key=lambda x: (x[1].casefold(), x[0])),
        duplicates=[(by_id[a], by_id[b], score) for a, b, score in dossier.duplicates],
        ignored=sorted(dossier.curation.ignored.items(), key=lambda kv: (-kv[1], kv[0])),
        unresolved_dates=sorted(dossier.unresolved_dates),
        inferred_outlets=[(a, outlet_fix(a)) for a in dossier.articles
                          if a.outlet and a.evidence.get("outlet", Evidence("")).source == "inferred"],
        flagged=suspicious(dossier.actors),
        # unresolved dates have their own list above
        problems=sorted((p for p in dossier.problems if not p.reason.startswith(UNRESOLVED_DATES)),
                        key=lambda p: (p.path, p.line or 0, p.reason)),
    )


def outlet_fix(article: Article) -> str:
    """The front matter that confirms (or corrects) an inferred outlet, ready to paste into content/<id>.md."""
    source = f"source: seeds/{article.id}.txt\n" if article.path.endswith(".txt") else ""  # a seed, not content/
    return f"---\n{source}outlet: {article.outlet}\n---"


def suspicious(actors: list[Actor]) -> list[tuple[Actor, str, str]]:
    """Actors that still look wrong, each with what to paste into content/actors.yml: a known outlet
    not typed organisation, a demonym typed person, an unmerged "Mr X", a one-word person seen once whose
    type rests on one tag of the model alone ("Yukos", "Oscar"), a side seen once that is named after
    no known place (the model may have taken a player for a place: "O'Gara (team)")."""
    demonyms = {name_key(d) for entry in known_entries() for d in entry.demonyms}
    known = {name_key(n) for entry in known_entries() for n in (entry.name, *entry.aliases)}
    by_surname: dict[str, list[Actor]] = defaultdict(list)  # full names of people by their last word
    for actor in actors:
        if actor.type == "person" and " " in (key := name_key(actor.name)):
            by_surname[key.split()[-1]].append(actor)
    flagged = []
    for actor in actors:
        key = name_key(actor.name)
        outlet = outlet_named(actor.name)
        if actor.curated or (key in known and outlet is None):
            continue
        side = actor.name.removesuffix(" (team)")
        if side != actor.name and len(actor.mentions) == 1 and name_key(side) not in known:
            flagged.append((actor, "a side seen once, named after no known place", entry_yaml(side, f'merge: ["{actor.name}"]')))
        elif outlet and actor.type != "organization":
            flagged.append((actor, f"a known outlet typed {actor.type}", entry_yaml(actor.name, "type: organization")))
        elif key in demonyms and actor.type == "person":
            flagged.append((actor, "a demonym typed person", f"ignore: [{actor.name}]"))
        elif actor.type == "person" and " " not in key:
            if fulls := by_surname.get(key):
                flagged.append((actor, "a surname alone, not joined to " + " or ".join(a.name for a in fulls[:3]),
                                entry_yaml(fulls[0].name, f"merge: [{actor.name}]")))
            elif len(actor.mentions) == 1 and not type_evidence(actor.name, outlet is not None):
                flagged.append((actor, "one mention, typed person by one tag of the model alone",
                                entry_yaml(actor.name, "type: person  # or organization, place, group")))
    return sorted(flagged, key=lambda f: (f[1], f[0].id))


def entry_yaml(name: str, line: str) -> str:
    return f"actors:\n  - name: {name}\n    {line}"


def likely_duplicates(actors: list[Actor], store: Kept | None = None) -> list[tuple[Actor, Actor, int]]:
    """Pairs of same-type actors whose names nearly match ("Gonzales"/"Gonzalez"), strongest first.

    Names are compared within blocks of the same type and first letter, which keeps thousands of
    actors fast and loses only pairs that differ in their first letter. A block whose names are
    those of the last build keeps its pairs (`store`): an edit changes a few blocks, not 0.4 s of them.
    """
    blocks: dict[tuple[str, str], list[tuple[Actor, str]]] = defaultdict(list)
    for actor in actors:
        key = name_key(actor.name)
        if key:
            blocks[(actor.type, key[0])].append((actor, key))
    pairs = []
    for (kind, _), block in blocks.items():
        if len(block) < 2:
            continue
        members, keys = [actor for actor, _ in block], [key for _, key in block]
        found = reuse(store, (kind, text_key("\n".join(keys))), partial(similar_names, kind, keys))
        pairs.extend((members[i], members[j], score) for i, j, score in found)
    return sorted(pairs, key=lambda p: (-p[2], p[0].id, p[1].id))


def similar_names(kind: str, keys: list[str]) -> list[tuple[int, int, int]]:
    """(i, j, score) of the pairs of `keys` over the cutoff, each once (i < j), but for two people's
    full names with different first names."""
    # Imported here: a build that compares no new block (an edit, mostly) skips their 90 ms of importing.
    import numpy
    from rapidfuzz import fuzz, process

    scores = process.cdist(keys, keys, scorer=fuzz.token_sort_ratio, score_cutoff=DUPLICATE_SCORE, workers=-1)
    # a block of a thousand names has half a million pairs: numpy finds the few over the cutoff
    return [(i, j, int(scores[i][j])) for i, j in numpy.argwhere(numpy.triu(scores, 1)).tolist()
            if not distinct_people(kind, keys[i], keys[j])]


def distinct_people(kind: str, a: str, b: str) -> bool:
    """Two full person names with different first names are different people (Delcy / Jorge Rodríguez)."""
    ka, kb = a.split(), b.split()
    return kind == "person" and len(ka) > 1 and len(kb) > 1 and ka[0] != kb[0]


def as_text(q: Queue, title_of: dict[str, str]) -> str:
    lines = [f"Curation queue: {q.size} item(s)"]

    def section(heading: str, rows: list[str]) -> None:
        if rows:
            lines.extend(["", f"{heading} ({len(rows)})", *[f"  - {r}" for r in rows]])

    section("Contested types", [f"{a.name}: " + ", ".join(f"{t} {n}" for t, n in sorted(a.type_votes.items())) + f" -> {a.type}"
                                for a in q.contested])
    section("Unresolved short forms", [f"{short!r} in {title_of.get(article, article)}: could be " + " or ".join(a.name for a in cands)
                                       for article, short, cands in q.ambiguous])
    section("Likely duplicates", [f"{a.name} ~ {b.name} ({a.type}, {score}%)" for a, b, score in q.duplicates])
    section("Ignored names", [f"{name} ({count} mention{'s' if count != 1 else ''})" for name, count in q.ignored])
    section("Dates left unresolved (publication date unknown, or no date to count from)",
            [f"{expression!r} in {title_of.get(article, article)}" for article, expression in q.unresolved_dates])
    section("Outlets inferred from the text (confirm in content/<article>.md, or set a folder default in dossier.toml)",
            [f"{title_of.get(a.id, a.id)}: {a.outlet}? ({a.evidence['outlet'].detail}); content/{a.id}.md:\n"
             + "\n".join("      " + line for line in fix.splitlines()) for a, fix in q.inferred_outlets])
    section("Actors that look wrong (paste the fix into content/actors.yml)",
            [f"{a.name} ({a.type}): {why}\n" + "\n".join("      " + line for line in fix.splitlines()) for a, why, fix in q.flagged])
    section("Input problems", [str(p) for p in q.problems])
    lines.append("")
    lines.append("Fix them in content/actors.yml (aliases, type, split, ignore) or in the articles' front matter; see README.md.")
    return "\n".join(lines)
