"""Everything a build keeps in the cache folder for the next one.

- annotations, one file per text, keyed by the text, the model identity and FORMAT; a bad entry is
  dropped and annotated again;
- the record of the last build of each output folder (BuildRecord): what it was made from, the
  problems it found, what it wrote;
- the last build's data (the dossier, and each article's stage results), pickled, keyed by the
  fingerprint of the inputs they were made from;
- the table of first names (names.first_names_table), keyed by the version of its package.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import shutil
import tempfile
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from dossier import names
from dossier.model import Annotation, Entity, Sentence
from dossier.output import read_manifest
from dossier.problems import ConfigError, Problem

log = logging.getLogger("dossier")

FORMAT = 1  # bump when the stored shape or what annotate() keeps changes


# The Cache Directory Tagging Specification's tag (as cargo and borg write): backup tools skip the
# folder, and `clean --cache` deletes only a folder that holds it.
TAG_NAME = "CACHEDIR.TAG"
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
TAG = f"{TAG_SIGNATURE}\n# This file is a cache directory tag created by dossier.\n"
LEGACY_MARK = "last-builds.json"  # what every dossier cache held before it was tagged (RECORDS_FILE)


def owned(cache_dir: Path) -> bool:
    """True when dossier made `cache_dir` (its tag, or a cache from before the tag)."""
    try:
        return (cache_dir / TAG_NAME).read_text(encoding="utf-8").startswith(TAG) or (cache_dir / LEGACY_MARK).is_file()
    except (OSError, UnicodeDecodeError):
        return (cache_dir / LEGACY_MARK).is_file()


def claim(cache_dir: Path) -> Path:
    """Make `cache_dir` dossier's cache, or refuse a folder of someone else's: a build writes into it
    and `clean` deletes it whole. Returns the folder to cache in: `cache_dir`, or, when it cannot be
    written (read-only, full, on a missing mount), a temporary one, so the build goes on without
    reusing anything."""
    if cache_dir.is_symlink() or (cache_dir.exists() and not cache_dir.is_dir()):
        raise ConfigError(f"--cache {cache_dir} is not a folder (a symbolic link or a file); choose another --cache")
    if cache_dir.is_dir() and any(cache_dir.iterdir()) and not owned(cache_dir):
        raise ConfigError(f"--cache {cache_dir} is not empty and was not made by dossier; choose another --cache")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        replace_file(cache_dir / TAG_NAME, TAG.encode())  # also proves the folder takes a write
        return cache_dir
    except OSError as exc:
        log.warning("cannot write the cache %s (%s); building without it, so every article is annotated",
                    cache_dir, exc.strerror or exc)
        return stand_in(str(cache_dir))


_stand_ins: dict[str, Path] = {}


def stand_in(cache_dir: str) -> Path:
    """A temporary cache for the life of this process (a watch session reuses it), removed at exit.
    A stand-in stands in for itself: what fails there is not tried again in yet another folder."""
    if Path(cache_dir) in _stand_ins.values():
        return Path(cache_dir)
    if cache_dir not in _stand_ins:
        _stand_ins[cache_dir] = Path(tempfile.mkdtemp(prefix="dossier-cache-"))
        atexit.register(shutil.rmtree, _stand_ins[cache_dir], True)
    return _stand_ins[cache_dir]


def cache_key(text: str, model_identity: str) -> str:
    return hashlib.sha256(f"{FORMAT}\0{model_identity}\0{text}".encode()).hexdigest()


def entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.json"


def load(cache_dir: Path, key: str, text: str) -> Annotation | None:
    """The cached annotation, or None when missing, truncated or not matching `text`."""
    path = entry_path(cache_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] != key:
            raise ValueError("key mismatch")
        annotation = Annotation([Sentence(*s) for s in data["sentences"]],
                                [Entity(*e) for e in data["entities"]])
        check(annotation, text)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        path.unlink(missing_ok=True)  # corrupted: drop it and annotate again
        return None
    return annotation


def check(annotation: Annotation, text: str) -> None:
    for s in annotation.sentences:
        if not (0 <= s.start < s.end <= len(text)):
            raise ValueError("sentence outside the text")
    for e in annotation.entities:
        if not (0 <= e.start < e.end <= len(text)) or text[e.start:e.end] != e.text:
            raise ValueError("entity does not match the text")


def store(cache_dir: Path, key: str, annotation: Annotation) -> None:
    path = entry_path(cache_dir, key)
    data = {"key": key,
            "sentences": [[s.index, s.paragraph, s.start, s.end] for s in annotation.sentences],
            "entities": [[e.label, e.start, e.end, e.text] for e in annotation.entities]}
    write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


# -- the record of the last build ----------------------------------------------------------------

RECORDS_FILE = "last-builds.json"
RECORD_FORMAT = 3


@dataclass
class BuildRecord:
    """The last build of one output folder."""

    fingerprint: str  # of everything it was made from, the theme included
    content: str  # of everything but the theme: the inputs, settings and code its data came from
    site: str  # digest of the site it wrote (its manifest)
    problems: list[Problem]  # the input problems it found, reported again when the build is skipped
    stats: dict[str, int]  # what it printed: articles, actors, events, pages


def site_digest(out: Path) -> str | None:
    """What the site in place is, as far as the build made it; None when it is missing or not whole."""
    manifest = read_manifest(out)
    if not manifest or any(not os.path.isfile(os.path.join(out, name)) for name in manifest):
        return None
    return hashlib.blake2b(json.dumps(manifest, sort_keys=True).encode(), digest_size=16).hexdigest()


def _records(cache_dir: Path) -> dict:
    try:
        found = json.loads((cache_dir / RECORDS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def last_build(cache_dir: Path, out: Path) -> BuildRecord | None:
    """The last build of `out`, if the site it wrote is still there, whole and unchanged."""
    raw = _records(cache_dir).get(str(out.absolute()))
    if not isinstance(raw, dict) or raw.get("format") != RECORD_FORMAT:
        return None
    try:
        record = BuildRecord(raw["fingerprint"], raw["content"], raw["site"], [Problem(**p) for p in raw["problems"]],
                             dict(raw["stats"]))
    except (KeyError, TypeError):
        return None
    return record if record.site == site_digest(out) else None


def record_build(cache_dir: Path, out: Path, record: BuildRecord) -> None:
    records = _records(cache_dir)
    records[str(out.absolute())] = {"format": RECORD_FORMAT, **asdict(record)}
    write_atomically(cache_dir / RECORDS_FILE, json.dumps(records, sort_keys=True).encode())


def replace_file(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of it. Raises OSError."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """replace_file, except that a cache that fills up is what the cache is for, not a reason to
    fail the build: the write is dropped and the build goes on."""
    try:
        replace_file(path, data)
    except OSError as exc:
        cannot_keep(exc.strerror or str(exc))


@cache
def cannot_keep(reason: str) -> None:
    """Said once per reason: a full disk fails every write that follows."""
    log.warning("cannot write to the cache (%s); what this build makes is not kept for the next one", reason)


# -- the last build's data, kept for the next one ------------------------------------------------

DOSSIER_FILE = "dossier.pickle"  # the assembled dossier: a build that changes only the theme renders it
RESULTS_FILE = "results.pickle"  # each article's stage results: a build after an edit redoes only its article
THEME_READS_FILE = "theme-reads.pickle"  # what each page read of the theme: a theme edit renders only the pages it reaches


def keep(cache_dir: Path, name: str, content: str, data) -> None:
    """Keep `data`, made from the inputs whose fingerprint is `content`, in the cache file `name`."""
    write_atomically(cache_dir / name, pickle.dumps((content, data), protocol=pickle.HIGHEST_PROTOCOL))


def kept(cache_dir: Path, name: str, content: str):
    """What the cache file `name` keeps if it was made from exactly these inputs, else None. The cache
    is dossier's own folder, written only by this code, so unpickling it is as safe as running the build."""
    try:
        kept_for, data = unpickled_for_good((cache_dir / name).read_bytes())
    except Exception:  # missing, truncated or from other code: assemble again
        return None
    return data if kept_for == content else None


def unpickled_for_good(pickled: bytes):
    """Unpickle the last build's data (the dossier and each article's results) with the cyclic collector
    paused, then freeze it out of the collector's sight. Each pass while the objects were made scanned
    them all and found no cycle among them, and each later full pass would scan them again
    (docs/performance.md); what of them a build drops is freed by reference counting, which frozen
    objects keep. Watch mode unfreezes and collects between saves (watch.settle_memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(pickled)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


FIRST_NAMES_FILE = "first-names.pickle"


def first_names(cache_dir: Path) -> dict[str, str]:
    """names.first_names_table(), kept here for each version of the package it is read from: reading
    that package's table took half a second of every build that resolves actors."""
    version = importlib.metadata.version(names.FIRST_NAMES_SOURCE)
    found = kept(cache_dir, FIRST_NAMES_FILE, version)
    if found is None:
        found = names.first_names_table()
        keep(cache_dir, FIRST_NAMES_FILE, version, found)
    return found
