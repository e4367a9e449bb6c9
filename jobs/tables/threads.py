"""Two small thread helpers: read ahead of a slow iterator, and hand items to a worker thread.

Arrow's parser, compute kernels and numpy release the GIL, so a reader, a profiler and the Parquet writer each
in its own thread really do run side by side on two cores.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_END = object()

# Cancel checks: the progress callback raises when the job was cancelled, so long steps call it this often.
TICK_COLUMNS = 256  # columns handled between two calls on a wide table (5,000 columns take seconds a step)
TICK_SECONDS = 0.2  # the longest wait between two calls while another thread does the work


def ticking(items: Iterable[T], tick: Callable[[], None] | None) -> Iterator[T]:
    """``items``, calling ``tick`` (which may raise) after every TICK_COLUMNS of them."""
    for i, item in enumerate(items):
        if tick is not None and i % TICK_COLUMNS == TICK_COLUMNS - 1:
            tick()
        yield item


def join_ticking(thread: threading.Thread, tick: Callable[[], None] | None) -> None:
    """Wait for ``thread``, calling ``tick`` (which may raise) every TICK_SECONDS meanwhile."""
    while True:
        thread.join(TICK_SECONDS)
        if not thread.is_alive():
            return
        if tick is not None:
            tick()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def prefetch(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Iterate ``items`` in a background thread, ``depth`` items ahead. Errors re-raise in the caller.

    Leaving the loop early (an exception in the caller, e.g. a cancel) stops the thread at its next item.
    """
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                q.put(item)
        except BaseException as exc:  # handed to the consumer
            q.put(_Failure(exc))
            return
        q.put(_END)

    thread = threading.Thread(target=run, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        # Unblock a producer waiting on a full queue so it can see the stop flag and end.
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                q.get(timeout=0.05)


class Worker(Generic[T]):
    """Applies ``fn`` to every submitted item in its own thread, in order."""

    def __init__(self, fn: Callable[[T], None], depth: int = 4, name: str = "worker") -> None:
        self._fn = fn
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if self._error is None:
                try:
                    self._fn(item)  # type: ignore[arg-type]
                except BaseException as exc:  # re-raised in the submitting thread
                    self._error = exc

    def submit(self, item: T) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def finish(self, tick: Callable[[], None] | None = None) -> None:
        """Wait for every item; ``tick`` is called while waiting (a cancel check), and may raise."""
        self._queue.put(_END)
        join_ticking(self._thread, tick)
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        self._error = self._error or RuntimeError("aborted")
        self._queue.put(_END)
        self._thread.join()
