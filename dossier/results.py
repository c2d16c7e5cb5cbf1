"""What a build keeps for the next one: the per-article results of each stage.

An edit changes one article, so the next build finds every other article's cleaned text, candidate
names, timeline entries and quotes here, under keys made of everything they were computed from.
A watch session keeps them in memory; the command line keeps them on disk (see `last_results` and
`restore`). Only what the last build used is kept, so a long session does not grow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from functools import lru_cache, partial
from typing import Generic, TypeVar

from dossier import forkpool

T = TypeVar("T")
J = TypeVar("J")


class Kept(Generic[T]):
    """Results by key, for this build and the next one."""

    def __init__(self) -> None:
        self.last: dict[Hashable, T] = {}
        self.now: dict[Hashable, T] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self.now:
            self.now[key] = self.last[key] if key in self.last else compute()
        return self.now[key]

    def has(self, key: Hashable) -> bool:
        return key in self.now or key in self.last

    def next_build(self) -> None:
        """Keep what the build that ends used; the rest is dropped."""
        self.last, self.now = self.now, {}


@lru_cache(maxsize=8192)  # each article's text is asked for by several stages
def text_key(text: str) -> bytes:
    """What a key holds for a text: its digest, so that the kept results (pickled for the next
    command-line run) do not carry every article's text once per stage."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]


def reuse(store: Kept[T] | None, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what the store keeps for the key from the last build."""
    return compute() if store is None else store.get(key, compute)


def reuse_each(store: Kept[T] | None, keys: list[Hashable], jobs: list[J], compute: Callable[[J], T],
               processes: int = 0) -> list[T]:
    """[reuse(store, key, lambda: compute(job)) for each key and job], with what must be computed
    computed in forked processes when there is much of it (a cold build: every article)."""
    needed = [n for n, key in enumerate(keys) if store is None or not store.has(key)]
    computed = dict(zip(needed, forkpool.map_in_forks(compute, [jobs[n] for n in needed], processes), strict=True))
    if store is None:
        return [computed[n] for n in range(len(keys))]
    return [store.get(key, partial(computed.__getitem__, n)) for n, key in enumerate(keys)]


def last_results(memo: dict) -> dict[str, dict]:
    """Stage -> the results the build that just ended used, to keep for the next run."""
    return {key[1]: value.now for key, value in memo.items() if is_store(key)}


def restore(memo: dict, kept: dict[str, dict]) -> None:
    """Give each stage's store the results a previous run kept, as if that build had run in this process."""
    for stage, found in kept.items():
        store(memo, stage).now = found


def has_results(memo: dict) -> bool:
    return any(is_store(key) for key in memo)


def is_store(key) -> bool:
    return isinstance(key, tuple) and key[0] == "kept"


def store(memo: dict | None, stage: str) -> Kept | None:
    """The stage's store in the memo; None without one (nothing is kept)."""
    if memo is None:
        return None
    found = memo.get(("kept", stage))
    if found is None:
        found = memo[("kept", stage)] = Kept()
    return found


def next_build(memo: dict | None) -> None:
    for key, value in (memo or {}).items():
        if is_store(key):
            value.next_build()
