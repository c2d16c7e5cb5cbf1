"""Full-text search: Pagefind indexes one small record per article and actor, and one for the home page.

Records come from the dossier's data, not from the rendered pages, so the index is built by Pagefind
processes, at the lowest CPU priority, while the build goes on. The records are split into shards,
one bundle each, and a shard whose records did not change (a template edit, an edit elsewhere)
reuses the bundle kept in the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import metadata
from pathlib import Path

from dossier import site

log = logging.getLogger("dossier")
BUNDLE = "pagefind"  # the index's folder in the site


@dataclass(frozen=True)
class Record:
    """What one page is found by: its path in the site, title, text and filters (name, value)."""

    page: str
    title: str
    text: str
    filters: tuple[tuple[str, str], ...] = ()


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
    for record in sorted(records, key=lambda r: r.page):
        digest.update(repr((record.page, record.title, record.text, record.filters)).encode("utf-8", "surrogatepass"))
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
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(record.title)}</title></head>'
            f'<body><main data-pagefind-body><h1>{escape(record.title)}</h1><div data-pagefind-ignore>{filters}</div>'
            f'<p>{escape(record.text)}</p></main></body></html>')


def write_sources(records: list[Record], folder: Path) -> None:
    made: set[Path] = set()
    for record in records:
        path = folder / record.page
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(record_html(record), encoding="utf-8")


class Index:
    """Pagefind's bundle for a set of records: taken from the cache, or built by a background process."""

    def __init__(self, records: list[Record], cache_dir: Path, begin: bool = True):
        """`begin`: start at once, beside the build. Otherwise (watch mode) the index is built after
        the pages are live. Pagefind always runs at the lowest CPU priority, so that it only takes
        what the model, the rendering or the next save's rebuild leave idle."""
        self.root = cache_dir / "search"
        self.records = records
        self.folder = self.root / records_digest(records)
        self.cached = self.folder.is_dir()
        self.work: Path | None = None
        self.process: subprocess.Popen | None = None
        self.starting: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.cancelled = False
        self.lock = threading.Lock()  # between starting Pagefind and stopping it
        if begin:
            self.begin()

    def begin(self) -> None:
        """Start building the bundle unless it is cached or already under way."""
        if self.starting is None and self.process is None and self.work is None and not self.folder.is_dir():
            self.starting = threading.Thread(target=self.start, args=(self.records,), name="dossier-search", daemon=True)
            self.starting.start()

    def start(self, records: list[Record]) -> None:
        """Hand the records to a process that writes Pagefind's input and then becomes Pagefind: the
        thousands of small files are written without holding this process's interpreter, which is
        rendering pages (or, in watch mode, serving the reloading page)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.work = Path(tempfile.mkdtemp(dir=self.root, prefix=".build-"))
            package_parent = str(Path(__file__).resolve().parents[1])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
            with self.lock:
                if self.cancelled:
                    self.discard_work()
                    return
                process = self.process = subprocess.Popen(
                    [sys.executable, "-m", "dossier.search", str(self.work)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env)
            with contextlib.suppress(BrokenPipeError), process.stdin:  # broken: cancelled, the process is gone
                process.stdin.write(json.dumps([[r.page, r.title, r.text, r.filters] for r in records]))
        except BaseException as exc:  # raised again by bundle(), in the build's thread
            self.failure = exc

    def join_start(self) -> None:
        if self.starting is not None:
            self.starting.join()
            self.starting = None
        if self.failure is not None:
            raise RuntimeError(f"cannot start the search index: {self.failure}") from self.failure

    def bundle(self) -> Path:
        """The finished bundle's folder, waiting for Pagefind if it is still running. Raises on failure."""
        self.begin()  # also when a build beside this one pruned the cached bundle since
        self.join_start()
        process = self.process  # cancel() may clear it from another thread meanwhile
        if process is not None:
            with process.stdout:
                output = process.stdout.read()  # Pagefind's messages; their end is the process's end
            process.wait()
            if self.cancelled:
                raise RuntimeError("the search index was stopped: a newer build replaced it")
            if process.returncode != 0:
                raise RuntimeError(f"pagefind failed: {output.strip()[-500:]}")
            self.process = None
            try:
                os.rename(self.work / BUNDLE, self.folder)
            except OSError:
                if not self.folder.is_dir():  # else a build beside this one finished the same index first
                    raise
            self.discard_work()
        return self.folder


    def copy_into(self, target: Path) -> None:
        """Put the bundle into `target` as hard links (a copy where the file system has none),
        keeping those it has already (a spare site's)."""
        site.mirror_links(self.bundle(), target)

    def discard_work(self) -> None:
        """Pagefind's input, a stand-in page per record: removed without making the build wait."""
        if self.work is not None:
            site.remove_in_background(self.work, ".gone-")
            self.work = None

    def cancel(self) -> None:
        """Stop Pagefind, if it runs, and remove its work, without waiting for the thread that writes
        Pagefind's input (it stops by itself); a bundle already made stays in the cache."""
        with self.lock:
            self.cancelled = True
            if self.process is not None:
                self.process.kill()
                self.process.wait()
                self.process = None
        if self.starting is None or not self.starting.is_alive():
            self.discard_work()


RECORDS_PER_SHARD = 2000
# An article's record holds its whole text: Pagefind took 2.2 s for a shard of 1,100 BBC articles,
# 0.6 s for 280. An edited article re-indexes its shard, so articles come in smaller ones.
ARTICLES_PER_SHARD = 300
# A bundle unused this long is dropped: long after any build that might still want it (watch mode
# undoing an edit, two builds at once), soon enough that a day of edits does not fill the disk.
UNUSED_BUNDLE_SECONDS = 600
MOST_SHARDS = 8


