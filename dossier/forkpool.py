"""Work on every core: a pool of forked processes, each starting with the whole dossier.

Rendering and the per-article stages run in pure Python, so threads would take turns on one core. A
forked worker inherits the dossier, the articles and the templates already in memory, so only job
numbers go in and results (page bytes, an article's entries) come out.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_JOBS_PER_PROCESS = 100  # fewer pages than this per core render as fast without a fork
# Jobs go out in chunks, and the workers end up to a chunk apart: small chunks, so that neither is left
# working alone at the end (8 per worker did, on BBC's pages: docs/performance.md).
CHUNKS_PER_WORKER = 32
_current: tuple[Callable, Sequence] | None = None  # what the forked workers run: set before they start


def map_in_forks(work: Callable[[T], R], jobs: Sequence[T], processes: int = 0) -> list[R]:
    """[work(job) for job in jobs], shared among forked workers where the system forks safely (Linux).
    If a worker fails, the jobs run again in this process, so an error in a template is raised and
    reported exactly as without workers."""
    global _current
    workers = min(processes or os.cpu_count() or 1, len(jobs) // MIN_JOBS_PER_PROCESS)
    if workers < 2 or not sys.platform.startswith("linux"):
        return [work(job) for job in jobs]
    _current = (work, jobs)
    gc.freeze()  # the workers' collections then skip the inherited objects, which stay shared, not copied
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * CHUNKS_PER_WORKER)))
    except Exception:  # raised again, with its real traceback, by the jobs run here
        return [work(job) for job in jobs]
    finally:
        _current = None
        gc.unfreeze()


def _run(number: int):
    work, jobs = _current
    return work(jobs[number])
