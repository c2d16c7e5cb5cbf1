"""The only module that knows output paths: URL scheme, Jinja environment, pages, atomic writing."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import posixpath
import re
import shutil
import stat
import subprocess
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from slugify import slugify

from dossier.problems import ConfigError, shown_path

OWNER_MARKER = ".dossier-site"  # present in every output folder the build made


# -- URL scheme ---------------------------------------------------------------------------------

SAFE_PART = re.compile(r"[a-z0-9_][a-z0-9_-]{0,79}")
RESERVED = {"index"}  # every folder's index.html is a listing, never an item's page
PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")  # lower-case words, one space apart: their slug is themselves


def article_path(article_id: str) -> str:
    """articles/<id>.html; a path part that is not already a short safe slug gets a hash of itself,
    so distinct ids never share a page ("Talks 2022" and "talks-2022")."""
    parts = [part if SAFE_PART.fullmatch(part) and part not in RESERVED else safe_part(part)
             for part in PurePosixPath(article_id).parts]
    return "articles/" + "/".join(parts) + ".html"


def safe_part(part: str) -> str:
    return f"{slugify(part, max_length=60) or 'article'}-{short_hash(part)}"


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def article_paths(article_ids: list[str]) -> dict[str, str]:
    """Every article's page, distinct even when two ids slug alike ("Talks 2022", "talks-2022-c701aff1")."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for article_id in sorted(article_ids):
        path = article_path(article_id)
        if path in taken:
            path = path.removesuffix(".html") + f"-{hashlib.sha1(article_id.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}.html"
        taken.add(path)
        paths[article_id] = path
    return paths


@lru_cache(maxsize=65536)  # names recur in every build of a watch session
def item_id(key: str) -> str:
    """An id for a page in a listing folder (actors/, outlets/): stable, short, never `index`."""
    if len(key) <= 80 and PLAIN_KEY.fullmatch(key) and key not in RESERVED:
        return key.replace(" ", "-")  # what slugify makes of it, without its 20 µs (12.7k actors a build)
    slug = slugify(key, max_length=80, word_boundary=True)
    if not slug or slug in RESERVED or slug != slugify(key):
        return f"{slug or 'item'}-{short_hash(key)}"
    return slug


def actor_path(actor_id: str) -> str:
    return f"actors/{actor_id}.html"


def outlet_path(outlet_id: str) -> str:
    return f"outlets/{outlet_id}.html"


def timeline_path(year: str | None = None) -> str:
    return "timeline/index.html" if year is None else f"timeline/{year}.html"


REPORT_PATH = "curation.html"


def relative_url(from_page: str, target: str) -> str:
    """A link from one output page to another path (optionally with #fragment), page-relative.

    Works from file://, from the server root and under any sub-path.
    """
    folder, _, name = from_page.rpartition("/")
    return link_in(folder, name, target)


def link_in(folder: str, name: str, target: str) -> str:
    """relative_url from the page `name` in `folder`: a bare fragment stays on the page."""
    if target.startswith("#") or not target:
        return name + target
    return link_from(folder, target)


@lru_cache(maxsize=1 << 17)  # every page of a folder links to the same few hundred targets
def link_from(folder: str, target: str) -> str:
    """relative_url from any page in `folder` to a target with a path."""
    path, _, fragment = target.partition("#")
    link = relative_path(folder, path)
    return f"{link}#{fragment}" if fragment else link


def relative_path(start_dir: str, path: str) -> str:
    """posixpath.relpath for the site's own relative paths, without touching the file system."""
    name = path.rpartition("/")[2]
    return (folder_link(start_dir, path[:len(path) - len(name)]) + name) or "./"


@lru_cache(maxsize=4096)  # a site has a few dozen folders: pages link to 60k targets in them
def folder_link(start_dir: str, folder: str) -> str:
    """The link from the folder `start_dir` to `folder` ("" or ending in a slash), "" or ending in a slash."""
    start = [p for p in start_dir.split("/") if p]
    parts = folder.split("/")[:-1] if folder else []
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    steps = [".."] * (len(start) - common) + parts[common:]
    return "/".join(steps) + "/" if steps else ""


