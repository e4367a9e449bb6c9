"""Spreadsheets (.xlsx .xlsm .xls .ods) → one typed Parquet per non-empty sheet, each with its own profile.

Reading goes through fastexcel (calamine, in Rust: ~9× faster than openpyxl's read-only mode). Before it sees the
file, :mod:`jobs.tables.xlsx_guard` refuses hostile archives and collects what calamine does not report (merged
ranges, formulas without cached values). calamine already applies the workbook's 1900/1904 date system.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.outputs import part_suffixes
from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback
from jobs.tables.footer import NOTE_REASON, footer_rows, set_aside
from jobs.tables.footer import REASON as TOTALS_REASON
from jobs.tables.infer import (
    UNDECIDED,
    NumberFormat,
    chunk_kind,
    chunk_typed,
    convert,
    date_order,
    first_value,
    undecided_dates,
    unit,
)
from jobs.tables.names import unique_names
from jobs.tables.rejects import EMPTY_ROW, Rejects, blank_rows
from jobs.tables.report import Summary, write_data, write_side_outputs
from jobs.tables.sniff import describe, detect_decimal, detect_header, file_kind
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


# The names each kind of workbook goes by: calamine picks its reader by the name when it knows the name.
_NAMED = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}


def _open(source: Path) -> tuple[Any, WorkbookXml, str | None]:
    """The reader, what the guard saw, and the warning for a workbook named as another kind ("x.xls" that is
    an xlsx: web apps send those)."""
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

    suffix = source.suffix.lower()
    misnamed = suffix not in _NAMED[kind]
    try:
        # From its bytes, calamine tells the kind by the content (a misnamed file is small: an export).
        reader = fastexcel.read_excel(source.read_bytes() if misnamed else source)
    except Exception as exc:  # fastexcel's errors have no common base worth naming
        raise ProcessingError(_reader_message(exc)) from None
    # Other names (".csv") are reported by the table dispatcher, which sent the file here.
    warning = f"the file is named {source.suffix} but holds an .{kind} workbook; read as such"
    return reader, info, warning if misnamed and suffix in _SUFFIXES else None


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
    reader, info, _ = _open(source)  # the guard's checks run first, whatever reads the rows
    batch = _head(source, info, rows + HEAD_ROWS) if info.sheets else None  # title rows may sit above
    if batch is None:
        batch = _read_sheet(reader, 0, rows + HEAD_ROWS, None)[0]
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
    reader, info, misnamed = _open(source)
    names = list(reader.sheet_names)
    selected = _selected(names, options.get("sheet"))
    declared = [info.sheets.get(n) for n in selected]
    total = sum(_declared_rows(d) for d in declared) or 1
    warnings: list[str] = [misnamed] if misnamed else []
    written: list[dict[str, Any]] = []
    done = 0
    order = options.date_order()
    fmt = NumberFormat(date_order=order)
    decimal = options.get("decimal")
    suffixes = dict(zip(selected, part_suffixes(selected), strict=True))
    with options.outputs(_stem(source)) as outs:
        for name in selected:
            progress(done, max(total, done))
            def tick() -> None:  # a cancel check in steps that take seconds on a wide sheet
                progress(done, max(total, done))

            sheet, errors = _read_sheet(reader, names.index(name), None, tick)
            shaped = _shape(sheet, tick, fmt, bool(options.get("keep_totals", False)), decimal)
            table, totals, footnotes = shaped.table, shaped.totals, shaped.footnotes
            if table is None or table.num_rows == 0:
                warnings.append(f"sheet '{name}' is empty; no file was written for it")
                continue
            suffix = suffixes[name]
            rejects = _sheet_rejects(shaped)
            sheet_warnings = [f"sheet '{name}': {w}" for w in shaped.notes] + _sheet_notes(
                name, shaped.skipped, info.sheets.get(name), errors
            )
            if shaped.empty:
                sheet_warnings.append(
                    f"sheet '{name}': {len(shaped.empty)} empty row(s) among the data (the first: data row "
                    f"{shaped.empty[0]}) were left out of the table; they are listed in "
                    f"{outs.stem}{suffix}_rejects.parquet")
            if totals:
                sheet_warnings.append(f"sheet '{name}': " + _set_aside(totals, footnotes, f"{outs.stem}{suffix}"))
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
                decimal=shaped.decimal,
                date_order=shaped.date_order or order,
                sheets=names,
                warnings=sheet_warnings,
                units=shaped.units,
            )
            write_side_outputs(outs, suffix, outcome, summary, rejects, tick)
            written.append(
                {"sheet": name, "rows": outcome.rows, "columns": table.num_columns, "column_names": table.column_names,
                 "date_order": summary.date_order, "column_units": shaped.units, "decimal": shaped.decimal,
                 "totals": len(totals), "rejected_rows": len(totals) + len(footnotes) + len(shaped.empty)}
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
        "decimal": next((w["decimal"] for w in written if w["decimal"]), None),
        "date_order": next((w["date_order"] for w in written if w["date_order"]), order),
        "date1904": info.date1904,
        "rejected_rows": sum(w["rejected_rows"] for w in written),
        "totals": sum(w["totals"] for w in written),
    }
    return ProcessResult(outputs=committed, warnings=warnings, metrics=metrics)


def _declared_rows(sheet: SheetXml | None) -> int:
    if sheet is None or not sheet.dimension:
        return 0
    digits = "".join(ch if ch.isdigit() else " " for ch in sheet.dimension).split()
    return int(digits[-1]) if digits else 0


def _sheet_notes(name: str, skipped: list[str], xml: SheetXml | None, errors: list[str]) -> list[str]:
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
    if errors:
        kinds = ", ".join(dict.fromkeys(errors))
        notes.append(f"sheet '{name}': {len(errors)} cell(s) hold Excel errors ({kinds}); they are empty here")
    return notes


def _read_sheet(reader: Any, idx: int, n_rows: int | None, tick: Any) -> tuple[pa.RecordBatch, list[str]]:
    """One sheet as text cells (calamine renders numbers shortest-exact, dates as ISO), and the Excel errors its
    error cells hold ("#DIV/0!"), in sheet order: fastexcel reads those as empty and lists them at no cost.

    calamine parses the whole sheet on every load, so the sheet is loaded once. ``tick`` (the progress callback,
    which raises on a cancel) is called every TICK_SECONDS while fastexcel works in a helper thread (it parses a
    whole sheet in one call whatever n_rows says, ~0.9 s per 200k rows, and releases the GIL); after a cancel
    that thread finishes its parse on its own and its result is dropped.
    """
    result: dict[str, Any] = {}

    def load() -> None:
        try:
            sheet = reader.load_sheet(idx, header_row=None, dtypes="string", n_rows=n_rows)
            result["batch"], result["errors"] = sheet.to_arrow_with_errors()
        except Exception as exc:  # handed to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=load, name="sheet-load", daemon=True)
    worker.start()
    join_ticking(worker, tick)
    if "error" in result:
        raise ProcessingError(_reader_message(result["error"])) from None
    batch: pa.RecordBatch = result["batch"]
    return _with_durations(batch, result["errors"]), _excel_errors(result["errors"])


_ISO_DURATION = re.compile(r"DurationIso\(\"P(?:([0-9]+)D)?T?(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9.]+)S)?\"\)")


def _with_durations(batch: pa.RecordBatch, errors: Any) -> pa.RecordBatch:
    """ODS time cells ("PT08H30M00S"), which fastexcel lists among the errors and leaves empty, as calamine renders
    an xlsx time: a date-time on Excel's day zero ("1899-12-31 08:30:00"), typed later as a time or hours."""
    cells: dict[int, dict[int, str]] = {}
    for error in errors.errors if errors is not None else ():
        if m := _ISO_DURATION.search(error.detail):
            days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
            span = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
            row, col = error.position
            cells.setdefault(col, {})[row] = (_CLOCK_DAYS[0] + span).isoformat(sep=" ")
    if not cells:
        return batch
    columns = list(batch.columns)
    for col, values in cells.items():
        texts = columns[col].to_pylist()
        for row, text in values.items():
            texts[row] = text
        columns[col] = pa.array(texts, pa.string())
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


