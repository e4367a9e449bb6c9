"""Logging to a rotating file in the user's log folder, plus an in-memory tail the window shows."""

from __future__ import annotations

import collections
import logging
import logging.handlers
import threading
from pathlib import Path

from jobs import paths

LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class TailHandler(logging.Handler):
    """Keeps the last lines in memory for the window's log view."""

    def __init__(self, capacity: int = 2000) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._lock_tail = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            return
        with self._lock_tail:
            self.lines.append(line)

    def tail(self, n: int = 200) -> list[str]:
        with self._lock_tail:
            return list(self.lines)[-n:]


_tail: TailHandler | None = None


def log_file(name: str = "parqueue.log") -> Path:
    return paths.log_dir() / name


def setup_logging(name: str = "parqueue.log", level: int = logging.INFO) -> TailHandler:
    """Idempotent: configures the root logger once per process."""
    global _tail
    if _tail is not None:
        return _tail
    root = logging.getLogger()
    root.setLevel(level)
    formatter = logging.Formatter(LOG_FORMAT)
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(name), maxBytes=2_000_000, backupCount=3, encoding="utf-8", delay=True
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(formatter)
    root.addHandler(handler)
    _tail = TailHandler()
    _tail.setFormatter(formatter)
    root.addHandler(_tail)
    logging.getLogger("huey").setLevel(logging.WARNING)
    return _tail
