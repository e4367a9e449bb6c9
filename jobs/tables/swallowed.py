"""Rows swallowed by a quote: one left open and closed by a later quote turns the lines between into one value.

Arrow then reads a valid file: the field counts add up and the file ends cleanly, so nothing fails and nothing
is rejected. What tells is the value itself: lines inside it shaped like rows of this file (as many delimiters
as a row has), whose fields fit the columns' types (``3,Joe,5.5`` inside the name column of ``id,name,amount``).
A value of thousands of lines shaped like rows is reported whatever the types (a table of text columns).

Values with line breaks are found by numpy over each text chunk's bytes (~0.2 ms per 4 MB block: files without
such values pay only that); the delimiters of their lines are counted in numpy too. Only lines shaped like rows
are checked one by one, a few per chunk and a bounded number per file. Where most values hold line breaks (a note
in every row), the first 4,096 lines of each chunk are looked at, and every line of a value of thousands: a file
of 1.5 million such notes (83 MB) pays ~0.2 s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from jobs.tables.infer import NumberFormat, chunk_kind, join

SWALLOWED_LINES = 1000  # lines shaped like rows in one value that tell by themselves
_CHECKS_PER_CHUNK = 16  # lines shaped like rows whose fields are checked against the types, per chunk
_CHECKS_PER_FILE = 1024
_KEEP = 3  # values reported in detail
_LINES_PER_CHUNK = 4096  # lines inside values looked at per chunk (besides those of very long values)
_SHOWN = 80  # characters of an example line in a warning
_GATHER_BYTES = 1 << 19  # lines' bytes read one by one (8 bytes of index each); past this, the whole chunk
_WINDOW = 1 << 22  # bytes searched for delimiters at once (positions: 8 bytes each)


def _count_before(data: np.ndarray, byte: int, points: np.ndarray) -> np.ndarray:
    """For each point ``p`` (ascending), how many ``byte`` are in ``data[:p]``; a window at a time."""
    out = np.zeros(len(points), np.int64)
    base = 0
    for start in range(0, len(data), _WINDOW):
        found = np.flatnonzero(data[start:start + _WINDOW] == byte)
        lo, hi = np.searchsorted(points, [start + 1, start + _WINDOW + 1])  # points in (start, start + window]
        out[lo:hi] = base + np.searchsorted(found, points[lo:hi] - start)
        base += len(found)
    return out


@dataclass
class _Suspect:
    column: int
    row: int  # 1-based row of the output
    lines: int  # in the value
    shaped: int  # lines after the first with a row's number of delimiters
    example: str = ""  # the first of them whose fields fit the types ("": none did, or none was checked)


@dataclass
class SwallowWatch:
    """Follows the text columns of the chunks written; :meth:`warnings` says which values look like rows."""

    names: list[str]
    delimiter: str
    fmt: NumberFormat
    line_break: int = 10  # LF; a lone CR (classic Mac files) is set by the caller
    _suspects: list[_Suspect] = field(default_factory=list)
    _more: int = 0  # suspect values beyond those kept
    _checked: int = 0

    @property
    def width(self) -> int:
        return len(self.names)

    def observe(self, batch: pa.RecordBatch, kinds: list[str], first_row: int) -> None:
        """One chunk as written (``kinds``: each column's kind, see :mod:`jobs.tables.infer`)."""
        if self.width < 2:
            return  # no delimiter in a row: nothing to count
        for i, kind in enumerate(kinds):
            if kind == "string" and batch.num_rows:
                self._observe_column(i, batch.column(i), kinds, first_row)

    def _observe_column(self, column: int, arr: pa.Array, kinds: list[str], first_row: int) -> None:
        bufs = arr.buffers()
        offsets = np.frombuffer(bufs[1], np.int32, count=len(arr) + 1, offset=arr.offset * 4)
        lo, hi = int(offsets[0]), int(offsets[-1])
        if hi == lo:
            return
        data = np.frombuffer(bufs[2], np.uint8, count=hi)[lo:]
        hit = data == self.line_break
        if not hit.any():  # the usual case, ~5x quicker than finding where
            return
        breaks = np.flatnonzero(hit)
        offsets = offsets.astype(np.int64)
        ends = offsets[1:] - lo
        value = np.searchsorted(ends, breaks, side="right")  # the value each break is in
        lines = np.bincount(value, minlength=len(arr)) + 1
        # The line after each break runs to the next break or to the end of its value, whichever is first.
        line_end = np.minimum(np.append(breaks[1:], len(data)), ends[value])
        if len(breaks) > _LINES_PER_CHUNK:
            # Notes in every row: the lines of the first values are looked at, and every line of a value of
            # thousands of lines (what a quote left open for long makes).
            look = (value < value[_LINES_PER_CHUNK]) | (lines[value] > SWALLOWED_LINES)
            breaks, value, line_end = breaks[look], value[look], line_end[look]
        counts = self._delimiters(data, breaks + 1, line_end)
        shaped = np.flatnonzero(counts == self.width - 1)
        if not len(shaped):
            return
        per_value = np.bincount(value[shaped], minlength=len(arr))
        # A few lines are checked against the types (a file of notes shaped like rows has one in every value).
        fitting: dict[int, str] = {}
        budget = max(0, min(_CHECKS_PER_CHUNK, _CHECKS_PER_FILE - self._checked))
        for b in shaped[:budget]:
            v = int(value[b])
            if v in fitting:
                continue
            text = bytes(data[breaks[b] + 1:line_end[b]]).decode("utf-8", "replace").rstrip("\r")
            self._checked += 1
            if self._fits(text, kinds):
                fitting[v] = text
        long_values = np.flatnonzero((per_value >= SWALLOWED_LINES) & (2 * per_value >= lines))
        for v in sorted(fitting.keys() | set(long_values.tolist())):
            self._keep(_Suspect(column, first_row + v, int(lines[v]), int(per_value[v]), fitting.get(v, "")))

    def _delimiters(self, data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Delimiters in each ``data[start:end]`` (lines in order, none overlapping).

        Lines of a few values (the usual case): only their bytes are read. Many lines (notes in every row, a
        value of thousands of lines): delimiters found a window of the chunk at a time, so memory stays
        bounded even for a row of hundreds of MB."""
        lengths = ends - starts
        delimiter = ord(self.delimiter)
        if int(lengths.sum()) <= _GATHER_BYTES:
            before = np.cumsum(lengths) - lengths  # where each line starts in the lines put end to end
            positions = np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))
            hits = np.concatenate([[0], np.cumsum(data[positions] == delimiter)])
            return hits[before + lengths] - hits[before]
        return _count_before(data, delimiter, ends) - _count_before(data, delimiter, starts)

    def _fits(self, line: str, kinds: list[str]) -> bool:
        """Whether the line's fields fit the columns: every typed column's field a value of its kind."""
        fields = line.split(self.delimiter)
        typed = [(f, k) for f, k in zip(fields, kinds, strict=True) if k not in ("string", "null")]
        if not typed:
            return False  # all text: any line fits, so fitting tells nothing
        for text, kind in typed:
            own = chunk_kind(pa.array([text], pa.string()), self.fmt)
            if own == "null" or join(own, kind) != kind:
                return False
        return True

    @staticmethod
    def _tells_by_itself(suspect: _Suspect) -> bool:
        return suspect.shaped >= SWALLOWED_LINES and suspect.shaped * 2 >= suspect.lines

    def _keep(self, suspect: _Suspect) -> None:
        if len(self._suspects) < _KEEP:
            self._suspects.append(suspect)
        else:
            self._more += 1

    def warnings(self, file_row: Callable[[int], int] = lambda row: row) -> list[str]:
        """``file_row``: the output's row number → the file's (rows rejected before it count too)."""
        out = []
        for s in self._suspects:
            where = f"column '{self.names[s.column]}', row {file_row(s.row)}"
            if self._tells_by_itself(s):
                out.append(
                    f"{where}: one value holds {s.lines:,} lines shaped like rows of this file; a quote opened "
                    "there was likely closed only by a stray quote much further on: check the file"
                )
            else:
                shown = s.example if len(s.example) <= _SHOWN else s.example[:_SHOWN] + "…"
                out.append(
                    f"{where}: its value holds {s.shaped} line(s) shaped like rows of this file, such as "
                    f"'{shown}'; a quote opened there was likely closed only by a later quote, taking those "
                    "rows in: check the file"
                )
        if self._more:
            out.append(f"{self._more} more value(s) hold lines shaped like rows of this file")
        return out
