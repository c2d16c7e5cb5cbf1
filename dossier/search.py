"""Full-text search: Pagefind indexes one small record per article and actor.

Records come from the dossier's data, not from the rendered pages, so the index is built while the
build goes on: each shard by a process forked from the build, which writes the shard's stand-in
pages and becomes the Pagefind binary, at the lowest CPU priority (the articles' once the model has
run, the actors' once they are resolved).
The records are split into shards, one bundle each, kept in the cache under the digest of their
records: a shard whose records did not change (a template edit, an edit elsewhere) is not indexed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache, partial
from html import escape
from importlib import metadata
from pathlib import Path

from dossier import cache, site
from dossier.model import Annotation, Article

BUNDLE = "pagefind"  # the index's folder in the site
ARTICLES_PER_MAP = 300  # articles in one sentence map: the search page loads the maps of the results it shows


@dataclass(frozen=True)
class Record:
    """What one page is found by: its path in the site, title, text and filters (name, value); the
    metadata a result shows (name, value); the title's weight (Pagefind weighs a title 7 of 10),
    so a much-named actor comes before a name seen once; and paragraphs each found under its own
    anchor (#p0, #p1 ...), so that a result can open the page where its words are."""

    page: str
    title: str
    text: str
    filters: tuple[tuple[str, str], ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    weight: float | None = None
    paragraphs: tuple[str, ...] = ()


RECORD_FIELDS = [field.name for field in fields(Record)]


def available() -> bool:
    try:
        import pagefind_bin  # noqa: F401 - the package that carries the binary
    except ImportError:
        return False
    return True


def records_digest(records: list[Record]) -> str:
    """Names the index: same records and same Pagefind, same index."""
    digest = hashlib.sha256()
    digest.update(pagefind_version().encode())
    for record in sorted(records, key=lambda r: r.page):  # the field values, as dataclasses.astuple gives them, without its deep copy
        digest.update(repr(tuple(getattr(record, name) for name in RECORD_FIELDS)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)  # asked once an index: reading the installed packages' metadata took 5-10 ms each
def pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def record_html(record: Record) -> str:
    """The stand-in page Pagefind reads for one record; only the search index ever sees it. The title
    is its heading; the filters' words stay out of the text and the excerpts (data-pagefind-ignore
    keeps their filters)."""
    filters = "".join(f'<span data-pagefind-filter="{escape(name)}">{escape(value)}</span>' for name, value in record.filters)
    meta = "".join(f'<span data-pagefind-meta="{escape(name)}">{escape(value)}</span>' for name, value in record.meta)
    weight = "" if record.weight is None else f' data-pagefind-weight="{record.weight:.1f}"'
    # Pagefind makes a sub-result of each heading with an id; the pilcrow is punctuation, never a word
    # found, and the search page drops it from the excerpt.
    anchored = "".join(f'<h6 id="p{n}">¶</h6><p>{escape(text)}</p>' for n, text in enumerate(record.paragraphs) if text)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(record.title)}</title></head>'
            f'<body><main data-pagefind-body><h1{weight}>{escape(record.title)}</h1><div data-pagefind-ignore>{filters}{meta}</div>'
            f'<p>{escape(record.text)}</p>{anchored}</main></body></html>')


def write_sources(records: list[Record], folder: Path) -> None:
    made: set[Path] = set()
    for record in records:
        path = folder / record.page
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(record_html(record), encoding="utf-8")


class Index:
    """Pagefind's bundle for one shard of records: taken from the cache, or built by a Pagefind
    process started at once, at the lowest CPU priority, beside the build."""

    def __init__(self, records: list[Record], cache_dir: Path):
        self.records = records
        self.work: Path | None = None
        self.process: multiprocessing.process.BaseProcess | None = None
        self.start(cache_dir)

    def start(self, cache_dir: Path) -> None:
        self.root = cache_dir / "search"
        self.folder = self.root / records_digest(self.records)
        self.cached = self.folder.is_dir()
        if self.cached:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(dir=self.root, prefix=".build-"))
        try:
            self.process = start_pagefind(self.records, self.work)
        except BaseException:
            self.discard_work()
            raise

    def bundle(self) -> Path:
        """The finished bundle's folder, waiting for Pagefind if it is still running. Raises on failure.
        Pagefind failing in the cache (which may be full) is tried once more in a temporary folder."""
        if self.process is not None:
            # join() without a timeout: the process's sentinel is ready at the exec, not when Pagefind ends
            self.process.join()
            code, self.process = self.process.exitcode, None
            if code != 0:
                output = (self.work / LOG).read_text(encoding="utf-8", errors="replace")  # made before the fork
                self.discard_work()
                stand_in = cache.stand_in(str(self.root.parent))
                if self.root.parent == stand_in:
                    raise RuntimeError(f"pagefind failed (exit code {code}): {output.strip()[-500:]}")
                cache.cannot_keep(f"the search index failed there, Pagefind's exit code {code}")
                self.start(stand_in)
                return self.bundle()
            with contextlib.suppress(OSError):  # else a build of the same records beside this one was first
                os.rename(self.work / BUNDLE, self.folder)
            self.discard_work()
        return self.folder

    def discard_work(self) -> None:
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def cancel(self) -> None:
        """Stop Pagefind, if it runs, and remove its work; a bundle already made stays in the cache."""
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None
        self.discard_work()


