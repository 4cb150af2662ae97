"""Spread work over processes, with fork so workers share the parent's model.

The Site, the compiled templates and the files to parse are already in memory;
forked workers inherit them instead of receiving a pickled copy. Only small
task descriptions go to the workers and only results come back.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The function of the pool being run; set only between fork and the end of fork_map.
_WORK: Callable | None = None


def _run(task):
    return _WORK(task)


def fork_map(func: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """func(task) for each task in `jobs` forked processes, results in task order."""
    tasks = list(tasks)
    if jobs <= 1 or len(tasks) <= 1 or not _can_fork():
        yield from map(func, tasks)
        return
    with _pool(func, min(jobs, len(tasks))) as pool:
        yield from pool.imap(_run, tasks)


@contextlib.contextmanager
def shared(func: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[Callable[[], list[R]]]:
    """func(task) for each task, begun now in `jobs` forked processes; the caller goes on, then
    asks for the results and meanwhile takes the tasks no process has begun (its core is never
    idle while it waits). Results in task order."""
    tasks = list(tasks)
    if jobs < 1 or not tasks or not _can_fork():
        yield lambda: list(map(func, tasks))
        return
    taken = multiprocessing.get_context("fork").Value("l", 0)     # the next task nobody has begun

    def drain(_: Any = None) -> list[tuple[int, R]]:
        done = []
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(tasks):
                return done
            done.append((index, func(tasks[index])))

    with _pool(drain, min(jobs, len(tasks))) as pool:
        pending = [pool.apply_async(_run, (None,)) for _ in range(min(jobs, len(tasks)))]

        def results() -> list[R]:
            found = dict(drain())
            for part in pending:
                found.update(part.get())
            return [found[i] for i in range(len(tasks))]
        yield results


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def _pool(func: Callable, size: int) -> Iterator[Any]:
    """A pool of `size` processes forked now, each running `func` on the tasks it is given."""
    global _WORK
    _WORK = func
    # Frozen objects are left alone by the workers' garbage collector, which would otherwise
    # write to (and so copy) the inherited heap: fewer copy-on-write page faults.
    with heap_scope():
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(size) as pool:
                yield pool
        finally:
            _WORK = None


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """Build long-lived data (the site model, the plan) without the cyclic garbage collector.

    Loading a site creates millions of objects that live until the build ends and no garbage
    cycles; the collector would walk all of them several times on their way to the oldest
    generation (a fifth of a warm build at 10,000 releases). At the end they are frozen: the
    collector leaves them alone, reference counting still frees them. Use inside `heap_scope`.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextlib.contextmanager
def heap_scope() -> Iterator[None]:
    """Objects frozen inside (see `settled`) are thawed at the end, so that cycles among
    them can be collected once they are garbage (tests and the preview build many times)."""
    outer = gc.get_freeze_count() > 0
    try:
        yield
    finally:
        if not outer:
            gc.unfreeze()


def heap_scoped(func: Callable[..., R]) -> Callable[..., R]:
    """`func` runs in a `heap_scope`."""
    @functools.wraps(func)
    def scoped(*args, **kwargs):
        with heap_scope():
            return func(*args, **kwargs)
    return scoped


def chunks(count: int, jobs: int, per_job: int = 8, minimum: int = 16) -> list[range]:
    """Index ranges small enough to balance the load, large enough to be cheap to send."""
    size = max(minimum, -(-count // (jobs * per_job)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]
