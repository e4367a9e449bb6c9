"""``serve``: hold the worker pool headless (a server, or the window's "keep processing in the background")."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from typing import Any

from jobs import config, paths
from jobs.logsetup import log_file
from jobs.pool import WorkerPool
from jobs.queue import JobQueue
from jobs.states import ACTIVE_STATES
from jobs.store import open_store

log = logging.getLogger(__name__)

IDLE_GRACE_SECONDS = 3.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU count)")
    parser.add_argument("--until-idle", action="store_true",
                        help="exit once no job is queued or running (the window's background mode)")


def execute(args: argparse.Namespace) -> int:
    data_dir = paths.data_dir()
    store = open_store(data_dir)
    queue = JobQueue(data_dir)
    pool = WorkerPool(data_dir, store, queue, args.workers or config.load().worker_count(),
                      log_file=log_file("workers.log"))
    stop = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    pool.start()
    idle_since: float | None = None
    try:
        while not stop.wait(0.5):
            if not args.until_idle:
                continue
            active = sum(n for state, n in store.counts().items() if state in ACTIVE_STATES)
            if active:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= IDLE_GRACE_SECONDS:
                log.info("serve: queue is empty; exiting")
                break
    finally:
        pool.stop()
    return 0
