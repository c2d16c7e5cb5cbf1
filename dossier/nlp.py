"""The language model: loaded once per run, turns article texts into sentences and entities."""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Iterable, Iterator

from dossier.config import DEFAULT_MODELS
from dossier.model import Annotation, Entity, Sentence
from dossier.problems import ConfigError

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME"}
PARAGRAPH_BREAK = re.compile(r"\n\n")
# Below this many texts, worker processes cost more to start than they save.
MIN_TEXTS_PER_PROCESS = 40


class Model:
    """A loaded spaCy pipeline and what identifies its output (for the cache key)."""

    def __init__(self, name: str = "", exclude: tuple[str, ...] = ()):
        import spacy

        names = (name,) if name else DEFAULT_MODELS
        errors = []
        for candidate in names:
            try:
                self.nlp = spacy.load(candidate, exclude=list(exclude))
                break
            except OSError as exc:
                errors.append(f"{candidate}: {str(exc).splitlines()[0]}")
        else:
            raise ConfigError("no spaCy model could be loaded (run `make site` to install the pinned one): "
                              + "; ".join(errors))
        meta = self.nlp.meta
        self.identity = f"{meta['lang']}_{meta['name']}-{meta['version']}/spacy-{spacy.__version__}/{','.join(self.nlp.pipe_names)}"

    def annotate(self, texts: list[str], processes: int = 0, progress: bool = False) -> Iterator[Annotation]:
        n_process = processes or os.cpu_count() or 1
        if len(texts) < MIN_TEXTS_PER_PROCESS * n_process:
            n_process = max(1, min(n_process, len(texts) // MIN_TEXTS_PER_PROCESS))
        docs = self.nlp.pipe(texts, n_process=n_process, batch_size=16)
        for text, doc in zip(texts, with_progress(docs, len(texts), progress), strict=False):
            yield annotation_of(doc, text)


def with_progress(items: Iterable, total: int, enabled: bool) -> Iterable:
    if not enabled:
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
