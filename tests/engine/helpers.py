"""Shared helpers for engine tests: text files with known word counts, waiting on job states."""

from __future__ import annotations

import collections
import hashlib
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from jobs.states import JobState
from jobs.store.base import Job
from jobs.store.sqlite import SqliteJobStore

VOCAB = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
         "kilo", "lima", "mike", "parquet", "queue", "worker", "sqlite", "huey", "table", "column"]


def write_words(path: Path, mb: float, seed: int = 1) -> collections.Counter[str]:
    """A file of ~mb megabytes made of a repeated random block; returns its exact word counts."""
    rng = random.Random(seed)
    lines = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(3, 12))) for _ in range(2000)]
    block = ("\n".join(lines) + "\n").encode("ascii")
    reps = max(1, int(mb * 1024 * 1024) // len(block))
    with path.open("wb") as fh:
        for _ in range(reps):
            fh.write(block)
    per_block = collections.Counter(block.decode().split())
    return collections.Counter({w: c * reps for w, c in per_block.items()})


def independent_counts(text: str) -> collections.Counter[str]:
    return collections.Counter(w.lower() for w in re.findall(r"\w+", text))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wait_for(
    store: SqliteJobStore, job_id: int, predicate: Callable[[Job], bool], timeout: float = 60.0
) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = store.get(job_id)
        if job is not None and predicate(job):
            return job
        if time.monotonic() > deadline:
            if job is None:
                raise AssertionError(f"job {job_id} never appeared")
            raise AssertionError(f"job {job_id} stayed {job.state.value} ({job.done}/{job.total}): {job.error}")
        time.sleep(0.05)


def wait_final(store: SqliteJobStore, job_id: int, timeout: float = 120.0) -> Job:
    return wait_for(store, job_id, lambda j: j.state.is_final, timeout)


def wait_running_with_progress(store: SqliteJobStore, job_id: int, timeout: float = 60.0) -> Job:
    return wait_for(store, job_id, lambda j: j.state == JobState.RUNNING and j.done > 0, timeout)
