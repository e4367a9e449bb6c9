"""A first look at column types from blocks spread over the whole file, before the single conversion pass.

Reading ~5 MB from 40 places costs milliseconds and catches most late type changes (a column that turns to
text in its last 10 % of rows, the stray "#VALUE!" near the end of an export), so the converting pass starts with
the right schema and does not have to start over. Blocks start at an arbitrary byte: each is cut to whole
lines and dropped entirely if any of its lines does not have the expected number of fields.

A block that begins inside a quoted value with line breaks reads the value's lines as rows, and one of them
with the right number of fields ("call back,tomorrow,am") made integer columns text for good: a type the look
finds is a floor the conversion never narrows. So the look is only made where line starts can be trusted:

- not at all when the head of the file (read from its start, where the quote state is known) holds a value
  with a line break: any block of such a file may start inside one;
- where the head's quotes pair up at every line end (no stray quote inside an unquoted value, such as 12"),
  a block whose quotes do not pair up at each of its line ends is dropped: it starts inside a quoted value
  or holds one with a line break;
- not at all when a block kept all the same reads a value with a line break (where stray quotes leave the
  quote count saying nothing).

What could still hide (then only the field count guards): a block that lies wholly inside one quoted value
longer than the block, and, in a file with stray quotes, a block that starts inside the only values with line
breaks that any block reaches.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from jobs.tables.infer import ColumnTyper
from jobs.tables.sniff import Dialect
from jobs.tables.threads import ticking

BLOCKS = 40
BLOCK_BYTES = 96 * 1024
TAIL_BYTES = 1 << 20
MIN_SIZE = 8 << 20  # below this the converting pass is quick to redo anyway
HEAD_BYTES = 1 << 20
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
    tables = []
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        head = head[:head.rfind(b"\n") + 1]
        parsed = _parse(head, dialect, skip_rows=dialect.skip_rows, strict=False)
        if parsed is None or any(_has_line_breaks(col) for col in parsed.columns):
            return {}
        # Quotes that pair up at every line end of the head are quotes around values: then a block's quote
        # count tells whether its start was outside quotes. Stray ones (12") make the count say nothing.
        paired = _quotes_pair_up(head, quote)
        if tick is not None:
            tick()
        for offset, length in spots:
            fh.seek(offset)
            block = fh.read(length)
            start, end = block.find(b"\n") + 1, block.rfind(b"\n") + 1
            if start > 0 and end > start and (not paired or _quotes_pair_up(block[start:end], quote)):
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
        values = rows.column(name).combine_chunks()
        if _has_line_breaks(values):
            return {}  # values with line breaks past the head: any block may have started inside one
        typer = ColumnTyper(name, dialect.number_format)
        typer.observe(values, 1)
        if typer.kind != "null":
            kinds[name] = typer.kind
    return kinds


def _quotes_pair_up(data: bytes, quote: bytes) -> bool:
    """Whether an even number of quote characters comes before every line end in ``data`` (read from a line
    start): a block that began inside a quoted value, or holds one with a line break, has a line end after an
    odd number. One numpy pass, no loop over the bytes."""
    if len(quote) != 1:
        return True  # no quoting: no quoted values
    buf = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(buf == ord(quote))
    if not len(quotes):
        return True
    ends = np.flatnonzero(buf == ord("\n"))
    return not (np.searchsorted(quotes, ends) & 1).any()


def _has_line_breaks(values: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any value holds a line break (only a quoted value can)."""
    return len(values) > 0 and bool(pc.any(pc.match_substring_regex(values, r"[\r\n]")).as_py())


def _parse(data: bytes, dialect: Dialect, skip_rows: int = 0, strict: bool = True) -> pa.Table | None:
    """The rows of ``data`` as text, or None if Arrow cannot read it, or (``strict``) if any line has the wrong
    number of fields or there is no row."""
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
            read_options=pacsv.ReadOptions(column_names=dialect.names, use_threads=False, skip_rows=skip_rows),
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
    if strict and (invalid or table.num_rows == 0):
        return None
    return table
