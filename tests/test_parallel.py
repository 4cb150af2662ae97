"""Work spread over forked processes: results in task order, whoever did each task."""
from __future__ import annotations

import multiprocessing
import os

from humasgen import parallel


def test_shared_work_is_done_by_the_workers_and_the_waiting_caller():
    """The caller that asks for the results takes tasks no worker has begun: both cores work."""
    parent = os.getpid()
    context = multiprocessing.get_context("fork")
    began = {"parent": context.Event(), "worker": context.Event()}
    waited = set()

    def work(task: int) -> tuple[int, int]:
        mine, other = ("parent", "worker") if os.getpid() == parent else ("worker", "parent")
        began[mine].set()
        if mine not in waited:          # neither can do every task before the other has begun
            waited.add(mine)
            began[other].wait(20)
        return task * task, os.getpid()

    with parallel.shared(work, range(200), 1) as results:
        found = results()
    assert [square for square, _ in found] == [t * t for t in range(200)]
    doers = {pid for _, pid in found}
    assert parent in doers and len(doers) == 2


def test_shared_work_without_workers_runs_in_the_caller():
    with parallel.shared(lambda task: (task, os.getpid()), [3, 1, 2], 0) as results:
        assert results() == [(3, os.getpid()), (1, os.getpid()), (2, os.getpid())]