def absolute_url(base_url: str, target: str) -> str:
    return base_url.rstrip("/") + "/" + target.lstrip("/")


# -- rendering ----------------------------------------------------------------------------------

def environment(theme_dirs: list[Path], base_url: str, article_pages: dict[str, str] | None = None,
                compiled: Path | None = None) -> Environment:
    """A build's Jinja environment for a theme: the user's folder first, then the default theme, file
    by file. A new one each build, so an edited or added override is always seen; with `compiled` (a
    folder of the cache), compiled templates are kept there, keyed by their source."""
    env = Environment(loader=FileSystemLoader([str(d) for d in theme_dirs]), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                      bytecode_cache=compiled_templates(compiled))
    env.globals.update(actor_path=actor_path, outlet_path=outlet_path, timeline_path=timeline_path, base_url=base_url,
                       article_path=article_pages.__getitem__ if article_pages is not None else article_path)
    return env


def compiled_templates(folder: Path | None) -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates, keyed by each template's source: an edited template is
    compiled again. None if the folder cannot be made (a read-only cache: compile every time)."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def page_links(base_url: str | None, page_path: str) -> Callable[[str], str]:
    """A page's `url(target)`: relative to the page, or absolute from `base_url` (the 404 page, served at any depth)."""
    if base_url is not None:
        return partial(absolute_url, base_url)
    return partial(relative_url, page_path)


def describe_error(exc: BaseException) -> str:
    """'file:line: message' for an error raised while rendering a template, naming the template."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{shown_path(exc.filename) if exc.filename else exc.name}:{exc.lineno}: template syntax error: {exc.message}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".css"))]
    where = f"{shown_path(frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""
    return f"{where}{type(exc).__name__}: {exc}"


def render(env: Environment, template: str, page_path: str, **context) -> bytes:
    return render_text(env, template, page_path, **context).encode("utf-8")


def render_text(env: Environment, template: str, page_path: str, **context) -> str:
    """The page at `page_path`; its templates link with `url(target)` (page_links)."""
    links = page_links(env.globals["base_url"] if context.get("absolute_links") else None, page_path)
    return env.get_template(template).render(page_path=page_path, url=links, **context)


# -- writing ------------------------------------------------------------------------------------

def check_output_folder(out: Path, protected: list[Path], force: bool) -> None:
    """Refuse to replace what the build does not own: `/`, home, inputs, or a stranger's folder."""
    resolved = out.resolve()
    home = Path.home().resolve()
    if resolved == Path(resolved.anchor) or home.is_relative_to(resolved):
        raise ConfigError(f"refusing to use {out} as the output folder: it is or contains your home folder or /")
    for folder in protected:
        folder = folder.resolve()
        if folder.is_relative_to(resolved):
            raise ConfigError(f"refusing to use {out} as the output folder: it contains the inputs in {folder}")
        if resolved.is_relative_to(folder):
            raise ConfigError(f"refusing to use {out} as the output folder: it is inside the inputs in {folder}")
    if out.is_dir() and any(out.iterdir()) and not (out / OWNER_MARKER).exists() and not force:
        raise ConfigError(f"{out} is not empty and was not made by dossier; "
                          "pass --force to replace it, or choose another --out")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} exists and is not a folder")


@dataclass(frozen=True)
class Stored:
    """A file already in the new site's folder, put there by whoever rendered it (NewSite.put)."""

    digest: str
    written: bool  # False: the previous site's file, hard-linked


