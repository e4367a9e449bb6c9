"""Rows that could not be read as table rows: kept with their line, raw text and reason, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from jobs.parquet_io import write_table

REJECTS_SCHEMA = pa.schema(
    [
        ("line", pa.int64()),  # 1-based physical line in the (decompressed) input, when the reader knows it
        ("row", pa.int64()),  # 1-based data row it would have been, when known
        ("raw", pa.string()),
        ("reason", pa.string()),
    ]
)
# Past this many, further rejects are counted but their text is not kept: a file that is mostly rejects should
# not turn the rejects list into a second copy of itself in memory.
MAX_KEPT = 100_000


@dataclass
class Rejects:
    count: int = 0
    _rows: list[dict[str, object]] = field(default_factory=list)

    def add(self, line: int | None, row: int | None, raw: str, reason: str) -> None:
        self.count += 1
        if len(self._rows) < MAX_KEPT:
            self._rows.append({"line": line, "row": row, "raw": raw, "reason": reason})

    def rows(self) -> list[dict[str, object]]:
        return list(self._rows)

    def last(self) -> dict[str, object] | None:
        """The latest reject kept (None when there is none, or when its text was no longer kept)."""
        return self._rows[-1] if self._rows and len(self._rows) == self.count else None

    def first(self, n: int = 3) -> list[dict[str, object]]:
        return self._rows[:n]

    def write(self, path: Path, compression: str = "zstd") -> None:
        write_table(pa.Table.from_pylist(self._rows, schema=REJECTS_SCHEMA), path, compression)