# calamine's names for Excel's error values (CellErrorType), as Excel shows them.
_EXCEL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
                 "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}


def _excel_errors(errors: Any) -> list[str]:
    """The error values among the cells fastexcel could not read as text, in sheet order (None: there are none)."""
    if errors is None:
        return []
    found = []
    for error in sorted(errors.errors, key=lambda e: e.position):
        if m := re.search(r"Error\((\w+)\)", error.detail):
            found.append(_EXCEL_ERRORS.get(m.group(1), m.group(1)))
    return found


class Shaped(NamedTuple):
    table: pa.Table | None
    skipped: list[str]  # title rows above the header
    notes: list[str]  # renamed columns, dates that read both ways
    date_order: str | None  # of the regional dates ("dmy", "mdy"), None if there are none
    units: dict[str, str]  # column → what its amounts were written with ("$", "%")
    totals: list[tuple[int, str]]  # (data row, the row's cells) of the totals rows cut from the end
    footnotes: list[tuple[int, str]]  # the same of the notes below the totals ("* Amounts in EUR")
    decimal: str | None  # the decimal mark text numbers were read with, when not the point
    empty: list[int]  # data rows left out because every cell is blank (rows between groups), 1-based


def _shape(
    batch: pa.RecordBatch, tick: Callable[[], None] | None = None, fmt: NumberFormat | None = None,
    keep_totals: bool = False, decimal: str | None = None,
) -> Shaped:
    """Text cells → a typed table; also the title rows skipped above the header and the notes on columns.

    Typed here by the same inference as CSV: one set of rules for both.
    """
    if batch.num_rows == 0 or batch.num_columns == 0:
        return Shaped(None, [], [], None, {}, [], [], None, [])
    head = batch.slice(0, HEAD_ROWS)
    grid = [["" if v is None else str(v) for v in row.values()] for row in head.to_pylist()]
    start, header = _find_header(grid)
    skipped = [" ".join(v for v in row if v) for row in grid[:start] if any(row)]
    if header:
        names, renamed = unique_names([re.sub(_MIDNIGHT_CELL, r"\1", v) for v in grid[start]])  # dates as names
    else:
        names, renamed = [f"column_{i + 1}" for i in range(batch.num_columns)], []
    body, totals, footnotes = batch.slice(start + int(header)), [], []
    if not keep_totals:
        body, totals, footnotes = _cut_totals(body)
    body, empty = _cut_empty_rows(body)
    columns, kinds, mark = _type_columns(body.columns, fmt or NumberFormat(), decimal, tick)
    notes = [undecided_dates(n, _example(col))
             for n, col, k in zip(names, body.columns, kinds, strict=True) if k in UNDECIDED]
    fields = [pa.field(n, c.type, nullable=True) for n, c in zip(names, columns, strict=True)]
    table = pa.Table.from_arrays(columns, schema=pa.schema(fields))
    units = {n: u for n, k in zip(names, kinds, strict=True) if (u := "h" if k == HOURS else unit(k)) is not None}
    return Shaped(_drop_empty_tail(table), skipped, renamed + notes, date_order(kinds), units, totals, footnotes,
                  mark, empty)


