"""A first look at column types from blocks spread over the whole file, before the single conversion pass.

Reading ~5 MB from 40 places costs milliseconds and catches most late type changes (a column that turns to
text in its last 10 % of rows, the stray "#VALUE!" near the end of an export), so the converting pass starts with
the right schema and does not have to start over. Blocks start at an arbitrary byte: each is cut to whole
lines and dropped entirely if any of its lines does not have the expected number of fields (a block that began
inside a quoted value with line breaks).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from jobs.tables.infer import ColumnTyper
from jobs.tables.sniff import Dialect
from jobs.tables.threads import ticking

BLOCKS = 40
BLOCK_BYTES = 96 * 1024
TAIL_BYTES = 1 << 20
MIN_SIZE = 8 << 20  # below this the converting pass is quick to redo anyway
_SINGLE_BYTE_SAFE = ("utf-8", "utf8", "utf-8-sig", "ascii", "cp1252", "latin-1", "latin_1", "iso8859-1", "cp1250")


def spread_kinds(
    path: Path, dialect: Dialect, size: int, tick: Callable[[], None] | None = None
) -> dict[str, str]:
    """Column → the kind the sampled blocks need (columns never seen with a value stay "null").

    ``tick`` is called every few hundred columns (a cancel check: 5,000 columns take seconds).
    """
    enc = dialect.encoding.name.lower()
    if dialect.compression or size < MIN_SIZE or enc not in _SINGLE_BYTE_SAFE:
        return {}  # no random access into compressed data; multi-byte codecs cannot start at any byte
    step = size // (BLOCKS + 1)
    spots = [(step * (i + 1), BLOCK_BYTES) for i in range(BLOCKS)] + [(max(0, size - TAIL_BYTES), TAIL_BYTES)]
    tables = []
    with open(path, "rb") as fh:
        for offset, length in spots:
            fh.seek(offset)
            block = fh.read(length)
            start, end = block.find(b"\n") + 1, block.rfind(b"\n") + 1
            if start <= 0 or end <= start:
                continue
            table = _parse(block[start:end], dialect)
            if table is not None:
                tables.append(table)
            if tick is not None:
                tick()
    if not tables:
        return {}
    # All the blocks' rows at once, one look per column: a 5,000-column file costs 5,000 looks, not 200,000.
    rows = pa.concat_tables(tables)
    kinds = {}
    for name in ticking(dialect.names, tick):
        typer = ColumnTyper(name, dialect.number_format)
        typer.observe(rows.column(name).combine_chunks(), 1)
        if typer.kind != "null":
            kinds[name] = typer.kind
    return kinds


def _parse(data: bytes, dialect: Dialect) -> pa.Table | None:
    enc = dialect.encoding.name.lower()
    if enc not in ("utf-8", "utf8", "utf-8-sig", "ascii"):
        data = data.decode(enc, errors="replace").encode("utf-8")
    invalid = 0

    def on_invalid(row: object) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=dialect.names, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                quote_char=dialect.quote,
                newlines_in_values=True,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in dialect.names}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    return None if invalid or table.num_rows == 0 else table
