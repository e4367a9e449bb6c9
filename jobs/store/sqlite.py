"""The embedded job store: one SQLite file in WAL mode, safe with several processes writing.

Every write bumps one change counter and stamps the rows it touched with it, so a reader asks
"what changed since counter N?" and pays nothing when nothing changed. Read-then-write transactions
start with ``BEGIN IMMEDIATE``: a deferred one can fail with "database is locked" on its upgrade to a
writer, whatever the busy timeout.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from jobs.states import JobState, TransitionError, check_transition
from jobs.store.base import Job, NewJob, WorkerInfo

log = logging.getLogger(__name__)

T = TypeVar("T")

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    processor TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    state TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    rate REAL NOT NULL DEFAULT 0,
    unit TEXT NOT NULL DEFAULT 'bytes',
    queued_at REAL,
    started_at REAL,
    finished_at REAL,
    attempt INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    out_dir TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '{}',
    outputs TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    metrics TEXT NOT NULL DEFAULT '{}',
    worker TEXT,
    heartbeat REAL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    batch TEXT,
    seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_seq ON jobs(seq);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
CREATE INDEX IF NOT EXISTS jobs_path ON jobs(path);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);
INSERT OR IGNORE INTO meta(key, value) VALUES ('seq', 0), ('queue_paused', 0);
CREATE TABLE IF NOT EXISTS workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at REAL NOT NULL,
    heartbeat REAL NOT NULL,
    job_id INTEGER
);
"""

_JSON_FIELDS = ("options", "outputs", "warnings", "metrics")
_COLUMNS = (
    "id path kind processor size mtime_ns state done total rate unit queued_at started_at finished_at "
    "attempt max_attempts out_dir options outputs warnings error metrics worker heartbeat "
    "cancel_requested removed batch seq"
).split()
_UPDATABLE = frozenset(_COLUMNS) - {"id", "seq", "state"}

HOST = socket.gethostname()


def _row_to_job(row: sqlite3.Row) -> Job:
    data = dict(row)
    for key in _JSON_FIELDS:
        data[key] = json.loads(data[key]) if data[key] else ({} if key in ("options", "metrics") else [])
    data["state"] = JobState(data["state"])
    data["cancel_requested"] = bool(data["cancel_requested"])
    data["removed"] = bool(data["removed"])
    return Job(**data)


def _encode(key: str, value: Any) -> Any:
    if key in _JSON_FIELDS:
        return json.dumps(value, default=str)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Path):
        return str(value)
    return value


