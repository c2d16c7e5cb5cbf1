"""What a watch session keeps from one build for the next: the per-article results of each stage.

A save changes one article, so the next build finds every other article's cleaned text, candidate
names, timeline entries and quotes here, under keys made of everything they were computed from.
Only what the last build used is kept, so a long session does not grow.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    """Results by key, for this build and the next one."""

    def __init__(self) -> None:
        self.last: dict[Hashable, T] = {}
        self.now: dict[Hashable, T] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self.now:
            self.now[key] = self.last[key] if key in self.last else compute()
        return self.now[key]

    def next_build(self) -> None:
        """Keep what the build that ends used; the rest is dropped."""
        self.last, self.now = self.now, {}


def reuse(store: Kept[T] | None, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or in watch mode what the store keeps for the key."""
    return compute() if store is None else store.get(key, compute)


def store(memo: dict | None, stage: str) -> Kept | None:
    """The stage's store in a watch session's memo; None outside watch mode (nothing is kept)."""
    if memo is None:
        return None
    found = memo.get(("kept", stage))
    if found is None:
        found = memo[("kept", stage)] = Kept()
    return found


def next_build(memo: dict | None) -> None:
    for key, value in (memo or {}).items():
        if isinstance(key, tuple) and key[0] == "kept":
            value.next_build()
