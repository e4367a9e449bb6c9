"""The Parquet writer thread: row groups of a fixed size, bounded memory, and errors that come back."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.parquet_io import ROW_GROUP_ROWS
from jobs.tables.writer import BackgroundWriter


def _batch(start: int, n: int) -> pa.RecordBatch:
    return pa.record_batch({"n": pa.array(range(start, start + n), pa.int64())})


def test_row_groups_are_full_and_every_row_arrives_in_order(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    writer = BackgroundWriter(path, pa.schema([("n", pa.int64())]))
    total = 0
    for size in [10_000, 50_000, 123_456, 99_999, 200_000, 7]:
        writer.put(_batch(total, size))
        total += size
    writer.close()
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups - 1)] == \
        [ROW_GROUP_ROWS] * (meta.num_row_groups - 1)
    assert pq.read_table(path).column("n").to_pylist() == list(range(total))


def test_a_write_error_comes_back_to_the_producer_without_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    writer = BackgroundWriter(path, pa.schema([("n", pa.int64())]))
    bad = pa.record_batch({"n": pa.array(["x"] * ROW_GROUP_ROWS)})  # not the file's schema: write_table fails
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            writer.put(bad)
            for k in range(10):  # each row group waits for the one before: must not wait for ever
                writer.put(_batch(k * ROW_GROUP_ROWS, ROW_GROUP_ROWS))
            writer.close()
        except BaseException as exc:
            errors.append(exc)
            writer.abort()

    thread = threading.Thread(target=produce)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert errors and isinstance(errors[0], (pa.ArrowInvalid, ValueError, TypeError))


@pytest.mark.parametrize("rows", [0, 1])
def test_small_files_are_written_whole(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "out.parquet"
    writer = BackgroundWriter(path, pa.schema([("n", pa.int64())]))
    writer.put(_batch(0, rows))
    writer.close()
    assert pq.read_table(path).num_rows == rows


def test_no_batch_at_all_still_gives_a_file_with_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    writer = BackgroundWriter(path, pa.schema([("n", pa.int64()), ("s", pa.string())]))
    writer.close()
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.schema.names == ["n", "s"]


def test_repeating_columns_are_dictionary_encoded_and_unique_ones_are_not(tmp_path: Path) -> None:
    """A comment column drawn from 30,000 phrases repeats within a row group though not within the first rows:
    as a dictionary it is a fraction of its size; unique ids and tokens stay plain (a dictionary would be
    built and thrown away)."""
    rng = np.random.default_rng(7)
    n = ROW_GROUP_ROWS
    phrases = np.array([f"order {i} arrived late, the box was damaged and the colour wrong" for i in range(30_000)])
    batch = pa.record_batch({
        "id": pa.array(np.arange(n)),
        "token": pa.array([f"s{v:016x}" for v in rng.integers(0, 2**62, n)]),
        "comment": pa.array(phrases[rng.integers(0, len(phrases), n)]),
        "amount": pa.array(np.round(rng.uniform(0, 300, n), 2)),  # ~30,000 distinct prices
        "category": pa.array(rng.choice(["books", "garden", "toys"], n)),
    })
    path = tmp_path / "out.parquet"
    writer = BackgroundWriter(path, batch.schema)
    writer.put(batch)
    writer.close()
    assert sorted(writer.dictionary) == ["amount", "category", "comment"]
    meta = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {meta.column(i).path_in_schema: meta.column(i).encodings for i in range(meta.num_columns)}
    for name in ("comment", "amount", "category"):
        assert "RLE_DICTIONARY" in encodings[name], name
    for name in ("id", "token"):
        assert "RLE_DICTIONARY" not in encodings[name], name
    assert pq.read_table(path).equals(pa.Table.from_batches([batch]))


def test_a_column_that_stops_repeating_after_the_first_row_group_is_written_whole(tmp_path: Path) -> None:
    """The dictionary choice is made on the first row group; where a later one holds more distinct text than a
    dictionary page may (8 MB), the writer falls back to plain values within that row group, losing nothing."""
    n = ROW_GROUP_ROWS
    first = pa.record_batch({"s": pa.array([f"phrase {i % 100}" for i in range(n)])})
    later = pa.record_batch({"s": pa.array([f"value {i:012d} " + "x" * 60 for i in range(2 * n)])})
    path = tmp_path / "out.parquet"
    writer = BackgroundWriter(path, first.schema)
    writer.put(first)
    writer.put(later)
    writer.close()
    assert writer.dictionary == ["s"]
    assert pq.read_table(path).column("s").to_pylist() == first.column(0).to_pylist() + later.column(0).to_pylist()
