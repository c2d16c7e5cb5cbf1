"""Annotations cached on disk, keyed by text, model identity and settings; bad entries are redone."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from dossier.model import Annotation, Entity, Sentence
from dossier.problems import ConfigError

FORMAT = 1  # bump when the stored shape or what annotate() keeps changes


# The Cache Directory Tagging Specification's tag (as cargo and borg write): backup tools skip the
# folder, and `clean --cache` deletes only a folder that holds it.
TAG_NAME = "CACHEDIR.TAG"
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
TAG = f"{TAG_SIGNATURE}\n# This file is a cache directory tag created by dossier.\n"
LEGACY_MARK = "last-builds.json"  # what every dossier cache held before it was tagged


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