class NewSite:
    """The folder the next site is written into, beside `out`, until write_site swaps it into place.

    With a `spare` (a folder of the cache), the site replaced by the last build is kept there, and
    the next build writes into it: each page is written over the file it had two builds ago, keeping
    its inode, and a page unchanged since then is left alone. Creating a file is the costly part of
    writing one here (15k new files took 0.3-7 s of system time, the same files written over 0.2 s).

    Unchanged files (same digest as in the previous site's manifest) that the spare does not hold
    already are copied from the previous site with their times, or hard-linked where the spare has no
    file of its own to write into. `put` works from forked children too: each writes the pages it
    renders, on its own core, instead of sending them back."""

    def __init__(self, out: Path, spare: Path | None = None):
        self.out = out.absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(self.out)
        self.folder = self.out.with_name(f".{self.out.name}.tmp-{os.getpid()}")
        self.before = read_manifest(self.out)
        self.spare = spare.absolute() if spare is not None else None
        self._made: set[str] = set()
        self._taken: list[str] = []
        self.present: set[str] = set()  # the spare's files, as taken
        shutil.rmtree(self.folder, ignore_errors=True)  # left by an earlier build of this process
        self.held: dict[str, str] | None = self._take_spare()  # None: a new, empty folder

    def _take_spare(self) -> dict[str, str] | None:
        """The spare becomes this build's folder; the digests of the files it holds, as its manifest
        lists them (none if it has none: an interrupted build's folder, whose files are all rewritten)."""
        if self.spare is not None:
            try:
                os.rename(self.spare, self.folder)
            except OSError:  # none yet, or on another file system than the site
                pass
            else:
                listed = read_manifest(self.folder)
                (self.folder / OWNER_MARKER).unlink(missing_ok=True)  # no longer a whole site
                self.present = relative_files(str(self.folder))
                return {rel: digest for rel, digest in listed.items() if rel in self.present}  # a file deleted since: not held
        self.folder.mkdir()
        return None

    def put(self, rel: str, data: bytes) -> Stored:
        path = self._path_for(rel)
        digest = hashlib.sha256(data).hexdigest()[:32]  # SHA-256: hardware-accelerated on current CPUs, 6x BLAKE2 here
        unchanged = self.before.get(rel) == digest
        if self._holds(rel, digest) or (unchanged and self._copy_old(rel, path, data)):
            return Stored(digest, written=not unchanged)
        write_file(path, data)  # also when put again (a failed child's share): never through a link
        return Stored(digest, written=True)

    def keep(self, rel: str) -> Stored:
        """The previous site's file, as it is."""
        if rel not in self.before or not (self._holds(rel, self.before[rel]) or self._copy_old(rel, self._path_for(rel))):
            raise RuntimeError(f"{rel} was to be kept from the last build, but it is gone; build again")
        return Stored(self.before[rel], written=False)

    def discard(self) -> None:
        """Drop the folder of a build that failed; it stays the spare, if there is room (its files
        are rewritten, not trusted, by the next build)."""
        if self.spare is not None and self.folder.is_dir():
            with contextlib.suppress(OSError):
                (self.folder / OWNER_MARKER).unlink(missing_ok=True)
                os.rename(self.folder, self.spare)
        shutil.rmtree(self.folder, ignore_errors=True)

    def retire(self, previous: Path) -> None:
        """The site just replaced becomes the spare, or is deleted in the background."""
        if self.spare is not None and previous.is_dir():
            with contextlib.suppress(OSError):  # a spare already there (a build beside this one), another file system
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                os.rename(previous, self.spare)
        remove_in_background(previous, gone_prefix(self.out))

    def sweep(self, files: dict[str, bytes | Stored | None], placed_later: tuple[str, ...]) -> None:
        """Delete what the spare held that the new site has not: pages gone since, and anything else
        (the folders in `placed_later`, the search index, are set right by whoever places them)."""
        emptied = set()
        for rel in sorted(self.present - files.keys()):
            if rel.partition("/")[0] not in placed_later:
                os.unlink(os.path.join(self.folder, rel))
                emptied.add(posixpath.dirname(rel))
        for folder in sorted(emptied, key=len, reverse=True):  # the deepest first
            while folder and os.path.isdir(os.path.join(self.folder, folder)) and not os.listdir(os.path.join(self.folder, folder)):
                os.rmdir(os.path.join(self.folder, folder))
                folder = posixpath.dirname(folder)

    def take_folders(self, folders: list[str]) -> None:
        """Move these folders of the site in place into the new one, as they are: one rename instead
        of a hard link per file (12.7k actor pages when only article.html changed). Done last,
        just before the swap; a journal beside the site names them until then, so that a build
        killed in between gives them back (recover_interrupted)."""
        if not folders:
            return
        journal = moved_journal(self.out, self.folder)
        journal.write_text("\n".join(folders) + "\n", encoding="utf-8")
        for folder in folders:
            os.rename(os.path.join(self.out, folder), os.path.join(self.folder, folder))
            self._taken.append(folder)

    def give_back(self) -> None:
        """The folders taken from the site in place go back to it (the swap did not happen)."""
        while self._taken:
            folder = self._taken.pop()
            os.rename(os.path.join(self.folder, folder), os.path.join(self.out, folder))
        moved_journal(self.out, self.folder).unlink(missing_ok=True)

    def _holds(self, rel: str, digest: str) -> bool:
        """Whether the spare's file is this one already (then it is left as it is)."""
        return self.held is not None and self.held.get(rel) == digest

    def _path_for(self, rel: str) -> str:
        # os.path on strings, not pathlib: this runs once per page, 15k times for a large dossier
        if not safe_relative(rel):
            raise ValueError(f"output path escapes the site folder: {rel}")
        folder = posixpath.dirname(rel)
        if folder and folder not in self._made:
            make_folders(self.folder, folder)
            self._made.add(folder)
        return os.path.join(self.folder, rel)

    def _copy_old(self, rel: str, new: str, data: bytes | None = None) -> bool:
        """The previous site's file at `new`: its bytes and times written over the spare's file,
        or a hard link to it where there is no file of the spare's own to write over."""
        old = os.path.join(self.out, rel)
        if self.held is not None and rel in self.held:
            with contextlib.suppress(OSError):
                with open(old, "rb") as source:
                    info = os.fstat(source.fileno())
                    data = source.read() if data is None else data
                if rewrite(new, data, (info.st_atime_ns, info.st_mtime_ns)):
                    return True
        remove(new)
        return linked(old, new)


