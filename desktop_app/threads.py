"""Running work off the GUI thread and getting the result back on it (Picard's ``to_main`` shape).

``run_in_background(func, callback)`` runs ``func()`` in a thread pool and calls ``callback(result, error)``
on the GUI thread through a queued signal; exactly one of ``result`` and ``error`` is meaningful.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any, BaseException | None], None]

_pool: QThreadPool | None = None
_pending: set[_Relay] = set()


def thread_pool() -> QThreadPool:
    """The window's pool for I/O: folder scans, previews, reading outputs, copying exports."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(4)
        _pool.setObjectName("parqueue-io")
    return _pool


class _Relay(QObject):
    """Lives on the GUI thread; its signal, emitted from a worker thread, is delivered queued.

    Signals:
        done(object, object): the result and the exception (or None).
    """

    done = Signal(object, object)

    def __init__(self, callback: Callback, owner: QObject | None) -> None:
        super().__init__()
        self._callback = callback
        self._owner = owner
        self.done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: Any, error: BaseException | None) -> None:
        _pending.discard(self)
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return  # the widget that asked is gone (closed pane, finished test)
        self._callback(result, error)


class _Task(QRunnable):
    def __init__(self, func: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._func = func
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._func()
        except BaseException as exc:  # delivered to the callback, which decides what the user sees
            if not isinstance(exc, Exception):
                log.debug("background task ended by %r", exc)
            self._relay.done.emit(None, exc)
            return
        self._relay.done.emit(result, None)


def run_in_background(func: Callable[[], Any], callback: Callback, owner: QObject | None = None) -> None:
    """Call from the GUI thread; ``callback`` runs there too, once ``func`` returned or raised.

    With ``owner``, the callback is skipped when that object was deleted meanwhile.
    """
    relay = _Relay(callback, owner)
    _pending.add(relay)
    thread_pool().start(_Task(func, relay))


def wait_for_background(msecs: int = 5000) -> bool:
    """Tests and shutdown: wait for the pool's tasks to finish."""
    return thread_pool().waitForDone(msecs)
