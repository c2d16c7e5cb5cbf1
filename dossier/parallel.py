"""Rendering on every core: forked copies of the build render their share of the pages.

Jinja renders in pure Python, so threads would take turns on one core. A forked child starts with
the whole dossier and the compiled templates already in memory (nothing is pickled on the way in),
renders every n-th page and sends the bytes back through a pipe. If a child fails, its pages are
rendered again in this process, so an error in a template is raised and reported exactly as
without children.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_JOBS_PER_PROCESS = 20  # fewer pages than this per core render as fast without a fork
# A dev server's browser reloads the page rendered first while the rest render: a small render
# leaves it the other core.
MIN_JOBS_WITH_A_VIEWER = 100


def can_fork() -> bool:
    # macOS system libraries are not fork-safe; Windows has no fork.
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def workers_for(jobs: int, processes: int, per_process: int | None = None) -> int:
    wanted = processes or os.cpu_count() or 1
    return max(1, min(wanted, jobs // (per_process or MIN_JOBS_PER_PROCESS))) if can_fork() else 1


def map_in_forks(work: Callable[[T], R], jobs: Sequence[T], processes: int = 0, per_process: int | None = None) -> list[R]:
    """[work(job) for job in jobs], shared among forked children and this process.

    Each process takes the next jobs not yet taken, so a few long pages (the curation queue, the data
    exports) do not leave one core waiting for the other."""
    workers = workers_for(len(jobs), processes, per_process)
    if workers == 1:
        return [work(job) for job in jobs]
    # The next job's index travels in a pipe as one 8-byte message: whoever reads it takes that job
    # and the few after it, and writes the next index back. Writes this short are atomic, so it is
    # never torn.
    token_read, token_write = os.pipe()
    os.write(token_write, (0).to_bytes(8, "little"))

    def take_and_work(_) -> list[tuple[int, R]]:
        done = []
        while True:
            index = int.from_bytes(os.read(token_read, 8), "little")
            taken = share_size(len(jobs) - index, workers)
            os.write(token_write, (index + taken).to_bytes(8, "little"))
            if index >= len(jobs):
                return done
            done.extend((n, work(jobs[n])) for n in range(index, min(index + taken, len(jobs))))

    children = [start_child(take_and_work, [None], keep=(token_read, token_write)) for _ in range(1, workers)]
    results: dict[int, R] = {}
    try:
        results.update(take_and_work(None))
        while children:
            share = collect(*children.pop())
            results.update(share[0] if share is not None else ())
    finally:
        for pid, read_end in children:  # this process failed first: stop the rest
            stop_child(pid, read_end)
        os.close(token_read)
        os.close(token_write)
    # A failed child's jobs are done again here, so an error is raised as it would be without children.
    return [results[n] if n in results else work(job) for n, job in enumerate(jobs)]


def share_size(left: int, workers: int) -> int:
    """How many of the jobs left a process takes at once: a small part of them, down to one at the
    end, so the processes finish together. One at a time, passing the index took a tenth of the
    time 15k small pages took to render."""
    return max(1, left // (workers * SHARES_PER_PROCESS))


SHARES_PER_PROCESS = 8


def beside(work: Callable[[], object]) -> Callable[[], bool]:
    """Run work() in a forked child while this process goes on. Returns the function that waits for
    the child and says whether work() succeeded (where there is no fork, work() runs now)."""
    if not can_fork():
        try:
            work()
        except Exception:  # as a failed child: the caller is told, the build goes on
            return lambda: False
        return lambda: True
    pid, read_end = start_child(lambda _: work(), [None])
    return functools.cache(lambda: collect(pid, read_end) is not None)


def start_child(work: Callable[[T], object], share: Sequence[T], keep: tuple[int, ...] = ()) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, send, and leave without running any of the parent's cleanup
        status = 1
        try:
            # Only the pipe back (and those in `keep`): an inherited end of another pipe (the records
            # a thread is writing to Pagefind) would keep it open, and its reader waiting, until this
            # child exits.
            close_all_but(write_end, *keep)
            payload = pickle.dumps([work(job) for job in share], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        except BaseException:  # the parent renders this share again and reports the error
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def close_all_but(*kept: int) -> None:
    low = 3
    for fd in sorted(kept):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def stop_child(pid: int, read_end: int) -> None:
    os.close(read_end)
    with contextlib.suppress(ProcessLookupError):  # it may have finished already
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def collect(pid: int, read_end: int) -> list | None:
    """The child's results (its pages), or None if it failed."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not payload:
        return None
    return pickle.loads(payload)