def shard_count(records: int, per_shard: int | None = None) -> int:
    """Enough shards that an edit re-indexes a small part, few enough that a search loads few bundles."""
    return max(1, min(MOST_SHARDS, -(-records // (per_shard or RECORDS_PER_SHARD))))


def shard_of(page: str, count: int) -> int:
    """A page's shard: stable while the number of shards stays, whatever else comes and goes."""
    return int.from_bytes(hashlib.blake2b(page.encode(), digest_size=4).digest(), "big") % count


class Search:
    """The site's search: the records split into shards, one Pagefind bundle each (site/pagefind/<n>/),
    which the search page merges. An edited article re-indexes its shard; the others come from the cache.

    Records come in groups, each split into shards of its own, so that a group is indexed as soon as
    the build knows it: the articles' records while the model runs, the actors' once they are resolved.

    Use as a context manager: leaving it early (a failed build) stops every Pagefind it started.
    """

    def __init__(self, records: list[Record], cache_dir: Path, begin: bool = True):
        self.cache_dir, self.begin = cache_dir, begin
        self.root = cache_dir / "search"
        self.indexes: list[Index] = []
        self.add(records)

    def add(self, records: list[Record], per_shard: int | None = None) -> None:
        """Index one more group of records, `per_shard` (RECORDS_PER_SHARD) a bundle, in at most
        MOST_SHARDS bundles; its bundles come after those of the groups added before."""
        count = shard_count(len(records), per_shard)
        shards: list[list[Record]] = [[] for _ in range(count)]
        for record in records:
            shards[shard_of(record.page, count)].append(record)
        self.indexes += [Index(shard, self.cache_dir, self.begin) for shard in shards if shard]

    @property
    def bundles(self) -> list[str]:
        """The bundles' folders in the site, the first one with Pagefind's UI."""
        return [f"{BUNDLE}/{n}/" for n in range(len(self.indexes))]

    @property
    def cached(self) -> bool:
        return all(index.cached for index in self.indexes)

    @property
    def cancelled(self) -> bool:
        return any(index.cancelled for index in self.indexes)

    def copy_into(self, site_folder: Path) -> None:
        self.place(site_folder / BUNDLE)
        self.prune()

    def place(self, folder: Path) -> None:
        """folder/<n> holds shard n, and nothing else is left in `folder` (a spare site's shards)."""
        for n, index in enumerate(self.indexes):
            index.copy_into(folder / str(n))
        shards = {str(n) for n in range(len(self.indexes))}
        for entry in os.scandir(folder) if folder.is_dir() else ():
            if entry.name not in shards:
                site.remove(entry.path)

    def swap_into(self, site_folder: Path) -> None:
        """Replace site/pagefind once every shard is built; renames, so a search never sees half of one."""
        new, old = site_folder / f".{BUNDLE}-new", site_folder / f".{BUNDLE}-old"
        shutil.rmtree(new, ignore_errors=True)
        self.place(new)
        self.prune()
        if (site_folder / BUNDLE).exists():
            os.rename(site_folder / BUNDLE, old)
        os.rename(new, site_folder / BUNDLE)
        shutil.rmtree(old, ignore_errors=True)

    def wait(self) -> None:
        for index in self.indexes:
            index.bundle()

    def prune(self) -> None:
        """Drop the bundles no build has used for a while; the ones just used stay for the next build."""
        now = time.time()
        for index in self.indexes:
            os.utime(index.folder, (now, now))
        for other in self.root.iterdir():  # also the work of a build that was killed
            with contextlib.suppress(FileNotFoundError):  # a remover (discard_work) took it meanwhile
                if now - other.stat().st_mtime > UNUSED_BUNDLE_SECONDS:
                    shutil.rmtree(other, ignore_errors=True)

    def cancel(self) -> None:
        for index in self.indexes:
            index.cancel()

    def __enter__(self) -> Search:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


def bundles_in(site: Path) -> list[str]:
    """The bundles of the index in a built site, named as Search.bundles names them."""
    count = 0
    while (site / BUNDLE / str(count) / "pagefind.js").is_file():
        count += 1
    return [f"{BUNDLE}/{n}/" for n in range(count)]


def keep_previous(old_site: Path, staging: Path) -> None:
    """The live site's index goes into the new one while its replacement is built (watch mode)."""
    if (old_site / BUNDLE).is_dir():
        site.mirror_links(old_site / BUNDLE, staging / BUNDLE)
    else:
        site.remove(str(staging / BUNDLE))


def index_sources(work: Path) -> None:
    """`python -m dossier.search <work>`: read the records (JSON) from stdin, write one stand-in page
    each under <work>/pages, then run Pagefind in this same process, so stopping it stops both; at
    the lowest CPU priority."""
    if hasattr(os, "nice"):
        os.nice(19)
    if hasattr(os, "SCHED_IDLE"):
        # Linux: only the cycles nothing else wants. An idle-class process gives way at once to any
        # other that wakes up (the model's workers, the rendering), which nice 19 alone does not.
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    rows = json.load(sys.stdin)
    write_sources([Record(page, title, text, tuple(tuple(f) for f in filters)) for page, title, text, filters in rows],
                  work / "pages")
    pagefind = [sys.executable, "-m", "pagefind", "--site", str(work / "pages"), "--output-path", str(work / BUNDLE), "--silent"]
    sys.stdout.flush()
    if os.name == "posix":
        os.execv(sys.executable, pagefind)
    sys.exit(subprocess.call(pagefind))  # Windows' exec starts another process: wait for it instead


if __name__ == "__main__":
    index_sources(Path(sys.argv[1]))
