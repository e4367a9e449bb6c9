"""The job record and the interface every job store provides."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from jobs.states import JobState

_UNFINISHED = 0.99  # the most a job that has not succeeded shows done


@dataclass(frozen=True)
class NewJob:
    path: str
    kind: str
    processor: str
    size: int | None
    mtime_ns: int | None
    out_dir: str
    options: dict[str, Any] = field(default_factory=dict)
    batch: str | None = None


@dataclass
class Job:
    """One file's journey through Parqueue. Progress units are bytes of input unless ``unit`` says rows."""

    id: int
    path: str
    kind: str
    processor: str
    size: int | None
    mtime_ns: int | None
    state: JobState
    done: int = 0
    total: int = 0
    rate: float = 0.0
    unit: str = "bytes"
    queued_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    attempt: int = 0
    max_attempts: int = 3
    out_dir: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    worker: str | None = None
    heartbeat: float | None = None
    cancel_requested: bool = False
    removed: bool = False
    batch: str | None = None
    seq: int = 0

    @property
    def name(self) -> str:
        from pathlib import PurePath

        return PurePath(self.path).name

    @property
    def fraction(self) -> float:
        """Share of the input done; 1.0 only once the job succeeded. A job that has read all its input still
        writes its outputs (a wide table's profile takes a second or two): it shows 99 % meanwhile."""
        if self.state.succeeded:
            return 1.0
        return min(_UNFINISHED, self.done / self.total) if self.total else 0.0

    @property
    def seconds(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at if self.finished_at is not None else None
        return None if end is None else max(0.0, end - self.started_at)

    @property
    def eta_seconds(self) -> float | None:
        if self.state != JobState.RUNNING or self.rate <= 0 or not self.total:
            return None
        return max(0.0, (self.total - self.done) / self.rate)


@dataclass(frozen=True)
class WorkerInfo:
    id: str
    host: str
    pid: int
    started_at: float
    heartbeat: float
    job_id: int | None


class JobStore(Protocol):
    """What the engine, the command line and the window need from a job store."""

    def add_jobs(self, jobs: Sequence[NewJob]) -> list[int]: ...
    def get(self, job_id: int) -> Job | None: ...
    def list_jobs(self, include_removed: bool = False) -> list[Job]: ...
    def changed_since(self, seq: int) -> tuple[int, list[Job]]: ...
    def change_counter(self) -> int: ...
    def find_active_duplicate(self, path: str, size: int | None, mtime_ns: int | None) -> Job | None: ...
    def transition(self, job_id: int, new: JobState, **fields: Any) -> Job: ...
    def claim(self, job_id: int, worker: str) -> Job | None: ...
    def report_progress(self, job_id: int, done: int, total: int, rate: float) -> tuple[JobState, bool]: ...
    def request_cancel(self, job_id: int) -> Job: ...
    def remove(self, job_ids: Iterable[int]) -> None: ...
    def queue_paused(self) -> bool: ...
    def set_queue_paused(self, paused: bool) -> None: ...
    def heartbeat_worker(self, worker: str, host: str, pid: int, job_id: int | None) -> None: ...
    def forget_worker(self, worker: str) -> None: ...
    def workers(self) -> list[WorkerInfo]: ...
    def close(self) -> None: ...
