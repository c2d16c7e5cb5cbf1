"""Rendering shared among forked processes gives the pages, in order, and the errors of one process."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from dossier import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="forked rendering is Linux-only")


@pytest.fixture(autouse=True)
def small_shares(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_PROCESS", 1)


def test_pages_come_back_in_order_and_some_were_made_in_another_process():
    # Each process's first page waits for the other two to take theirs: all three work.
    everyone = multiprocessing.get_context("fork").Barrier(3, timeout=60)
    waited: set[int] = set()

    def render(n: int) -> bytes:
        if os.getpid() not in waited:
            waited.add(os.getpid())
            everyone.wait()
        return f"{n}:{os.getpid()}".encode()

    made_in = parallel.map_in_forks(render, list(range(9)), processes=3)
    assert [m.split(b":")[0] for m in made_in] == [str(n).encode() for n in range(9)]
    assert len({m.split(b":")[1] for m in made_in}) == 3


def test_a_process_takes_the_next_page_when_done_so_long_pages_do_not_pile_up_on_one():
    """Two processes, one long page: the other process renders every other page meanwhile."""
    long_page_started = multiprocessing.get_context("fork").Event()
    rest_done = multiprocessing.get_context("fork").Event()

    def render(n: int) -> bytes:
        if n == 0:
            long_page_started.set()
            assert rest_done.wait(60)  # "long": until the other process has rendered all the rest
        else:
            assert long_page_started.wait(60)
            if n == 9:
                rest_done.set()
        return f"{os.getpid()}".encode()

    made_in = parallel.map_in_forks(render, list(range(10)), processes=2)
    assert len(set(made_in[1:])) == 1 and made_in[0] != made_in[1]


class BrokenTemplate(Exception):
    pass


def test_an_error_in_a_child_share_is_raised_here_as_it_would_be_without_children():
    def render(n: int) -> bytes:
        if n == 5:  # whichever process takes it
            raise BrokenTemplate("page 5: unknown variable")
        return b"ok"

    with pytest.raises(BrokenTemplate, match="page 5"):
        parallel.map_in_forks(render, list(range(8)), processes=2)


def test_one_process_when_there_is_little_to_render(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_JOBS_PER_PROCESS", 20)
    assert parallel.workers_for(30, processes=2) == 1
    assert parallel.workers_for(50, processes=2) == 2
    assert parallel.workers_for(10_000, processes=1) == 1
    # with a browser reloading the first page meanwhile (watch mode), only a large render forks
    assert parallel.workers_for(150, processes=2, per_process=parallel.MIN_JOBS_WITH_A_VIEWER) == 1
    assert parallel.workers_for(250, processes=2, per_process=parallel.MIN_JOBS_WITH_A_VIEWER) == 2


def test_work_beside_runs_in_another_process_and_is_waited_for(tmp_path):
    done = tmp_path / "done"
    wait = parallel.beside(lambda: done.write_text(str(os.getpid())))
    assert wait() is True
    assert done.read_text() != str(os.getpid())
    assert wait() is True  # waiting again is harmless


def test_failed_work_beside_is_reported_not_raised(tmp_path):
    def fail() -> None:
        raise OSError("disk full")

    assert parallel.beside(fail)() is False


def test_a_child_keeps_no_other_pipe_open(tmp_path):
    """The records a thread writes to Pagefind go through a pipe: a child holding its end would keep
    Pagefind waiting for the end of its input until the child exits."""
    import select

    gate = tmp_path / "gate"
    os.mkfifo(gate)
    read_end, write_end = os.pipe()
    wait = parallel.beside(gate.read_text)  # runs until this test opens the gate
    os.close(write_end)
    try:
        readable, _, _ = select.select([read_end], [], [], 30)  # a guard against a hang, not a timing
        at_end = bool(readable) and os.read(read_end, 1) == b""  # with the child still running
    finally:
        with open(gate, "w") as opened:  # let the child finish, whatever happened
            opened.write("go")
        finished = wait()
        os.close(read_end)
    assert at_end
    assert finished
