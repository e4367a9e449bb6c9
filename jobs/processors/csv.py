"""Delimited text (CSV, TSV, PSV; plain or gzip/zstd/bz2) → typed Parquet, profile, sample and rejects.

One pass in the common case. First, blocks spread over the whole file (:mod:`jobs.tables.spread`) show
which columns change type late, so the schema is right from the first row. Then Arrow's CSV reader streams the
file in a reading thread with every column as text; this thread checks and converts each chunk with the same
rules everywhere (:mod:`jobs.tables.infer`), a profiling thread builds the column profile and the sample, and a
writing thread encodes and compresses the Parquet row groups.

If a chunk still needs a wider type than rows already written (a change the spread look missed) and those rows
give it by a plain cast (integers to decimals or text, see :meth:`ColumnTyper.widens_in_place`), the schema widens
from that chunk on and the writer splices the rows already written (:mod:`jobs.tables.splice`). Otherwise the
rest of the file is only checked, and the conversion starts over with the final types. Either way: one schema,
every row kept, a warning naming the column, the first row and the value. Nothing is published until the end
(:class:`OutputSet`).
"""

from __future__ import annotations

import contextlib
import csv as stdlib_csv  # this module is named csv too
import io
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jobs.outputs import OutputSet
from jobs.processors.base import (
    MAX_SKIP_LINES,
    ProcessingError,
    ProcessOptions,
    ProcessResult,
    ProgressCallback,
)
from jobs.tables.footer import Footer, set_aside
from jobs.tables.infer import (
    ARROW_TYPES,
    FALSE_TOKENS,
    NULL_TOKENS,
    TRUE_TOKENS,
    ColumnTyper,
    date_order,
    unit,
)
from jobs.tables.rejects import EMPTY_ROW, Rejects, blank_rows
from jobs.tables.report import Summary, write_data, write_side_outputs
from jobs.tables.sniff import COMPRESSIONS, Dialect, describe, file_kind, magic_kind, read_head, sniff
from jobs.tables.spread import spread_kinds
from jobs.tables.stream import InputStream, line_breaks
from jobs.tables.swallowed import SwallowWatch
from jobs.tables.threads import prefetch, ticking

log = logging.getLogger(__name__)

BLOCK_BYTES = 4 << 20  # ~25k rows of a typical export: a progress call (and a cancel check) every ~30 ms
# Wide tables get larger blocks: converting and profiling cost ~0.1 ms per column per chunk whatever its rows, and
# 4 MB of a 5,000-column file is a few hundred rows. Capped, as the blocks in flight are what memory holds.
BLOCK_BYTES_PER_COLUMN = 4 << 10
MAX_BLOCK_BYTES = 16 << 20
# Blocks of fewer rows than this (a wide table's: 8 MB of 2,000 columns is ~600 rows) are joined before they are
# converted, up to COALESCE_BYTES: converting costs ~0.1 ms per column per chunk whatever its rows.
COALESCE_ROWS = 4096
COALESCE_BYTES = 16 << 20
# Raw blocks read ahead of the parser: enough to keep it fed (it needs the next block to end the current one's
# last row), few enough that memory does not hold the 32 blocks Arrow would read ahead. 2 rather than 3 saves
# ~40 MB on large files; a row longer than a block gets the one more it needs (see InputStream).
READ_AHEAD_BLOCKS = 2
# A row longer than a block (a huge quoted text) is read again with blocks this many times larger, up to:
LONG_ROW_GROWTH = 8
MAX_ROW_BYTES = 256 << 20
PASS2_BLOCK_BYTES = 1 << 20  # pass 2 runs ~200 MB/s: still a progress call every ~20 ms
PASS1_SHARE = 0.5  # share of the progress bar for pass 1 (parse); pass 2 (convert, profile, write) has the rest
_TABLE_SUFFIXES = {".csv", ".tsv", ".psv", ".tab", ".txt", ".gz", ".zst", ".bz2", ".xls", ".xlsx", ".xlsm", ".ods"}


def stem_of(source: Path) -> str:
    name = source.name
    while True:
        base, dot, ext = name.rpartition(".")
        if dot and base and f".{ext.lower()}" in _TABLE_SUFFIXES:
            name = base
        else:
            return name


