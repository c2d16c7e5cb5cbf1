"""Digests of what a build is made from: inputs, theme, settings, dossier's code, library versions.

A build whose fingerprint matches the last one recorded for the same output folder, with that site
still whole, changes nothing (cache.last_build): it reports the same problems and exits the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from dossier import cache
from dossier.config import Config
from dossier.sources import read_bytes

PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "pyyaml", "python-slugify", "dateparser", "rapidfuzz",
             "pagefind_bin", "spacy")
# Settings that change what is printed, or where the model runs, not what is built.
NOT_IN_OUTPUT = {"force", "verbosity", "chosen", "scheduler"}


def setup_fingerprint(config: Config, model_identity: str) -> str:
    """What shapes every page beyond the inputs: settings, the model, dossier's code, library versions."""
    digest = hashlib.blake2b(digest_size=16)
    settings = {k: str(v) for k, v in asdict(config).items() if k not in NOT_IN_OUTPUT}
    digest.update(json.dumps([settings, model_identity, sys.version, versions()], sort_keys=True).encode())
    add_files(digest, "code", PACKAGE)
    return digest.hexdigest()


def inputs_fingerprint(config: Config) -> str:
    """Every byte under seeds/ and content/ that the build may read (hidden files it never does).

    Each file counts by its digest, which is kept in the cache with the file's inode, size and
    times, as git's index keeps them, and reused while they stay the same: reading the BBC corpus's
    2,225 files to hash them took 0.15-0.3 s of every build, a `stat` of each takes 0.02 s. A file
    changed less than RACY_NS before it was read is read again next time: a second change within
    the file system's time granularity would leave its times as they were."""
    kept = read_digests(config.cache)
    now = time.time_ns()
    fresh: dict[str, list] = {}
    digest = hashlib.sha256()  # hardware-accelerated on current CPUs: 6x BLAKE2 here
    for label, folder in (("seeds", config.seeds), ("content", config.content)):
        for name, path, special in entries_under(folder, hidden=False):
            if special is None:
                special = file_digest(path, kept, fresh, now)
            digest.update(f"\0{label}/{name}\0".encode())
            digest.update(special)
    if fresh != kept:
        with contextlib.suppress(OSError):  # a read-only cache: hash every file every time
            cache.write_atomically(config.cache / DIGESTS_FILE, json.dumps(fresh, sort_keys=True).encode())
    return digest.hexdigest()[:32]


DIGESTS_FILE = "input-digests.json"
RACY_NS = 2_000_000_000


def read_digests(cache: Path) -> dict[str, list]:
    try:
        found = json.loads((cache / DIGESTS_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def file_digest(path: Path, kept: dict[str, list], fresh: dict[str, list], now: int) -> bytes:
    """b"<size>:<SHA-256>" of the file's bytes, or what stands for an unreadable file."""
    key = str(path.absolute())
    try:
        info = os.stat(path)
        stamp = [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        entry = kept.get(key)
        if isinstance(entry, list) and entry[:4] == stamp:
            fresh[key] = entry
            return entry[4].encode()
        data = read_bytes(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror}".encode()
    found = f"{len(data)}:{hashlib.sha256(data).hexdigest()}"
    if now - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
        fresh[key] = [*stamp, found]
    return found.encode()


def content_fingerprint(config: Config, model_identity: str) -> str:
    """Everything that shapes the dossier's data: inputs, settings, code, libraries; not the theme."""
    return f"{setup_fingerprint(config, model_identity)}-{inputs_fingerprint(config)}"


def same_setup(content: str, other: str) -> bool:
    return content.split("-")[0] == other.split("-")[0]


def add_files(digest, label: str, folder: Path, hidden: bool = True) -> None:
    for name, data in files_under(folder, hidden):
        digest.update(f"\0{label}/{name}\0{len(data)}\0".encode())
        digest.update(data)


def theme_digests(config: Config) -> dict[str, str]:
    """Template name -> digest of the file that serves it (the user's override before the default)."""
    found: dict[str, str] = {}
    for folder in config.theme_dirs:
        for name, data in files_under(folder):
            found.setdefault(name, hashlib.blake2b(data, digest_size=16).hexdigest())
    return found


def fingerprint(content: str, theme: dict[str, str]) -> str:
    return hashlib.blake2b(json.dumps([content, theme], sort_keys=True).encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=1)  # this process runs the libraries it loaded, whatever is installed since
def versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def files_under(folder: Path, hidden: bool = True):
    """(relative name, bytes) of every file below `folder`, sorted; unreadable ones by their error.
    `hidden=False` leaves out the names starting with a dot, which the inputs' readers skip too."""
    for name, path, special in entries_under(folder, hidden):
        if special is None:
            try:
                special = read_bytes(path)
            except OSError as exc:
                special = f"unreadable: {exc.strerror}".encode()
        yield name, special


def entries_under(folder: Path, hidden: bool = True):
    """(relative name, path, None) of every regular file below `folder`, sorted, and (name, path,
    bytes standing for it) of anything else: a pipe, a linked folder."""
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and (hidden or not d.startswith(".")))
        relative = os.path.relpath(root, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in sorted(n for n in names if hidden or not n.startswith(".")):
            path = Path(root, name)
            yield prefix + name, path, None if path.is_file() else b"not a regular file"  # never block on a pipe
        for name in dirs:  # followlinks=False: a linked folder counts by its files, a loop by its target
            path = Path(root, name)
            if path.is_symlink():
                yield prefix + name, path, os.readlink(path).encode()
