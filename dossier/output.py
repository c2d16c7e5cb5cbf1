"""Writing the site: one build at a time per output folder, and a new site swapped in whole.

A build renders every file in memory, then fills a new folder beside the output folder: a file
whose bytes the site in place already has (by the digests in its manifest) is hard-linked from it,
the rest are written. The new folder then takes the output folder's place in one atomic exchange
(renameat2 on Linux), so an interruption at any instant leaves either the old site or the new one.
Only what a dead build left beside the output folder is ever cleaned up, under the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import logging
import os
import posixpath
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from dossier.problems import ConfigError

log = logging.getLogger("dossier")
OWNER_MARKER = ".dossier-site"  # present in every output folder the build made
MARKER_TEXT = "made by dossier; safe to delete. Digests of the files it wrote:\n"


def check_output_folder(out: Path, protected: list[Path], force: bool) -> None:
    """Refuse to replace what the build does not own: `/`, home, inputs, a stranger's folder, a link."""
    if out.is_symlink():
        raise ConfigError(f"refusing to use {out} as the output folder: it is a symbolic link (give the folder it points to as --out)")
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
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / OWNER_MARKER).exists() and not force:
        raise ConfigError(f"{out} is not empty and was not made by dossier; pass --force to replace it, or choose another --out")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One build at a time per output folder (as Hugo's .hugo_build.lock): a second build waits,
    saying so. The lock is the kernel's, on a file beside the folder, so a killed build never holds it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("waiting for another build of %s to finish", out)
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            remove_leftovers(out)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def remove_leftovers(out: Path) -> None:
    """The new or replaced site folders of builds that died (the lock says none runs now). Where a
    build without an atomic exchange died between its two renames, its old site goes back in place."""
    for stale in sorted(out.parent.glob(f".{out.name}.new-*")):
        if not out.exists() and (stale / "old" / OWNER_MARKER).is_file():
            os.rename(stale / "old", out)
            log.warning("%s: put back the site an interrupted build had moved aside", out)
        shutil.rmtree(stale, ignore_errors=True)


def read_manifest(out: Path) -> dict[str, str]:
    """The site in place's digests, or nothing when absent or unreadable (then every file is written)."""
    try:
        text = (out / OWNER_MARKER).read_text(encoding="utf-8")
        manifest = json.loads(text.removeprefix(MARKER_TEXT)) if text.startswith(MARKER_TEXT) else {}
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def files_in_place(out: Path, paths: list[str]) -> dict[str, bytes]:
    """Those of `paths` that the site in place holds as its manifest lists them, with their bytes."""
    manifest = read_manifest(out)
    found = {}
    for rel in paths:
        if rel not in manifest or not safe_relative(rel):
            continue
        try:
            data = (out / rel).read_bytes()
        except OSError:
            continue
        if digest_of(data) == manifest[rel]:
            found[rel] = data
    return found


def safe_relative(rel: str) -> bool:
    return bool(rel) and not rel.startswith("/") and posixpath.normpath(rel) == rel and not rel.startswith("..")


def write_site(out: Path, files: dict[str, bytes], finish: Callable[[Path], None] | None = None) -> dict[str, int]:
    """Put `files` (relative path -> bytes) in a new folder and swap it in for `out`. `finish(folder)`
    adds what is not in `files` (the search index) before the swap. Returns how many files were
    written and how many were linked unchanged from the site in place."""
    before = read_manifest(out) if out.is_dir() else {}
    new = out.parent / f".{out.name}.new-{secrets.token_hex(6)}"
    stats = {"written": 0, "unchanged": 0}
    try:  # made inside the try: an interruption at any point leaves nothing behind
        new.mkdir()
        made: set[str] = set()
        digests = {}
        for rel, data in sorted(files.items()):
            if not safe_relative(rel):
                raise ValueError(f"output path escapes the site folder: {rel}")
            folder = posixpath.dirname(rel)
            if folder not in made:
                os.makedirs(new / folder, exist_ok=True)
                made.add(folder)
            digests[rel] = digest_of(data)
            if before.get(rel) == digests[rel] and linked(out / rel, new / rel, len(data)):
                stats["unchanged"] += 1
            else:
                (new / rel).write_bytes(data)
                stats["written"] += 1
        if finish is not None:
            finish(new)
        (new / OWNER_MARKER).write_text(MARKER_TEXT + json.dumps(digests, sort_keys=True, indent=0) + "\n", encoding="utf-8")
        swap(new, out)
    finally:
        shutil.rmtree(new, ignore_errors=True)  # after the swap: the replaced site
    return stats


def linked(source: Path, target: Path, size: int) -> bool:
    """A hard link to the site in place's file, if it is still the regular file the manifest names."""
    try:
        if not source.is_file() or source.is_symlink() or source.stat().st_size != size:
            return False
        os.link(source, target)
    except OSError:
        return False
    return True


def swap(new: Path, out: Path) -> None:
    """`new` becomes `out` and `out` becomes `new`, in one step where the system can (Linux's
    renameat2 RENAME_EXCHANGE); else by two renames, the old site kept aside until the second."""
    if out.is_dir() and exchange(new, out):
        return
    if out.exists():
        aside = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
        os.rename(out, aside / "old")
        try:
            os.rename(new, out)
        except BaseException:
            os.rename(aside / "old", out)
            raise
        os.rename(aside, new)  # removed by the caller, with the old site in it
        return
    os.rename(new, out)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; False where the system cannot (not Linux, an old kernel or file system)."""
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))
