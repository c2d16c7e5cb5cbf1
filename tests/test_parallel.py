"""Rendering shared among forked processes gives the pages, in order, and the errors of one process."""

from __future__ import annotations

import os

import pytest

from dossier import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="forked rendering is Linux-only")


@pytest.fixture(autouse=True)
def small_shares(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_PROCESS", 1)


def test_pages_come_back_in_order_and_some_were_made_in_another_process():
    made_in = parallel.map_in_forks(lambda n: f"{n}:{os.getpid()}".encode(), list(range(9)), processes=3)
    assert [m.split(b":")[0] for m in made_in] == [str(n).encode() for n in range(9)]
    assert len({m.split(b":")[1] for m in made_in}) == 3


class BrokenTemplate(Exception):
    pass


def test_an_error_in_a_child_share_is_raised_here_as_it_would_be_without_children():
    def render(n: int) -> bytes:
        if n == 5:  # with two processes, the child renders the odd pages
            raise BrokenTemplate("page 5: unknown variable")
        return b"ok"

    with pytest.raises(BrokenTemplate, match="page 5"):
        parallel.map_in_forks(render, list(range(8)), processes=2)


def test_one_process_when_there_is_little_to_render(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_PROCESS", 100)
    assert parallel.workers_for(150, processes=2) == 1
    assert parallel.workers_for(250, processes=2) == 2
    assert parallel.workers_for(10_000, processes=1) == 1