def _sheet_rejects(shaped: Shaped) -> Rejects | None:
    totals, footnotes = shaped.totals, shaped.footnotes
    if not totals and not shaped.empty:
        return None
    rejects = Rejects()
    for row in shaped.empty:
        rejects.add(None, row, "", EMPTY_ROW)
    for row, text in totals:
        rejects.add(None, row, text, TOTALS_REASON)
    for row, text in footnotes:
        rejects.add(None, row, text, NOTE_REASON)
    return rejects


def _cut_empty_rows(body: pa.RecordBatch) -> tuple[pa.RecordBatch, list[int]]:
    """The body without the blank rows among its data (a row left free between groups), and their data rows.
    Blank rows after the last filled one are formatting, dropped later without a word (:func:`_drop_empty_tail`)."""
    empty = blank_rows([col.cast(pa.string()) for col in body.columns]) if body.num_rows else None
    if empty is None:
        return body, []
    filled = pc.indices_nonzero(pc.invert(empty))
    last = filled[-1].as_py() if len(filled) else -1
    inside = pc.and_(empty, pc.less_equal(pa.array(np.arange(body.num_rows)), last))
    rows = [i + 1 for i in pc.indices_nonzero(inside).to_pylist()]
    return (body.filter(pc.invert(inside)), rows) if rows else (body, [])


