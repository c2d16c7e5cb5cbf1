"""The language model: loaded once per run, turns article texts into sentences and entities."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import itertools
import json
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from dossier.config import DEFAULT_MODELS
from dossier.model import Annotation, Entity, Sentence
from dossier.problems import ConfigError

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME"}
PARAGRAPH_BREAK = re.compile(r"\n\n")
# Below this many texts, worker processes cost more to start than they save.
MIN_TEXTS_PER_PROCESS = 40


class Model:
    """A spaCy pipeline, loaded on first use, and what identifies its output (for the cache key).

    The identity is read from the installed package's metadata, so a build whose annotations are
    all cached never imports spaCy at all.
    """

    def __init__(self, name: str = "", exclude: tuple[str, ...] = ()):
        self.name, self.meta = find_model(name)
        self.exclude = tuple(exclude)
        pipes = [p for p in self.meta.get("pipeline", []) if p not in self.exclude]
        self.identity = (f"{self.meta['lang']}_{self.meta['name']}-{self.meta['version']}"
                         f"/spacy-{importlib.metadata.version('spacy')}/{','.join(pipes)}")
        self._nlp = None
        self._loading = threading.Lock()

    @property
    def nlp(self):
        with self._loading:
            return self._load()

    def _load(self):
        if self._nlp is None:
            import spacy

            try:
                self._nlp = spacy.load(self.name, exclude=list(self.exclude))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot load the spaCy model {self.name}: {str(exc).splitlines()[0]}") from None
        return self._nlp

    def annotate(self, texts: list[str], processes: int = 0, progress: bool = False) -> Iterator[Annotation]:
        if not texts:
            return
        n_process = processes or os.cpu_count() or 1
        if len(texts) < MIN_TEXTS_PER_PROCESS * n_process:
            n_process = max(1, min(n_process, len(texts) // MIN_TEXTS_PER_PROCESS))
        docs = self.nlp.pipe(texts, n_process=n_process, batch_size=16)
        for text, doc in zip(texts, with_progress(docs, len(texts), progress), strict=False):
            yield annotation_of(doc, text)


def find_model(name: str) -> tuple[str, dict]:
    """The first installed model package among `name` (or the defaults) and its meta.json."""
    for candidate in (name,) if name else DEFAULT_MODELS:
        spec = importlib.util.find_spec(candidate) if candidate.isidentifier() else None
        if spec is None or not spec.submodule_search_locations:
            if Path(candidate, "meta.json").is_file():  # a model folder on disk
                return candidate, json.loads(Path(candidate, "meta.json").read_text(encoding="utf-8"))
            continue
        package = Path(next(iter(spec.submodule_search_locations)))
        for meta in sorted(package.glob("*/meta.json")):
            return candidate, json.loads(meta.read_text(encoding="utf-8"))
    raise ConfigError(f"no spaCy model found (looked for {', '.join((name,) if name else DEFAULT_MODELS)}); "
                      "run `make site` to install the pinned one")


def with_progress(items: Iterable, total: int, enabled: bool) -> Iterable:
    if not enabled or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc="annotating", unit="article", delay=1.0, file=sys.stderr, leave=False)


def annotation_of(doc, text: str) -> Annotation:
    breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    sentences = []
    for sent in doc.sents:
        for start, end in split_at(sent.start_char, sent.end_char, breaks):
            start, end = strip_span(text, start, end)
            if start < end:
                paragraph = sum(1 for b in breaks if b <= start)
                sentences.append(Sentence(len(sentences), paragraph, start, end))
    entities = [Entity(ent.label_, ent.start_char, ent.end_char, ent.text) for ent in doc.ents
                if ent.label_ in KEPT_LABELS and "\n" not in ent.text]
    return Annotation(sentences, entities)


def split_at(start: int, end: int, breaks: list[int]) -> list[tuple[int, int]]:
    """A sentence never runs across paragraphs: the model sometimes joins a heading to its text."""
    cuts = [b for b in breaks if start < b < end]
    bounds = [start, *cuts, end]
    return list(itertools.pairwise(bounds))


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
