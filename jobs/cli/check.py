"""``check``: is this installation healthy? Versions, folders, databases, workers, disk space."""

from __future__ import annotations

import argparse
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from jobs import __version__, paths
from jobs.queue import JobQueue
from jobs.recovery import worker_alive
from jobs.store import open_store

MIN_FREE_BYTES = 200 << 20


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def execute(args: argparse.Namespace) -> int:
    problems: list[str] = []

    def line(ok: bool | None, what: str, detail: str) -> None:
        mark = {True: "ok  ", False: "FAIL", None: "info"}[ok]
        print(f"[{mark}] {what}: {detail}")
        if ok is False:
            problems.append(what)

    line(None, "parqueue", f"{__version__} on Python {platform.python_version()} ({platform.platform()})")
    line(None, "sqlite", sqlite3.sqlite_version)
    for dist in ("huey", "pyarrow", "pillow", "fastexcel", "PySide6-Essentials"):
        line(None, dist, _version(dist))

    data_dir = paths.data_dir()
    try:
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".check-"):
            pass
        line(True, "data folder", f"{data_dir} is writable")
    except OSError as exc:
        line(False, "data folder", f"{data_dir} is not writable ({exc.strerror})")

    try:
        store = open_store(data_dir)
        conn = sqlite3.connect(str(store.db_path))
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        conn.close()
        counts = store.counts()
        summary = ", ".join(f"{n} {s.value}" for s, n in counts.items()) or "no jobs"
        line(result == "ok", "job store", f"{store.db_path} {result}, journal {mode}; {summary}")
    except Exception as exc:
        line(False, "job store", f"unusable: {exc}")
        store = None

    try:
        queue = JobQueue(data_dir)
        pending = queue.pending_count()
        line(True, "queue", f"healthy, {pending} task(s) waiting")
    except Exception as exc:
        line(False, "queue", f"unusable: {exc}")

    if store is not None:
        now = time.time()
        workers = store.workers()
        alive = [w for w in workers if worker_alive(w, now)]
        busy = sum(1 for w in alive if w.job_id is not None)
        if alive:
            line(True, "workers", f"{len(alive)} alive, {busy} busy")
        else:
            line(None, "workers", "no pool running (the window or `run` starts one when needed)")
        if store.queue_paused():
            line(None, "queue", "paused by the user (`resume --queue` to resume)")

    for label, folder in (("data disk", data_dir), ("output disk", args.out or paths.default_output_dir())):
        probe = Path(folder)
        while not probe.exists() and probe.parent != probe:
            probe = probe.parent
        try:
            free = shutil.disk_usage(probe).free
            line(free >= MIN_FREE_BYTES, label, f"{free / 1e9:.1f} GB free at {probe}")
        except OSError as exc:
            line(False, label, f"cannot read free space at {probe} ({exc.strerror})")

    if problems:
        print(f"{len(problems)} problem(s): {', '.join(problems)}", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0