RECORDS_PER_SHARD = 2000
# An article's record holds its whole text: Pagefind took 2.2 s for a shard of 1,100 BBC articles,
# 0.6 s for 280. An edited article re-indexes its shard, so articles come in smaller ones.
ARTICLES_PER_SHARD = 300
# A bundle unused this long is dropped: long after any build that might still want it (an edit
# undone, two output folders), soon enough that a day of edits does not fill the disk.
UNUSED_BUNDLE_SECONDS = 600
MOST_SHARDS = 8


def shard_count(records: int, per_shard: int | None = None) -> int:
    """Enough shards that an edit re-indexes a small part, few enough that a search loads few bundles."""
    return max(1, min(MOST_SHARDS, -(-records // (per_shard or RECORDS_PER_SHARD))))


def shards_of(records: list[Record], per_shard: int | None = None) -> list[list[Record]]:
    count = shard_count(len(records), per_shard)
    shards: list[list[Record]] = [[] for _ in range(count)]
    for record in records:
        shards[shard_of(record.page, count)].append(record)
    return [shard for shard in shards if shard]


def shard_of(page: str, count: int) -> int:
    """A page's shard: stable while the number of shards stays, whatever else comes and goes."""
    return int.from_bytes(hashlib.blake2b(page.encode(), digest_size=4).digest(), "big") % count


class Search:
    """The site's search: the records split into shards, one Pagefind bundle each (site/pagefind/<n>/),
    which the search page merges. Records come in groups, each split into shards of its own, so that a
    group is indexed as soon as the build knows it. Use as a context manager: leaving it early (a
    failed build) stops every Pagefind it started."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.indexes: list[Index] = []

    def add(self, records: list[Record], per_shard: int | None = None) -> None:
        """Index one more group of records, `per_shard` (RECORDS_PER_SHARD) a bundle, in at most
        MOST_SHARDS bundles; its bundles come after those of the groups added before."""
        for shard in shards_of(records, per_shard):
            try:
                self.indexes.append(Index(shard, self.cache_dir))
            except OSError as exc:  # a full or read-only cache: index in a temporary folder instead
                cache.cannot_keep(exc.strerror or str(exc))
                self.cache_dir = cache.stand_in(str(self.cache_dir))
                self.indexes.append(Index(shard, self.cache_dir))

    @property
    def bundles(self) -> list[str]:
        """The bundles' folders in the site, the first one with Pagefind's script."""
        return [f"{BUNDLE}/{n}/" for n in range(len(self.indexes))]

    def copy_into(self, site_folder: Path) -> None:
        """site_folder/pagefind/<n> holds shard n, as hard links to the cached bundle."""
        for n, index in enumerate(self.indexes):
            shutil.copytree(index.bundle(), site_folder / BUNDLE / str(n), copy_function=link_or_copy)
        self.prune()

    def prune(self) -> None:
        """Drop the bundles no build has used for a while; the ones just used stay for the next build."""
        now = time.time()
        for index in self.indexes:
            os.utime(index.folder, (now, now))
        for other in self.root_folders():  # also the work of a build that was killed
            with contextlib.suppress(FileNotFoundError):
                if now - other.stat().st_mtime > UNUSED_BUNDLE_SECONDS:
                    shutil.rmtree(other, ignore_errors=True)

    def root_folders(self) -> list[Path]:
        root = self.cache_dir / "search"
        return list(root.iterdir()) if root.is_dir() else []

    def cancel(self) -> None:
        for index in self.indexes:
            index.cancel()

    def __enter__(self) -> Search:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


def sentence_map_path(number: int) -> str:
    return f"search/sentences.{number}.json"


def sentence_map_of(page: str, articles: int) -> int:
    """The sentence map that holds an article's page: known before the model runs, so the article's
    search record can name it."""
    return shard_of(page, max(1, -(-articles // ARTICLES_PER_MAP)))


def word_starts(article: Article, annotation: Annotation) -> list[list[int]]:
    """For each paragraph, its first sentence's index, then the word each of its sentences starts in,
    counted as Pagefind counts them (split at whitespace) from the paragraph's start. A sentence may
    start inside a word ("[dialogue" split after the bracket): it starts in that word."""
    starts: list[list[int]] = [[] for _ in article.paragraphs]
    offsets, at = [], 0
    for paragraph in article.paragraphs:
        offsets.append(at)
        at += len(paragraph.text) + 2  # Article.text joins the paragraphs with a blank line
    text, before, at = "", 0, 0  # the paragraph; words begun before `at` in it
    for s in annotation.sentences:
        if s.paragraph >= len(starts):
            continue
        row = starts[s.paragraph]
        if not row:
            row.append(s.index)
            text, before, at = article.paragraphs[s.paragraph].text, 0, 0
        start = s.start - offsets[s.paragraph]
        # str.split counts from the last start on (a word cut there is counted twice): linear, and
        # several times faster than matching each word
        before += len(text[at:start].split()) - (0 < at < len(text) and not text[at - 1].isspace() and not text[at].isspace())
        at = start
        inside = 0 < start < len(text) and not text[start - 1].isspace() and not text[start].isspace()
        row.append(before - inside)
    return starts


def sentence_maps(articles: list[Article], annotations: dict[str, Annotation], pages: dict[str, str],
                  parts_of: Callable[[str], list[int]]) -> dict[str, Callable[[], bytes]]:
    """site path -> the bytes of each sentence map: for each article's page, where its sentences start
    (word_starts), and for a long article the first sentence of each of its pages. The search page
    reads them to open an article result at the sentence with most of the words found, which the
    index (built before the model splits sentences) does not know."""
    groups: dict[int, list[Article]] = {}
    for article in articles:
        groups.setdefault(sentence_map_of(pages[article.id], len(articles)), []).append(article)

    def one(group: list[Article]) -> bytes:
        entries: dict[str, object] = {}
        for article in group:
            starts = word_starts(article, annotations[article.id])
            parts = parts_of(article.id)
            entries[pages[article.id]] = starts if len(parts) == 1 else {
                "p": starts, "parts": [[first, site.article_part_path(pages[article.id], n)] for n, first in enumerate(parts, 1)]}
        return json.dumps(entries, separators=(",", ":"), sort_keys=True).encode("utf-8")

    return {sentence_map_path(n): partial(one, group) for n, group in sorted(groups.items())}


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


LOG = "pagefind.log"


def start_pagefind(records: list[Record], work: Path) -> multiprocessing.process.BaseProcess:
    """A forked process that writes the records' stand-in pages into `work` and becomes Pagefind, at
    the lowest CPU priority. Forked, it needs no Python of its own: a new one importing dossier, per
    shard, had cost more CPU than Pagefind indexing the shard. The folder and the log are made here,
    so that a cache that cannot be written fails now, in the build, which then indexes elsewhere."""
    (work / "pages").mkdir()
    log = os.open(work / LOG, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        fork = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        process = fork.Process(target=index_sources, args=(records, work, pagefind_executable(), log), daemon=False)
        process.start()
    finally:
        os.close(log)
    return process


@lru_cache(maxsize=1)
def pagefind_executable() -> str:
    """The binary `python -m pagefind` would run (PAGEFIND_BINARY_PATH, the extended one, the plain one)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise RuntimeError("search: no Pagefind binary found (pip install 'pagefind[bin]')")
    return str(found)


def index_sources(records: list[Record], work: Path, pagefind: str, log: int) -> None:
    """In the forked process: the stand-in pages, then Pagefind in place of this process (stopping it
    stops Pagefind), reading nothing, its output in the `log` file."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    write_sources(records, work / "pages")  # before the priority drops: the build's memory is shared until the exec
    os.nice(19)
    # Linux: the idle class, which Pagefind's threads inherit: only the cycles nothing else wants. It
    # gives way at once to any process that wakes up (the model's workers, the rendering), which
    # nice 19 alone does not.
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    os.execv(pagefind, [pagefind, "--site", str(work / "pages"), "--output-path", str(work / BUNDLE), "--silent"])
