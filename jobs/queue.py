"""The task queue: Huey, stored in SQLite beside the job store (or Redis, for workers on several machines).

Huey carries only job ids; everything else about a job lives in the job store. Huey deletes a task when
a worker takes it (at-most-once delivery), so the job store, not the queue, is what survives a crash:
see :mod:`jobs.recovery`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from huey import Huey, SqliteHuey
from huey.storage import SqliteStorage

log = logging.getLogger(__name__)

TASK_NAME = "parqueue.run_job"

# The function a worker process runs for each task; set by jobs.worker before its consumer starts.
_executor: Callable[[int], None] | None = None


def set_executor(func: Callable[[int], None] | None) -> None:
    global _executor
    _executor = func


def _run_job(job_id: int) -> None:
    if _executor is None:
        raise RuntimeError("this process is not a Parqueue worker")
    _executor(job_id)


def make_huey(data_dir: Path) -> Huey:
    """SQLite by default; ``PARQUEUE_REDIS_URL`` switches to Redis so several machines share one queue."""
    redis_url = os.environ.get("PARQUEUE_REDIS_URL")
    if redis_url:
        from huey import RedisHuey

        return RedisHuey("parqueue", url=redis_url, results=False)
    # fsync off: a lost enqueue after a power cut is found again by recovery from the job store.
    return SqliteHuey(
        "parqueue", filename=str(data_dir / "queue.db"), results=False, store_none=False, utc=True,
        timeout=15, fsync=False,
    )


class JobQueue:
    """Enqueue job ids for the worker pool; thin on purpose."""

    def __init__(self, data_dir: Path) -> None:
        self.huey = make_huey(data_dir)
        self._task = self.huey.task(name=TASK_NAME)(_run_job)

    def submit(self, job_ids: Iterable[int]) -> None:
        ids = list(job_ids)
        storage = self.huey.storage
        if len(ids) > 1 and isinstance(storage, SqliteStorage):
            # One transaction for a whole drop: 1,000 files cost one commit, not 1,000.
            rows = [(storage.name, storage.to_blob(self.huey.serialize_task(self._task.s(i))), 0) for i in ids]
            with storage.db(commit=True) as cursor:
                cursor.executemany("insert into task (queue, data, priority) values (?, ?, ?)", rows)
            return
        for job_id in ids:
            self._task(job_id)

    def pending_count(self) -> int:
        return int(self.huey.pending_count())

    def pending_job_ids(self) -> set[int]:
        ids: set[int] = set()
        for task in self.huey.pending():
            args: Any = task.args
            if args:
                ids.add(int(args[0]))
        return ids

    def flush(self) -> None:
        self.huey.flush()
