"""The job store: every job's record, shared by the window, the command line and the workers.

``open_store()`` returns the embedded SQLite store; the :class:`~jobs.store.base.JobStore` protocol is
the seam where a shared database can serve workers on several machines later.
"""

from __future__ import annotations

from pathlib import Path

from jobs import paths
from jobs.store.base import Job, JobStore, NewJob
from jobs.store.sqlite import SqliteJobStore

__all__ = ["Job", "JobStore", "NewJob", "SqliteJobStore", "open_store"]


def open_store(data_dir: Path | None = None) -> SqliteJobStore:
    return SqliteJobStore((data_dir or paths.data_dir()) / "jobs.db")
