"""Full-text search: Pagefind indexes one small record per article and actor.

Records come from the dossier's data, not from the rendered pages, so the index is built by a
Pagefind process on the other core while the pages render, and a set of records that did not change
(a template edit, a rebuild with nothing changed) reuses the index kept in the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from html import escape
from importlib import metadata
from pathlib import Path

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
    digest = hashlib.blake2b(digest_size=16)
    digest.update(pagefind_version().encode())
    for record in sorted(records, key=lambda r: r.page):
        digest.update(json.dumps([record.page, record.title, record.text, record.filters]).encode())
    return digest.hexdigest()


def pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def record_html(record: Record) -> str:
    """The stand-in page Pagefind reads for one record; only the search index ever sees it."""
    filters = "".join(f'<span data-pagefind-filter="{escape(name)}">{escape(value)}</span>' for name, value in record.filters)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(record.title)}</title></head>'
            f'<body><main data-pagefind-body><h1>{escape(record.title)}</h1><div hidden>{filters}</div>'
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
    """Pagefind's bundle for a set of records: taken from the cache, or built by a background process.

    Use as a context manager: leaving it early (a failed build) stops the process and removes its work.
    """

    def __init__(self, records: list[Record], cache_dir: Path, begin: bool = True):
        self.root = cache_dir / "search"
        self.records = records
        self.folder = self.root / records_digest(records)
        self.cached = self.folder.is_dir()
        self.work: Path | None = None
        self.process: subprocess.Popen | None = None
        self.starting: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.cancelled = False
        if begin:
            self.begin()

    def begin(self) -> None:
        """Start building the bundle unless it is cached or already under way."""
        if not self.cached and self.starting is None and self.process is None and self.work is None:
            # Writing thousands of small files is I/O: a thread does it while the pages render.
            self.starting = threading.Thread(target=self.start, args=(self.records,), name="dossier-search", daemon=True)
            self.starting.start()

    def start(self, records: list[Record]) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.work = Path(tempfile.mkdtemp(dir=self.root, prefix=".build-"))
            write_sources(records, self.work / "pages")
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pagefind", "--site", str(self.work / "pages"),
                 "--output-path", str(self.work / BUNDLE), "--silent"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
        self.begin()
        self.join_start()
        if self.process is not None:
            output, _ = self.process.communicate(timeout=600)
            if self.process.returncode != 0:
                raise RuntimeError(f"pagefind failed: {output.strip()[-500:]}")
            self.process = None
            try:
                os.rename(self.work / BUNDLE, self.folder)
            except OSError:
                if not self.folder.is_dir():  # else a build beside this one finished the same index first
                    raise
            self.discard_work()
            self.prune()
        return self.folder


    def copy_into(self, site: Path) -> None:
        """Put the bundle into site/pagefind as hard links (a copy where the file system has none)."""
        shutil.copytree(self.bundle(), site / BUNDLE, copy_function=link_or_copy)

    def prune(self) -> None:
        """Keep only this index: an older one is never reused once the records have changed."""
        for other in self.root.iterdir():
            if other != self.folder and not other.name.startswith("."):
                shutil.rmtree(other, ignore_errors=True)

    def discard_work(self) -> None:
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop Pagefind, if it runs, and remove its work; a bundle already made stays in the cache."""
        self.cancelled = True
        if self.starting is not None:
            self.starting.join()
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        self.discard_work()


def keep_previous(old_site: Path, staging: Path) -> None:
    """The live site's index goes into the new one while its replacement is built (watch mode)."""
    if (old_site / BUNDLE).is_dir():
        shutil.copytree(old_site / BUNDLE, staging / BUNDLE, copy_function=link_or_copy)


def swap_in(index: Index, site: Path) -> None:
    """Replace site/pagefind by the index once it is built; renames, so a search never sees half of one."""
    new, old = site / f".{BUNDLE}-new", site / f".{BUNDLE}-old"
    with index:
        shutil.rmtree(new, ignore_errors=True)
        shutil.copytree(index.bundle(), new, copy_function=link_or_copy)
    if (site / BUNDLE).exists():
        os.rename(site / BUNDLE, old)
    os.rename(new, site / BUNDLE)
    shutil.rmtree(old, ignore_errors=True)


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