def _set_aside(totals: list[tuple[int, str]], footnotes: list[tuple[int, str]], stem: str) -> str:
    return set_aside(len(totals) + len(footnotes), totals[0][1], f"{stem}_rejects.parquet", len(footnotes))


def _cut_totals(body: pa.RecordBatch) -> tuple[pa.RecordBatch, list[tuple[int, str]], list[tuple[int, str]]]:
    """The body without the totals rows at its end and the notes below them (:func:`footer.footer_rows`: the
    rules of CSV files), and those rows as (data row, cells joined by tabs). Blank rows between them and the
    table go too."""
    look = min(body.num_rows, 64)
    rows = [["" if v is None else str(v) for v in row.values()] for row in body.slice(body.num_rows - look).to_pylist()]
    totals, notes = footer_rows(rows)
    table = [i for i in range(totals[0] if totals else 0) if any(v.strip() for v in rows[i])]
    if not totals or (not table and look == body.num_rows):
        return body, [], []  # no totals, or nothing but totals: the rows stay as they are
    first = body.num_rows - look
    cut = first + (table[-1] + 1 if table else 0)
    found = [[(first + i + 1, "\t".join(rows[i]).rstrip("\t")) for i in part] for part in (totals, notes)]
    return body.slice(0, cut), found[0], found[1]


def _type_columns(
    columns: list[pa.Array], fmt: NumberFormat, decimal: str | None, tick: Callable[[], None] | None
) -> tuple[list[pa.Array], list[str], str | None]:
    """Each column typed, their kinds, and the decimal mark text numbers were read with when not the point.

    Number cells come as "1234.5" whatever the workbook's locale, so a column is read with the point first. A
    column that does not read so ("1.234,56" typed as text) is read again with the sheet's mark: the user's, or
    what the values of such columns prove, as in CSV files. The user's comma comes first for a column that holds
    a comma, which number cells never do ("1,250" is 1.25 then, not 1250).
    """
    point, comma = replace(fmt, decimal="."), replace(fmt, decimal=",")
    typed: list[tuple[pa.Array, str]] = []
    used = None
    for col in ticking(columns, tick):
        if decimal == "," and pc.any(pc.match_substring(col.cast(pa.string()), ",")).as_py():
            arr, kind = _typed(col, comma)
            if kind != "string":
                typed.append((arr, kind))
                used = ","
                continue
        typed.append(_typed(col, point))
    text = [i for i, (_, kind) in enumerate(typed) if kind == "string"]
    told = decimal or (_text_decimal([columns[i] for i in text]) if text else None)
    if text and decimal is None and told == ",":
        for i in text:
            arr, kind = _typed(columns[i], comma)
            if kind != "string":
                typed[i] = (arr, kind)
                used = ","
    if "," in (told, used):
        # Number cells beside numbers typed with a comma ("1234.56" over "1.234,56": a half-cleaned sheet).
        for i, (_, kind) in enumerate(typed):
            if kind == "string" and (mixed := _mixed_numbers(columns[i], comma)) is not None:
                typed[i] = mixed
                used = ","
    if "," in (decimal, used):
        # "1.500" typed as text read as 1.5 with the point; in a sheet whose mark is the comma it is 1500. A
        # number cell never ends in a zero ("1.5"), so a value like "2.000" tells that the column is such text.
        for i, (_, kind) in enumerate(typed):
            if kind in ("int", "float") and pc.any(pc.match_substring_regex(
                    columns[i].cast(pa.string()), _THOUSANDS_TEXT)).as_py():
                arr, kind = _typed(columns[i], comma)
                if kind != "string":
                    typed[i] = (arr, kind)
                    used = ","
    return [arr for arr, _ in typed], [kind for _, kind in typed], used


