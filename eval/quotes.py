"""Score who-said-what against the hand-annotated BBC quotes in eval/quotes.yml.

Each listed article goes through the real stages (clean, metadata, the model, actors, quotes), all
of them in one run as one dossier. A gold quote is found when a quote is attributed to the sentence
holding its text; its speaker is right when the attributed actor's name is the gold speaker or one of
its aliases. A quote in a sentence the gold does not list counts against precision. Prints recall
(quotes found), speaker accuracy over the quotes found, precision, then every error.

    .venv/bin/python eval/quotes.py [--gold eval/quotes.yml] [--corpus /work/shared/corpus/bbc]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python eval/quotes.py` puts eval/, not the project, on the path

from dossier import actors as actors_stage  # noqa: E402
from dossier import clean, metadata, nlp, quotes  # noqa: E402
from dossier.config import Config  # noqa: E402
from dossier.names import name_key  # noqa: E402

DEFAULT_GOLD = Path(__file__).with_name("quotes.yml")
DEFAULT_CORPUS = Path("/work/shared/corpus/bbc")


def folded(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    gold = yaml.safe_load(args.gold.read_text(encoding="utf-8"))
    articles = []
    for item in gold:
        path = args.corpus / item["source"]
        text = path.read_bytes().decode("utf-8", errors="replace")
        articles.append(metadata.infer(item["source"].removesuffix(".txt"), str(path), clean.clean(text)))
    model = nlp.Model("", Config.exclude)
    annotations = dict(zip([a.id for a in articles], model.annotate([a.text for a in articles], 1, progress=False), strict=True))
    actors = actors_stage.resolve(articles, annotations, actors_stage.Curation())
    by_id = {a.id: a for a in actors}
    types = {a.id: a.type for a in actors}
    total = found = right = predicted = matched = 0
    errors: list[str] = []
    for item, article in zip(gold, articles, strict=True):
        mentions = [m for a in actors for m in a.mentions if m.article == article.id]
        said = quotes.attribute(article, annotations[article.id], mentions, types)
        sentences = annotations[article.id].sentences
        text_of = {s.index: folded(article.text[s.start:s.end]) for s in sentences}
        claimed: set[int] = set()
        for quote in item["quotes"]:
            total += 1
            where = [i for i, body in text_of.items() if folded(quote["text"]) in body]
            if not where:
                errors.append(f"{article.id}: gold text not in any sentence: {quote['text']!r}")
                continue
            claimed.update(where)
            hits = [q for q in said if q.sentence in where]
            if not hits:
                errors.append(f"{article.id}: missed ({quote['speaker']}): {text_of[where[0]][:110]!r}")
                continue
            found += 1
            keys = {name_key(n) for n in (quote["speaker"], *quote.get("aliases", []))}
            actor = by_id[hits[0].speaker]
            if name_key(actor.name) in keys:
                right += 1
            else:
                errors.append(f"{article.id}: wrong speaker {actor.name!r} ({hits[0].cue}), gold {quote['speaker']!r}: "
                              f"{text_of[where[0]][:90]!r}")
        for q in said:
            predicted += 1
            if q.sentence in claimed:
                matched += 1
            else:
                errors.append(f"{article.id}: not a quote in the gold, attributed to {by_id[q.speaker].name!r} ({q.cue}): "
                              f"{text_of[q.sentence][:90]!r}")
    print(f"Quotes evaluation: {len(gold)} BBC articles, {total} gold quotes")
    print(f"quotes found (recall)       {found / total:6.1%} ({found}/{total})")
    print(f"speaker right, of found     {right / max(found, 1):6.1%} ({right}/{found})")
    print(f"precision (gold sentences)  {matched / max(predicted, 1):6.1%} ({matched}/{predicted})")
    print(f"\nErrors ({len(errors)}):")
    for error in errors:
        print("  - " + error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
