"""Count the outlets the metadata stage gives a folder of articles, with and without a folder default.

No model is needed: outlets come from the text (and front matter, absent here). On the BBC corpus
every article is BBC News, so any other outlet is a wrong fact; unknown is honest.

    .venv/bin/python eval/outlets.py [--corpus /work/shared/corpus/bbc] [--outlet "BBC News"]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python eval/outlets.py` puts eval/, not the project, on the path

from dossier import clean, metadata  # noqa: E402
from dossier.config import FolderDefaults  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/bbc"))
    parser.add_argument("--outlet", default="BBC News", help="the outlet every article of the corpus is from")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("**/*.txt"))
    if not files:
        print(f"no articles under {args.corpus}")
        return 2
    by_text: Counter = Counter()
    by_default: Counter = Counter()
    cited: Counter = Counter()
    wrong = []
    default = FolderDefaults("", outlet=args.outlet)
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        article = metadata.infer(path.relative_to(args.corpus).with_suffix("").as_posix(), str(path), clean.clean(text))
        by_text[article.outlet or "unknown"] += 1
        if article.outlet and article.outlet != args.outlet:
            wrong.append((article.id, article.outlet, article.evidence["outlet"].detail))
        metadata.apply_defaults(article, default)
        by_default[article.outlet or "unknown"] += 1
        cited.update(article.cites)
    print(f"{len(files)} articles under {args.corpus}")
    print("outlet from the text alone:     " + ", ".join(f"{k} {v}" for k, v in by_text.most_common()))
    print(f"with the folder default {args.outlet!r}: " + ", ".join(f"{k} {v}" for k, v in by_default.most_common()))
    print(f"labelled with an outlet other than {args.outlet}: {len(wrong)}")
    for article_id, outlet, detail in wrong[:30]:
        print(f"  {article_id}: {outlet} ({detail})")
    print("cited as sources (articles): " + ", ".join(f"{k} {v}" for k, v in cited.most_common()))
    return 1 if wrong or by_default[args.outlet] != len(files) else 0


if __name__ == "__main__":
    sys.exit(main())
