"""Tables written as markup (an HTML table saved as ``.xls``, an Excel 2003 XML Spreadsheet) → typed Parquet.

The rows stream out of the markup (:mod:`jobs.tables.markup`) into a scratch tab-separated file beside the
outputs, which the CSV reader then reads like any delimited text: the same type inference, profile, sample and
rejects. The outputs and the summary are named after, and describe, the file the user gave. The scratch file is
never published, and a killed job's is swept with its other partial outputs.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from jobs.processors import csv as csv_reader
from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback
from jobs.tables.markup import HEAD_BYTES, MarkupStats, describe_markup, html_rows, markup_kind, spreadsheetml_rows
from jobs.tables.names import unique_names

# Converting is the first half of the progress bar, reading the converted rows the second.
CONVERT_SHARE = 0.5


def _kind(source: Path) -> str:
    with open(source, "rb") as fh:
        kind = markup_kind(fh.read(HEAD_BYTES))
    if kind is None:
        raise ProcessingError("this is neither an HTML table nor an XML Spreadsheet")
    return kind


def _rows(
    fh: BinaryIO, kind: str, options: ProcessOptions, stats: MarkupStats,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[str]]:
    if kind == "html":
        return html_rows(fh, stats, options.get("encoding"), progress)
    return spreadsheetml_rows(fh, stats, _sheet(options), progress)


def _sheet(options: ProcessOptions) -> str | None:
    """The sheet asked for: a name, or a list of one (as the window's sheet field gives it)."""
    sheet = options.get("sheet")
    if isinstance(sheet, list | tuple):
        if len(sheet) > 1:
            raise ProcessingError("an XML Spreadsheet is read one sheet at a time: pick one sheet")
        sheet = sheet[0] if sheet else None
    return None if sheet is None else str(sheet)


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    source = Path(source)
    kind = _kind(source)
    size = max(source.stat().st_size, 1)
    stats = MarkupStats()
    total = int(size / CONVERT_SHARE)
    with options.outputs(source.stem) as scratch:  # never committed: only its scratch file is used
        text = scratch.path(".tsv")
        rows = 0
        with open(source, "rb") as fh, open(text, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n")
            for row in _rows(fh, kind, options, stats, lambda done: progress(min(done, size), total)):
                writer.writerow(row)
                rows += 1
        if kind == "spreadsheetml" and _sheet(options) and stats.sheet is None:
            raise ProcessingError(f"no sheet named {_sheet(options)!r}; the sheets are {stats.sheets}")
        if rows == 0:
            raise ProcessingError(f"{describe_markup(kind)} with no rows: there is no table to read")
        converted = ProcessOptions(options.out_dir, {**options.extra, "encoding": "utf-8", "delimiter": "\t",
                                                     "quote": '"'})
        text_size = max(text.stat().st_size, 1)

        def reading(done: int, _total: int) -> None:
            progress(size + int(done / text_size * (total - size)), total)

        origin = csv_reader.Origin(source, stats.encoding, stats.sheet if kind == "spreadsheetml" else None,
                                   tuple(stats.sheets), tuple(_notes(kind, stats)))
        result = csv_reader.process(text, converted, reading, origin)
    result.metrics["markup"] = kind  # the window offers a CSV's choices for it, not a workbook's
    return result


def _notes(kind: str, stats: MarkupStats) -> list[str]:
    if stats.tables > 1:
        return [f"the page holds {stats.tables} tables; their rows were read one after another"]
    others = [name for name in stats.sheets if name != stats.sheet]
    if kind == "spreadsheetml" and others:
        return [f"sheet '{stats.sheet}' was read; the others ({', '.join(others)}) were not: pick one with the "
                "sheet option"]
    return []


def preview(source: Path, rows: int = 50) -> pa.Table:
    """The first ``rows`` rows as text, the first row naming the columns, straight from the source."""
    source = Path(source)
    kind = _kind(source)
    head: list[list[str]] = []
    with open(source, "rb") as fh:
        for row in _rows(fh, kind, ProcessOptions(source.parent), MarkupStats()):
            head.append(row)
            if len(head) > rows:
                break
    if not head:
        return pa.table({})
    # A title above the header (a table of its own, often) fills few cells: the header is the first row that
    # fills more than half as many as the fullest row, as the reading decides too.
    filled = [sum(1 for v in r if v) for r in head]
    start = next(i for i, n in enumerate(filled) if 2 * n > max(filled))
    width = max(len(r) for r in head)
    names, _ = unique_names(head[start] + [""] * (width - len(head[start])))
    body = [r + [""] * (width - len(r)) for r in head[start + 1:]]
    return pa.table({name: pa.array([r[i] for r in body], pa.string()) for i, name in enumerate(names)})
