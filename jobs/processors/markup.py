"""Tables written as markup (an HTML table saved as ``.xls``, an Excel 2003 XML Spreadsheet) → typed Parquet.

The rows stream out of the markup (:mod:`jobs.tables.markup`) into scratch tab-separated files beside the
outputs (one per sheet of an XML Spreadsheet), which the CSV reader then reads like any delimited text: the same
type inference, profile, sample and rejects. Outputs and summaries are named after, and describe, the file the
user gave (``{stem}__{sheet}…`` per sheet, as for workbooks), and are published together or not at all. The
scratch files never are, and a killed job's are swept with its other partial outputs.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from jobs.outputs import OutputSet, part_suffixes
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


def _sheets(options: ProcessOptions) -> list[str] | None:
    """The sheets asked for (a name or a list, as ``--sheet`` and the window's sheet field give them)."""
    sheet = options.get("sheet")
    if sheet is None:
        return None
    names = [str(s) for s in sheet] if isinstance(sheet, list | tuple) else [str(sheet)]
    return names or None


class _Texts:
    """The scratch tab-separated files the markup's rows go to: one per sheet (one in all for HTML)."""

    def __init__(self, outs: OutputSet) -> None:
        self._outs = outs
        self.files: dict[str | None, Path] = {}  # sheet with rows → its file, in the markup's order
        self._fh: TextIO | None = None
        self._writer: Any = None

    def write(self, sheet: str | None, row: list[str]) -> None:
        if sheet not in self.files:  # sheets come one after the other: the previous one is complete
            self.close()
            self.files[sheet] = self._outs.scratch(f".{len(self.files)}.tsv")
            self._fh = open(self.files[sheet], "w", encoding="utf-8", newline="")  # noqa: SIM115 - see close()
            self._writer = csv.writer(self._fh, delimiter="\t", lineterminator="\n")
        self._writer.writerow(row)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _convert(
    source: Path, kind: str, options: ProcessOptions, stats: MarkupStats, texts: _Texts,
    progress: Callable[[int], None],
) -> None:
    wanted = _sheets(options) if kind == "spreadsheetml" else None
    try:
        with open(source, "rb") as fh:
            if kind == "html":
                for row in html_rows(fh, stats, options.get("encoding"), progress):
                    texts.write(None, row)
            else:
                for sheet, row in spreadsheetml_rows(fh, stats, progress):
                    if wanted is None or sheet in wanted:
                        texts.write(sheet, row)
    finally:
        texts.close()
    missing = [name for name in wanted or [] if name not in stats.sheets]
    if missing:
        raise ProcessingError(f"no sheet named {', '.join(map(repr, missing))}; the sheets are {stats.sheets}")
    if not texts.files:
        raise ProcessingError(f"{describe_markup(kind)} with no rows: there is no table to read")


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    source = Path(source)
    kind = _kind(source)
    size = max(source.stat().st_size, 1)
    stats = MarkupStats()
    total = int(size / CONVERT_SHARE)
    results: list[tuple[str | None, ProcessResult]] = []
    with options.outputs(source.stem) as outs:
        texts = _Texts(outs)  # scratch files in the set: removed with it, never published
        _convert(source, kind, options, stats, texts, lambda done: progress(min(done, size), total))
        converted = ProcessOptions(options.out_dir, {**options.extra, "encoding": "utf-8", "delimiter": "\t",
                                                     "quote": '"'})
        text_total = max(sum(path.stat().st_size for path in texts.files.values()), 1)
        done = 0
        named = [sheet for sheet in texts.files if sheet is not None]
        suffixes = dict(zip(named, part_suffixes(named), strict=True))
        for sheet, text in texts.files.items():
            text_size = text.stat().st_size

            def reading(part: int, _total: int, before: int = done, text_size: int = text_size) -> None:
                share = (before + min(part, text_size)) / text_total
                progress(size + int(share * (total - size)), total)

            suffix = "" if sheet is None else suffixes[sheet]
            notes = [f"the page holds {stats.tables} tables; their rows were read one after another"] \
                if stats.tables > 1 else []
            origin = csv_reader.Origin(source, stats.encoding, sheet, tuple(stats.sheets), tuple(notes), outs, suffix)
            results.append((sheet, csv_reader.process(text, converted, reading, origin)))
            done += text_size
            with contextlib.suppress(OSError):  # still open (Windows): removed with the set instead
                text.unlink()  # read: its room back before the next sheet
        committed = outs.commit()
    return _merged(kind, stats, results, committed, _sheets(options) if kind == "spreadsheetml" else None)


def _merged(
    kind: str, stats: MarkupStats, results: list[tuple[str | None, ProcessResult]], committed: list[Path],
    wanted: list[str] | None,
) -> ProcessResult:
    """One result for the job: every sheet's outputs and warnings, the first sheet's columns (as workbooks)."""
    first = results[0][1].metrics
    warnings: list[str] = []
    for sheet, result in results:
        warnings += [f"sheet '{sheet}': {w}" if sheet is not None else w for w in result.warnings]
    read = {sheet for sheet, _ in results}
    empty = [name for name in stats.sheets if name not in read and (wanted is None or name in wanted)]
    warnings += [f"sheet '{name}' is empty; no file was written for it" for name in empty]
    metrics = {
        **first,
        "rows": sum(r.metrics["rows"] for _, r in results),
        "rejected_rows": sum(r.metrics["rejected_rows"] for _, r in results),
        "totals": sum(r.metrics.get("totals", 0) for _, r in results),
        "sheets": [sheet for sheet, _ in results if sheet is not None],
        "markup": kind,  # the window offers a CSV's choices for it, not a workbook's
    }
    if kind == "spreadsheetml":
        metrics["sheet_details"] = [{"sheet": sheet, "rows": r.metrics["rows"], "columns": r.metrics["columns"],
                                     "column_names": r.metrics["column_names"]} for sheet, r in results]
    return ProcessResult(outputs=committed, warnings=warnings, metrics=metrics)


def preview(source: Path, rows: int = 50) -> pa.Table:
    """The first ``rows`` rows as text, the first row naming the columns, straight from the source."""
    source = Path(source)
    kind = _kind(source)
    head: list[list[str]] = []
    with open(source, "rb") as fh:
        found = html_rows(fh, MarkupStats()) if kind == "html" else _first_sheet(spreadsheetml_rows(fh, MarkupStats()))
        for row in found:
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


def _first_sheet(rows: Iterator[tuple[str, list[str]]]) -> Iterator[list[str]]:
    """The rows of the first sheet that has any (the preview shows one table, as for workbooks)."""
    first = None
    for sheet, row in rows:
        if first is None:
            first = sheet
        elif sheet != first:
            return
        yield row
