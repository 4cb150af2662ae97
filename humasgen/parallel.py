"""Spread work over processes, with fork so workers share the parent's model.

The Site, the compiled templates and the files to parse are already in memory;
forked workers inherit them instead of receiving a pickled copy. Only small
task descriptions go to the workers and only results come back.
"""
from __future__ import annotations

import gc
import multiprocessing
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The function of the pool being run; set only between fork and the end of fork_map.
_WORK: Callable | None = None


def _run(task):
    return _WORK(task)


def fork_map(func: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """func(task) for each task in `jobs` forked processes, results in task order."""
    global _WORK
    tasks = list(tasks)
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(func, tasks)
        return
    _WORK = func
    # Frozen objects are left alone by the workers' garbage collector, which would otherwise
    # write to (and so copy) the inherited heap: fewer copy-on-write page faults.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            yield from pool.imap(_run, tasks)
    finally:
        _WORK = None
        gc.unfreeze()


def chunks(count: int, jobs: int, per_job: int = 8, minimum: int = 16) -> list[range]:
    """Index ranges small enough to balance the load, large enough to be cheap to send."""
    size = max(minimum, -(-count // (jobs * per_job)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]
