"""The Parquet data file written in a second thread, so encoding and zstd overlap with reading and profiling."""

from __future__ import annotations

import contextlib
import queue
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from jobs.parquet_io import COMPRESSION, ROW_GROUP_BYTES, ROW_GROUP_ROWS
from jobs.tables.infer import text_bytes

_STOP = object()
# A dictionary page may hold this much: room for a row group's worth of a text column that repeats a few
# tens of thousands of phrases (Arrow's default, 1 MB, falls back to plain values halfway through such a column).
DICTIONARY_PAGE_BYTES = 8 << 20
_HEAD_ROWS = 16_384  # enough to tell most columns apart cheaply; count_distinct on a whole row group only if not
# ... and only for a column whose values fill this much of the row group: zstd makes light work of less, and
# counting each of a wide table's thousands of small columns would cost more than it saves.
_WORTH_COUNTING = 256 << 10


def writer_options(dictionary: list[str] | bool = True, compression: str = COMPRESSION) -> dict[str, Any]:
    """The ParquetWriter settings of a table's data file (also used for the columns a splice re-encodes)."""
    return {
        "compression": compression,
        "write_statistics": True,
        "use_dictionary": dictionary,
        "dictionary_pagesize_limit": DICTIONARY_PAGE_BYTES,
        # Larger pages cost nothing to readers and save the writer work per page.
        "data_page_size": 1 << 20,
        "write_batch_size": 64 * 1024,
    }


def dictionary_columns(table: pa.Table) -> list[str]:
    """Columns of ``table`` (a row group) that take fewer bytes as a dictionary and its indices than as values.

    Dictionaries are per row group, so that is what is judged. Where values repeat (a category; a comment column
    drawn from a few tens of thousands of phrases), the dictionary and its indices are a fraction of the values:
    less for zstd to compress (the writer's largest cost) and a smaller file. For unique-ish columns a
    dictionary would be built by hashing every value and then thrown away by the writer: pure cost, so they
    are told apart on the first rows, and only a large column is counted whole.
    """
    out = []
    for name, arr in zip(table.schema.names, table.columns, strict=True):
        valid = len(arr) - arr.null_count
        if valid == 0:
            out.append(name)
            continue
        plain = _plain_bytes(arr, valid)
        large = plain >= _WORTH_COUNTING
        # A small column (a wide table has thousands): its first chunk tells enough, at a tenth of the cost.
        head = (arr if large else arr.chunk(0)).slice(0, _HEAD_ROWS)
        head_valid = len(head) - head.null_count
        head_distinct = pc.count_distinct(head).as_py() if head_valid else 0
        if head_distinct <= max(16, head_valid // 4):
            out.append(name)
        elif large and head_distinct < 0.95 * head_valid:
            distinct = head_distinct if len(head) == len(arr) else pc.count_distinct(arr).as_py()
            values = plain * distinct / valid
            indices = valid * max(1, distinct.bit_length()) / 8  # RLE/bit-packed at the dictionary's bit width
            if values <= DICTIONARY_PAGE_BYTES and values + indices <= 0.6 * plain:
                out.append(name)
    return out


def _plain_bytes(arr: pa.ChunkedArray, valid: int) -> int:
    """Bytes of the non-null values PLAIN-encoded (a 4-byte length before each text); 0 for nested types."""
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_binary(t) or pa.types.is_large_string(t) or pa.types.is_large_binary(t):
        return sum(text_bytes(chunk) for chunk in arr.chunks) + 4 * valid
    try:
        return t.bit_width * valid // 8
    except ValueError:
        return 0


class BackgroundWriter:
    """Collects batches into row groups of ROW_GROUP_ROWS rows (fewer past ROW_GROUP_BYTES) and writes them from its
    own thread.

    A full row group waits until the writer has finished the one before, so memory holds two row groups
    whatever the input size. Errors raised in the thread come back to the caller on the next :meth:`put` or
    on :meth:`close`. The file is opened on the first row group, whose values choose the dictionary-encoded
    columns (:func:`dictionary_columns`; ``dictionary`` after :meth:`close`).
    """

    def __init__(self, path: Path, schema: pa.Schema, compression: str = COMPRESSION) -> None:
        self._path = path
        self._schema = schema
        self._compression = compression
        self._writer: pq.ParquetWriter | None = None
        self.dictionary: list[str] = []
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="parquet-writer", daemon=True)
        self._thread.start()
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._pending_bytes = 0

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                if self._error is None:  # after an error, only drain: the producer never blocks
                    assert isinstance(item, pa.Table)
                    self._open(item).write_table(item, row_group_size=ROW_GROUP_ROWS)
            except BaseException as exc:  # handed back to the caller's thread
                self._error = exc
            finally:
                self._queue.task_done()

    def _open(self, first: pa.Table | None) -> pq.ParquetWriter:
        if self._writer is None:
            self.dictionary = dictionary_columns(first) if first is not None and first.num_rows else []
            options = writer_options(self.dictionary, self._compression)
            self._writer = pq.ParquetWriter(str(self._path), self._schema, **options)
        return self._writer

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, batch: pa.RecordBatch) -> None:
        self._check()
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self._pending_bytes += batch.nbytes
        if self._pending_bytes >= ROW_GROUP_BYTES and self._pending_rows < ROW_GROUP_ROWS:
            self._flush()  # a wide table: a row group of what is there
        elif self._pending_rows >= ROW_GROUP_ROWS:
            # Exactly ROW_GROUP_ROWS per row group: the rest waits for the next batches.
            table = pa.Table.from_batches(self._pending)
            # Handed over once the writer is done with the last one: two row groups in memory, not three
            # (one waiting in the queue too), ~20 MB less at the peak of a long file, at no cost in time
            # (the writer is the slowest stage; the rows for its next one are ready when it is).
            self._queue.join()
            self._queue.put(table.slice(0, ROW_GROUP_ROWS))
            rest = table.slice(ROW_GROUP_ROWS)
            self._pending = rest.to_batches()
            self._pending_rows = rest.num_rows
            self._pending_bytes = rest.nbytes

    def _flush(self) -> None:
        if self._pending_rows:
            self._queue.put(pa.Table.from_batches(self._pending))
        self._pending = []
        self._pending_rows = 0
        self._pending_bytes = 0

    def close(self) -> None:
        self._flush()
        self._queue.put(_STOP)
        self._thread.join()
        self._check()
        self._open(None).close()  # no rows at all: the file with its schema

    def abort(self) -> None:
        """Stop without publishing anything (the caller removes the file)."""
        self._pending = []
        self._queue.put(_STOP)
        self._thread.join()
        if self._writer is not None:
            with contextlib.suppress(Exception):  # the file is being thrown away
                self._writer.close()
