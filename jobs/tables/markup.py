"""Tables written as markup by "Export to Excel" buttons: an HTML table saved as ``.xls`` (web apps, banks, ERPs)
and the Excel 2003 XML workbook ("XML Spreadsheet", SpreadsheetML).

Excel opens both, so people receive them as workbooks. Their rows are streamed out as lists of cell texts, a
chunk of the file at a time (memory stays bounded whatever the size); the CSV reader then types them by the
same rules as any delimited text (:mod:`jobs.processors.markup`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO

from jobs.processors.base import ProcessingError
from jobs.text.encoding import detect_encoding

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from lxml.etree import _Element as HtmlElement

CHUNK_BYTES = 1 << 20
HEAD_BYTES = 4096
# Excel's widest sheet. Spans and indexes are the file's word: a hostile one could otherwise ask for millions
# of empty cells per row.
MAX_COLUMNS = 16_384
_HTML_START = (b"<!doctype html", b"<html", b"<table", b"<head", b"<meta", b"<body", b"<!--")
_SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def markup_kind(head: bytes) -> str | None:
    """'html' or 'spreadsheetml' when the first bytes of a text file say so, else None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") and _SPREADSHEET_NS.encode() in text:
        return "spreadsheetml"
    if text.startswith((b"<!doctype html", b"<html")) or (text.startswith(_HTML_START) and b"<table" in text):
        return "html"
    return None


def _unique(name: str, taken: list[str]) -> str:
    """Excel refuses two sheets of one name, but a generated XML file may hold them: each keeps its own rows."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def is_spreadsheetml(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an Excel 2003 XML Spreadsheet (the registry's check for .xml)."""
    return markup_kind(head) == "spreadsheetml"


def describe_markup(kind: str) -> str:
    return {"html": "an HTML table (a web page saved for Excel)",
            "spreadsheetml": "an Excel 2003 XML workbook (XML Spreadsheet)"}[kind]


@dataclass
class MarkupStats:
    """What the reading found, for the summary and warnings."""

    encoding: str = "utf-8"
    tables: int = 0  # HTML: tables that held rows
    sheets: list[str] = field(default_factory=list)  # SpreadsheetML: every worksheet's name, in order


def html_rows(
    fh: BinaryIO, stats: MarkupStats, encoding: str | None = None, progress: Callable[[int], None] | None = None
) -> Iterator[list[str]]:
    """The rows of every table of an HTML file, in order, as cell texts (``colspan`` and ``rowspan`` keep the
    columns in place with empty cells; ``<br>`` is a line break; runs of spaces are one).

    Parsed by libxml2's HTML parser (lxml), which closes the tags HTML lets writers leave open, as browsers do.
    """
    from lxml import etree

    head = fh.read(HEAD_BYTES)
    declared = encoding
    if declared is None and (meta := _CHARSET.search(head)) is not None:
        declared = meta.group(1).decode("ascii")
    try:
        found = detect_encoding(head, declared)
    except ProcessingError:
        if encoding is not None:
            raise
        found = detect_encoding(head)  # a <meta charset> that names no codec: detected instead
    stats.encoding = found.encoding
    # Decoded here and fed as text: the encoding is the one detected (or chosen), whatever libxml2 would guess.
    decoder = codecs.getincrementaldecoder(found.encoding)("replace")
    parser = etree.HTMLPullParser(events=("end",), tag=("tr", "table"))
    rows = _Rows(etree)
    chunk, done = head[found.bom_length:], len(head)
    while True:
        text = decoder.decode(chunk, final=not chunk)
        if text:
            parser.feed(text)
        if not chunk:
            parser.close()
        for _event, elem in parser.read_events():
            if elem.tag == "tr":
                row = rows.row(elem)
                if row:
                    yield row
            else:
                rows.end_table()
            _drop(elem)
        if progress is not None:
            progress(done)
        if not chunk:
            break
        chunk = fh.read(CHUNK_BYTES)
        done += len(chunk)
    stats.tables = rows.tables


