"""The language model: loaded once per run, turns article texts into sentences and entities."""

from __future__ import annotations

import bisect
import importlib.metadata
import importlib.util
import itertools
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dossier.config import DEFAULT_MODELS
from dossier.model import Annotation, Entity, Sentence
from dossier.problems import ConfigError

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME"}
PARAGRAPH_BREAK = re.compile(r"\n\n")
# Below this many characters per process (about 40 news articles), worker processes cost more to
# start than they save; one long report is worth them as much as many articles.
MIN_CHARACTERS_PER_PROCESS = 100_000


class Model:
    """A spaCy pipeline, loaded on first use, and what identifies its output (for the cache key).

    The identity is read from the installed package's metadata, so a build whose annotations are
    all cached never imports spaCy at all.
    """

    def __init__(self, name: str = "", exclude: tuple[str, ...] = (), drop_unread: bool = True):
        self.requested, self.exclude = name, tuple(exclude)  # what a Dask worker loads the same model from
        self.drop_unread = drop_unread
        self.name, self.meta = find_model(name)
        self.pipes = pipes_to_run(self.meta, exclude)
        self.identity = (f"{self.meta['lang']}_{self.meta['name']}-{self.meta['version']}"
                         f"/spacy-{importlib.metadata.version('spacy')}/{','.join(self.pipes)}")
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
                components = self.meta.get("components", self.meta.get("pipeline", []))
                nlp = spacy.load(self.name, exclude=[c for c in components if c not in self.pipes])
                for pipe in self.pipes:
                    if pipe in nlp.disabled:
                        nlp.enable_pipe(pipe)
                if self.drop_unread:
                    for pipe in unread_embeddings(nlp):
                        nlp.remove_pipe(pipe)
                self._nlp = nlp
            except Exception as exc:  # missing files, a broken config, a language spaCy lacks
                raise ConfigError(f"cannot load the spaCy model {self.name}: {str(exc).splitlines()[0]}") from None
        return self._nlp

    def where(self) -> str:
        """How the build says where the model runs ("with core_web_sm-3.8.0")."""
        return f"with {self.identity.split('/')[0]}"

    def annotate(self, texts: list[str], processes: int = 0, progress: bool = False) -> Iterator[Annotation]:
        """One Annotation per text, in order. Long texts go through the model in paragraph-aligned pieces
        (a model's memory grows with the text; spaCy refuses texts over a million characters)."""
        if not texts:
            return
        pieces = [(number, offset, chunk) for number, text in enumerate(texts) for offset, chunk in chunks_of(text)]
        n_process = processes or os.cpu_count() or 1
        n_process = max(1, min(n_process, sum(len(text) for text in texts) // MIN_CHARACTERS_PER_PROCESS, len(pieces)))
        docs = self.nlp.pipe((chunk for _, _, chunk in pieces), n_process=n_process, batch_size=16)
        done = zip(pieces, with_progress(docs, len(pieces), progress), strict=True)
        with interrupt_stops_workers():
            for number, group in itertools.groupby(done, key=lambda pair: pair[0][0]):
                yield annotation_of([(offset, doc) for (_, offset, _), doc in group], texts[number])


@contextmanager
def interrupt_stops_workers():
    """Ctrl-C while the model runs in worker processes stops them at once. Without this each worker
    printed a traceback (a terminal sends the signal to them too), and a signal to this process
    alone hung: spaCy waits for its workers to finish the texts already queued. Forked workers
    inherit this handler and ignore the signal; this process stops them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def interrupt(signum, frame) -> None:
        if os.getpid() != owner:
            return
        for child in multiprocessing.active_children():
            child.terminate()
        warnings.filterwarnings("ignore", message=r"\[W127\]")  # "not all worker processes completed": stopped
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


CHUNK = 100_000  # characters per model call


def chunks_of(text: str) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most CHUNK characters, cut at a paragraph, else a sentence, else a space."""
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            for mark, keep in (("\n\n", 0), (". ", 1), (" ", 0)):
                cut = text.rfind(mark, start, end)
                if cut > start:
                    end = cut + keep
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def pipes_to_run(meta: dict, exclude: tuple[str, ...]) -> list[str]:
    """The model's components minus `exclude`. Without the parser, the sentence recognizer (which
    models ship disabled) finds the sentences: the build reads no syntax, and the tagger and parser
    took 30% of the model's time for sentence boundaries alone."""
    components = meta.get("components", meta.get("pipeline", []))
    enabled = set(meta.get("pipeline", []))
    if "parser" in exclude and "senter" not in exclude:
        enabled.add("senter")
    return [c for c in components if c in enabled and c not in exclude]


def unread_embeddings(nlp) -> list[str]:
    """Shared embedding components (tok2vec, transformer) that no component after them listens to.
    In the small English models the sentence recognizer and the entity recognizer embed the text
    themselves, and the shared tok2vec feeds only the tagger and parser: without them it fills
    doc.tensor, which no annotation holds, at a quarter of the model's time. Dropping it changes no
    sentence or entity, so the model's identity (what its annotations hold) keeps it.

    The listeners are looked up in each later component's layers, as spaCy links them, and not read
    from the embedding's listener map: spaCy fills that map at load, and a component enabled after
    (the sentence recognizer, which models ship disabled) is missing from it."""
    import spacy.ty

    unread = []
    for position, (name, pipe) in enumerate(nlp.pipeline):
        if isinstance(pipe, spacy.ty.ListenedToComponent) and not any(
                getattr(layer, "upstream_name", None) in ("*", name)
                for _, later in nlp.pipeline[position + 1:] if hasattr(later, "model") for layer in later.model.walk()):
            unread.append(name)
    return unread


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


def annotation_of(docs: list[tuple[int, object]], text: str) -> Annotation:
    """Sentences (never across paragraphs) and entities of a text annotated in (offset, doc) pieces."""
    breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    sentences = []
    entities = []
    for offset, doc in docs:
        for sent in doc.sents:
            for start, end in split_at(offset + sent.start_char, offset + sent.end_char, breaks):
                start, end = strip_span(text, start, end)
                if start < end:
                    sentences.append(Sentence(len(sentences), bisect.bisect_right(breaks, start), start, end))
        entities += [Entity(ent.label_, offset + ent.start_char, offset + ent.end_char, ent.text) for ent in doc.ents
                     if ent.label_ in KEPT_LABELS and "\n" not in ent.text]
    return Annotation(sentences, entities)


def split_at(start: int, end: int, breaks: list[int]) -> list[tuple[int, int]]:
    """A sentence never runs across paragraphs: the model sometimes joins a heading to its text."""
    first = bisect.bisect_right(breaks, start)
    last = bisect.bisect_left(breaks, end)
    bounds = [start, *breaks[first:last], end]
    return list(itertools.pairwise(bounds))


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
