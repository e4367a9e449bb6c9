"""Dropped files and folders into queued jobs, in a worker thread, a batch at a time.

A folder of 10,000 files is walked through :func:`jobs.submit.iter_inputs` (a generator) and submitted
in batches, so the first rows appear at once and the window never waits for the whole walk.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from jobs.queue import JobQueue
from jobs.store.sqlite import SqliteJobStore
from jobs.submit import iter_inputs, submit_files

log = logging.getLogger(__name__)

BATCH_FILES = 250
LISTED_MAX = 500  # the notice lists this many unsupported files, then says "and N more"


@dataclass
class ScanReport:
    queued: int = 0
    duplicates: int = 0
    unsupported: list[Path] = field(default_factory=list)
    unsupported_count: int = 0
    missing: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)


def scan_and_submit(
    store: SqliteJobStore, queue: JobQueue, roots: Iterable[Path], out_dir: Path, options: dict[str, Any],
    progress: Callable[[int], None] | None = None, batch_files: int = BATCH_FILES,
) -> ScanReport:
    """Walk ``roots`` and queue every supported file; Qt-free, so it runs in any thread."""
    report = ScanReport()
    batch_id = uuid.uuid4().hex[:12]
    pending: list[Path] = []

    def flush() -> None:
        if not pending:
            return
        submitted = submit_files(store, queue, pending, out_dir, options, batch=batch_id)
        report.queued += len(submitted.new)
        report.duplicates += len(submitted.duplicates)
        report.job_ids.extend(submitted.new)
        pending.clear()
        if progress is not None:
            progress(report.queued)

    for path, supported in iter_inputs(roots):
        if not supported:
            report.unsupported_count += 1
            if len(report.unsupported) < LISTED_MAX:
                report.unsupported.append(path)
            continue
        if not path.exists():
            report.missing.append(path)
            continue
        pending.append(path)
        if len(pending) >= batch_files:
            flush()
    flush()
    return report


class ScanSignals(QObject):
    """Created on the GUI thread, emitted from the scan thread (queued delivery).

    Signals:
        progress(int): jobs queued so far.
        finished(object): the :class:`ScanReport`.
        failed(str): the scan stopped on an error.
    """

    progress = Signal(int)
    finished = Signal(object)
    failed = Signal(str)


class ScanTask(QRunnable):
    def __init__(
        self, store: SqliteJobStore, queue: JobQueue, roots: list[Path], out_dir: Path, options: dict[str, Any],
        signals: ScanSignals,
    ) -> None:
        super().__init__()
        self._args = (store, queue, roots, out_dir, options)
        self.signals = signals

    def run(self) -> None:
        store, queue, roots, out_dir, options = self._args
        try:
            report = scan_and_submit(store, queue, roots, out_dir, options, self.signals.progress.emit)
        except Exception as exc:
            log.exception("queuing %d dropped paths failed", len(roots))
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        log.info("queued %d jobs (%d already queued, %d unsupported files)",
                 report.queued, report.duplicates, report.unsupported_count)
        self.signals.finished.emit(report)
