"""Spreadsheets (.xlsx .xlsm .xls .ods) → one typed Parquet per non-empty sheet, each with its own profile.

Reading goes through fastexcel (calamine, in Rust: ~9× faster than openpyxl's read-only mode). Before it sees the
file, :mod:`jobs.tables.xlsx_guard` refuses hostile archives and collects what calamine does not report (merged
ranges, formulas without cached values). calamine already applies the workbook's 1900/1904 date system.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.outputs import OutputSet, safe_name
from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback
from jobs.tables.infer import ARROW_TYPES, NumberFormat, chunk_kind, convert
from jobs.tables.names import unique_names
from jobs.tables.report import Summary, write_data, write_side_outputs
from jobs.tables.sniff import describe, detect_header, magic_kind, zip_kind
from jobs.tables.xlsx_guard import SheetXml, WorkbookXml, check_cfb, check_zip

log = logging.getLogger(__name__)

HEAD_ROWS = 30  # rows looked at to find the header below title rows
BATCH_ROWS = 64 * 1024
_FLOAT_EXACT = 2**53
_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _kind(source: Path) -> str:
    with open(source, "rb") as fh:
        head = fh.read(16)
    kind = magic_kind(head)
    if kind == "zip":
        return zip_kind(source)
    if kind == "cfb":
        return check_cfb(source)
    if kind is None:
        return "text"
    return kind


def _stem(source: Path) -> str:
    return source.stem if source.suffix.lower() in _SUFFIXES else source.name


def _open(source: Path) -> tuple[Any, WorkbookXml]:
    kind = _kind(source)
    if kind in ("xlsx", "ods"):
        info = check_zip(source, kind)
    elif kind == "xls":
        info = WorkbookXml()
    elif kind == "zip":
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
    if _kind(source) == "text":
        from jobs.processors import csv

        return csv.preview(source, rows)
    reader, _ = _open(source)
    table, _, _ = _load(reader, 0, rows)
    return table if table is not None else pa.table({})


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    started = time.monotonic()
    source = Path(source)
    if _kind(source) == "text":
        # Named like a workbook, holds delimited text: read it as what it is, and say so.
        from jobs.processors import csv

        result = csv.process(source, options, progress)
        result.warnings.insert(0, f"the file is named {source.suffix} but holds delimited text; read as CSV")
        return result
    reader, info = _open(source)
    names = list(reader.sheet_names)
    selected = _selected(names, options.get("sheet"))
    declared = [info.sheets.get(n) for n in selected]
    total = sum(_declared_rows(d) for d in declared) or 1
    warnings: list[str] = []
    written: list[dict[str, Any]] = []
    done = 0
    with OutputSet(options.out_dir, _stem(source), owner=options.get("owner")) as outs:
        for name in selected:
            progress(done, max(total, done))
            table, skipped, renamed = _load(reader, names.index(name), None)
            if table is None or table.num_rows == 0:
                warnings.append(f"sheet '{name}' is empty; no file was written for it")
                continue
            sheet_warnings = [f"sheet '{name}': {w}" for w in renamed] + _sheet_notes(
                name, skipped, info.sheets.get(name)
            )
            warnings.extend(sheet_warnings)
            suffix = f"__{safe_name(name, 'sheet')}"
            data_path = outs.path(f"{suffix}.parquet")
            base = done

            def batches(table: pa.Table = table, base: int = base) -> Iterator[pa.RecordBatch]:
                for batch in table.to_batches(max_chunksize=BATCH_ROWS):
                    yield batch
                    nonlocal done
                    done += batch.num_rows
                    progress(done, max(total, done))

            first = table.slice(0, BATCH_ROWS).to_batches()[0]
            outcome = write_data(batches(), table.schema, data_path, first)
            summary = Summary(
                source=source.name,
                input_bytes=source.stat().st_size,
                started=started,
                sheet=name,
                header=True,
                sheets=names,
                warnings=sheet_warnings,
            )
            write_side_outputs(outs, suffix, outcome, summary, None)
            written.append(
                {"sheet": name, "rows": outcome.rows, "columns": table.num_columns, "column_names": table.column_names}
            )
        if not written:
            raise ProcessingError("the workbook holds no data: every selected sheet is empty")
        progress(max(total, done), max(total, done))
        committed = outs.commit()
    metrics: dict[str, Any] = {
        "rows": sum(w["rows"] for w in written),
        "columns": written[0]["columns"],
        "column_names": written[0]["column_names"],
        "sheets": [w["sheet"] for w in written],
        "sheet_details": written,
        "encoding": None,
        "delimiter": None,
        "header": True,
        "decimal": None,
        "date1904": info.date1904,
        "rejected_rows": 0,
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


def _load(reader: Any, idx: int, n_rows: int | None) -> tuple[pa.Table | None, list[str], list[str]]:
    """One sheet as a typed table; also the title rows skipped above the header and name warnings."""
    try:
        head = reader.load_sheet(idx, header_row=None, n_rows=HEAD_ROWS, dtypes="string").to_arrow()
    except Exception as exc:
        raise ProcessingError(_reader_message(exc)) from None
    if head.num_rows == 0 or head.num_columns == 0:
        return None, [], []
    grid = [["" if v is None else str(v) for v in row.values()] for row in head.to_pylist()]
    start, header = _find_header(grid)
    skipped = [" ".join(v for v in row if v) for row in grid[:start] if any(row)]
    width = head.num_columns
    if header:
        names, renamed = unique_names(grid[start])
    else:
        names, renamed = [f"column_{i + 1}" for i in range(width)], []
    try:
        sheet = reader.load_sheet(
            idx,
            header_row=None,
            skip_rows=start + int(header),
            column_names=names,
            schema_sample_rows=None,  # types from every row, not the first 1,000
            dtype_coercion="coerce",
            n_rows=n_rows,
        )
        batch = sheet.to_arrow()
    except Exception as exc:
        raise ProcessingError(_reader_message(exc)) from None
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    columns = [_tidy(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    fields = [pa.field(n, c.type, nullable=True) for n, c in zip(names, columns, strict=True)]
    return pa.Table.from_arrays(columns, schema=pa.schema(fields)), skipped, renamed


def _find_header(grid: list[list[str]]) -> tuple[int, bool]:
    """(first row of the table, whether it is a header): title rows have fewer filled cells than the table."""
    widths = [sum(1 for v in row if v.strip()) for row in grid]
    widest = max(widths) if widths else 0
    start = next((i for i, w in enumerate(widths) if w >= max(1, (widest + 1) // 2)), 0)
    records = [row for row in grid[start:] if any(v.strip() for v in row)]
    return start, detect_header(records, NumberFormat()) if len(records) > 1 else True


def _tidy(arr: pa.Array) -> pa.Array:
    """calamine's cells → the narrowest honest type: whole floats → int64, midnight datetimes → date32."""
    t = arr.type
    if pa.types.is_null(t):
        return pa.nulls(len(arr), pa.string())
    if pa.types.is_floating(t):
        values = pc.drop_null(arr).to_numpy(zero_copy_only=False)
        finite = values[np.isfinite(values)]
        if len(finite) == len(values) and len(values) and np.all(finite == np.floor(finite)) and (
            np.abs(finite).max() < _FLOAT_EXACT
        ):
            return arr.cast(pa.int64())
        return arr
    if pa.types.is_timestamp(t):
        arr = arr.cast(pa.timestamp("us"))
        micros = pc.drop_null(arr).cast(pa.int64()).to_numpy(zero_copy_only=False)
        if len(micros) and np.all(micros % 86_400_000_000 == 0):
            return arr.cast(pa.date32())
        return arr
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        arr = arr.cast(pa.string())
        # Text columns may be numbers with "N/A" or dates typed as text: the same inference as for CSV.
        kind = chunk_kind(pc.fill_null(arr, ""), NumberFormat())
        if kind not in ("string", "null"):
            return convert(pc.fill_null(arr, ""), kind, NumberFormat())
        return convert(pc.fill_null(arr, ""), "string")
    return arr


__all__ = ["ARROW_TYPES", "preview", "process"]
