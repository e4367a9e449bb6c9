"""What every processor shares: its signature, its result record, its errors and its progress callback.

A processor is a plain function::

    def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult

It knows nothing of Qt or Huey. It reports progress as ``progress(done, total)`` in units of its input
(bytes for files read as a stream, rows or pages where bytes make no sense) and calls it at every chunk
boundary, even when nothing advanced, because that call is where a cancel or pause request reaches it:
the callback raises :class:`Cancelled` to stop the processor, or blocks while the job is paused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from jobs.outputs import OutputSet


# Lines above a table's header the user may have skipped (job option "skip_lines", run --skip-lines).
MAX_SKIP_LINES = 1000
# Day first, month first: the user's order for dates whose values all read both ways (job option "date_order").
DATE_ORDERS = ("dmy", "mdy")


class ProgressCallback(Protocol):
    def __call__(self, done: int, total: int) -> None: ...


def no_progress(done: int, total: int) -> None:
    """A callback for callers that do not watch progress (tests, one-off scripts)."""


class ProcessingError(Exception):
    """A problem with the input that the user can understand and act on.

    The message names the problem in plain words; the runner prefixes the file name, so the user sees
    ``report.csv: line 12 has an unterminated quote``. Never raise it for a bug: bugs stay tracebacks in
    the log, and the user sees a short "internal error" line.
    """


class Cancelled(Exception):
    """Raised by the progress callback when the user cancelled the job."""


class Interrupted(Exception):
    """Raised by the progress callback when the worker must stop (its parent died, the pool stops)."""


@dataclass(frozen=True)
class ProcessOptions:
    """Where outputs go and the per-kind settings (``extra``: e.g. ``encoding``, ``delimiter``, ``sheet``)."""

    out_dir: Path
    extra: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.extra.get(key, default)
        return default if value is None else value

    def date_order(self) -> str | None:
        """The user's day/month order for tables, checked."""
        order = self.get("date_order")
        if order is not None and order not in DATE_ORDERS:
            raise ProcessingError(f"the date order must be 'dmy' (day first) or 'mdy' (month first), not {order!r}")
        return order

    @property
    def compression(self) -> str:
        """Parquet compression codec chosen in the settings (zstd unless the user picked another)."""
        value = str(self.get("compression", "zstd")).lower()
        return value if value in ("zstd", "snappy", "gzip", "lz4", "brotli", "none") else "zstd"

    def outputs(self, stem: str) -> OutputSet:
        """The job's atomic output set, honouring the job tag and the user's overwrite policy."""
        from jobs.outputs import OutputSet

        return OutputSet(self.out_dir, stem, owner=self.get("owner"), overwrite=self.get("overwrite") == "replace",
                         compression=self.compression)


@dataclass
class ProcessResult:
    """What a processor produced.

    ``metrics`` carries what the processor measured (rows, columns, encoding, lines, words, width …);
    it is stored with the job and printed by ``run --json``.
    """

    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)


ProcessFunction = Callable[[Path, ProcessOptions, ProgressCallback], ProcessResult]
