"""Writing Parquet the one way Parqueue writes it: zstd, statistics on, readable by pyarrow, DuckDB, polars."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"
# Row groups of ~128k rows keep readers' memory modest and let them skip by statistics.
ROW_GROUP_ROWS = 128 * 1024
# ... and at most this much Arrow data: on a 5,000-column table 128k rows would be gigabytes in memory.
ROW_GROUP_BYTES = 64 << 20


def writer(path: Path, schema: pa.Schema, compression: str = COMPRESSION) -> pq.ParquetWriter:
    return pq.ParquetWriter(
        str(path), schema, compression=compression, write_statistics=True, use_dictionary=True
    )


def write_table(table: pa.Table, path: Path, compression: str = COMPRESSION) -> None:
    pq.write_table(
        table, str(path), compression=compression, write_statistics=True, row_group_size=ROW_GROUP_ROWS
    )


def write_record(
    record: dict[str, Any], path: Path, schema: pa.Schema | None = None, compression: str = COMPRESSION
) -> None:
    """A one-row Parquet file (summaries)."""
    table = pa.Table.from_pylist([record], schema=schema)
    write_table(table, path, compression)
