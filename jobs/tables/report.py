"""Pass 2 and the side outputs shared by CSV and spreadsheets: typed batches in, data + profile + sample out."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from jobs.outputs import OutputSet
from jobs.parquet_io import write_record, write_table
from jobs.tables.profile import TableProfile
from jobs.tables.rejects import Rejects
from jobs.tables.sample import Sample
from jobs.tables.splice import Patch, Segment, SpliceError, changed_columns, patch_tables, rewrite, splice
from jobs.tables.threads import Worker
from jobs.tables.writer import BackgroundWriter, writer_options

log = logging.getLogger(__name__)

PROFILE_ROWS = 64 * 1024
# ... or fewer, on wide tables: 64k rows of 5,000 columns would be gigabytes held for the profile.
PROFILE_BYTES = 64 << 20

SUMMARY_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("sheet", pa.string()),
        ("rows", pa.int64()),
        ("columns", pa.int64()),
        ("input_bytes", pa.int64()),
        ("output_bytes", pa.int64()),
        ("compression_ratio", pa.float64()),
        ("encoding", pa.string()),
        ("delimiter", pa.string()),
        ("quote", pa.string()),
        ("header", pa.bool_()),
        ("decimal", pa.string()),
        ("date_order", pa.string()),
        ("skipped_lines", pa.int64()),
        ("compression", pa.string()),
        ("sheets", pa.list_(pa.string())),
        ("rejected_rows", pa.int64()),
        ("warnings", pa.list_(pa.string())),
        ("seconds", pa.float64()),
    ]
)


@dataclass
class TableOutcome:
    rows: int = 0
    profile: TableProfile | None = None
    sample: Sample | None = None
    data_path: Path | None = None


def write_data(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, compression: str = "zstd",
    scratch: Callable[[str], Path] | None = None,
    tick: Callable[[], None] | None = None,
) -> TableOutcome:
    """Write the data file while profiling and sampling every batch.

    A batch may come with a wider schema than the batches before it: a column changed type late, and the caller
    guarantees that the rows already written give the new type's values by a plain cast. The rows so far then
    become a segment, the profile of the changed columns is rebuilt from it, and the segments are spliced into
    ``path`` at the end (:mod:`jobs.tables.splice`). ``scratch(tag)``: where such temporary files go.
    ``tick``: called while the last batches are profiled (a cancel check; a wide table takes seconds).
    """
    scratch = scratch or (lambda tag: path.with_name(f"{path.name}.{tag}"))
    profile = TableProfile(schema)
    sample = Sample(schema)
    options: dict[str, Any] = {}  # the first segment's writer settings: re-encoded columns follow them
    segments: list[Segment] = []
    patches: dict[int, Patch] = {}  # written by the profile thread; read here after it finished
    current = path
    writer = BackgroundWriter(current, schema, compression)

    def observe(group: list[pa.RecordBatch]) -> None:
        table = pa.Table.from_batches(group)  # no copy: the profile works on chunked columns
        profile.update(table)
        for batch in group:
            sample.offer(batch)

    # Three threads: this one converts, one profiles, one encodes and compresses.
    profiler: Worker[Callable[[], None]] = Worker(lambda job: job(), depth=2, name="profile")
    rows = 0
    group: list[pa.RecordBatch] = []
    group_rows = group_bytes = 0
    try:
        for batch in batches:
            if batch.schema != schema:
                if group:
                    profiler.submit(partial(observe, group))
                    group, group_rows, group_bytes = [], 0, 0
                writer.close()
                options = options or writer_options(writer.dictionary, compression)
                # The rows so far stay where they are: the splice extends the first segment into the output.
                segments.append(Segment(current, schema))
                profiler.submit(partial(_retype, profile, sample, batch.schema, list(segments), patches,
                                        scratch, options))
                schema = batch.schema
                current = scratch(f"segment{len(segments)}")
                writer = BackgroundWriter(current, schema, compression)
            writer.put(batch)
            rows += batch.num_rows
            # The profile costs per call as well as per row: give it fewer, larger batches.
            group.append(batch)
            group_rows += batch.num_rows
            group_bytes += batch.nbytes
            if group_rows >= PROFILE_ROWS or group_bytes >= PROFILE_BYTES:
                profiler.submit(partial(observe, group))
                group, group_rows, group_bytes = [], 0, 0
        if group:
            profiler.submit(partial(observe, group))
        # The last row group is encoded while the profile catches up (a wide table's profile ends a second or
        # more after the last chunk): the two overlap, instead of one waiting for the other.
        writer.close()
        profiler.finish(tick)
    except BaseException:
        profiler.abort()
        writer.abort()
        # A caller that starts over (a later change the rows cannot take) must find only its own output path.
        pieces = [seg.path for seg in segments] + [p.path for p in patches.values()]
        for leftover in pieces + ([current] if current != path else []):
            leftover.unlink(missing_ok=True)
        raise
    if segments:
        segments.append(Segment(current, schema))
        _join(segments, path, scratch, options, patches)
    return TableOutcome(rows=rows, profile=profile, sample=sample, data_path=path)


def _retype(
    profile: TableProfile, sample: Sample, schema: pa.Schema, segments: list[Segment], patches: dict[int, Patch],
    scratch: Callable[[str], Path], options: dict[str, Any],
) -> None:
    """Columns that changed type: the sample cast, their profile rebuilt from the rows written so far, and
    those rows' changed columns re-encoded now, while the file is still being read (the splice would otherwise
    do it at the end, alone)."""
    sample.retype(schema)

    def cast_rows() -> Iterator[pa.Table]:
        for i, segment in enumerate(segments):
            changed = changed_columns(segment, schema)
            if changed:
                # Known before it is written: a failure half-way must still leave it to be cleaned up.
                patches[i] = Patch(schema, scratch(f"patch{i}"))
                yield from patch_tables(segment, schema, changed, patches[i].path, options)

    profile.retype(schema, cast_rows())


def _join(
    segments: list[Segment], path: Path, scratch: Callable[[str], Path], options: dict[str, Any],
    patches: dict[int, Patch],
) -> None:
    """``path`` (the first segment) extended with the others; the pieces removed."""
    try:
        splice(segments, path, lambda i: scratch(f"patch{i}"), options, patches)
    except SpliceError as exc:
        # Unexpected layout in a piece: the slow, general way (decode, cast and encode every row).
        log.warning("splicing %s failed (%s); rewriting it", path.name, exc)
        again = scratch("rewrite")
        rewrite(segments, again, options)
        os.replace(again, path)
    for piece in [seg.path for seg in segments[1:]] + [p.path for p in patches.values()]:
        piece.unlink(missing_ok=True)


@dataclass
class Summary:
    source: str
    input_bytes: int
    started: float
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    quote: str | None = None
    header: bool | None = None
    decimal: str | None = None
    date_order: str | None = None  # "dmy", "mdy": the order of the regional dates (None: there are none)
    skipped_lines: int | None = None  # above the header: a title, an account number
    compression: str | None = None
    sheets: list[str] | None = None
    warnings: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)  # column → what its amounts were written with


def write_side_outputs(
    outs: OutputSet, suffix: str, outcome: TableOutcome, summary: Summary, rejects: Rejects | None,
    tick: Callable[[], None] | None = None,
) -> None:
    """``{stem}{suffix}_summary/_columns/_sample(/_rejects).parquet`` next to the data file."""
    assert outcome.profile is not None and outcome.sample is not None and outcome.data_path is not None
    out_bytes = outcome.data_path.stat().st_size
    record: dict[str, Any] = {
        "source": summary.source,
        "sheet": summary.sheet,
        "rows": outcome.rows,
        "columns": len(outcome.profile.columns),
        "input_bytes": summary.input_bytes,
        "output_bytes": out_bytes,
        "compression_ratio": summary.input_bytes / out_bytes if out_bytes else None,
        "encoding": summary.encoding,
        "delimiter": summary.delimiter,
        "quote": summary.quote,
        "header": summary.header,
        "decimal": summary.decimal,
        "date_order": summary.date_order,
        "skipped_lines": summary.skipped_lines,
        "compression": summary.compression,
        "sheets": summary.sheets,
        "rejected_rows": rejects.count if rejects else 0,
        "warnings": summary.warnings,
        "seconds": time.monotonic() - summary.started,
    }
    write_record(record, outs.path(f"{suffix}_summary.parquet"), SUMMARY_SCHEMA, outs.compression)
    write_table(outcome.profile.table(tick, summary.units), outs.path(f"{suffix}_columns.parquet"), outs.compression)
    write_table(outcome.sample.table(), outs.path(f"{suffix}_sample.parquet"), outs.compression)
    if rejects is not None and rejects.count:
        rejects.write(outs.path(f"{suffix}_rejects.parquet"), outs.compression)
