"""``run``: queue files and folders, show live progress, print one record per job, exit 0/1."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from jobs import config, paths
from jobs.cli.records import job_record
from jobs.logsetup import log_file
from jobs.pool import WorkerPool, default_workers
from jobs.processors.base import DATE_ORDERS, MAX_SKIP_LINES
from jobs.queue import JobQueue
from jobs.states import JobState
from jobs.store import open_store
from jobs.store.base import Job
from jobs.submit import scan, submit_files

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # a read of the change counter: cheap, and a finished run returns ~80 ms sooner
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (recursive)")
    parser.add_argument("--out", type=Path, help="output folder (default: %(default)s)", default=None)
    parser.add_argument("--workers", type=int, default=None,
                        help=f"worker processes (default: the setting, else the CPU count, {default_workers()})")
    parser.add_argument("--json", action="store_true", help="print one JSON object per job, one a line")
    tables = parser.add_argument_group("tables")
    tables.add_argument("--encoding", help="text encoding of CSV files (default: detected)")
    tables.add_argument("--delimiter", type=_delimiter, help=r"field delimiter: , ; | or \t (default: detected)")
    header = tables.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_true", default=None,
                        help="the first row holds column names")
    header.add_argument("--no-header", dest="header", action="store_false", help="there is no header row")
    tables.add_argument("--decimal", choices=[".", ","], help="decimal mark (default: detected)")
    tables.add_argument("--date-order", choices=DATE_ORDERS,
                        help="day first (31/12/2024) or month first (12/31/2024), for dates whose values all read "
                        "both ways (default: a value with a day above 12 tells, else they stay text)")
    tables.add_argument("--skip-lines", type=_skip_lines, metavar="N",
                        help="lines above the header that are no part of the table (default: detected)")
    tables.add_argument("--keep-totals", action="store_true", default=None,
                        help="read totals lines at the end of a CSV ('Total;;1.234,56') as rows (default: they are "
                        "set aside in the rejects file)")
    tables.add_argument("--sheet", action="append", help="only this sheet of a workbook (repeatable)")
    images = parser.add_argument_group("images")
    images.add_argument("--thumb-size", type=int, help="thumbnails fit this many pixels (default 300)")
    images.add_argument("--no-thumbnails", dest="thumbnails", action="store_false", default=None)
    images.add_argument("--optimize-format", choices=["same", "webp"])
    images.add_argument("--metadata", choices=["keep", "strip", "strip_gps"],
                        help="metadata in the optimized copy: keep, strip, or strip only GPS")
    images.add_argument("--no-optimized", dest="optimized", action="store_false", default=None,
                        help="no optimized copy, only the thumbnail and the metadata")
    images.add_argument("--max-pixels", type=int,
                        help="refuse images declaring more pixels than this (default ~179 million; 0: no limit)")


def _delimiter(text: str) -> str:
    if text in ("\\t", "tab", "TAB"):
        return "\t"
    if len(text) != 1 or text in "\r\n":
        raise argparse.ArgumentTypeError(f"one character, such as ';' or \\t, not {text!r}")
    return text


def _skip_lines(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SKIP_LINES:
        raise argparse.ArgumentTypeError(f"a number of lines from 0 to {MAX_SKIP_LINES}, not {text!r}")
    return value


def _options(args: argparse.Namespace) -> dict[str, Any]:
    options = {
        "encoding": args.encoding, "delimiter": args.delimiter, "header": args.header, "decimal": args.decimal,
        "date_order": args.date_order, "skip_lines": args.skip_lines, "keep_totals": args.keep_totals,
        "sheet": args.sheet, "thumb_size": args.thumb_size, "thumbnails": args.thumbnails,
        "optimize_format": args.optimize_format, "metadata": args.metadata, "optimized": args.optimized,
        "max_pixels": args.max_pixels,
    }
    return {k: v for k, v in options.items() if v is not None}


class _Display:
    """Live progress bars on a terminal (rich); silent when stderr is not one."""

    MAX_BARS = 8

    def __init__(self, total_jobs: int) -> None:
        self.enabled = sys.stderr.isatty()
        self._tasks: dict[int, Any] = {}
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}", justify="left"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )
        self.overall = self.progress.add_task("[bold]all jobs", total=total_jobs)
        self.progress.start()

    def update(self, job: Job, finished: int) -> None:
        if not self.enabled:
            return
        self.progress.update(self.overall, completed=finished)
        task = self._tasks.get(job.id)
        if job.state in (JobState.RUNNING, JobState.PAUSED):
            label = job.name if job.state == JobState.RUNNING else f"{job.name} (paused)"
            if task is None:
                if len(self._tasks) >= self.MAX_BARS:
                    return
                task = self.progress.add_task(label, total=job.total or None)
                self._tasks[job.id] = task
            # job.fraction, not done: all input read is not done until the outputs are written (99 % meanwhile).
            self.progress.update(task, description=label, completed=job.fraction * job.total, total=job.total or None)
        elif task is not None:
            self.progress.remove_task(task)
            del self._tasks[job.id]
            if job.state.is_final:
                mark = {"completed": "✓", "completed_with_warnings": "!", "failed": "✗"}.get(job.state.value, "·")
                self.progress.console.print(f"{mark} {job.name}: {job.state.value}"
                                            + (f" — {job.error}" if job.error else ""))

    def stop(self) -> None:
        if self.enabled:
            self.progress.stop()


def execute(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print("parqueue run: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    found = scan(args.paths)
    for path in found.unsupported:
        print(f"skipped (not a file Parqueue reads): {path}", file=sys.stderr)
    files = found.files + found.missing
    if not files:
        print("parqueue run: nothing to process", file=sys.stderr)
        return EXIT_USAGE
    settings = config.load()
    out_dir = (args.out or settings.out_dir()).expanduser()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"parqueue run: cannot create output folder {out_dir}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE

    data_dir = paths.data_dir()
    store = open_store(data_dir)
    queue = JobQueue(data_dir)
    pool = WorkerPool(data_dir, store, queue, args.workers or settings.worker_count(),
                      log_file=log_file("workers.log"))
    owner = pool.start()
    if not owner:
        print("note: another Parqueue pool serves this data folder; its workers will run these jobs",
              file=sys.stderr)
    submitted = submit_files(store, queue, files, out_dir, {**settings.job_options(), **_options(args)})
    for dup in submitted.duplicates:
        print(f"already queued as job {dup.id} ({dup.state.value}), not queued twice: {dup.path}",
              file=sys.stderr)
    wanted = set(submitted.all_ids)
    display = _Display(len(wanted))
    finished: dict[int, Job] = {}
    seq = 0
    try:
        while len(finished) < len(wanted):
            seq, changed = store.changed_since(seq)
            for job in changed:
                if job.id not in wanted or job.id in finished:
                    continue
                if job.state.is_final:
                    finished[job.id] = job
                    if args.json:
                        print(json.dumps(job_record(job), default=str), flush=True)
                display.update(job, len(finished))
            if pool.broken:
                display.stop()
                print(f"parqueue run: {pool.broken}", file=sys.stderr)
                pool.stop()
                return EXIT_FAILED
            if len(finished) < len(wanted):
                time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        display.stop()
        print("\nstopping: unfinished jobs will resume the next time Parqueue starts", file=sys.stderr)
        pool.stop()
        return 130
    display.stop()
    pool.stop()
    return _summary(list(finished.values()), args.json)


def _summary(jobs: list[Job], as_json: bool) -> int:
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.state.value] = counts.get(job.state.value, 0) + 1
    text = ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in sorted(counts.items()))
    stream = sys.stderr if as_json else sys.stdout
    if not as_json:
        for job in jobs:
            if job.state == JobState.FAILED:
                print(f"failed: {job.error}", file=stream)
            for warning in job.warnings[:5]:
                print(f"warning: {job.name}: {warning}", file=stream)
    print(f"{len(jobs)} jobs: {text}", file=stream)
    ok = all(job.state.succeeded for job in jobs)
    return EXIT_OK if ok else EXIT_FAILED