_THOUSANDS_TEXT = r"^[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})*\.[0-9]{2}0$"
# How calamine writes a number cell: digits, at most one point, maybe an exponent; never a comma or a group.
_NUMBER_CELL = r"^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$"


def _mixed_numbers(col: pa.Array, comma: NumberFormat) -> tuple[pa.Array, str] | None:
    """A column of number cells and numbers typed as text with the sheet's comma, as numbers; None when the text
    is no such numbers. A cell like "1.234" counts as the number cell it reads as."""
    text = col.cast(pa.string())
    cells = pc.fill_null(pc.match_substring_regex(text, _NUMBER_CELL), False)
    if not pc.any(cells).as_py() or pc.all(pc.or_(cells, pc.is_null(text))).as_py():
        return None
    typed, kind = _typed(pc.if_else(cells, pa.scalar(None, pa.string()), text), comma)
    if kind not in ("int", "float") and unit(kind) is None:
        return None
    numbers = pc.if_else(cells, pc.cast(pc.if_else(cells, text, None), pa.float64()), typed.cast(pa.float64()))
    return numbers, kind if unit(kind) is not None else "float"


_DECIMAL_SAMPLE = 10_000  # rows of each text column that vote on the decimal mark


def _text_decimal(columns: list[pa.Array]) -> str:
    """The decimal mark of the values of text columns, by the rules for CSV files (one record of them all)."""
    values = []
    for col in columns:
        sample = col.slice(0, _DECIMAL_SAMPLE).cast(pa.string())
        # Only a value with a mark between digits can tell it: names and codes are left out before Python sees them.
        # Number cells ("1234.56") are left out too: they say nothing of how the sheet's text writes numbers.
        telling = pc.and_(pc.match_substring_regex(sample, "[0-9][.,][0-9]"),
                          pc.invert(pc.match_substring_regex(sample, _NUMBER_CELL)))
        values += pc.unique(sample.filter(telling)).to_pylist()
    return detect_decimal([[], values], "\t")  # the first record is a header's place; a tab: not a comma


def _typed(arr: pa.Array, fmt: NumberFormat) -> tuple[pa.Array, str]:
    """Text cells → the narrowest kind that holds every value (and that kind); midnight-only date-times become
    dates."""
    text = pc.fill_null(arr.cast(pa.string()), "")
    kind, converted = chunk_typed(text, fmt)  # the conversion that told the kind is the column's: done once
    if kind == "string":
        if not pc.any(pc.match_substring_regex(text, _DATE_CELL)).as_py():
            return convert(text, "string"), "string"  # no date or time cell among the text: one pass to know
        return (_times_among_text(text) or _dates_among_text(text, fmt)
                or (convert(_without_midnight(text), "string"), "string"))
    typed = converted if converted is not None else convert(text, "string" if kind == "null" else kind, fmt)
    if kind == "timestamp":
        return _clock(typed) or _midnight_dates(typed, kind)
    return typed, kind


