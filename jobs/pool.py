"""The worker pool: N worker processes serving one queue, one pool per data folder.

Whoever needs workers (the window, ``run``) calls :meth:`WorkerPool.start`. If another process already
runs a pool for the same data folder (a lock file says so), this one stays passive and keeps trying to
take over, so jobs keep moving if that process ends. A supervisor thread restarts workers that die,
hands their jobs back to the queue, and notices tasks the queue lost.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout

from jobs.launcher import detached_kwargs, self_command
from jobs.queue import JobQueue
from jobs.recovery import recover
from jobs.store.sqlite import SqliteJobStore

log = logging.getLogger(__name__)

SUPERVISE_SECONDS = 0.5
QUICK_DEATH_SECONDS = 3.0
MAX_QUICK_DEATHS = 5
LOST_CHECK_SECONDS = 5.0


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class WorkerPool:
    def __init__(
        self, data_dir: Path, store: SqliteJobStore, queue: JobQueue, size: int | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.store = store
        self.queue = queue
        self.size = max(1, size or default_workers())
        self.log_file = log_file
        # thread_local=False: the supervisor thread may take the lock and another thread release it.
        self._lock = FileLock(str(self.data_dir / "pool.lock"), thread_local=False)
        self._procs: list[subprocess.Popen[bytes]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._mutex = threading.Lock()
        self.owner = False
        self.restarts = 0
        self._started_at: dict[int, float] = {}
        self._quick_deaths = 0
        self.broken: str | None = None  # why the pool gave up starting workers, if it did

    # -- life cycle ---------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start serving; True when this process owns the pool, False when another pool serves the queue."""
        self._try_take_over()
        self._thread = threading.Thread(target=self._supervise, name="parqueue-pool", daemon=True)
        self._thread.start()
        return self.owner

    def _try_take_over(self) -> bool:
        if self.owner:
            return True
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        self.owner = True
        log.info("pool: serving %s with %d workers", self.data_dir, self.size)
        recover(self.store, self.queue, check_lost=True)
        with self._mutex:
            while len(self._procs) < self.size:
                self._procs.append(self._spawn())
        return True

    def _spawn(self) -> subprocess.Popen[bytes]:
        cmd = self_command("worker", "--data-dir", str(self.data_dir), "--parent-pid", str(os.getpid()))
        env = dict(os.environ)
        env["PARQUEUE_DATA_DIR"] = str(self.data_dir)
        stderr = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env,
                **detached_kwargs(),
            )
        finally:
            if stderr is not subprocess.DEVNULL:
                stderr.close()
        log.debug("pool: started worker pid %s", proc.pid)
        self._started_at[proc.pid] = time.monotonic()
        return proc

    def resize(self, size: int) -> None:
        """Change the number of workers while running; extra idle workers are stopped."""
        self.size = max(1, size)
        if not self.owner:
            return
        with self._mutex:
            while len(self._procs) < self.size:
                self._procs.append(self._spawn())
            while len(self._procs) > self.size:
                proc = self._procs.pop()
                self._terminate([proc])

    def stop(self, timeout: float = 5.0) -> None:
        """Stop every worker (their running jobs become interrupted and resume at the next start)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        with self._mutex:
            procs, self._procs = self._procs, []
        self._terminate(procs, timeout)
        if self.owner:
            recover(self.store, self.queue)
            self._lock.release()
            self.owner = False

    @staticmethod
    def _terminate(procs: list[subprocess.Popen[bytes]], timeout: float = 5.0) -> None:
        for proc in procs:
            if proc.poll() is None:
                if sys.platform == "win32":
                    # The worker's SIGBREAK handler records its job as interrupted; terminate() would not.
                    # A console event needs a console: the windowed app has none, so fall back to terminate,
                    # and recovery hands the job back to the queue at the next start.
                    try:
                        proc.send_signal(signal.CTRL_BREAK_EVENT)
                    except OSError:
                        proc.terminate()
                else:
                    proc.terminate()
        deadline = time.monotonic() + timeout
        for proc in procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    # -- supervision --------------------------------------------------------------------------------

    @property
    def alive(self) -> int:
        with self._mutex:
            return sum(1 for p in self._procs if p.poll() is None)

    @property
    def pids(self) -> list[int]:
        with self._mutex:
            return [p.pid for p in self._procs if p.poll() is None]

    def _supervise(self) -> None:
        next_lost_check = time.monotonic() + LOST_CHECK_SECONDS
        while not self._stop.wait(SUPERVISE_SECONDS):
            try:
                if not self.owner:
                    self._try_take_over()
                    continue
                died = self._reap_dead()
                check_lost = time.monotonic() >= next_lost_check
                if died or check_lost:
                    recover(self.store, self.queue, check_lost=check_lost)
                    if check_lost:
                        next_lost_check = time.monotonic() + LOST_CHECK_SECONDS
            except Exception:
                log.exception("pool supervisor error")

    def _reap_dead(self) -> int:
        died = 0
        with self._mutex:
            for i, proc in enumerate(self._procs):
                code = proc.poll()
                if code is None:
                    continue
                died += 1
                lived = time.monotonic() - self._started_at.pop(proc.pid, 0.0)
                self._quick_deaths = self._quick_deaths + 1 if lived < QUICK_DEATH_SECONDS else 0
                log.warning("pool: worker pid %s exited with %s after %.1f s", proc.pid, code, lived)
                self.restarts += 1
                if self._stop.is_set():
                    continue
                if self._quick_deaths >= MAX_QUICK_DEATHS:
                    # A worker that dies at start will die again: say so instead of spinning forever.
                    self.broken = (f"worker processes exit right after starting ({self._quick_deaths} times); "
                                   f"see {self.log_file or 'the log'}")
                    log.error("pool: %s", self.broken)
                    continue
                self._procs[i] = self._spawn()
        return died


__all__ = ["WorkerPool", "default_workers"]
