"""Pass 2 and the side outputs shared by CSV and spreadsheets: typed batches in, data + profile + sample out."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from jobs.outputs import OutputSet
from jobs.parquet_io import write_record, write_table
from jobs.tables.profile import TableProfile
from jobs.tables.rejects import Rejects
from jobs.tables.sample import Sample
from jobs.tables.threads import Worker
from jobs.tables.writer import BackgroundWriter

PROFILE_ROWS = 64 * 1024

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
        ("compression", pa.string()),
        ("sheets", pa.list_(pa.string())),
        ("rejected_rows", pa.int64()),
        ("warnings", pa.list_(pa.string())),
        ("seconds", pa.float64()),
    ]
)


def dictionary_columns(first: pa.RecordBatch) -> list[str]:
    """Columns worth dictionary-encoding: few distinct values in the first chunk.

    Dictionary pages for unique-ish columns are built and then thrown away by the writer: pure cost.
    """
    out = []
    first = first.slice(0, 16_384)  # enough to tell; unique() on more costs more than it tells
    for name, arr in zip(first.schema.names, first.columns, strict=True):
        valid = len(arr) - arr.null_count
        if valid == 0 or len(arr.unique()) <= max(16, valid // 4):
            out.append(name)
    return out


@dataclass
class TableOutcome:
    rows: int = 0
    profile: TableProfile | None = None
    sample: Sample | None = None
    data_path: Path | None = None


def write_data(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, path: Path, first: pa.RecordBatch | None = None,
    compression: str = "zstd",
) -> TableOutcome:
    """Write the data file while profiling and sampling every batch."""
    profile = TableProfile(schema)
    sample = Sample(schema)
    dict_cols: list[str] | bool = dictionary_columns(first) if first is not None else True
    writer = BackgroundWriter(path, schema, dict_cols, compression)

    def observe(group: list[pa.RecordBatch]) -> None:
        table = pa.Table.from_batches(group, schema=schema)  # no copy: the profile works on chunked columns
        profile.update(table)
        for batch in group:
            sample.offer(batch)

    # Three threads: this one converts, one profiles, one encodes and compresses.
    profiler: Worker[list[pa.RecordBatch]] = Worker(observe, depth=2, name="profile")
    rows = 0
    group: list[pa.RecordBatch] = []
    group_rows = 0
    try:
        for batch in batches:
            writer.put(batch)
            rows += batch.num_rows
            # The profile costs per call as well as per row: give it fewer, larger batches.
            group.append(batch)
            group_rows += batch.num_rows
            if group_rows >= PROFILE_ROWS:
                profiler.submit(group)
                group, group_rows = [], 0
        if group:
            profiler.submit(group)
        profiler.finish()
    except BaseException:
        profiler.abort()
        writer.abort()
        raise
    writer.close()
    return TableOutcome(rows=rows, profile=profile, sample=sample, data_path=path)


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
    compression: str | None = None
    sheets: list[str] | None = None
    warnings: list[str] = field(default_factory=list)


def write_side_outputs(
    outs: OutputSet, suffix: str, outcome: TableOutcome, summary: Summary, rejects: Rejects | None
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
        "compression": summary.compression,
        "sheets": summary.sheets,
        "rejected_rows": rejects.count if rejects else 0,
        "warnings": summary.warnings,
        "seconds": time.monotonic() - summary.started,
    }
    write_record(record, outs.path(f"{suffix}_summary.parquet"), SUMMARY_SCHEMA, outs.compression)
    write_table(outcome.profile.table(), outs.path(f"{suffix}_columns.parquet"), outs.compression)
    write_table(outcome.sample.table(), outs.path(f"{suffix}_sample.parquet"), outs.compression)
    if rejects is not None and rejects.count:
        rejects.write(outs.path(f"{suffix}_rejects.parquet"), outs.compression)
