"""Tables, read by what their bytes hold, whatever the name says: delimited text (:mod:`jobs.processors.csv`),
a workbook (:mod:`jobs.processors.excel`), or the markup "Export to Excel" buttons write: an HTML table or an
XML Spreadsheet (:mod:`jobs.processors.markup`).

Both table entries of the registry load this module. A ``.csv`` that is really a saved workbook, or an ``.xlsx``
that is really CSV text (exports often are), goes to the reader that can read it, with a warning saying so; the
two readers never hand files to each other. Each reader is imported only when a file needs it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pyarrow as pa

from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback
from jobs.tables.markup import HEAD_BYTES, describe_markup, markup_kind
from jobs.tables.sniff import file_kind

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _content(source: Path) -> str:
    """'workbook', 'html' or 'spreadsheetml' (markup "Excel" exports), 'text' (no known signature: delimited
    text, maybe) or 'other' (compressed, PDF, PNG…)."""
    compression, other = file_kind(source)
    if compression is None and other is None:
        with open(source, "rb") as fh:
            return markup_kind(fh.read(HEAD_BYTES)) or "text"
    return "workbook" if other in ("xlsx", "ods", "cfb") else "other"


def _reader(source: Path) -> tuple[ModuleType, str | None]:
    """The reader for ``source`` and, when its name says otherwise, the warning that says what was done."""
    suffix = source.suffix.lower()
    named_workbook = suffix in WORKBOOK_SUFFIXES
    content = _content(source)
    if named_workbook and content != "workbook" and source.name.startswith("~$"):
        # Excel's owner file ("~$budget.xlsx": the user's name in ~165 bytes), there while budget.xlsx is open.
        raise ProcessingError(
            f"{source.name} is a lock file Excel keeps while {source.name[2:]} is open, not a workbook"
        )
    if suffix == ".xml":
        # Excel's own name for an XML Spreadsheet; any other XML (the registry claims only these) is no table.
        if content != "spreadsheetml":
            raise ProcessingError("this XML file is not an Excel XML Spreadsheet, so it holds no table to read")
        return _load("markup"), None
    if content in ("html", "spreadsheetml"):
        # "Export to Excel" buttons write these with a workbook's name; Excel opens them, so people send them.
        return _load("markup"), f"the file is named {source.suffix} but holds {describe_markup(content)}; read as such"
    if suffix == ".txt" and content == "text":
        # The registry sent it here: tab-separated lines (Excel's "Text (Tab delimited)" or "Unicode Text").
        return _load("csv"), "the file is named .txt but holds a tab-separated table; read as a table"
    if named_workbook and content == "text":
        return _load("csv"), f"the file is named {source.suffix} but holds delimited text; read as CSV"
    if not named_workbook and content == "workbook":
        return _load("excel"), f"the file is named {source.suffix} but holds a spreadsheet; read as a workbook"
    # Anything else goes to the reader its name picks, which reads it or says what it is instead.
    return _load("excel" if named_workbook else "csv"), None


def _load(reader: str) -> ModuleType:
    # Only the reader a file needs: a CSV job does not import (or compile) the workbook guards, nor an Excel
    # job the CSV machinery.
    return importlib.import_module(f"jobs.processors.{reader}")


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    source = Path(source)
    reader, warning = _reader(source)
    result: ProcessResult = reader.process(source, options, progress)
    if warning:
        result.warnings.insert(0, warning)
    return result


def preview(source: Path, rows: int = 50) -> pa.Table:
    source = Path(source)
    reader, _ = _reader(source)
    table: pa.Table = reader.preview(source, rows)
    return table
