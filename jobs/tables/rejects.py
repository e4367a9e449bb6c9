"""Rows that could not be read as table rows: kept with their line, raw text and reason, never silently dropped."""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from jobs.parquet_io import write_table

REJECTS_SCHEMA = pa.schema(
    [
        ("line", pa.int64()),  # 1-based physical line in the (decompressed) input, when the reader knows it
        ("row", pa.int64()),  # 1-based data row it would have been, when known
        ("raw", pa.string()),
        ("reason", pa.string()),
    ]
)
EMPTY_ROW = "an empty row: every field is blank"


def blank_rows(columns: list[pa.Array]) -> pa.Array | None:
    """Which rows have every field blank (empty, null or only spaces: a sheet's blank rows, ";;;" in CSV);
    None when none does, which the first column tells for most chunks (one comparison). A table of one
    column has none: there an empty field is a value left blank."""
    if len(columns) < 2:
        return None
    empty = None
    for arr in columns:
        blank = _blank(arr) if pa.types.is_string(arr.type) else pc.is_null(arr)
        empty = blank if empty is None else pc.and_(empty, blank)
        if not pc.any(empty).as_py():
            return None
    return empty


def _blank(arr: pa.Array) -> pa.Array:
    """Empty, null or only spaces (" ; ; "). Trimming every chunk's first column cost a clean file ~2-5 % of its
    time, so only a column with a value that starts with a space is trimmed."""
    empty = pc.fill_null(pc.equal(arr, ""), True)
    if pc.any(pc.starts_with(arr, " ")).as_py():
        empty = pc.or_(empty, pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), False))
    return empty


# Past this many, further rejects are counted but their text is not kept: a file that is mostly rejects should
# not turn the rejects list into a second copy of itself in memory.
MAX_KEPT = 100_000


@dataclass
class Rejects:
    count: int = 0
    _rows: list[dict[str, object]] = field(default_factory=list)
    # Data rows of the file that are not in the output, in order: what turns a row of the output into the row
    # of the file a person would look for. Added to from Arrow's parsing thread and from the converting one.
    _removed: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, line: int | None, row: int | None, raw: str, reason: str) -> None:
        self.count += 1
        if row is not None:
            with self._lock:
                bisect.insort(self._removed, row)
        if len(self._rows) < MAX_KEPT:
            self._rows.append({"line": line, "row": row, "raw": raw, "reason": reason})

    def file_row(self, output_row: int) -> int:
        """The data row of the file (1-based, rejected rows counted) that is row ``output_row`` of the output."""
        # The smallest file row with ``output_row`` kept rows up to it (kept rows up to r: r minus those removed),
        # found by bisection: a file with many rejected rows asks this once per rejected row.
        with self._lock:
            lo, hi = output_row, output_row + len(self._removed)
            while lo < hi:
                mid = (lo + hi) // 2
                if mid - bisect.bisect_right(self._removed, mid) >= output_row:
                    hi = mid
                else:
                    lo = mid + 1
        return lo

    def rows(self) -> list[dict[str, object]]:
        return list(self._rows)

    def set_lines(self, lines: list[int | None]) -> None:
        """The physical line of each kept reject, in the order they were added."""
        for row, line in zip(self._rows, lines, strict=True):
            row["line"] = line

    def removed_before(self, row: int) -> int:
        """How many data rows before file row ``row`` are not in the output."""
        with self._lock:
            return bisect.bisect_left(self._removed, row)

    def last(self) -> dict[str, object] | None:
        """The latest reject kept (None when there is none, or when its text was no longer kept)."""
        return self._rows[-1] if self._rows and len(self._rows) == self.count else None

    def first(self, n: int = 3) -> list[dict[str, object]]:
        return self._rows[:n]

    def write(self, path: Path, compression: str = "zstd") -> None:
        write_table(pa.Table.from_pylist(self._rows, schema=REJECTS_SCHEMA), path, compression)
