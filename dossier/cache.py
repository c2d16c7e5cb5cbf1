"""Everything a build keeps in the cache folder for the next one.

- annotations, one file per text, keyed by the text, the model identity and FORMAT; a bad entry is
  dropped and annotated again;
- the record of the last build of each output folder (BuildRecord): what it was made from, the
  problems it found, what it wrote;
- the last build's data (the dossier, and each article's stage results), pickled, keyed by the
  fingerprint of the inputs they were made from.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from dossier.model import Annotation, Entity, Sentence
from dossier.output import read_manifest
from dossier.problems import ConfigError, Problem

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


def claim(cache_dir: Path) -> None:
    """Make `cache_dir` dossier's cache, or refuse a folder of someone else's: a build writes into it
    and `clean` deletes it whole."""
    if cache_dir.is_symlink() or (cache_dir.exists() and not cache_dir.is_dir()):
        raise ConfigError(f"--cache {cache_dir} is not a folder (a symbolic link or a file); choose another --cache")
    if cache_dir.is_dir() and any(cache_dir.iterdir()) and not owned(cache_dir):
        raise ConfigError(f"--cache {cache_dir} is not empty and was not made by dossier; choose another --cache")
    if not (cache_dir / TAG_NAME).is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / TAG_NAME).write_text(TAG, encoding="utf-8")


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
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"key": key,
            "sentences": [[s.index, s.paragraph, s.start, s.end] for s in annotation.sentences],
            "entities": [[e.label, e.start, e.end, e.text] for e in annotation.entities]}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)


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


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# -- the last build's data, kept for the next one ------------------------------------------------

DOSSIER_FILE = "dossier.pickle"  # the assembled dossier: a build that changes only the theme renders it
RESULTS_FILE = "results.pickle"  # each article's stage results: a build after an edit redoes only its article


def keep(cache_dir: Path, name: str, content: str, data) -> None:
    """Keep `data`, made from the inputs whose fingerprint is `content`, in the cache file `name`."""
    write_atomically(cache_dir / name, pickle.dumps((content, data), protocol=pickle.HIGHEST_PROTOCOL))


def kept(cache_dir: Path, name: str, content: str):
    """What the cache file `name` keeps if it was made from exactly these inputs, else None. The cache
    is dossier's own folder, written only by this code, so unpickling it is as safe as running the build."""
    try:
        kept_for, data = pickle.loads((cache_dir / name).read_bytes())
    except Exception:  # missing, truncated or from other code: assemble again
        return None
    return data if kept_for == content else None
