"""Per-article results: computed once, kept for the next build, computed on every core when many."""

import os

from dossier import forkpool
from dossier.results import Kept, reuse_each


def test_only_what_the_last_build_did_not_keep_is_computed_again():
    store: Kept[str] = Kept()
    calls: list[int] = []

    def compute(n: int) -> str:
        calls.append(n)
        return f"result {n}"

    assert reuse_each(store, ["a", "b"], [1, 2], compute) == ["result 1", "result 2"]
    store.next_build()
    calls.clear()
    assert reuse_each(store, ["a", "c"], [1, 3], compute) == ["result 1", "result 3"]
    assert calls == [3]
    store.next_build()
    assert set(store.last) == {"a", "c"}  # "b" was not used by the last build: dropped


def test_many_results_are_computed_in_other_processes_in_order_and_kept():
    jobs = list(range(forkpool.MIN_JOBS_PER_PROCESS * 3))
    store: Kept[tuple[int, int]] = Kept()
    found = reuse_each(store, [f"k{n}" for n in jobs], jobs, lambda n: (n * n, os.getpid()), processes=2)
    assert [square for square, _ in found] == [n * n for n in jobs]
    assert {pid for _, pid in found} - {os.getpid()}, "computed in forked workers"
    store.next_build()
    assert reuse_each(store, ["k5"], [5], lambda n: (0, 0)) == [found[5]]


def test_without_a_store_everything_is_computed():
    assert reuse_each(None, ["x", "y"], ["a", "b"], str.upper) == ["A", "B"]
