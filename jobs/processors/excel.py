"""Spreadsheets (.xlsx .xlsm .xls .ods) → one typed Parquet per non-empty sheet, each with its own profile.

Reading goes through fastexcel (calamine, in Rust: ~9× faster than openpyxl's read-only mode). Before it sees the
file, :mod:`jobs.tables.xlsx_guard` refuses hostile archives and collects what calamine does not report (merged
ranges, formulas without cached values). calamine already applies the workbook's 1900/1904 date system.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.outputs import part_suffixes
from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback
from jobs.tables.footer import MAX_LINES, is_total_row, set_aside
from jobs.tables.footer import REASON as TOTALS_REASON
from jobs.tables.infer import (
    UNDECIDED,
    NumberFormat,
    chunk_kind,
    convert,
    date_order,
    first_value,
    undecided_dates,
    unit,
)
from jobs.tables.names import unique_names
from jobs.tables.rejects import Rejects
from jobs.tables.report import Summary, write_data, write_side_outputs
from jobs.tables.sniff import describe, detect_header, file_kind
from jobs.tables.threads import join_ticking, ticking
from jobs.tables.xlsx_guard import SheetXml, WorkbookXml, check_cfb, check_zip
from jobs.tables.xlsx_head import head_rows

log = logging.getLogger(__name__)

HEAD_ROWS = 30  # rows looked at to find the header below title rows
BATCH_ROWS = 64 * 1024
_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _kind(source: Path) -> str:
    compression, other = file_kind(source)
    kind = compression or other
    if kind == "cfb":
        return check_cfb(source)
    return kind or "text"


def _stem(source: Path) -> str:
    return source.stem if source.suffix.lower() in _SUFFIXES else source.name


def _open(source: Path) -> tuple[Any, WorkbookXml]:
    kind = _kind(source)
    if kind in ("xlsx", "ods"):
        info = check_zip(source, kind)
    elif kind == "xls":
        info = WorkbookXml()
    elif kind == "zip":
        check_zip(source, "zip")  # a damaged archive is reported as such
        raise ProcessingError("this is a ZIP archive, not a workbook")
    else:
        raise ProcessingError(f"this is not a spreadsheet: it is {describe(kind)}")
    import fastexcel

    try:
        reader = fastexcel.read_excel(source)
    except Exception as exc:  # fastexcel's errors have no common base worth naming
        raise ProcessingError(_reader_message(exc)) from None
    return reader, info


def _reader_message(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    if "password" in text.lower() or "encrypt" in text.lower():
        return "the workbook is password-protected; remove the password in Excel and try again"
    return f"the workbook cannot be read: {text}"


def _selected(names: list[str], wanted: Any) -> list[str]:
    if not wanted:
        return list(names)
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    missing = [w for w in wanted if w not in names]
    if missing:
        raise ProcessingError(f"no sheet named {', '.join(map(repr, missing))}; the sheets are {names}")
    return wanted


def preview(source: Path, rows: int = 50) -> pa.Table:
    """The first rows of the first sheet, typed, straight from the source."""
    source = Path(source)
    reader, info = _open(source)  # the guard's checks run first, whatever reads the rows
    batch = _head(source, info, rows + HEAD_ROWS) if info.sheets else None  # title rows may sit above
    if batch is None:
        batch = _read_sheet(reader, 0, rows + HEAD_ROWS, None)
    table = _shape(batch).table
    table = table.slice(0, rows) if table is not None else None
    return table if table is not None else pa.table({})


def _head(source: Path, info: WorkbookXml, rows: int) -> pa.RecordBatch | None:
    """The first ``rows`` rows of the first sheet as text, read without parsing the rest (see xlsx_head).

    None when that reader cannot make sense of the file: fastexcel then loads the sheet (and reports errors).
    """
    sheet = next(iter(info.sheets.values()), None)
    if sheet is None:
        return None
    try:
        grid = head_rows(source, sheet.path, rows, info.date1904)
    except Exception:  # zipfile, XML and value errors alike: the fallback reads the file its own way
        log.debug("xlsx head reader failed on %s", source, exc_info=True)
        return None
    width = max((len(r) for r in grid), default=0)
    columns = [pa.array([r[c] for r in grid], pa.string()) for c in range(width)]
    return pa.RecordBatch.from_arrays(columns, names=[f"c{i}" for i in range(width)])


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    started = time.monotonic()
    source = Path(source)
    reader, info = _open(source)
    names = list(reader.sheet_names)
    selected = _selected(names, options.get("sheet"))
    declared = [info.sheets.get(n) for n in selected]
    total = sum(_declared_rows(d) for d in declared) or 1
    warnings: list[str] = []
    written: list[dict[str, Any]] = []
    done = 0
    order = options.date_order()
    fmt = NumberFormat(date_order=order)
    suffixes = dict(zip(selected, part_suffixes(selected), strict=True))
    with options.outputs(_stem(source)) as outs:
        for name in selected:
            progress(done, max(total, done))
            def tick() -> None:  # a cancel check in steps that take seconds on a wide sheet
                progress(done, max(total, done))

            sheet = _read_sheet(reader, names.index(name), None, tick)
            table, skipped, renamed, found_order, units, totals = _shape(
                sheet, tick, fmt, bool(options.get("keep_totals", False)))
            if table is None or table.num_rows == 0:
                warnings.append(f"sheet '{name}' is empty; no file was written for it")
                continue
            suffix = suffixes[name]
            rejects = _totals_rejects(totals)
            sheet_warnings = [f"sheet '{name}': {w}" for w in renamed] + _sheet_notes(
                name, skipped, info.sheets.get(name)
            )
            if totals:
                sheet_warnings.append(
                    f"sheet '{name}': " + set_aside(len(totals), totals[0][1], f"{outs.stem}{suffix}_rejects.parquet")
                )
            warnings.extend(sheet_warnings)
            data_path = outs.path(f"{suffix}.parquet")
            base = done

            def batches(table: pa.Table = table, base: int = base) -> Iterator[pa.RecordBatch]:
                for batch in table.to_batches(max_chunksize=BATCH_ROWS):
                    yield batch
                    nonlocal done
                    done += batch.num_rows
                    progress(done, max(total, done))

            outcome = write_data(batches(), table.schema, data_path, compression=outs.compression, tick=tick)
            summary = Summary(
                source=source.name,
                input_bytes=source.stat().st_size,
                started=started,
                sheet=name,
                header=True,
                date_order=found_order or order,
                sheets=names,
                warnings=sheet_warnings,
                units=units,
            )
            write_side_outputs(outs, suffix, outcome, summary, rejects, tick)
            written.append(
                {"sheet": name, "rows": outcome.rows, "columns": table.num_columns, "column_names": table.column_names,
                 "date_order": summary.date_order, "column_units": units, "rejected_rows": len(totals)}
            )
        if not written:
            raise ProcessingError("the workbook holds no data: every selected sheet is empty")
        progress(max(total, done), max(total, done))
        committed = outs.commit()
    metrics: dict[str, Any] = {
        "rows": sum(w["rows"] for w in written),
        "columns": written[0]["columns"],
        "column_names": written[0]["column_names"],
        "column_units": written[0]["column_units"],
        "sheets": [w["sheet"] for w in written],
        "sheet_details": written,
        "encoding": None,
        "delimiter": None,
        "header": True,
        "decimal": None,
        "date_order": next((w["date_order"] for w in written if w["date_order"]), order),
        "date1904": info.date1904,
        "rejected_rows": sum(w["rejected_rows"] for w in written),
        "totals": sum(w["rejected_rows"] for w in written),  # the only rows a sheet sets aside
    }
    return ProcessResult(outputs=committed, warnings=warnings, metrics=metrics)


def _declared_rows(sheet: SheetXml | None) -> int:
    if sheet is None or not sheet.dimension:
        return 0
    digits = "".join(ch if ch.isdigit() else " " for ch in sheet.dimension).split()
    return int(digits[-1]) if digits else 0


def _sheet_notes(name: str, skipped: list[str], xml: SheetXml | None) -> list[str]:
    notes = []
    if skipped:
        notes.append(f"sheet '{name}': {len(skipped)} row(s) above the header were skipped (a title: {skipped[0]!r})")
    if xml is not None and xml.merged:
        shown = ", ".join(xml.merged[:5]) + (" …" if len(xml.merged) > 5 else "")
        notes.append(
            f"sheet '{name}' has {len(xml.merged)} merged range(s) ({shown}); "
            "only the top-left cell of each holds the value"
        )
    if xml is not None and xml.uncached_formulas:
        notes.append(
            f"sheet '{name}' has {xml.uncached_formulas} formula cell(s) without a saved result; they are empty "
            "here (open and save the file in Excel to store the results)"
        )
    return notes


def _read_sheet(reader: Any, idx: int, n_rows: int | None, tick: Any) -> pa.RecordBatch:
    """One sheet as text cells (calamine renders numbers shortest-exact, dates as ISO).

    calamine parses the whole sheet on every load, so the sheet is loaded once. ``tick`` (the progress callback,
    which raises on a cancel) is called every TICK_SECONDS while fastexcel works in a helper thread (it parses a
    whole sheet in one call whatever n_rows says, ~0.9 s per 200k rows, and releases the GIL); after a cancel
    that thread finishes its parse on its own and its result is dropped.
    """
    result: dict[str, Any] = {}

    def load() -> None:
        try:
            result["batch"] = reader.load_sheet(idx, header_row=None, dtypes="string", n_rows=n_rows).to_arrow()
        except Exception as exc:  # handed to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=load, name="sheet-load", daemon=True)
    worker.start()
    join_ticking(worker, tick)
    if "error" in result:
        raise ProcessingError(_reader_message(result["error"])) from None
    batch: pa.RecordBatch = result["batch"]
    return batch


class Shaped(NamedTuple):
    table: pa.Table | None
    skipped: list[str]  # title rows above the header
    notes: list[str]  # renamed columns, dates that read both ways
    date_order: str | None  # of the regional dates ("dmy", "mdy"), None if there are none
    units: dict[str, str]  # column → what its amounts were written with ("$", "%")
    totals: list[tuple[int, str]]  # (data row, the row's cells) of the totals rows cut from the end


def _shape(
    batch: pa.RecordBatch, tick: Callable[[], None] | None = None, fmt: NumberFormat | None = None,
    keep_totals: bool = False,
) -> Shaped:
    """Text cells → a typed table; also the title rows skipped above the header and the notes on columns.

    Typed here by the same inference as CSV: one set of rules for both.
    """
    if batch.num_rows == 0 or batch.num_columns == 0:
        return Shaped(None, [], [], None, {}, [])
    head = batch.slice(0, HEAD_ROWS)
    grid = [["" if v is None else str(v) for v in row.values()] for row in head.to_pylist()]
    start, header = _find_header(grid)
    skipped = [" ".join(v for v in row if v) for row in grid[:start] if any(row)]
    if header:
        names, renamed = unique_names(grid[start])
    else:
        names, renamed = [f"column_{i + 1}" for i in range(batch.num_columns)], []
    body, totals = batch.slice(start + int(header)), []
    if not keep_totals:
        body, totals = _cut_totals(body)
    typed = [_typed(col, fmt or NumberFormat()) for col in ticking(body.columns, tick)]
    columns = [c for c, _ in typed]
    kinds = [k for _, k in typed]
    notes = [undecided_dates(n, first_value(col.cast(pa.string())))
             for n, col, k in zip(names, body.columns, kinds, strict=True) if k in UNDECIDED]
    fields = [pa.field(n, c.type, nullable=True) for n, c in zip(names, columns, strict=True)]
    table = pa.Table.from_arrays(columns, schema=pa.schema(fields))
    units = {n: u for n, k in zip(names, kinds, strict=True) if (u := unit(k)) is not None}
    return Shaped(_drop_empty_tail(table), skipped, renamed + notes, date_order(kinds), units, totals)


def _totals_rejects(totals: list[tuple[int, str]]) -> Rejects | None:
    if not totals:
        return None
    rejects = Rejects()
    for row, text in totals:
        rejects.add(None, row, text, TOTALS_REASON)
    return rejects


def _cut_totals(body: pa.RecordBatch) -> tuple[pa.RecordBatch, list[tuple[int, str]]]:
    """The body without the totals rows at its end ("Total", "Summe": see jobs/tables/footer.py), and those rows
    as (data row, cells joined by tabs). Blank rows between them and the table go too."""
    look = min(body.num_rows, 64)
    rows = [["" if v is None else str(v) for v in row.values()] for row in body.slice(body.num_rows - look).to_pylist()]
    found: list[int] = []
    end = len(rows)
    for i in range(len(rows) - 1, -1, -1):
        if not any(v.strip() for v in rows[i]):
            continue
        if len(found) == MAX_LINES or not is_total_row(rows[i]):
            end = i + 1
            break
        found.append(i)
    else:
        end = 0
    if not found or (end == 0 and look == body.num_rows):
        return body, []  # no totals, or nothing but totals: the rows stay as they are
    first = body.num_rows - look
    cut = first + end
    totals = [(first + i + 1, "\t".join(rows[i]).rstrip("\t")) for i in sorted(found)]
    return body.slice(0, cut), totals


def _typed(arr: pa.Array, fmt: NumberFormat) -> tuple[pa.Array, str]:
    """Text cells → the narrowest kind that holds every value (and that kind); midnight-only date-times become
    dates."""
    text = pc.fill_null(arr.cast(pa.string()), "")
    kind = chunk_kind(text, fmt)
    typed = convert(text, "string" if kind == "null" else kind, fmt)
    if kind == "timestamp":
        micros = pc.drop_null(typed).cast(pa.int64()).to_numpy(zero_copy_only=False)
        if len(micros) and np.all(micros % 86_400_000_000 == 0):
            return typed.cast(pa.date32()), "date"
    return typed, kind


def _drop_empty_tail(table: pa.Table) -> pa.Table:
    """Rows at the end that are empty in every column (formatting that reached further than the data)."""
    if table.num_rows == 0 or table.num_columns == 0:
        return table
    filled = None
    for col in table.columns:
        valid = pc.is_valid(col)
        filled = valid if filled is None else pc.or_(filled, valid)
    assert filled is not None
    idx = pc.indices_nonzero(filled)
    return table.slice(0, idx[-1].as_py() + 1) if len(idx) else table.slice(0, 0)


def _find_header(grid: list[list[str]]) -> tuple[int, bool]:
    """(first row of the table, whether it is a header): title rows have fewer filled cells than the table."""
    widths = [sum(1 for v in row if v.strip()) for row in grid]
    widest = max(widths) if widths else 0
    start = next((i for i, w in enumerate(widths) if w >= max(1, (widest + 1) // 2)), 0)
    records = [row for row in grid[start:] if any(v.strip() for v in row)]
    return start, detect_header(records, NumberFormat()) if len(records) > 1 else True


__all__ = ["preview", "process"]