def _dialect(source: Path, options: ProcessOptions) -> Dialect:
    compression, other = file_kind(source)
    if other is not None:
        raise ProcessingError(f"this is not a delimited text file: it is {describe(other)}")
    head = read_head(source, compression)
    if not head.strip():
        raise ProcessingError("the file is empty")
    kind = magic_kind(head)
    if kind is not None and kind not in COMPRESSIONS:
        raise ProcessingError(f"the compressed file holds {describe(kind)}, not a delimited text file")
    if _looks_binary(head):
        raise ProcessingError("this is not a delimited text file: its first bytes are binary data (many control codes)")
    header = options.get("header")
    for key in ("delimiter", "quote"):
        value = options.get(key)
        if value is not None and (not isinstance(value, str) or len(value) != 1 or value in "\r\n"):
            raise ProcessingError(f"the {key} must be one character, such as ';' or a tab, not {value!r}")
    skip = options.get("skip_lines")
    if skip is not None and (not isinstance(skip, int) or isinstance(skip, bool) or not 0 <= skip <= MAX_SKIP_LINES):
        raise ProcessingError(f"the lines to skip above the header must be 0 to {MAX_SKIP_LINES}, not {skip!r}")
    return sniff(
        source,
        encoding=options.get("encoding"),
        delimiter=options.get("delimiter"),
        header=None if header is None else bool(header),
        decimal=options.get("decimal"),
        quote=options.get("quote"),
        compression=compression,
        head=head,
        date_order=options.date_order(),
        skip_lines=skip,
        keep_totals=bool(options.get("keep_totals", False)),
    )


def preview(source: Path, rows: int = 50) -> pa.Table:
    """The first ``rows`` rows as text, straight from the source (for the window, before the job runs)."""
    source = Path(source)
    dialect = _dialect(source, ProcessOptions(out_dir=source.parent))
    # Small blocks answer at once; a row longer than two of them (a long text cell) needs more. A wide table's
    # 50 rows in one block: 5,000 columns in 64 KB blocks came as 25 batches, and joining their 125,000 chunks
    # held the GIL (the window's event loop) for ~0.2 s.
    block = max(1 << 16, len(dialect.names) << 10)
    while True:
        try:
            table = _head(source, dialect, rows, block)
            break
        except pa.ArrowInvalid as exc:
            block = _larger_block(block) if _is_long_row(exc) else 0
            if not block:
                raise ProcessingError(_arrow_message(exc)) from None
    return pa.table(
        {name: _as_text(table.column(name).combine_chunks())[0] for name in table.column_names}
    )


def _head(source: Path, dialect: Dialect, rows: int, block: int) -> pa.Table:
    stream = _open(source, dialect)
    with contextlib.closing(stream):
        reader = _reader(stream, dialect, Rejects(), block=block)
        batches = []
        n = 0
        for batch in reader:
            batches.append(batch.slice(0, rows - n))
            n += batches[-1].num_rows
            if n >= rows:
                break
    return pa.Table.from_batches(batches, schema=reader.schema) if batches else reader.schema.empty_table()


@dataclass(frozen=True)
class Origin:
    """The file the user gave, when the text read is converted from it (see :mod:`jobs.processors.markup`):
    outputs are named after it and the summary describes it."""

    path: Path
    encoding: str
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what converting it found
    # The caller's output set, published by the caller with the other sheets' outputs; ours are named
    # ``{stem}{suffix}…`` in it. None: the reader opens and publishes its own.
    outs: OutputSet | None = None
    suffix: str = ""