# The day Excel's times count from: a time-only cell ("08:30") or a duration ("[h]:mm", 38:30) is a fraction of
# a day past it, which calamine renders as a date-time on it ("1899-12-31 08:30:00"; the 1904 system's day is
# 1904-01-01). Nobody's data holds real dates on those days.
_CLOCK_DAYS = (dt.datetime(1899, 12, 31), dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1))
_DAY_US = 86_400_000_000
_DURATION_DAYS = 400  # hours worked in a year stay below this many days
HOURS = "hours"  # the kind of a column of durations, written as hours (unit "h")


def _clock(stamps: pa.Array) -> tuple[pa.Array, str] | None:
    """Date-times that are all times of day (time64) or durations (hours, a double) counted from Excel's day
    zero; None when they are real dates."""
    micros = pc.drop_null(stamps).cast(pa.int64()).to_numpy(zero_copy_only=False)
    if not len(micros):
        return None
    for day in _CLOCK_DAYS:
        zero = int((day - dt.datetime(1970, 1, 1)).total_seconds()) * 1_000_000
        since = micros - zero
        # Durations only from 1899: a 1904 workbook's dates of 1904 are possible, its first day alone is not.
        longest = _DURATION_DAYS * _DAY_US if day.year == 1899 else _DAY_US
        if since.min() < 0 or since.max() >= longest:
            continue
        past = pc.subtract(stamps.cast(pa.int64()), zero)
        if since.max() < _DAY_US:
            return past.cast(pa.time64("us")), "time"
        return pc.divide(past.cast(pa.float64()), 3_600_000_000.0), HOURS
    return None


_TIME_TEXT = r"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$"


def _times_among_text(text: pa.Array) -> tuple[pa.Array, str] | None:
    """Time cells among times typed as text ("08:30"): one time-of-day column."""
    cells = pc.match_substring_regex(text, r"^1899-12-3[01] [0-9]{2}:[0-9]{2}:[0-9]{2}$")
    typed_text = pc.and_(pc.invert(cells), pc.match_substring_regex(text, _TIME_TEXT))
    blank = pc.equal(text, "")
    if not pc.any(cells).as_py() or not pc.all(pc.or_(pc.or_(cells, typed_text), blank)).as_py():
        return None
    clock = pc.if_else(cells, pc.utf8_slice_codeunits(text, 11), pc.if_else(typed_text, text, None))
    padded = pc.if_else(pc.match_substring_regex(clock, "^[0-9]:"), pc.binary_join_element_wise("0", clock, ""),
                        clock)
    full = pc.if_else(pc.equal(pc.utf8_length(padded), 5), pc.binary_join_element_wise(padded, ":00", ""), padded)
    seconds = pc.strptime(pc.binary_join_element_wise("1970-01-01 ", full, ""), "%Y-%m-%d %H:%M:%S", "us")
    if pc.any(pc.and_(pc.is_null(seconds), pc.invert(blank))).as_py():
        return None
    return seconds.cast(pa.int64()).cast(pa.time64("us")), "time"


# How calamine renders a date cell, and a date cell at midnight (a date: nobody typed that time).
_DATE_CELL = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)?$"
_MIDNIGHT_CELL = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$"


def _dates_among_text(text: pa.Array, fmt: NumberFormat) -> tuple[pa.Array, str] | None:
    """Date cells among dates typed as text ("05.03.2024"): one date column, the text read in the order its
    values tell (or the user's). None when the text cells are no regional dates; text (with the undecided kind,
    which a note reports) when their order cannot be told."""
    cells = pc.match_substring_regex(text, _DATE_CELL)
    if not pc.any(cells).as_py():
        return None
    typed_text = pc.if_else(cells, "", text)
    kind = chunk_kind(typed_text, fmt)
    if not kind.startswith(("date_", "timestamp_")):
        return None
    if kind in UNDECIDED:
        return convert(_without_midnight(text), "string"), kind
    stamps = pc.coalesce(pc.cast(pc.if_else(cells, text, None), pa.timestamp("us")),
                         convert(typed_text, kind, fmt).cast(pa.timestamp("us")))
    return _midnight_dates(stamps, "timestamp_" + kind.split("_")[1])


