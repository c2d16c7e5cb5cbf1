"""Score date finding and resolution against the hand-annotated paragraphs in eval/dates.yml.

The real model tags DATE entities in each paragraph; dossier.timeline.read_dates reads them as the
pipeline does (the tense of each date's clause, anchored dates counted from the date before them in
the paragraph) against the paragraph's base date. Prints precision and recall of dates found and of
dates resolved right (a range must have the right start and end), the accuracy of the kinds the gold
gives (event, background, forecast), the durations wrongly resolved, then the errors.

    .venv/bin/python eval/dates.py [--gold eval/dates.yml] [--corpus /work/shared/corpus/bbc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python eval/dates.py` puts eval/, not the project, on the path

from dossier import nlp, timeline  # noqa: E402
from dossier.config import Config  # noqa: E402
from dossier.model import Annotation  # noqa: E402

DEFAULT_GOLD = Path(__file__).with_name("dates.yml")
DEFAULT_CORPUS = Path("/work/shared/corpus/bbc")
PRECISIONS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")
KINDS = ("event", "background", "forecast")
ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass
class Expected:
    text: str
    date: str | None  # None for a not_date
    precision: str | None
    last: str = ""  # the end of a range
    kind: str = ""  # event | background | forecast, when the gold says
    start: int = -1
    end: int = -1

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def label(self) -> str:
        return f"{self.date}{'..' + self.last if self.last else ''} ({self.precision})"


@dataclass
class Item:
    id: str
    source: str
    paragraph: int
    base: dt.date
    text: str
    dates: list[Expected]
    not_dates: list[Expected]


@dataclass
class Prediction:
    text: str
    start: int
    end: int
    tense: str
    resolved: timeline.Resolved | None
    kind: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def label(self) -> str:
        if self.resolved is None:
            return "unresolved"
        end = f"..{self.resolved.end}" if self.resolved.end else ""
        return f"{self.resolved.date}{end} ({self.resolved.precision}, {self.kind}; {self.resolved.how})"


@dataclass
class Tally:
    gold: int = 0
    not_dates: int = 0
    predicted: int = 0  # DATE entities that resolved to a point in time
    unresolved: int = 0  # DATE entities resolve() turned down
    found_predicted: int = 0
    found_gold: int = 0
    right_predicted: int = 0
    right_gold: int = 0
    not_dates_resolved: int = 0
    kinds_given: int = 0
    kinds_right: int = 0
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kinds: Counter = field(default_factory=Counter)

    def error(self, kind: str, line: str) -> None:
        self.kinds[kind] += 1
        self.errors[kind].append(line)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def locate(text: str, expressions: list[Expected], item_id: str) -> None:
    """Give each expression its span: longest first, never overlapping another, a repeated text its next occurrence."""
    taken: list[tuple[int, int]] = []
    for expression in sorted(expressions, key=lambda e: -len(e.text)):
        pattern = rf"(?<!\w){re.escape(expression.text)}(?!\w)"
        for match in re.finditer(pattern, text):
            if not any(overlaps(match.span(), span) for span in taken):
                expression.start, expression.end = match.span()
                taken.append(match.span())
                break
        else:
            raise SystemExit(f"{item_id}: {expression.text!r} is not (or not often enough) in the paragraph")


def load_gold(path: Path) -> list[Item]:
    items = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        base = raw["base_date"] if isinstance(raw["base_date"], dt.date) else dt.date.fromisoformat(str(raw["base_date"]))
        dates = [Expected(str(d["text"]), str(d["date"]), d["precision"], str(d.get("end") or ""), d.get("kind") or "")
                 for d in raw.get("dates") or []]
        not_dates = [Expected(str(t), None, None) for t in raw.get("not_dates") or []]
        item = Item(raw["id"], raw["source"], int(raw["paragraph"]), base, raw["text"], dates, not_dates)
        for d in dates:
            if d.precision not in PRECISIONS or not ISO.fullmatch(d.date or "") or (d.last and not ISO.fullmatch(d.last)) \
                    or (d.kind and d.kind not in KINDS):
                raise SystemExit(f"{item.id}: bad gold date {d.text!r}: {d.date!r} {d.precision!r}")
        locate(item.text, dates + not_dates, item.id)
        items.append(item)
    return items


def check_corpus(items: list[Item], corpus: Path) -> None:
    """The gold text must be the paragraph it claims to be (skipped when the corpus is not there)."""
    if not corpus.is_dir():
        print(f"note: {corpus} not found, gold texts not checked against the corpus", file=sys.stderr)
        return
    for item in items:
        path = corpus / item.source
        blocks = [b.strip() for b in path.read_text(encoding="utf-8", errors="replace").strip().split("\n\n") if b.strip()] \
            if path.is_file() else []
        if item.paragraph >= len(blocks) or blocks[item.paragraph] != item.text:
            print(f"warning: {item.id}: text differs from {item.source} paragraph {item.paragraph}", file=sys.stderr)


def predict(item: Item, annotation: Annotation) -> list[Prediction]:
    """The DATE entities of the paragraph, read exactly as the pipeline reads an article's."""
    return [Prediction(f.expression, f.start, f.end, f.tense, f.resolved, f.kind)
            for f in timeline.read_dates(item.text, annotation, item.base)]


