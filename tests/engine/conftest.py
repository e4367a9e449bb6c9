"""Fixtures that run the real engine: a real SQLite store, a real Huey queue, real worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jobs import paths
from jobs.pool import WorkerPool
from jobs.queue import JobQueue
from jobs.store import open_store
from jobs.store.sqlite import SqliteJobStore


@dataclass
class Engine:
    data_dir: Path
    store: SqliteJobStore
    queue: JobQueue
    out_dir: Path

    def pool(self, size: int = 2) -> WorkerPool:
        pool = WorkerPool(self.data_dir, self.store, self.queue, size,
                          log_file=paths.log_dir() / "workers.log")
        self._pools.append(pool)
        return pool

    def __post_init__(self) -> None:
        self._pools: list[WorkerPool] = []

    def stop_all(self) -> None:
        for pool in self._pools:
            pool.stop()


@pytest.fixture
def engine(parqueue_home: Path) -> Iterator[Engine]:
    data_dir = paths.data_dir()
    eng = Engine(data_dir, open_store(data_dir), JobQueue(data_dir), parqueue_home / "out")
    try:
        yield eng
    finally:
        eng.stop_all()
        eng.store.close()
