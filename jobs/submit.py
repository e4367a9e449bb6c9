"""Turning paths the user gave (files and folders) into queued jobs."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobs.processors import registry
from jobs.queue import JobQueue
from jobs.store.base import Job, NewJob
from jobs.store.sqlite import SqliteJobStore

log = logging.getLogger(__name__)


@dataclass
class Scan:
    files: list[Path] = field(default_factory=list)
    unsupported: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)


def iter_inputs(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """(path, supported) for every file under the given paths; folders are walked recursively in order.

    A generator, so the window can expand a drop of 10,000 files a batch at a time.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith((".", "~$")):
                        continue  # hidden files, and the lock files Office keeps beside an open document
                    child = Path(root) / name
                    yield child, registry.is_supported(child)
        else:
            yield path, registry.is_supported(path) or not path.exists()


def scan(paths: Iterable[Path]) -> Scan:
    result = Scan()
    for path, supported in iter_inputs(paths):
        if not path.exists() and not path.is_symlink():
            result.missing.append(path)
        elif supported:
            result.files.append(path)
        else:
            result.unsupported.append(path)
    return result


@dataclass
class Submitted:
    new: list[int] = field(default_factory=list)
    duplicates: list[Job] = field(default_factory=list)

    @property
    def all_ids(self) -> list[int]:
        return self.new + [j.id for j in self.duplicates]


def submit_files(
    store: SqliteJobStore, queue: JobQueue, files: Iterable[Path], out_dir: Path,
    options: dict[str, Any] | None = None, batch: str | None = None,
) -> Submitted:
    """Create jobs and enqueue them; an unchanged file already queued or running is not queued twice."""
    batch = batch or uuid.uuid4().hex[:12]
    result = Submitted()
    new_jobs: list[NewJob] = []
    seen: set[tuple[str, int | None, int | None]] = set()
    for file in files:
        path = Path(os.path.abspath(file))
        info = registry.for_path(path)
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size, mtime = None, None
        key = (str(path), size, mtime)
        if key in seen:
            continue
        seen.add(key)
        existing = store.find_active_duplicate(str(path), size, mtime)
        if existing is not None:
            result.duplicates.append(existing)
            continue
        new_jobs.append(NewJob(
            path=str(path), kind=info.kind if info else "text", processor=info.name if info else "text",
            size=size, mtime_ns=mtime, out_dir=str(Path(out_dir).absolute()), options=dict(options or {}),
            batch=batch,
        ))
    if new_jobs:
        result.new = store.add_jobs(new_jobs)
        queue.submit(result.new)
    return result