def process(
    source: Path, options: ProcessOptions, progress: ProgressCallback, origin: Origin | None = None
) -> ProcessResult:
    started = time.monotonic()
    source = Path(source)
    dialect = _dialect(source, options)
    size = source.stat().st_size
    # Every long step reports (or repeats) progress: the callback is also where a cancel is noticed, and a
    # 5,000-column file spends seconds in steps that are quick for ordinary tables.
    reported = {"done": 0}

    def report(done: int, total: int) -> None:
        reported["done"] = done
        progress(done, total)

    def tick() -> None:
        progress(reported["done"], size)

    tick()
    warnings = list(origin.warnings if origin else ()) + list(dialect.warnings)
    if dialect.encoding.how == "charset detector":
        warnings.append(f"the text is not UTF-8; read as {dialect.encoding.name} (detected)")
    stem = origin.path.stem if origin else stem_of(source)
    shared = origin.outs if origin else None
    suffix = origin.suffix if origin else ""
    named = f"{shared.stem if shared else stem}{suffix}"  # as the outputs will be called, for messages
    floors = spread_kinds(source, dialect, dialect.footer.start if dialect.footer else size, tick)
    checked = True  # validate UTF-8 while reading; on failure read bytes and decode value by value
    with options.outputs(stem) if shared is None else contextlib.nullcontext(shared) as outs:
        data_path = outs.path(f"{suffix}.parquet")
        block = block_bytes(len(dialect.names))
        for _attempt in range(8):
            try:
                attempt = _Attempt(source, dialect, floors, checked, report, block)
                outcome = write_data(attempt.batches(), attempt.schema, data_path, compression=outs.compression,
                                     scratch=lambda tag: outs.scratch(f"{suffix}.{tag}"), tick=tick)
                break
            except _Restart as restart:
                # A type changed after rows were written: start over with the final types (now known).
                floors, checked = restart.floors, restart.checked
                log.info("%s: starting over with wider types %s", source.name, restart.floors)
            except _LongRow as long_row:
                block = _larger_block(block)
                if not block:
                    raise ProcessingError(_arrow_message(long_row.error)) from None
                log.info("%s: a row spans more than a block; reading again in blocks of %d MB",
                         source.name, block >> 20)
        else:
            raise RuntimeError("column types did not settle")
        warnings.extend(attempt.warnings())
        warnings.extend(attempt.swallow.warnings(attempt.rejects.file_row))
        rejects = attempt.rejects
        unreadable = rejects.count - attempt.header_repeats - attempt.empty_rows
        if rejects.count:
            _physical_lines(outcome.data_path or data_path, dialect, rejects, attempt.breaks_in_values > 0)
        if attempt.header_repeats:
            again = next((r for r in rejects.rows() if r["reason"] == HEADER_AGAIN), None)
            first_on = f", the first on line {again['line']}" if again and again["line"] else ""
            warnings.append(f"{attempt.header_repeats} line(s) repeat the header{first_on} (files joined one after "
                            f"another?); they are not rows of data and are kept in {named}_rejects.parquet")
        if attempt.empty_rows:
            blank = next((r for r in rejects.rows() if r["reason"] == EMPTY_ROW), None)
            first_on = f", the first on line {blank['line']}" if blank and blank["line"] else ""
            warnings.append(f"{attempt.empty_rows} empty row(s) (only delimiters{first_on}) were left out of the "
                            f"table; they are listed in {named}_rejects.parquet")
        if unreadable:
            first_bad = next((r for r in rejects.rows() if r["reason"] not in (HEADER_AGAIN, EMPTY_ROW)),
                             rejects.first(1)[0])
            where = f"line {first_bad['line']}" if first_bad["line"] else f"row {first_bad['row']}"
            warnings.append(
                f"{unreadable} row(s) could not be read and are listed in {named}_rejects.parquet; "
                f"the first, {where}: {first_bad['reason']}"
            )
        if dialect.footer:
            # Below every row of the file: those written and those set aside before (rejected, repeats, empty).
            warnings.append(_set_aside(dialect.footer, rejects, outcome.rows + rejects.count, attempt.line_feeds,
                                       named))
        summary = Summary(
            source=(origin.path if origin else source).name,
            input_bytes=origin.path.stat().st_size if origin else size,
            started=started,
            sheet=origin.sheet if origin else None,
            encoding=origin.encoding if origin else dialect.encoding.name,
            delimiter=None if origin else dialect.delimiter,
            quote=None if origin else dialect.quote,
            header=dialect.header,
            decimal=dialect.decimal,
            date_order=date_order(attempt.schema_kinds()) or dialect.date_order,
            skipped_lines=dialect.preamble,
            compression=dialect.compression,
            sheets=list(origin.sheets) if origin and origin.sheets else None,
            warnings=warnings,
            units=attempt.units(),
        )
        write_side_outputs(outs, suffix, outcome, summary, rejects, tick)
        progress(size, size)
        committed = outs.commit() if shared is None else []
    schema = attempt.schema
    metrics: dict[str, Any] = {
        "rows": outcome.rows,
        "columns": len(schema),
        "column_names": schema.names,
        "column_types": [str(t) for t in schema.types],
        "column_units": summary.units,  # amounts: what their values were written with ("$", "%")
        "encoding": summary.encoding,
        "delimiter": summary.delimiter,
        "quote": summary.quote,
        "header": dialect.header,
        "decimal": dialect.decimal,
        "date_order": summary.date_order,
        "skip_lines": dialect.preamble,
        "compression": dialect.compression,
        "sheets": summary.sheets or [],
        "rejected_rows": rejects.count,
        "totals": len(dialect.footer.lines) if dialect.footer else 0,  # totals lines set aside
        "input_bytes": summary.input_bytes,
    }
    return ProcessResult(outputs=committed, warnings=warnings, metrics=metrics)


