"""The Parquet data file written in a second thread, so encoding and zstd overlap with reading and profiling."""

from __future__ import annotations

import contextlib
import queue
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jobs.parquet_io import COMPRESSION, ROW_GROUP_BYTES, ROW_GROUP_ROWS

_STOP = object()


def writer_options(dictionary_columns: list[str] | bool = True, compression: str = COMPRESSION) -> dict[str, Any]:
    """The ParquetWriter settings of a table's data file (also used for the columns a splice re-encodes)."""
    return {
        "compression": compression,
        "write_statistics": True,
        "use_dictionary": dictionary_columns,
        # Larger pages cost nothing to readers and save the writer work per page.
        "data_page_size": 1 << 20,
        "write_batch_size": 64 * 1024,
    }


class BackgroundWriter:
    """Collects batches into row groups of ROW_GROUP_ROWS rows (fewer past ROW_GROUP_BYTES) and writes them from its
    own thread.

    A full row group waits until the writer has finished the one before, so memory holds two row groups
    whatever the input size. Errors raised in the thread come back to the caller on the next :meth:`put` or
    on :meth:`close`.
    """

    def __init__(
        self, path: Path, schema: pa.Schema, dictionary_columns: list[str] | bool = True,
        compression: str = COMPRESSION,
    ) -> None:
        self._writer = pq.ParquetWriter(str(path), schema, **writer_options(dictionary_columns, compression))
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
                    self._writer.write_table(item, row_group_size=ROW_GROUP_ROWS)
            except BaseException as exc:  # handed back to the caller's thread
                self._error = exc
            finally:
                self._queue.task_done()

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
        self._writer.close()
        self._check()

    def abort(self) -> None:
        """Stop without publishing anything (the caller removes the file)."""
        self._pending = []
        self._queue.put(_STOP)
        self._thread.join()
        with contextlib.suppress(Exception):  # the file is being thrown away
            self._writer.close()