def relative_files(root: str) -> set[str]:
    """The relative paths of the files (and links) under `root`."""
    found = set()
    for top, _, names in os.walk(root):
        prefix = folder_prefix(top, root)
        found.update(prefix + name for name in names)
    return found


def folder_prefix(top: str | Path, root: str | Path) -> str:
    """'a/b/' for the folder root/a/b, '' for root itself: what its files' paths relative to root begin with."""
    relative = os.path.relpath(top, root)
    return "" if relative == "." else relative.replace(os.sep, "/") + "/"


def make_folders(root: str | Path, folder: str) -> None:
    """root/folder, replacing a file of the spare that stands where a folder now goes."""
    try:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        parts = folder.split("/")
        for n in range(1, len(parts) + 1):
            path = os.path.join(root, *parts[:n])
            if os.path.lexists(path) and not os.path.isdir(path):
                os.unlink(path)
        os.makedirs(os.path.join(root, folder), exist_ok=True)


def rewrite(path: str, data: bytes, times: tuple[int, int] | None = None) -> bool:
    """Write `data` over the file at `path`, keeping its inode; False (and nothing written) if
    there is none, or another name shares it: a hard link into the site in place."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # absent, a folder, a symbolic link
        return False
    # os-level calls, not a file object: a file object's truncate() costs as much as the writing
    try:
        info = os.fstat(fd)
        if info.st_nlink != 1 or not stat.S_ISREG(info.st_mode):
            return False
        write_all(fd, data)
        if info.st_size > len(data):
            os.ftruncate(fd, len(data))
        if times is not None:
            os.utime(fd, ns=times)
    finally:
        os.close(fd)
    return True


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_file(path: str, data: bytes) -> None:
    """The file at `path` holds `data`: written over in place if it may be, else made anew."""
    if not rewrite(path, data):
        remove(path)
        write_new(path, data)


def remove(path: str) -> None:
    """Whatever is at `path`: a file, a link, a folder."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        shutil.rmtree(path)