def _set_aside(footer: Footer, rejects: Rejects, rows: int, lines: int, stem: str) -> str:
    """The totals lines below the table into the rejects, after the ``rows`` data rows of the file (that end
    on line ``lines``); the warning that says so."""
    for i, (after, text) in enumerate(footer.lines):
        rows += 1
        rejects.add(lines + 1 + after, rows, text, footer.reason(i))
    return set_aside(len(footer.lines), footer.lines[0][1], f"{stem}_rejects.parquet", footer.notes)


def _is_utf8(dialect: Dialect) -> bool:
    return dialect.encoding.name.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig", "ascii")


def _open(source: Path, dialect: Dialect, validate: bool = False, window: int = 0) -> InputStream:
    """``validate``: the stream checks UTF-8 itself (faster than Arrow's per-value check; see the stream).

    ``window``: blocks the stream may read ahead of the parser (see :class:`InputStream`).
    """
    codec = "utf-8" if _is_utf8(dialect) else dialect.encoding.name
    end = dialect.footer.start if dialect.footer else None
    return InputStream(source, dialect.compression, codec, dialect.encoding.bom_bytes, validate, window, end)


def _parsed(reader: Any, stream: InputStream) -> Iterator[pa.RecordBatch]:
    """The reader's batches, telling the stream as each block is parsed (runs in the reading thread)."""
    while True:
        stream.parsing()
        try:
            batch = next(reader)
        except StopIteration:
            return
        stream.block_parsed()
        yield batch


def block_bytes(columns: int) -> int:
    """Bytes of input per chunk for a table of this many columns."""
    return min(MAX_BLOCK_BYTES, max(BLOCK_BYTES, columns * BLOCK_BYTES_PER_COLUMN))


def _reader(
    stream: Any,
    dialect: Dialect,
    rejects: Rejects | None,
    block: int = BLOCK_BYTES,
    types: dict[str, pa.DataType] | pa.Schema | None = None,
    check_utf8: bool = True,
) -> Any:
    """Arrow's streaming CSV reader; every column as bytes unless ``types`` says otherwise.

    ``rejects`` None: invalid rows were already recorded by pass 1 and are skipped silently.
    ``check_utf8`` False: the stream already guarantees valid UTF-8.
    """
    def on_invalid(row: Any) -> str:
        if rejects is not None:
            reason = f"has {row.actual_columns} fields, expected {row.expected_columns}"
            # Arrow numbers records from the start of the file, the skipped header (and sep= line) included.
            rejects.add(row.number, row.number - dialect.skip_rows, row.text, reason)
        return "skip"

    return pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(
            # One thread: it is faster here than Arrow's pool, and only then does Arrow report line numbers.
            use_threads=False,
            block_size=block,
            column_names=dialect.names,
            skip_rows=dialect.skip_rows,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote,
            newlines_in_values=True,
            invalid_row_handler=on_invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=types or {name: pa.binary() for name in dialect.names},
            check_utf8=check_utf8,
            null_values=list(NULL_TOKENS),
            true_values=list(TRUE_TOKENS),
            false_values=list(FALSE_TOKENS),
            strings_can_be_null=False,
        ),
    )