class _Rows:
    """Rows out of the parser's ``<tr>`` elements, read when each ends (its cells are complete by then)."""

    def __init__(self, etree: ModuleType) -> None:
        self._etree = etree
        self._down: dict[int, int] = {}  # column → rows a rowspan above still covers
        self._table_rows = 0
        self.tables = 0

    def row(self, tr: HtmlElement) -> list[str]:
        out: list[str] = []
        down = self._down
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while down and down.get(len(out), 0) > 0:
                down[len(out)] -= 1
                out.append("")
            out.append(self._text(cell))
            _check_width(out)
            if cell.attrib:
                span = _count(cell.get("colspan"))
                out.extend([""] * (span - 1))
                rows = _count(cell.get("rowspan"))
                if rows > 1:
                    for col in range(len(out) - span, len(out)):
                        down[col] = rows - 1
        while down and down.get(len(out), 0) > 0:
            down[len(out)] -= 1
            out.append("")
        _check_width(out)
        if out:
            self.tables += self._table_rows == 0
            self._table_rows += 1
        return out

    def end_table(self) -> None:
        self._table_rows = 0
        self._down.clear()

    def _text(self, cell: HtmlElement) -> str:
        """The cell's text: ``<br>`` a line break, each line's runs of spaces one space."""
        if len(cell) == 0:
            text = cell.text or ""
            # Most cells are one clean run of text: worth a check that costs a fraction of the general path.
            if not text or (text.isprintable() and text[0] != " " and text[-1] != " " and "  " not in text
                            and "\xa0" not in text):
                return text
        else:
            for br in cell.iter("br"):
                br.tail = "\n" + (br.tail or "")
            text = self._etree.tostring(cell, method="text", encoding=str, with_tail=False)
        return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip("\n")


def _drop(elem: HtmlElement) -> None:
    """Forget an element that was read, and what came before it (the usual lxml iterparse idiom)."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    while parent is not None and elem.getprevious() is not None:
        del parent[0]


def _check_width(row: list[str]) -> None:
    if len(row) > MAX_COLUMNS:
        raise ProcessingError(f"a row spans more than {MAX_COLUMNS:,} columns (its spans or indexes say so): "
                              "this is no table a spreadsheet could hold")


def _count(value: str | None) -> int:
    """A colspan/rowspan attribute: 1 unless a sane positive number (browsers cap them too)."""
    try:
        n = int(value or 1)
    except ValueError:
        return 1
    return min(max(n, 1), 1000)


def spreadsheetml_rows(
    fh: BinaryIO, stats: MarkupStats, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """(worksheet name, cell texts) of every row of an XML Spreadsheet, sheet after sheet; ``stats.sheets``
    lists every worksheet once the file is read. Cells keep their column (``ss:Index``, ``ss:MergeAcross``);
    midnight date-times are dates and booleans true/false, as the Excel reader gives them. No DTD, no
    entities: defusedxml refuses them."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    ns = "{" + _SPREADSHEET_NS + "}"
    name = ""
    table: Element | None = None
    try:
        for event, elem in iterparse(_Counting(fh, progress), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if elem.tag == ns + "Worksheet":
                    name = _unique(elem.get(ns + "Name") or f"Sheet{len(stats.sheets) + 1}", stats.sheets)
                    stats.sheets.append(name)
                elif elem.tag == ns + "Table":
                    table = elem
                continue
            if elem.tag == ns + "Row":
                yield name, _xml_row(elem, ns)
                if table is not None:
                    table.remove(elem)  # the first child by now: memory stays flat over a million rows
            elif elem.tag == ns + "Worksheet":
                table = None
                elem.clear()
    except (DefusedXmlException, ParseError) as exc:
        raise ProcessingError(f"the XML Spreadsheet cannot be read: {exc}") from None


class _Counting:
    """A file object that reports how many bytes were read (a progress call, and a cancel check)."""

    def __init__(self, fh: BinaryIO, progress: Callable[[int], None] | None) -> None:
        self._fh, self._progress, self._done = fh, progress, 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._done += len(data)
        if self._progress is not None:
            self._progress(self._done)
        return data


def _xml_row(row: Element, ns: str) -> list[str]:
    out: list[str] = []
    for cell in row:
        if cell.tag != ns + "Cell":
            continue
        index = cell.get(ns + "Index") or ""
        if index.isdigit():
            out.extend([""] * min(max(0, int(index) - 1 - len(out)), MAX_COLUMNS))
        data = cell.find(ns + "Data")
        text = "" if data is None else "".join(data.itertext())
        kind = "" if data is None else data.get(ns + "Type")
        if kind == "DateTime" and text.endswith("T00:00:00.000"):
            text = text[:10]
        elif kind == "Boolean":
            text = {"1": "true", "0": "false"}.get(text, text)
        out.append(text)
        across = cell.get(ns + "MergeAcross") or ""
        if across.isdigit():
            out.extend([""] * min(int(across), MAX_COLUMNS))
        _check_width(out)
    return out
