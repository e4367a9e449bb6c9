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
    monkeypatch.setattr(csv_processor, "COALESCE_ROWS", 0)  # the small chunks go on as they are
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


def test_short_blocks_are_joined_before_conversion_and_rows_keep_their_numbers(run_csv, monkeypatch):
    # Blocks of ~30 rows, as a wide table's are: converted in chunks of at least COALESCE_ROWS rows (each column
    # costs per call, whatever its rows), while rejected rows and a late type change keep their row numbers.
    monkeypatch.setattr(csv_processor, "BLOCK_BYTES", 64 << 10)
    monkeypatch.setattr(csv_processor, "BLOCK_BYTES_PER_COLUMN", 0)
    monkeypatch.setattr(csv_processor, "COALESCE_ROWS", 1000)
    chunks: list[int] = []
    convert = csv_processor._Attempt._convert_columns

    def counting(self, batch, first_row):  # type: ignore[no-untyped-def]
        chunks.append(batch.num_rows)
        return convert(self, batch, first_row)

    monkeypatch.setattr(csv_processor._Attempt, "_convert_columns", counting)
    cols, rows = 300, 3000
    lines = _wide_csv(cols, rows).decode().splitlines()
    lines[1500] = lines[1500].replace(",", ",\x00", 1)  # data row 1500: a NUL, rejected
    cells = lines[2500].split(",")
    cells[7] = "ABC-17"  # data row 2500: column c7 becomes text
    lines[2500] = ",".join(cells)
    run = run_csv(("\n".join(lines) + "\n").encode())
    assert sum(chunks) == rows - 1 and len(chunks) <= 4 and min(chunks[:-1]) >= 1000
    t = run.data
    assert t.num_rows == rows - 1
    assert t.column("c1").to_pylist()[1499] == (1500 * 31 + 7) % 1000  # the row after the rejected one
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [(r["row"], r["line"]) for r in rejects] == [(1500, 1501)]
    assert any("row 2500 has 'ABC-17'" in w for w in run.result.warnings), run.result.warnings
    assert t.column("c7").to_pylist()[2498] == "ABC-17"


def test_blocks_of_only_rejected_rows_at_the_end(run_csv, monkeypatch):
    # Blocks of ~30 rows joined by 100: the last join holds nothing but rejected rows.
    monkeypatch.setattr(csv_processor, "BLOCK_BYTES", 64 << 10)
    monkeypatch.setattr(csv_processor, "BLOCK_BYTES_PER_COLUMN", 0)
    monkeypatch.setattr(csv_processor, "COALESCE_ROWS", 100)
    cols, rows = 300, 600
    lines = _wide_csv(cols, rows).decode().splitlines()
    for i in range(301, rows + 1):  # the last 300 rows (several blocks) each hold a NUL
        lines[i] = lines[i].replace(",", ",\x00", 1)
    run = run_csv(("\n".join(lines) + "\n").encode())
    assert run.data.num_rows == 300
    assert pq.read_table(run.output("_rejects.parquet")).num_rows == 300
