"""Score the actors stage against the hand-annotated paragraphs in eval/actors.yml.

Each paragraph is an article of its own; all of them go through the real model and
dossier.actors.resolve in one run, as a dossier would. Prints actor-list precision and recall,
type accuracy, pairwise alias-merging precision and recall, then the errors.

    .venv/bin/python eval/actors.py [--gold eval/actors.yml] [--corpus /work/shared/corpus/bbc]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python eval/actors.py` puts eval/, not the project, on the path

from dossier import actors as actors_stage  # noqa: E402
from dossier import nlp  # noqa: E402
from dossier.clean import Paragraph  # noqa: E402
from dossier.config import Config  # noqa: E402
from dossier.model import Actor, Annotation, Article, Mention  # noqa: E402

DEFAULT_GOLD = Path(__file__).with_name("actors.yml")
DEFAULT_CORPUS = Path("/work/shared/corpus/bbc")
# Courtesy titles are folded away so that "Mr Blair" (gold) and "Blair" (tagger span) are one surface.
TITLES = re.compile(r"^(?:(?:the|The)\s+)?(?:(?:Mr|Mrs|Ms|Miss|Dr|Professor|Prof|Sir|Dame|Lord|Lady|Baroness)\.?\s+)+")


def fold(surface: str) -> str:
    """dossier.actors.name_key after dropping a leading courtesy title."""
    stripped = TITLES.sub("", surface.strip())
    return actors_stage.name_key(stripped or surface)


@dataclass
class GoldActor:
    name: str
    type: str
    aliases: list[str]
    optional: bool = False

    @property
    def keys(self) -> set[str]:
        return {k for k in (fold(self.name), *map(fold, self.aliases)) if k}

    @property
    def surface_keys(self) -> set[str]:
        return {k for k in map(fold, self.aliases) if k}


@dataclass
class Item:
    id: str
    source: str
    paragraph: int
    text: str
    actors: list[GoldActor]


@dataclass
class Predicted:
    """One resolved actor as seen from one paragraph: its mentions there."""

    actor: Actor
    mentions: list[Mention]

    @property
    def keys(self) -> set[str]:
        forms = (self.actor.name, *self.actor.aliases, *(m.surface for m in self.mentions))
        return {k for k in map(fold, forms) if k}

    @property
    def surface_keys(self) -> set[str]:
        return {k for k in (fold(m.surface) for m in self.mentions) if k}

    def describe(self) -> str:
        surfaces = ", ".join(sorted({m.surface for m in self.mentions}))
        labels = "/".join(sorted({m.label for m in self.mentions}))
        return f"{self.actor.name!r} ({self.actor.type}; {labels}: {surfaces})"


@dataclass
class Tally:
    predicted: int = 0
    correct: int = 0
    duplicates: int = 0
    ignored: int = 0  # predicted actors that only match optional gold actors
    gold: int = 0
    found: int = 0
    typed: int = 0
    typed_right: int = 0
    pairs_gold: int = 0
    pairs_predicted: int = 0
    pairs_correct: int = 0
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kinds: Counter = field(default_factory=Counter)

    def error(self, kind: str, line: str) -> None:
        self.kinds[kind] += 1
        self.errors[kind].append(line)


def load_gold(path: Path) -> list[Item]:
    items = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        actors = [GoldActor(a["name"], a["type"], list(a["aliases"]), bool(a.get("optional", False))) for a in raw["actors"]]
        item = Item(raw["id"], raw["source"], int(raw["paragraph"]), raw["text"], actors)
        for actor in actors:
            if actor.type not in actors_stage.TYPES:
                raise SystemExit(f"{item.id}: unknown type {actor.type!r} for {actor.name!r}")
            missing = [a for a in actor.aliases if a not in item.text]
            if missing:
                raise SystemExit(f"{item.id}: alias(es) {missing} of {actor.name!r} are not in the paragraph")
        items.append(item)
    return items


def corpus_paragraph(corpus: Path, source: str, number: int) -> str | None:
    path = corpus / source
    if not path.is_file():
        return None
    blocks = [b.strip() for b in path.read_text(encoding="utf-8", errors="replace").strip().split("\n\n") if b.strip()]
    return blocks[number] if number < len(blocks) else ""


def check_corpus(items: list[Item], corpus: Path) -> None:
    """The gold text must be the paragraph it claims to be (skipped when the corpus is not there)."""
    if not corpus.is_dir():
        print(f"note: {corpus} not found, gold texts not checked against the corpus", file=sys.stderr)
        return
    for item in items:
        found = corpus_paragraph(corpus, item.source, item.paragraph)
        if found != item.text:
            print(f"warning: {item.id}: text differs from {item.source} paragraph {item.paragraph}", file=sys.stderr)


def run_pipeline(items: list[Item], model_name: str) -> tuple[list[Actor], dict[str, Annotation]]:
    articles = [Article(id=i.id, path=i.source, title="", paragraphs=[Paragraph(i.text, 1)]) for i in items]
    model = nlp.Model(model_name, Config().exclude)
    annotations = dict(zip([a.id for a in articles], model.annotate([a.text for a in articles]), strict=True))
    return actors_stage.resolve(articles, annotations, actors_stage.Curation()), annotations


def predicted_by_paragraph(actors: list[Actor]) -> dict[str, list[Predicted]]:
    found: dict[str, list[Predicted]] = defaultdict(list)
    for actor in actors:
        by_article: dict[str, list[Mention]] = defaultdict(list)
        for mention in actor.mentions:
            by_article[mention.article].append(mention)
        for article, mentions in by_article.items():
            found[article].append(Predicted(actor, mentions))
    return found


def assign(gold: list[GoldActor], predicted: list[Predicted]) -> dict[int, int]:
    """Predicted index -> gold index, one to one, strongest matches first (shared canonical name, then shared forms)."""
    scored = []
    for p, pred in enumerate(predicted):
        for g, actor in enumerate(gold):
            shared = pred.keys & actor.keys
            if shared:
                same_name = fold(pred.actor.name) == fold(actor.name)
                scored.append((-(2 * same_name + len(shared)), p, g))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, p, g in sorted(scored):
        if p not in pairs and g not in taken:
            pairs[p] = g
            taken.add(g)
    return pairs


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_item(item: Item, predicted: list[Predicted], annotation: Annotation, tally: Tally) -> None:
    pairs = assign(item.actors, predicted)
    assigned_gold = {g: p for p, g in pairs.items()}
    optional_keys = set().union(*(a.keys for a in item.actors if a.optional))
    spans = {a.name: [span for alias in a.aliases for span in occurrences(item.text, alias)] for a in item.actors}

    # Actor list: precision over predicted actors, recall over required gold actors.
    for p, pred in enumerate(predicted):
        g = pairs.get(p)
        if g is not None and item.actors[g].optional:
            tally.ignored += 1
            continue
        tally.predicted += 1
        if g is not None:
            tally.correct += 1
            continue
        twins = [a for a in item.actors if not a.optional and pred.keys & a.keys]
        if twins:
            tally.correct += 1
            tally.duplicates += 1
            tally.error("split: a second actor for the same gold actor", f"{item.id}: {pred.describe()} duplicates {twins[0].name!r}")
        elif pred.keys & optional_keys:
            tally.predicted -= 1
            tally.ignored += 1
        else:
            where = [m for m in pred.mentions if any(overlaps((m.start, m.end), s) for ss in spans.values() for s in ss)]
            kind = "false positive: span or form differs from a gold name" if where else "false positive: not an actor in the gold"
            tally.error(kind, f"{item.id}: {pred.describe()}")
    for g, actor in enumerate(item.actors):
        if actor.optional:
            continue
        tally.gold += 1
        if g in assigned_gold:
            tally.found += 1
            pred = predicted[assigned_gold[g]]
            if fold(pred.actor.name) not in actor.keys:
                tally.error("name: matched on a shared form, but resolved to another full name",
                            f"{item.id}: {actor.name!r} ({', '.join(actor.aliases)}) came out as {pred.describe()}")
            tally.typed += 1
            if pred.actor.type == actor.type:
                tally.typed_right += 1
            else:
                votes = ", ".join(f"{k} {v}" for k, v in sorted(pred.actor.type_votes.items()))
                tally.error(f"type: gold {actor.type}, predicted {pred.actor.type}",
                            f"{item.id}: {actor.name!r} is {actor.type}, predicted {pred.actor.type} (votes: {votes})")
            continue
        kind, detail = diagnose_miss(actor, spans[actor.name], predicted, annotation, item.text)
        tally.error(kind, f"{item.id}: {actor.name!r} ({actor.type}; {', '.join(actor.aliases)}): {detail}")

    # Alias merging, pairwise over surface forms (optional actors left out).
    gold_pairs = {pair for a in item.actors if not a.optional for pair in itertools.combinations(sorted(a.surface_keys), 2)}
    predicted_pairs = {pair for pred in predicted for pair in itertools.combinations(sorted(pred.surface_keys - optional_keys), 2)}
    tally.pairs_gold += len(gold_pairs)
    tally.pairs_predicted += len(predicted_pairs)
    tally.pairs_correct += len(gold_pairs & predicted_pairs)
    found_keys = set().union(*(pred.surface_keys for pred in predicted))
    for a, b in sorted(gold_pairs - predicted_pairs):
        if {a, b} <= found_keys:
            tally.error("merge missed: both forms found, kept as two actors", f"{item.id}: {a!r} + {b!r}")
        else:
            lost = " and ".join(repr(k) for k in (a, b) if k not in found_keys)
            tally.error("merge missed: a form is no mention at all", f"{item.id}: {a!r} + {b!r} ({lost} not found)")
    for a, b in sorted(predicted_pairs - gold_pairs):
        tally.error("merge wrong: forms of different actors joined", f"{item.id}: {a!r} + {b!r}")


def diagnose_miss(actor: GoldActor, spans: list[tuple[int, int]], predicted: list[Predicted],
                  annotation: Annotation, text: str) -> tuple[str, str]:
    """Why a gold actor has no predicted actor: untagged, dropped by the actors stage, or folded into another actor."""
    entities = [e for e in annotation.entities if e.label not in ("DATE", "TIME") and any(overlaps((e.start, e.end), s) for s in spans)]
    holders = [pred for pred in predicted if any(overlaps((m.start, m.end), s) for m in pred.mentions for s in spans)]
    if holders:
        names = "; ".join(pred.describe() for pred in holders)
        return "miss: mentioned, but resolved into another actor or a different name", f"went to {names}"
    if entities:
        tagged = ", ".join(f"{e.label} {e.text!r}" for e in entities)
        return "miss: tagged by spaCy, dropped by the actors stage", f"tagged {tagged}"
    return "miss: not tagged by spaCy", "no entity over " + ", ".join(repr(text[s:e]) for s, e in spans[:3])


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:6.1%} ({part}/{whole})" if whole else "   n/a (0/0)"


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="checks the gold texts when present")
    parser.add_argument("--model", default="", help="spaCy model (default: the first installed of the project's defaults)")
    parser.add_argument("--max-errors", type=int, default=40, help="errors shown per kind (0: all)")
    args = parser.parse_args(argv)

    items = load_gold(args.gold)
    check_corpus(items, args.corpus)
    actors, annotations = run_pipeline(items, args.model)
    by_paragraph = predicted_by_paragraph(actors)
    tally = Tally()
    by_category: dict[str, Tally] = defaultdict(Tally)
    for item in items:
        for target in (tally, by_category[item.source.split("/")[0]]):
            score_item(item, by_paragraph.get(item.id, []), annotations[item.id], target)

    optional = sum(a.optional for i in items for a in i.actors)
    print(f"Actors evaluation: {len(items)} paragraphs, {tally.gold} gold actors (+{optional} optional), "
          f"{tally.pairs_gold} gold same-actor surface pairs")
    print(f"  predicted actors (paragraph-level): {tally.predicted} scored, {tally.ignored} matching optional gold only")
    precision = tally.correct / tally.predicted if tally.predicted else 0.0
    recall = tally.found / tally.gold if tally.gold else 0.0
    print(f"actor list    precision {ratio(tally.correct, tally.predicted)}  recall {ratio(tally.found, tally.gold)}  F1 {f1(precision, recall):.1%}")
    print(f"              ({tally.duplicates} predicted actor(s) counted correct are duplicates of an already matched gold actor)")
    print(f"type accuracy {ratio(tally.typed_right, tally.typed)} over matched actors")
    mp = tally.pairs_correct / tally.pairs_predicted if tally.pairs_predicted else 0.0
    mr = tally.pairs_correct / tally.pairs_gold if tally.pairs_gold else 0.0
    print(f"alias merging precision {ratio(tally.pairs_correct, tally.pairs_predicted)}  "
          f"recall {ratio(tally.pairs_correct, tally.pairs_gold)}  F1 {f1(mp, mr):.1%}")

    print("\nBy category:        actor P   actor R   type acc  merge P   merge R")
    for category, t in sorted(by_category.items()):
        cells = [(t.correct, t.predicted), (t.found, t.gold), (t.typed_right, t.typed),
                 (t.pairs_correct, t.pairs_predicted), (t.pairs_correct, t.pairs_gold)]
        print(f"  {category:<16}" + "".join(f"{a / b:10.1%}" if b else f"{'n/a':>10}" for a, b in cells))

    print("\nError kinds (most common first):")
    for kind, count in tally.kinds.most_common():
        print(f"  {count:4d}  {kind}")
    for kind, _ in tally.kinds.most_common():
        lines = tally.errors[kind]
        shown = lines if args.max_errors == 0 else lines[:args.max_errors]
        print(f"\n== {kind} ({len(lines)})")
        for line in shown:
            print(f"  - {line}")
        if len(shown) < len(lines):
            print(f"  ... {len(lines) - len(shown)} more (--max-errors 0 shows all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
