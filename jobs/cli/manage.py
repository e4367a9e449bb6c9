"""``jobs``, ``cancel``, ``pause``, ``resume``, ``retry``: look at and steer jobs from a terminal."""

from __future__ import annotations

import argparse
import json
import sys

from jobs import paths
from jobs.cli.records import job_record
from jobs.queue import JobQueue
from jobs.states import JobState, TransitionError
from jobs.store import open_store


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per job")
    parser.add_argument("--state", choices=[s.value for s in JobState], help="only jobs in this state")


def list_jobs(args: argparse.Namespace) -> int:
    store = open_store(paths.data_dir())
    jobs = [j for j in store.list_jobs() if args.state is None or j.state.value == args.state]
    if args.json:
        for job in jobs:
            print(json.dumps(job_record(job), default=str))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Parqueue jobs ({len(jobs)})" + (" — queue paused" if store.queue_paused() else ""))
    for col in ("id", "state", "kind", "file", "progress", "attempts", "message"):
        table.add_column(col, overflow="fold")
    for job in jobs:
        pct = f"{job.fraction * 100:.0f}%"
        message = job.error or ("; ".join(job.warnings[:1]) if job.warnings else "")
        table.add_row(str(job.id), job.state.value, job.kind, job.name, pct, str(job.attempt), message)
    Console().print(table)
    return 0


def add_id_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", type=int, metavar="ID", help="job ids (see `jobs`)")
    parser.add_argument("--queue", action="store_true",
                        help="pause/resume: the whole queue (no new job starts while it is paused)")


def steer(action: str, args: argparse.Namespace) -> int:
    store = open_store(paths.data_dir())
    if args.queue:
        if action not in ("pause", "resume"):
            print(f"parqueue {action}: --queue works with pause and resume only", file=sys.stderr)
            return 2
        store.set_queue_paused(action == "pause")
        print(f"queue {'paused' if action == 'pause' else 'resumed'}")
        return 0
    if not args.ids:
        print(f"parqueue {action}: give at least one job id (or --queue)", file=sys.stderr)
        return 2
    status = 0
    queue = JobQueue(paths.data_dir()) if action == "retry" else None
    for job_id in args.ids:
        job = store.get(job_id)
        if job is None:
            print(f"job {job_id}: no such job", file=sys.stderr)
            status = 1
            continue
        try:
            if action == "cancel":
                job = store.request_cancel(job_id)
                said = "cancelled" if job.state == JobState.CANCELLED else "cancelling at its next step"
            elif action == "pause":
                job = store.transition(job_id, JobState.PAUSED)
                said = "paused"
            elif action == "resume":
                job = store.transition(job_id, JobState.RUNNING)
                said = "resumed"
            else:
                job = store.requeue(job_id, retry=True)
                assert queue is not None
                queue.submit([job_id])
                said = "queued again"
        except TransitionError:
            print(f"job {job_id} ({job.name}) is {job.state.value}: cannot {action} it", file=sys.stderr)
            status = 1
            continue
        print(f"job {job_id} ({job.name}): {said}")
    return status