def _arrow_message(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    if isinstance(exc, EOFError):
        return text  # the stream's own words: "the compressed data is damaged or truncated (...)"
    if "Empty CSV file" in text:
        return "the file holds no rows"
    if _is_long_row(exc):
        return (f"a row is longer than {MAX_ROW_BYTES >> 20} MB (a quoted value that never ends, or one that "
                "large): it cannot be read as a table")
    return f"the file cannot be read as a table: {text}"


def _as_text(arr: pa.Array) -> tuple[pa.Array, int]:
    """Binary → UTF-8 text; values that are not valid UTF-8 are decoded as cp1252 (returns how many)."""
    try:
        return arr.cast(pa.string()), 0
    except pa.ArrowInvalid:
        fixed, bad = [], 0
        for v in arr.to_pylist():
            if v is None:
                fixed.append(None)
                continue
            try:
                fixed.append(v.decode("utf-8"))
            except UnicodeDecodeError:
                bad += 1
                fixed.append(v.decode("cp1252", errors="replace"))
        return pa.array(fixed, pa.string()), bad


class _Restart(Exception):
    def __init__(self, floors: dict[str, str], checked: bool) -> None:
        super().__init__("restart")
        self.floors = floors
        self.checked = checked


class _LongRow(Exception):
    """A row is longer than a block: Arrow's reader cannot hold it (read again with larger blocks)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _physical_lines(data: Path, dialect: Dialect, rejects: Rejects, breaks_in_values: bool) -> None:
    """Give rejects the line they are on: their record number plus the line breaks inside the records before.

    Arrow numbers records, not lines. Without line breaks inside values the two are the same; with them, the
    breaks are those in the output's text values (read again from the data file, a row group at a time) and
    those in the earlier rejects' own text.
    """
    kept = rejects.rows()
    by_row = sorted((int(r["row"]), i) for i, r in enumerate(kept) if r["row"] is not None)
    in_output = _breaks_before(data, [row - 1 - rejects.removed_before(row) for row, _ in by_row]) \
        if breaks_in_values else [0] * len(by_row)
    lines: list[int | None] = [r["line"] for r in kept]
    rejected_breaks = 0
    for (row, i), before in zip(by_row, in_output, strict=True):
        lines[i] = row + dialect.skip_rows + before + rejected_breaks
        rejected_breaks += line_breaks(str(kept[i]["raw"]))
    rejects.set_lines(lines)


def _breaks_before(data: Path, rows: list[int]) -> list[int]:
    """Line breaks in the text values of the first ``n`` rows of ``data``, for each ``n`` of ``rows`` (ascending)."""
    table = pq.ParquetFile(data)
    text = [f.name for f in table.schema_arrow if pa.types.is_string(f.type)]
    out: list[int] = []
    seen_rows = seen_breaks = 0
    for group in range(table.num_row_groups):
        if len(out) == len(rows):
            break
        breaks = np.zeros(table.metadata.row_group(group).num_rows, np.int64)
        for column in table.read_row_group(group, columns=text).columns:
            breaks += pc.fill_null(pc.count_substring(column, "\n"), 0).to_numpy()
        ends = np.concatenate([[0], np.cumsum(breaks)])
        while len(out) < len(rows) and rows[len(out)] < seen_rows + len(breaks):
            out.append(seen_breaks + int(ends[rows[len(out)] - seen_rows]))
        seen_rows += len(breaks)
        seen_breaks += int(ends[-1])
    return out + [seen_breaks] * (len(rows) - len(out))  # rows after the last one written


def _looks_binary(head: bytes) -> bool:
    """Control codes other than tab and line ends in more than 1 byte of 10: no text export looks like that.

    UTF-16 and UTF-32 text (NUL in every other byte) is told apart by the encoding's detection first.
    """
    sample = head[:65_536]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff") or sample.count(b"\x00") > len(sample) // 4:
        return False  # UTF-16/32: their NULs are half the text
    control = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 13))
    return control * 10 > len(sample)


def _is_long_row(exc: BaseException) -> bool:
    return "straddling object straddles two block boundaries" in str(exc)


def _larger_block(block: int) -> int:
    """The block size to read with after a row longer than ``block``; 0 past MAX_ROW_BYTES."""
    return 0 if block >= MAX_ROW_BYTES else min(MAX_ROW_BYTES, block * LONG_ROW_GROWTH)


class _Attempt:
    """One conversion pass: parse, check and convert every chunk, hand typed batches to the writer.

    When a chunk needs a wider type than the rows already written, the rest of the file is only *checked*
    (nothing converted or written) so every change is known, then :class:`_Restart` carries the final types to
    the next attempt.
    """

    def __init__(
        self, source: Path, dialect: Dialect, floors: dict[str, str], checked: bool, progress: ProgressCallback,
        block: int = BLOCK_BYTES,
    ) -> None:
        self.source = source
        self.dialect = dialect
        self.checked = checked
        self.progress = progress
        self.rejects = Rejects()
        self.typers = [
            ColumnTyper(name, dialect.number_format, floor=floors.get(name, "null")) for name in dialect.names
        ]
        self.bad_utf8: dict[str, int] = {}
        self.replaced = 0
        self.utf8_lines = 0
        self.breaks_in_values = 0
        self.line_feeds = 0  # in the text read: the line the table ends on
        self.header_repeats = 0  # lines that repeat the header: files joined one after another
        self.empty_rows = 0  # lines of bare delimiters (";;;"): a sheet's blank rows saved as CSV
        self.swallow = SwallowWatch(dialect.names, dialect.delimiter, dialect.number_format)
        # Text columns: the stream validates UTF-8 (a failure restarts reading bytes, see _next_text).
        self._stream = _open(source, dialect, validate=checked, window=READ_AHEAD_BLOCKS)
        self._names = dialect.names
        self._text_schema = pa.schema([(n, pa.string()) for n in dialect.names])
        try:
            # Arrow reads and parses the first block here already.
            self._reader = _reader(
                self._stream, dialect, self.rejects, block=block,
                types=self._text_schema if checked else None, check_utf8=False,
            )
        except (pa.ArrowInvalid, EOFError, OSError) as exc:  # EOFError: a damaged compressed file
            self._stream.close()
            raise self._read_error(exc) from None
        self._batches = prefetch(_parsed(self._reader, self._stream))
        self.rows = 0
        # The first chunk decides the schema (with the floors): read it before the writer opens.
        try:
            self.first = self._first_batch()
        except BaseException:  # a cancel in the first chunk: stop the reading thread too
            self.close()
            raise
        self.schema = pa.schema([(t.name, ARROW_TYPES[t.target]) for t in self.typers])

    def _read_error(self, exc: BaseException) -> BaseException:
        """What a failed read means: read again as bytes, read again in larger blocks, or a message."""
        if self.checked and "UTF8" in str(exc):
            return _Restart(self._floors(), checked=False)
        if _is_long_row(exc):
            return _LongRow(exc)
        return ProcessingError(_arrow_message(exc))

    def _next_text(self) -> pa.RecordBatch | None:
        """The next chunk of text columns; a wide table's short blocks are joined into one (see COALESCE_ROWS)."""
        batch = self._next_block(self.rows)
        if batch is None or batch.num_rows >= COALESCE_ROWS:
            return batch
        parts, rows, size = [batch], batch.num_rows, batch.nbytes
        while rows < COALESCE_ROWS and size < COALESCE_BYTES:
            more = self._next_block(self.rows + rows)
            if more is None:
                break
            parts.append(more)
            rows += more.num_rows
            size += more.nbytes
        if len(parts) == 1 or rows == 0:  # nothing to join (rows 0: every row was rejected)
            return parts[-1]
        return pa.Table.from_batches(parts).combine_chunks().to_batches(max_chunksize=rows)[0]

    def _next_block(self, before: int) -> pa.RecordBatch | None:
        """The next block Arrow parsed, as text columns; ``before``: data rows ahead of it."""
        try:
            self.progress(self._stream.consumed(), self._stream.size)
            raw = next(self._batches)
        except StopIteration:
            return None
        except (pa.ArrowInvalid, EOFError, OSError) as exc:
            self.close()
            raise self._read_error(exc) from None
        if self.checked:
            batch = raw
        else:
            columns = []
            for name, arr in zip(self._names, raw.columns, strict=True):
                text, bad = _as_text(arr)
                if bad:
                    self.bad_utf8[name] = self.bad_utf8.get(name, 0) + bad
                columns.append(text)
            batch = pa.RecordBatch.from_arrays(columns, schema=self._text_schema)
        if self._stream.nul:
            batch = _reject_nul_rows(batch, before, self.dialect.delimiter, self.rejects)
        if self.dialect.header_cells:
            batch, repeats = _reject_header_repeats(batch, before, self.dialect, self.rejects)
            self.header_repeats += repeats
        batch, empty = _reject_empty_rows(batch, before, self.dialect.delimiter, self.rejects)
        self.empty_rows += empty
        return batch

    def _convert_columns(self, batch: pa.RecordBatch, first_row: int) -> list[pa.Array | None]:
        """Each column converted by its typer (None: it needs a wider type than before)."""
        def tick() -> None:  # wide tables: a cancel check within the chunk
            self.progress(self._stream.consumed(), self._stream.size)

        columns = ticking(zip(self.typers, batch.columns, strict=True), tick)
        return [typer.convert(arr, first_row) for typer, arr in columns]

    def _convert(self, batch: pa.RecordBatch) -> list[pa.Array] | None:
        """The chunk converted; None when a column needs a wider type that the rows written cannot take.

        A wider type that the written rows give by a plain cast (integers to text, when every integer so far
        was written exactly as Arrow writes it) changes the schema from this chunk on: the writer splices.
        """
        before = [t.target for t in self.typers]
        out = self._convert_columns(batch, self.rows + 1)
        if all(typed is not None for typed in out):
            return out  # type: ignore[return-value]
        if not all(t.widens_in_place(old) for t, old in zip(self.typers, before, strict=True)):
            return None
        self.schema = pa.schema([(t.name, ARROW_TYPES[t.target]) for t in self.typers])
        for t, old in zip(self.typers, before, strict=True):
            if t.target != old:
                log.info("%s: column %r widens from %s to %s at row %d, in place",
                         self.source.name, t.name, old, t.target, self.rows + 1)
        return [typed if typed is not None else t.convert_widened(arr)
                for t, arr, typed in zip(self.typers, batch.columns, out, strict=True)]

    def _first_batch(self) -> pa.RecordBatch | None:
        batch = self._next_text()
        while batch is not None and batch.num_rows == 0:
            batch = self._next_text()
        if batch is None:
            self._finish(None)
            return None
        typed = self._convert_columns(batch, 1)
        # Nothing written yet: the first chunk simply sets the types.
        columns = [c if c is not None else t.convert_widened(arr)
                   for t, arr, c in zip(self.typers, batch.columns, typed, strict=True)]
        self._pending: pa.RecordBatch | None = batch
        if self._stream.line_feeds == 0:
            self.swallow.line_break = 13  # lines end with a lone CR (classic Mac): so do those inside values
        schema = pa.schema([(t.name, ARROW_TYPES[t.target]) for t in self.typers])
        return self._written(pa.RecordBatch.from_arrays(columns, schema=schema))

    def _written(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """A chunk as it goes to the writer: counted, and its text values watched for swallowed rows."""
        self.swallow.observe(batch, [t.target for t in self.typers], self.rows + 1)
        self.rows += batch.num_rows
        return batch

    def batches(self) -> Iterator[pa.RecordBatch]:
        try:
            last = self._pending if self.first is not None else None
            if self.first is not None:
                yield self.first
            while True:
                batch = self._next_text()
                if batch is None:
                    break
                columns = self._convert(batch)
                if columns is None:
                    self._check_rest(batch)
                    return
                last = batch if batch.num_rows else last
                yield self._written(pa.RecordBatch.from_arrays(columns, schema=self.schema))
            self._finish(last)
        finally:
            self.close()

    def close(self) -> None:
        # The reading thread may be waiting for the parser (see InputStream): wake it with end-of-file first,
        # or stopping it would wait for ever.
        self._stream.release()
        self._batches.close()  # stops the reading thread
        self._stream.close()

    def _check_rest(self, batch: pa.RecordBatch) -> None:
        """Follow the types to the end of the file without converting, then start over."""
        self.rows += batch.num_rows
        while (batch := self._next_text()) is not None:
            for typer, arr in zip(self.typers, batch.columns, strict=True):
                typer.observe(arr, self.rows + 1)
            self.rows += batch.num_rows
        raise _Restart(self._floors(), self.checked)

    def schema_kinds(self) -> list[str]:
        """Each column's kind as written."""
        return [t.target for t in self.typers]

    def units(self) -> dict[str, str]:
        """The unit of each column of amounts ("$", "%"), by name."""
        return {t.name: u for t in self.typers if (u := unit(t.target)) is not None}

    def _floors(self) -> dict[str, str]:
        return {t.name: t.target for t in self.typers}

    def _finish(self, last: pa.RecordBatch | None) -> None:
        stream = self._stream
        if last is not None and last.num_rows:
            value = list(last.slice(last.num_rows - 1, 1).to_pylist()[0].values())[-1]
            _check_unterminated(value, stream, self.dialect)
        final = self.rejects.last()
        raw = str(final["raw"]) if final is not None else ""
        if line_breaks(raw) and _is_end_of(raw, stream) and _ends_inside_quotes(raw, self.dialect):
            # The open quote left too few fields for a row: Arrow handed the rest of the file over as one bad row.
            _check_unterminated(raw, stream, self.dialect)
        self.replaced = stream.replaced
        self.utf8_lines = stream.utf8_lines
        records = self.rows + self.rejects.count + self.dialect.skip_rows
        self.breaks_in_values = stream.line_feeds - records
        self.line_feeds = stream.line_feeds

    def warnings(self) -> list[str]:
        # A widening names a row of the output: the person looks for it in the file, rejected rows and all.
        out = [replace(w, row=self.rejects.file_row(w.row)).message() for t in self.typers for w in t.widenings]
        out += [note for t in self.typers for note in t.notes()]
        for name, bad in self.bad_utf8.items():
            out.append(
                f"column '{name}': {bad} value(s) are not valid UTF-8 (the encoding changes part-way); "
                "they were read as cp1252"
            )
        if self.utf8_lines:
            out.append(
                f"{self.utf8_lines} line(s) are UTF-8 in a file read as {self.dialect.encoding.name} "
                "(the encoding changes part-way); they were read as UTF-8"
            )
        if self.replaced:
            out.append(
                f"{self.replaced} character(s) could not be decoded as {self.dialect.encoding.name} "
                "and were replaced"
            )
        return out


def _reject_nul_rows(
    batch: pa.RecordBatch, before: int, delimiter: str, rejects: Rejects | None
) -> pa.RecordBatch:
    """Rows with a NUL byte go to the rejects: a NUL is never text a person typed."""
    has_nul = None
    for arr in batch.columns:
        if not pa.types.is_string(arr.type):
            continue
        hit = pc.fill_null(pc.match_substring(arr, "\x00"), False)
        has_nul = hit if has_nul is None else pc.or_(has_nul, hit)
    if has_nul is None or not pc.any(has_nul).as_py():
        return batch
    for k, idx in enumerate(pc.indices_nonzero(has_nul).to_pylist() if rejects is not None else []):
        values = [v if v is not None else "" for v in batch.slice(idx, 1).to_pylist()[0].values()]
        # Row idx of the batch would have been output row before + idx + 1 - k (k NUL rows before it go too).
        row = rejects.file_row(before + idx + 1 - k)
        rejects.add(None, row, delimiter.join(values), "contains a NUL byte")
    return batch.filter(pc.invert(has_nul))


HEADER_AGAIN = "repeats the header line (files joined one after another?)"


def _reject_header_repeats(
    batch: pa.RecordBatch, before: int, dialect: Dialect, rejects: Rejects
) -> tuple[pa.RecordBatch, int]:
    """Lines that repeat the header go to the rejects (exports joined with ``cat`` each bring their own): read
    as rows, they would turn every typed column to text. One comparison of the first column per chunk."""
    header = dialect.header_cells
    first = batch.column(0)
    if not pa.types.is_string(first.type):
        return batch, 0
    again = pc.fill_null(pc.equal(first, header[0]), header[0] == "")
    if not pc.any(again).as_py():
        return batch, 0
    for arr, name in zip(batch.columns[1:], header[1:], strict=False):
        same = pc.equal(arr, name) if pa.types.is_string(arr.type) else pa.nulls(len(arr), pa.bool_())
        again = pc.and_(again, pc.fill_null(same, name == ""))
    hits = pc.indices_nonzero(again).to_pylist()
    for k, idx in enumerate(hits):
        row = rejects.file_row(before + idx + 1 - k)
        rejects.add(None, row, dialect.delimiter.join(header), HEADER_AGAIN)
    return (batch.filter(pc.invert(again)), len(hits)) if hits else (batch, 0)


def _reject_empty_rows(
    batch: pa.RecordBatch, before: int, delimiter: str, rejects: Rejects
) -> tuple[pa.RecordBatch, int]:
    """Rows with every field blank (";;;": a sheet's blank rows, saved as CSV) go to the rejects: as rows they
    would only add a row of nulls."""
    empty = blank_rows(batch.columns)
    if empty is None:
        return batch, 0
    hits = pc.indices_nonzero(empty).to_pylist()
    for k, idx in enumerate(hits):
        rejects.add(None, rejects.file_row(before + idx + 1 - k), delimiter * (batch.num_columns - 1), EMPTY_ROW)
    return batch.filter(pc.invert(empty)), len(hits)


def _is_end_of(text: str, stream: InputStream) -> bool:
    """Whether ``text`` ends where the input ends (line breaks aside)."""
    end, text = stream.tail.rstrip(b"\r\n").decode("utf-8", "ignore"), text.rstrip("\r\n")
    n = min(len(end), len(text), 32)
    return n > 0 and end[-n:] == text[-n:]


def _ends_inside_quotes(raw: str, dialect: Dialect) -> bool:
    """Whether a row's text ends inside a quoted value (a closed multi-line value in a bad row does not)."""
    try:
        for _ in stdlib_csv.reader(io.StringIO(raw, newline=""), delimiter=dialect.delimiter,
                                   quotechar=dialect.quote, strict=True):
            pass
    except stdlib_csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _check_unterminated(value: object, stream: InputStream, dialect: Dialect) -> None:
    """A quote opened and never closed makes the rest of the file one value, read last.

    Counting quotes cannot tell: a quote inside an unquoted value (``5" pipe``) is a character like any
    other, so an odd count may be fine and an even count may hide an open quote. What does tell: the last
    value holds line breaks, yet the file does not end by closing a quote.
    """
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str) or not line_breaks(value):
        return
    tail = stream.tail
    end = tail.rstrip(b"\r\n")
    if end.endswith(dialect.quote.encode()):
        return
    # Every line break from the opening quote to the end of the file is in the value, or after it at the very end.
    after = 0 if value.endswith(("\n", "\r")) else line_breaks(tail[len(end):])
    start = stream.count_newlines() - line_breaks(value) - after + 1
    raise ProcessingError(
        f"line {start} opens a quoted value that is never closed (unterminated quote); "
        "fix the quote or choose another quote character"
    )