def write_new(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


def write_site(out: Path, files: dict[str, bytes | Stored | None], finish=None, new: NewSite | None = None,
               also_kept: tuple[str, ...] = (), finish_places: tuple[str, ...] = (),
               spare: Path | None = None) -> dict[str, int]:
    """Write all files into a folder beside `out` (`new`, which may hold some of them already:
    those given as Stored), then swap it into place. With a `spare` folder (see NewSite), the
    replaced site is kept there for the next build to write into.

    A file given as None is kept from the previous site (it must be there); a top-level folder
    whose every file is kept moves into the new site whole, and so do the folders in `also_kept`
    (the search index). `finish(folder)` runs on the complete new folder before the swap, and puts
    the folders `finish_places` names in it. A failure or interruption before the swap leaves the
    previous site as it was.
    """
    new = new or NewSite(out, spare)
    previous = new.out.with_name(f".{new.out.name}.old-{os.getpid()}-{next(_builds)}")
    digests: dict[str, str] = {}
    stats = {"written": 0, "unchanged": 0}
    whole = {top for top in wholly_kept(files, new.before, new.out) if not (new.folder / top).exists()}
    swapped = False
    try:
        for rel, data in sorted(files.items()):
            if data is None and rel.partition("/")[0] in whole:
                stored = Stored(new.before[rel], written=False)  # moves with its folder
            else:
                stored = data if isinstance(data, Stored) else new.keep(rel) if data is None else new.put(rel, data)
            digests[rel] = stored.digest
            stats["written" if stored.written else "unchanged"] += 1
        new.sweep(files, also_kept + finish_places)
        (new.folder / OWNER_MARKER).write_text(MARKER_TEXT + json.dumps(digests, sort_keys=True, indent=0) + "\n")
        if finish is not None:
            finish(new.folder)  # e.g. the search index, built from the new pages before anyone sees them
        kept_folders = [f for f in also_kept if (new.out / f).is_dir()]
        in_spare = [f for f in kept_folders if (new.folder / f).exists()]
        for folder in in_spare:  # the spare's: set right, not replaced
            mirror_links(new.out / folder, new.folder / folder)
        new.take_folders(sorted(whole) + [f for f in kept_folders if f not in in_spare])
        if new.out.exists():
            os.rename(new.out, previous)
        os.rename(new.folder, new.out)
        swapped = True
        moved_journal(new.out, new.folder).unlink(missing_ok=True)
    finally:
        if not swapped:
            new.give_back()
        new.discard()
        new.retire(previous)
    return stats


def mirror_links(source: Path | str, target: Path | str) -> None:
    """Make `target` a tree of hard links to the files of `source` (copies where the file system has
    no links), keeping the links it has already: a spare site's copy of the same search index."""
    os.makedirs(target, exist_ok=True)
    same_device = os.stat(source).st_dev == os.stat(target).st_dev
    have = {entry.name: entry for entry in os.scandir(target)}
    for entry in os.scandir(source):
        there = have.pop(entry.name, None)
        path = os.path.join(target, entry.name)
        if entry.is_dir(follow_symlinks=False):
            if there is not None and not there.is_dir(follow_symlinks=False):
                remove(path)
            mirror_links(entry.path, path)
        elif there is None or not same_device or there.inode() != entry.inode() or there.is_dir(follow_symlinks=False):
            if there is not None:
                remove(path)
            link_or_copy(entry.path, path)
    for entry in have.values():
        remove(entry.path)


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def wholly_kept(files: dict[str, bytes | Stored | None], before: dict[str, str], out: Path) -> set[str]:
    """The top-level folders whose every file is kept as it is: none new, changed or gone, and no
    other file in the folder in place."""
    kept: Counter[str] = Counter()
    touched: set[str] = set()
    for rel, data in files.items():
        top, inside, _ = rel.partition("/")
        if inside:
            if data is None and rel in before:
                kept[top] += 1
            else:
                touched.add(top)
    touched.update(rel.partition("/")[0] for rel in before.keys() - files.keys())
    return {top for top, count in kept.items() if top not in touched and files_in(out / top) == count}


def files_in(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def moved_journal(out: Path, new_folder: Path) -> Path:
    """Names the folders a build moved from the site in place into `new_folder` before its swap."""
    return out.with_name(f".{out.name}.moved-{new_folder.name}")


def gone_prefix(out: Path) -> str:
    """The name a replaced site takes while it is deleted, before its remover's process id."""
    return f".{out.name}.gone-"


_builds = itertools.count()  # a watch session writes many sites: each old one gets a name of its own


def remove_in_background(folder: Path, renamed: str) -> None:
    """Delete a folder without making anyone wait: the replaced site (15k files took 1-2.5 s on the
    test machine) or Pagefind's stand-in pages. A process of its own deletes it, so a build from the
    command line exits as soon as its site is in place, and a watch session's next save never shares
    the interpreter with it. The remover first renames the folder to `renamed` + its process id, so
    that a later build can tell a removal under way from one a killed remover left (left_by_removers)."""
    if not folder.exists():
        return
    _removals[:] = [r for r in _removals if r.poll() is None]  # and the finished ones are reaped
    try:
        _removals.append(subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", REMOVER, str(folder), str(folder.with_name(renamed))],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=os.name == "posix"))
    except OSError:  # no interpreter to start (an embedded Python): wait for it here instead
        shutil.rmtree(folder, ignore_errors=True)


REMOVER = """import os, shutil, sys
folder, target = sys.argv[1], sys.argv[2] + str(os.getpid())
try:
    os.rename(folder, target)
except OSError:
    target = folder
shutil.rmtree(target, ignore_errors=True)
"""
_removals: list[subprocess.Popen] = []


def left_by_removers(parent: Path, renamed: str) -> list[Path]:
    """The folders named `renamed` + a process id whose remover is no longer running."""
    left = []
    for folder in parent.glob(f"{renamed}*"):
        pid = folder.name.removeprefix(renamed)
        if pid.isdigit() and not running(int(pid)):
            left.append(folder)
    return left


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process, or a system that cannot tell: leave its folder alone
    return True


def finish_removals() -> None:
    """Wait until every folder given to remove_in_background is gone (the tests wait)."""
    while _removals:
        _removals.pop().wait()


MARKER_TEXT = "made by dossier; safe to delete. Digests of the files it wrote:\n"


def read_manifest(out: Path) -> dict[str, str]:
    """The previous build's digests, or nothing when absent or unreadable (then every file is written)."""
    try:
        text = (out / OWNER_MARKER).read_text(encoding="utf-8")
        manifest = json.loads(text.removeprefix(MARKER_TEXT)) if text.startswith(MARKER_TEXT) else {}
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def safe_relative(rel: str) -> bool:
    return bool(rel) and not rel.startswith("/") and posixpath.normpath(rel) == rel and not rel.startswith("..")


def linked(source: Path | str, target: Path | str) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def recover_interrupted(out: Path) -> None:
    """A build killed between its two renames leaves the last site beside `out`: put it back."""
    leftovers = sorted(out.parent.glob(f".{out.name}.old-*"))
    if leftovers and not out.exists():
        os.rename(leftovers[-1], out)
    for journal in out.parent.glob(f".{out.name}.moved-*"):  # folders taken just before a swap that never came
        taken_into = out.parent / journal.name.removeprefix(f".{out.name}.moved-")
        for folder in journal.read_text(encoding="utf-8").splitlines():
            if (taken_into / folder).is_dir() and out.is_dir() and not (out / folder).exists():
                os.rename(taken_into / folder, out / folder)
        journal.unlink()
    for stale in [*out.parent.glob(f".{out.name}.old-*"), *out.parent.glob(f".{out.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    for left in left_by_removers(out.parent, gone_prefix(out)):  # a remover was killed: finish its work
        remove_in_background(left, gone_prefix(out))