def _midnight_dates(stamps: pa.Array, kind: str) -> tuple[pa.Array, str]:
    """Date-times that are all at midnight as dates (kind "timestamp…" becomes "date…")."""
    micros = pc.drop_null(stamps).cast(pa.int64()).to_numpy(zero_copy_only=False)
    if len(micros) and np.all(micros % _DAY_US == 0):
        return stamps.cast(pa.date32()), kind.replace("timestamp", "date")
    return stamps, kind


def _without_midnight(text: pa.Array) -> pa.Array:
    """Date cells in a text column as the dates they are: "2024-01-13", not "2024-01-13 00:00:00"."""
    if not pc.any(pc.ends_with(text, " 00:00:00")).as_py():
        return text
    return pc.replace_substring_regex(text, _MIDNIGHT_CELL, r"\1")


def _example(column: pa.Array) -> str:
    """A value of a text column for a message, preferring a cell typed as text to a date cell."""
    text = pc.fill_null(column.cast(pa.string()), "")
    return first_value(pc.if_else(pc.match_substring_regex(text, _DATE_CELL), "", text)) or first_value(text)


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
    """(first row of the table, whether it is a header): the title and info rows above it are skipped."""
    filled = [i for i, row in enumerate(grid) if any(v.strip() for v in row)]
    rows = [grid[i] for i in filled]
    single = max(map(_filled, rows), default=0) == 1
    # Before each row: whether a blank row separates it from the one above (how title blocks end).
    apart = [k > 0 and filled[k] > filled[k - 1] + 1 for k in range(len(filled))]
    first = _single_column_start(rows) if single else _table_start(rows, apart)
    records = rows[first:]
    # Titles are only skipped above a row that reads as a header, as in CSV files (see sniff._preamble).
    header = first > 0 or len(records) < 2 or detect_header(records, NumberFormat())
    if single and first == 0 and header and len(records) >= 3:
        # A list without a name ("ann@example.org" over more addresses): its first value is shaped like the rest.
        shapes = Counter(_signature(r) for r in records[1:]).most_common(1)[0]
        header = not (shapes[0] == _signature(records[0]) and shapes[1] * 2 > len(records) - 1)
    return (filled[first] if filled else 0), header


def _table_start(rows: list[list[str]], apart: list[bool]) -> int:
    """The header's index in ``rows`` (the rows with a value), below the title and info lines.

    Such a line fills fewer cells than the table below it and ends left of it ("Account: | DE89…" over four
    columns); a header with a blank top-left cell ends at the table's right edge. Of a run of such lines, the
    lowest that reads as a header is the header; when none does, the first line is.
    """
    named = _names_typed_values(rows)
    if named is not None and all(_above_a_header(r, rows[named], apart[named]) for r in rows[:named]):
        return named
    run = 0
    while run < len(rows) - 2 and _narrower(rows[run], rows[run + 1:]):
        run += 1
    # In a table of text only the shape tells, so titles must look like titles: lines of one cell, or a block
    # set apart by a blank row ("Name | City" right above "Anna | Berlin | VIP" is the header).
    return next((i for i in range(run, 0, -1) if (apart[i] or all(_filled(r) == 1 for r in rows[:i]))
                 and _reads_as_header(rows[i:])), 0)


_LOOK_ROWS = 10  # rows that may sit above a header: titles, info lines, a printed date
_LOOK_COLUMNS = 64  # columns looked at for it: enough to find one typed column, cheap on a wide sheet


