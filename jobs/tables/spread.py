"""A first look at column types from blocks spread over the whole file, before the single conversion pass.

Reading ~5 MB from 40 places costs milliseconds and catches most late type changes (a column that turns to
text in its last 10 % of rows, the stray "#VALUE!" near the end of an export), so the converting pass starts with
the right schema and does not have to start over. Blocks start at an arbitrary byte: each is cut to whole
lines and dropped entirely if any of its lines does not have the expected number of fields.

A block that begins inside a quoted value with line breaks would read the value's lines as rows, and one of
them with the right number of fields ("call back,tomorrow,am") made integer columns text for good: a type the
look finds is a floor the conversion never narrows. So each block starts at a line end that the parity of the
quotes before it shows to be a record end (:func:`_whole_records`); where the parity says nothing clear, the
block is not used. What could still hide (then only the field count guards): a block that lies wholly inside
one quoted value longer than the block.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
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
    quote = dialect.quote.encode("ascii") if dialect.quote else b""
    step = size // (BLOCKS + 1)
    spots = [(step * (i + 1), BLOCK_BYTES) for i in range(BLOCKS)] + [(max(0, size - TAIL_BYTES), TAIL_BYTES)]
    blocks = []
    with open(path, "rb") as fh:
        for offset, length in spots:
            fh.seek(offset)
            records = _whole_records(fh.read(length), quote, dialect.delimiter)
            if records is not None:
                blocks.append(records)
            if tick is not None:
                tick()
    # One parse of all the blocks (Arrow's cost per call grows with the columns: 41 parses of a 2,000-column
    # file took 0.5 s, one takes 0.05 s); only when a row is off, each block alone, to drop the blocks it is in.
    whole = _parse(b"".join(blocks), dialect) if blocks else None
    tables = [whole] if whole is not None else [t for t in (_parse(b, dialect) for b in blocks) if t is not None]
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


def _whole_records(block: bytes, quote: bytes, delimiter: str) -> bytes | None:
    """The block from its first record start to its last record end, or None when those cannot be told.

    Every value holds an even number of quotes, so the line ends that end records all come after quotes of
    one parity (counted from the block's start), and line ends inside quoted values after the other. Records
    far outnumber line breaks inside values: the parity of most line ends is that of record ends, whatever
    the block began in. Where neither parity clearly leads (every record holds a line break) the block is not
    used.
    """
    buf = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(buf == ord("\n"))
    if len(ends) < 2:
        return None
    if len(quote) == 1:
        parity = np.searchsorted(_quotes_at_edges(buf, quote, delimiter), ends) & 1
        odd = int(parity.sum())
        if 3 * max(odd, len(ends) - odd) < 2 * len(ends):
            return None
        ends = ends[parity == (1 if 2 * odd > len(ends) else 0)]
        if len(ends) < 2:
            return None
    return block[ends[0] + 1 : ends[-1] + 1]


def _quotes_at_edges(buf: np.ndarray, quote: bytes, delimiter: str) -> np.ndarray:
    """Positions of the quotes that can open or close a value: next to a delimiter, a line end or another quote.

    A quote inside an unquoted value (12" pipe) is a character like any other and would flip the parity.
    """
    at = np.flatnonzero(buf == ord(quote))
    if not len(at):
        return at
    edges = np.zeros(256, np.bool_)
    edges[[ord(delimiter), ord("\n"), ord("\r"), ord(quote)]] = True
    before = np.where(at > 0, buf[np.maximum(at - 1, 0)], ord("\n"))
    after = np.where(at < len(buf) - 1, buf[np.minimum(at + 1, len(buf) - 1)], ord("\n"))
    return at[edges[before] | edges[after]]


def _parse(data: bytes, dialect: Dialect) -> pa.Table | None:
    """The rows of ``data`` as text, or None if Arrow cannot read it, any line has the wrong number of fields,
    or there is no row."""
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