def same(prediction: Prediction, expected: Expected) -> bool:
    r = prediction.resolved
    return r is not None and r.date == expected.date and r.precision == expected.precision and r.end == expected.last


def score_item(item: Item, predictions: list[Prediction], tally: Tally) -> None:
    where = f"{item.id} [base {item.base:%a %Y-%m-%d}]"
    resolved = [p for p in predictions if p.resolved is not None]
    tally.gold += len(item.dates)
    tally.not_dates += len(item.not_dates)
    tally.predicted += len(resolved)
    tally.unresolved += len(predictions) - len(resolved)

    for p in resolved:
        hits = [d for d in item.dates if overlaps(p.span, d.span)]
        if hits:
            tally.found_predicted += 1
            if any(same(p, d) for d in hits):
                tally.right_predicted += 1
            continue
        durations = [n for n in item.not_dates if overlaps(p.span, n.span)]
        if durations:
            tally.error("false date: a duration/age/time resolved as a point", f"{where}: {p.text!r} -> {p.label()}")
        else:
            tally.error("false date: an unannotated expression resolved", f"{where}: {p.text!r} -> {p.label()}")
    for n in item.not_dates:
        if any(overlaps(p.span, n.span) and not any(overlaps(p.span, d.span) for d in item.dates) for p in resolved):
            tally.not_dates_resolved += 1

    for d in item.dates:
        hits = [p for p in resolved if overlaps(p.span, d.span)]
        tagged = [p for p in predictions if overlaps(p.span, d.span)]
        if hits:
            tally.found_gold += 1
            if d.kind:
                tally.kinds_given += 1
                if any(p.kind == d.kind for p in hits):
                    tally.kinds_right += 1
                else:
                    tally.error(f"wrong kind: {d.kind} read as {hits[0].kind}", f"{where}: {d.text!r} -> {hits[0].label()}")
            if any(same(p, d) for p in hits):
                tally.right_gold += 1
                continue
            got = "; ".join(f"{p.text!r} -> {p.label()}" for p in hits)
            tally.error(f"wrong resolution: {wrong_kind(d, hits)}", f"{where}: {d.text!r} should be {d.label()}, got {got}")
        elif tagged:
            got = ", ".join(repr(p.text) for p in tagged)
            tally.error("miss: tagged DATE, but resolve() returned None", f"{where}: {d.text!r} ({d.label()}), entity {got}")
        else:
            tally.error("miss: not tagged DATE by spaCy", f"{where}: {d.text!r} ({d.label()})")


def wrong_kind(expected: Expected, hits: list[Prediction]) -> str:
    """A rough name for what went wrong, to group the errors."""
    r = hits[0].resolved
    assert r is not None
    if r.precision != expected.precision:
        return f"{expected.precision} read as {r.precision}"
    if r.end != expected.last:
        return "range read as a point" if not r.end else "point read as a range" if not expected.last else "wrong end"
    if (expected.date or "") < r.date:
        return f"looked ahead where the date is past (clause tense: {hits[0].tense or 'none'})"
    if (expected.date or "") > r.date:
        return f"looked back where the date is ahead (clause tense: {hits[0].tense or 'none'})"
    return "same precision, wrong date"


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:6.1%} ({part}/{whole})" if whole else "   n/a (0/0)"


def f1(part_p: int, whole_p: int, part_r: int, whole_r: int) -> str:
    p = part_p / whole_p if whole_p else 0.0
    r = part_r / whole_r if whole_r else 0.0
    return f"{2 * p * r / (p + r):.1%}" if p + r else "0.0%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="checks the gold texts when present")
    parser.add_argument("--model", default="", help="spaCy model (default: the first installed of the project's defaults)")
    args = parser.parse_args(argv)

    items = load_gold(args.gold)
    check_corpus(items, args.corpus)
    model = nlp.Model(args.model, Config().exclude)
    annotations = list(model.annotate([item.text for item in items]))
    tally = Tally()
    for item, annotation in zip(items, annotations, strict=True):
        score_item(item, predict(item, annotation), tally)

    print(f"Dates evaluation: {len(items)} paragraphs, {tally.gold} gold date expressions, {tally.not_dates} not_dates")
    print(f"  DATE entities: {tally.predicted + tally.unresolved}, of which resolved to a point: {tally.predicted}")
    print(f"dates found       precision {ratio(tally.found_predicted, tally.predicted)}  recall {ratio(tally.found_gold, tally.gold)}  "
          f"F1 {f1(tally.found_predicted, tally.predicted, tally.found_gold, tally.gold)}")
    print(f"resolved right    precision {ratio(tally.right_predicted, tally.predicted)}  recall {ratio(tally.right_gold, tally.gold)}  "
          f"F1 {f1(tally.right_predicted, tally.predicted, tally.right_gold, tally.gold)}")
    print(f"kind right        {ratio(tally.kinds_right, tally.kinds_given)} of the resolved gold dates whose kind the gold gives")
    print(f"not_dates wrongly resolved as points: {tally.not_dates_resolved}/{tally.not_dates}")

    print("\nError kinds (most common first):")
    for kind, count in tally.kinds.most_common():
        print(f"  {count:4d}  {kind}")
    for kind, _ in tally.kinds.most_common():
        print(f"\n== {kind} ({len(tally.errors[kind])})")
        for line in tally.errors[kind]:
            print(f"  - {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
