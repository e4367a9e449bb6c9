"""Wide tables: what is held in memory is bounded in bytes, not only in rows."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq

from jobs.processors import csv as csv_processor
from jobs.tables import report, writer


def _wide_csv(cols: int, rows: int) -> bytes:
    lines = [",".join(f"c{i}" for i in range(cols))]
    lines += [",".join(str((r * 31 + i * 7) % 1000) for i in range(cols)) for r in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_row_groups_and_profile_batches_stop_at_a_byte_budget(run_csv, monkeypatch):
    # 300 int64 columns: 2.4 KB a row. With budgets of 256 KB a row group holds ~100 rows, not 128k.
    monkeypatch.setattr(writer, "ROW_GROUP_BYTES", 256 << 10)
    monkeypatch.setattr(report, "PROFILE_BYTES", 256 << 10)
    monkeypatch.setattr(csv_processor, "BLOCK_BYTES", 64 << 10)  # chunks of ~50 rows
    monkeypatch.setattr(csv_processor, "BLOCK_BYTES_PER_COLUMN", 0)
    cols, rows = 300, 3000
    run = run_csv(_wide_csv(cols, rows))
    meta = pq.ParquetFile(run.result.outputs[0]).metadata
    assert meta.num_rows == rows
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert meta.num_row_groups > 5 and max(sizes) < rows
    t = run.data
    assert t.column("c299").to_pylist()[:3] == [(299 * 7) % 1000, (31 + 299 * 7) % 1000, (62 + 299 * 7) % 1000]
    # The profile, fed in many small batches, is still the whole column's.
    col = run.columns["c5"]
    values = t.column("c5")
    assert col["count"] == rows and col["distinct"] == len(pc.unique(values))
    assert abs(col["mean"] - pc.mean(values).as_py()) < 1e-9
    assert int(col["min"]) == pc.min(values).as_py() and int(col["max"]) == pc.max(values).as_py()


def test_wide_tables_are_read_in_larger_blocks():
    assert csv_processor.block_bytes(12) == csv_processor.BLOCK_BYTES
    assert csv_processor.BLOCK_BYTES < csv_processor.block_bytes(2000) <= csv_processor.MAX_BLOCK_BYTES
    assert csv_processor.block_bytes(100_000) == csv_processor.MAX_BLOCK_BYTES