def _names_typed_values(rows: list[list[str]]) -> int | None:
    """The first row that names typed values below it ("Betrag" over amounts) where nothing above holds such
    values: the header, whatever the lines above it look like (an info line as wide as the table, "Account: |
    DE89… | Currency: | EUR"). None when no row does (a table of text)."""
    fmt = NumberFormat()
    widest = max(map(_filled, rows))
    for i in range(min(len(rows) - 1, _LOOK_ROWS)):
        if _filled(rows[i]) * 2 <= widest:
            continue  # a title, or a pivot's "Sum of Sales | Column Labels" above its header
        for c, name in enumerate(rows[i][:_LOOK_COLUMNS]):
            if not name.strip() or chunk_kind(pa.array([name]), fmt) != "string":
                continue
            kind = chunk_kind(pa.array([r[c] for r in rows[i + 1:]], pa.string()), fmt)
            if kind in ("string", "null"):
                continue
            above = [r[c] for r in rows[:i] if r[c].strip()]
            if not above or chunk_kind(pa.array(above, pa.string()), fmt) in ("string", "null"):
                return i
    return None


def _above_a_header(row: list[str], header: list[str], apart: bool) -> bool:
    """Whether ``row`` may sit above ``header`` as a title or info line: no wider, and a title by its looks (half
    the cells or fewer, "Account: | DE89…" labels) or set apart by a blank row. A full row right above a header
    that leaves its first cell blank is the header, and that other row its units ("kg | mm | °C")."""
    if _filled(row) > _filled(header):
        return False
    label = next((v.strip() for v in row if v.strip()), "")
    return apart or _filled(row) * 2 <= _filled(header) or label.endswith(":")


def _narrower(row: list[str], below: list[list[str]]) -> bool:
    """A title or info line: fewer cells than the rows below, and either half of them or fewer (a date printed at
    the right), or ending left of where most rows below end (a remarks column filled here and there is no edge)."""
    most = max(map(_filled, below))
    edge = Counter(map(_last, below)).most_common(1)[0][0]
    return _filled(row) < most and (_filled(row) * 2 <= most or _last(row) < edge)


def _filled(row: list[str]) -> int:
    return sum(1 for v in row if v.strip())


def _last(row: list[str]) -> int:
    return max((c for c, v in enumerate(row) if v.strip()), default=-1)


def _reads_as_header(rows: list[list[str]]) -> bool:
    """Whether ``rows[0]`` names the table below it: a text cell over typed values ("Amount" over amounts), or a
    full row read as a header by the CSV rules (a row that fills only part of the table needs the first)."""
    first, below = rows[0], rows[1:]
    if not below:
        return False
    for c, name in enumerate(first):
        if name.strip() and chunk_kind(pa.array([name]), NumberFormat()) == "string":
            kind = chunk_kind(pa.array([r[c] for r in below], pa.string()), NumberFormat())
            if kind not in ("string", "null"):
                return True
    full = max(map(_filled, rows)) - (0 if first[0].strip() else 1)  # a pivot's header leaves its corner blank
    return _filled(first) >= full and detect_header(rows, NumberFormat())


def _single_column_start(rows: list[list[str]]) -> int:
    """The header's index in a one-column table, which has no width to tell a title by: the header and the titles
    above it ("Newsletter subscribers" over "Email") are shaped like none of the values below, which share a
    shape ("bob@example.org")."""
    shapes = [_signature(r) for r in rows]
    for header in range(len(rows) - 3, 0, -1):
        values = shapes[header + 1:]
        shared = 2 * Counter(values).most_common(1)[0][1] >= len(values)
        if shared and not set(shapes[: header + 1]) & set(values):
            return header
    return 0


def _signature(row: list[str]) -> tuple[frozenset[str], bool, bool]:
    """A cell's punctuation, and whether it has digits and letters: "bob@example.org" → ({"@", "."}, no, yes)."""
    value = next(v for v in row if v.strip()).strip()
    marks = frozenset(ch for ch in value if not ch.isalnum() and not ch.isspace())
    return marks, any(ch.isdigit() for ch in value), any(ch.isalpha() for ch in value)


__all__ = ["preview", "process"]