class SqliteJobStore:
    """Job store in one SQLite file; one connection per thread, opened on first use."""

    def __init__(self, db_path: Path, busy_timeout_ms: int = 15_000) -> None:
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self._conn()
        if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            # Idempotent DDL in one immediate transaction: several processes may open a new store at once.
            conn.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )

    # -- connections and transactions -------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                str(self.db_path), timeout=self._busy_timeout_ms / 1000, isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode loses at most the last transactions on power loss, never corrupts;
            # jobs are re-derived from the queue and the files, so that trade is right for progress rows.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _write(self, body: Callable[[sqlite3.Connection, int], T]) -> T:
        """Run ``body(conn, seq)`` in one immediate transaction with a fresh change counter value."""
        conn = self._conn()
        for attempt in range(20):
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.05 * (attempt + 1))
        else:
            conn.execute("BEGIN IMMEDIATE")
        try:
            seq = conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").fetchone()[0]
            result = body(conn, int(seq))
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- reading ------------------------------------------------------------------------------------

    def get(self, job_id: int) -> Job | None:
        row = self._conn().execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _row_to_job(row) if row else None

    def _get_in(self, conn: sqlite3.Connection, job_id: int) -> Job:
        row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(f"no job {job_id}")
        return _row_to_job(row)

    def list_jobs(self, include_removed: bool = False) -> list[Job]:
        where = "" if include_removed else "WHERE removed = 0"
        rows = self._conn().execute(f"SELECT * FROM jobs {where} ORDER BY id").fetchall()
        return [_row_to_job(r) for r in rows]

    def jobs_in_states(self, states: Iterable[JobState]) -> list[Job]:
        names = [s.value for s in states]
        marks = ",".join("?" * len(names))
        rows = self._conn().execute(
            f"SELECT * FROM jobs WHERE state IN ({marks}) AND removed = 0 ORDER BY id", names
        ).fetchall()
        return [_row_to_job(r) for r in rows]

    def change_counter(self) -> int:
        return int(self._conn().execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])

    def changed_since(self, seq: int) -> tuple[int, list[Job]]:
        """Jobs stamped after ``seq`` (removed ones included, so readers can drop them) and the new counter."""
        conn = self._conn()
        current = int(conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])
        if current <= seq:
            return current, []
        rows = conn.execute("SELECT * FROM jobs WHERE seq > ? ORDER BY id", (seq,)).fetchall()
        return current, [_row_to_job(r) for r in rows]

    def counts(self) -> dict[JobState, int]:
        rows = self._conn().execute(
            "SELECT state, COUNT(*) FROM jobs WHERE removed = 0 GROUP BY state"
        ).fetchall()
        return {JobState(s): n for s, n in rows}

    def find_active_duplicate(self, path: str, size: int | None, mtime_ns: int | None) -> Job | None:
        """A job for the same unchanged file that is still queued or in a worker's hands."""
        row = self._conn().execute(
            "SELECT * FROM jobs WHERE path = ? AND size IS ? AND mtime_ns IS ? AND removed = 0 "
            "AND state IN ('queued', 'running', 'paused', 'interrupted') ORDER BY id DESC LIMIT 1",
            (path, size, mtime_ns),
        ).fetchone()
        return _row_to_job(row) if row else None

    # -- writing ------------------------------------------------------------------------------------

    def add_jobs(self, jobs: Sequence[NewJob]) -> list[int]:
        now = time.time()

        def body(conn: sqlite3.Connection, seq: int) -> list[int]:
            ids = []
            for job in jobs:
                cur = conn.execute(
                    "INSERT INTO jobs (path, kind, processor, size, mtime_ns, state, queued_at, out_dir, "
                    "options, batch, total, seq) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
                    (job.path, job.kind, job.processor, job.size, job.mtime_ns, now, job.out_dir,
                     json.dumps(job.options, default=str), job.batch, job.size or 0, seq),
                )
                ids.append(int(cur.lastrowid or 0))
            return ids

        return self._write(body)

    def _set(self, conn: sqlite3.Connection, job_id: int, seq: int, fields: dict[str, Any]) -> None:
        unknown = set(fields) - _UPDATABLE - {"state"}
        if unknown:
            raise ValueError(f"unknown job fields: {sorted(unknown)}")
        names = [*fields, "seq"]
        values = [_encode(k, v.value if isinstance(v, JobState) else v) for k, v in fields.items()]
        assignments = ", ".join(f"{n} = ?" for n in names)
        conn.execute(f"UPDATE jobs SET {assignments} WHERE id = ?", (*values, seq, job_id))

    def transition(self, job_id: int, new: JobState, **fields: Any) -> Job:
        """Move a job to ``new`` (checked against the allowed transitions) and set ``fields`` with it."""

        def body(conn: sqlite3.Connection, seq: int) -> Job:
            job = self._get_in(conn, job_id)
            check_transition(job.state, new, job_id)
            if new.is_final and "finished_at" not in fields:
                fields["finished_at"] = time.time()
            self._set(conn, job_id, seq, {"state": new, **fields})
            return self._get_in(conn, job_id)

        return self._write(body)

    def update(self, job_id: int, **fields: Any) -> None:
        """Set fields that are not the state (options before a re-run, metrics)."""
        if "state" in fields:
            raise ValueError("use transition() to change a job's state")
        self._write(lambda conn, seq: self._set(conn, job_id, seq, fields))

    def claim(self, job_id: int, worker: str) -> Job | None:
        """Take a queued job for ``worker``: running, a new attempt. None when it is not queued any more."""
        now = time.time()

        def body(conn: sqlite3.Connection, seq: int) -> Job | None:
            job = self._get_in(conn, job_id)
            if job.state != JobState.QUEUED or job.removed:
                return None
            self._set(conn, job_id, seq, {
                "state": JobState.RUNNING, "attempt": job.attempt + 1, "started_at": now,
                "finished_at": None, "worker": worker, "heartbeat": now, "done": 0, "rate": 0.0,
                "total": job.size or job.total,
                "error": None, "cancel_requested": False,
            })
            return self._get_in(conn, job_id)

        try:
            return self._write(body)
        except KeyError:
            return None

    def report_progress(self, job_id: int, done: int, total: int, rate: float) -> tuple[JobState, bool]:
        """Record progress; returns the job's state and whether a cancel was requested, in one round trip."""

        def body(conn: sqlite3.Connection, seq: int) -> tuple[JobState, bool]:
            row = conn.execute(
                "UPDATE jobs SET done = ?, total = ?, rate = ?, heartbeat = ?, seq = ? WHERE id = ? "
                "RETURNING state, cancel_requested",
                (done, total, rate, time.time(), seq, job_id),
            ).fetchone()
            if row is None:
                return JobState.CANCELLED, True
            return JobState(row[0]), bool(row[1])

        return self._write(body)

    def poll_control(self, job_id: int) -> tuple[JobState, bool]:
        row = self._conn().execute(
            "SELECT state, cancel_requested, removed FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
        if row is None:
            return JobState.CANCELLED, True
        return JobState(row[0]), bool(row[1]) or bool(row[2])

    def request_cancel(self, job_id: int) -> Job:
        """Cancel: at once for a job no worker is running; at its next chunk boundary for a running one."""

        def body(conn: sqlite3.Connection, seq: int) -> Job:
            job = self._get_in(conn, job_id)
            if job.state == JobState.RUNNING:
                self._set(conn, job_id, seq, {"cancel_requested": True})
            else:
                check_transition(job.state, JobState.CANCELLED, job_id)
                self._set(conn, job_id, seq, {
                    "state": JobState.CANCELLED, "finished_at": time.time(), "cancel_requested": True,
                })
            return self._get_in(conn, job_id)

        return self._write(body)

    def requeue(self, job_id: int, *, retry: bool = False, options: dict[str, Any] | None = None) -> Job:
        """Back to the queue: after an interruption (automatic) or a user's retry (a fresh allowance)."""

        def body(conn: sqlite3.Connection, seq: int) -> Job:
            job = self._get_in(conn, job_id)
            check_transition(job.state, JobState.QUEUED, job_id)
            fields: dict[str, Any] = {
                "state": JobState.QUEUED, "queued_at": time.time(), "finished_at": None, "done": 0,
                "rate": 0.0, "cancel_requested": False, "worker": None,
            }
            if retry:
                fields.update(error=None, warnings=[], outputs=[], max_attempts=job.attempt + 3)
            if options is not None:
                fields["options"] = options
            self._set(conn, job_id, seq, fields)
            return self._get_in(conn, job_id)

        return self._write(body)

    def remove(self, job_ids: Iterable[int]) -> None:
        """Hide jobs from the list; a job still in a worker's hands is cancelled first."""
        ids = list(job_ids)

        def body(conn: sqlite3.Connection, seq: int) -> None:
            for job_id in ids:
                try:
                    job = self._get_in(conn, job_id)
                except KeyError:
                    continue
                fields: dict[str, Any] = {"removed": True}
                if job.state == JobState.RUNNING:
                    fields["cancel_requested"] = True
                elif job.state.is_active:
                    fields.update(state=JobState.CANCELLED, finished_at=time.time())
                self._set(conn, job_id, seq, fields)

        self._write(body)

    # -- the queue switch and the workers ---------------------------------------------------------

    def queue_paused(self) -> bool:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'queue_paused'").fetchone()
        return bool(row and int(row[0]))

    def set_queue_paused(self, paused: bool) -> None:
        self._write(lambda conn, seq: conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'queue_paused'", (int(paused),)))

    def heartbeat_worker(self, worker: str, host: str, pid: int, job_id: int | None) -> None:
        now = time.time()
        conn = self._conn()
        # Heartbeats do not bump the change counter: readers care about jobs, not about liveness ticks.
        conn.execute(
            "INSERT INTO workers (id, host, pid, started_at, heartbeat, job_id) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET heartbeat = excluded.heartbeat, job_id = excluded.job_id",
            (worker, host, pid, now, now, job_id),
        )

    def forget_worker(self, worker: str) -> None:
        self._conn().execute("DELETE FROM workers WHERE id = ?", (worker,))

    def workers(self) -> list[WorkerInfo]:
        rows = self._conn().execute("SELECT * FROM workers ORDER BY started_at").fetchall()
        return [WorkerInfo(**dict(r)) for r in rows]


__all__ = ["HOST", "SqliteJobStore", "TransitionError"]
