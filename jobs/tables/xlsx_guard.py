"""Checks that run before a spreadsheet reader sees the file: hostile or broken workbooks are refused cheaply.

calamine and openpyxl trust what the archive says: a 3 MB zip bomb becomes gigabytes of XML, a ``<dimension>``
of A1:XFD1048576 makes a reader allocate 17 billion cells, and entity definitions expand without bound. One
streaming pass over the archive members (bounded reads, nothing kept) checks declared and actual sizes, refuses
DTDs and entities, and collects what the fast reader does not report: merged ranges, formulas without a cached
value, the 1904 date system.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jobs.processors.base import ProcessingError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 4 << 30  # uncompressed XML in one workbook
MAX_RATIO = 150  # uncompressed / compressed for a large member; real sheets stay well below
RATIO_MIN_BYTES = 20 << 20  # small members may compress better than that without harm
MAX_CELLS = 50_000_000  # declared by <dimension>: what calamine would allocate up front
_CHUNK = 4 << 20
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')
# A formula whose cell closes without a cached value (no <v>, or an empty one as openpyxl writes it).
_UNCACHED = re.compile(rb"(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_DANGER = (b"<!DOCTYPE", b"<!ENTITY")
# One pass finds whether a chunk holds anything of interest; plain data XML (nearly all of it) has none.
_SHEET_TAGS = re.compile(rb"<(?:f[\s>/]|mergeCell\s|dimension\s)")


@dataclass
class SheetXml:
    path: str
    dimension: str | None = None
    cells: int | None = None  # declared by <dimension>
    merged: list[str] = field(default_factory=list)
    uncached_formulas: int = 0


@dataclass
class WorkbookXml:
    date1904: bool = False
    sheets: dict[str, SheetXml] = field(default_factory=dict)  # sheet name → what its XML showed


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_zip(path: Path, kind: str) -> WorkbookXml:
    """Refuse a zip bomb, a truncated archive, DTDs/entities or a huge declared range; return what was seen."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ProcessingError("the workbook is truncated or damaged (not a readable ZIP archive)") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ProcessingError(f"the workbook has {len(infos)} parts: too many to be a real spreadsheet")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_BYTES:
            raise ProcessingError(
                f"the workbook would expand to {declared / 2**30:.1f} GiB of XML (a zip bomb?); refused"
            )
        for info in infos:
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ProcessingError(
                    f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)}× "
                    "(a zip bomb?); refused"
                )
        seen = WorkbookXml()
        by_path: dict[str, SheetXml] = {}
        total = 0
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            sheet = SheetXml(info.filename) if _is_sheet(info.filename) else None
            total = _scan_member(zf, info, sheet, seen, total)
            if sheet is not None:
                by_path[info.filename] = sheet
        if kind == "xlsx":
            seen.sheets = _names_for(zf, by_path)
    return seen


def _is_sheet(name: str) -> bool:
    return (name.startswith("xl/worksheets/") and name.endswith(".xml")) or name == "content.xml"


def _scan_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: SheetXml | None, seen: WorkbookXml, total: int
) -> int:
    """Stream one member with bounded reads: real size, DTDs, and the sheet facts the reader does not give."""
    tail = b""
    size = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if size > max(info.file_size, 1) * 1.01 + _CHUNK or total > MAX_TOTAL_BYTES:
                    raise ProcessingError(
                        f"part {info.filename} holds more data than the archive declares (a zip bomb?); refused"
                    )
                if size == len(chunk):
                    # A DTD (and so any entity) can only stand in the prolog, before the root element.
                    if any(d in chunk[:65536] for d in _DANGER):
                        raise ProcessingError(
                            f"part {info.filename} defines XML entities or a DTD, which a spreadsheet never "
                            "needs; refused (entity expansion attack?)"
                        )
                    if info.filename == "xl/workbook.xml" and re.search(rb'date1904="(1|true)"', chunk):
                        seen.date1904 = True
                if sheet is not None:
                    window = tail + chunk  # a tag cut by the chunk boundary is seen whole
                    if _SHEET_TAGS.search(window):
                        _scan_sheet_chunk(window, len(tail), sheet)
                    tail = chunk[-256:]
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ProcessingError(f"the workbook is truncated or damaged ({exc})") from None
    return total


def _scan_sheet_chunk(window: bytes, overlap: int, sheet: SheetXml) -> None:
    if sheet.dimension is None and b"<dimension" in window and (m := _DIMENSION.search(window)):
        c1, r1, c2, r2 = m.groups()
        c2, r2 = c2 or c1, r2 or r1
        sheet.dimension = m.group(0).split(b'"')[1].decode()
        rows = int(r2) - int(r1) + 1
        cols = _col_number(c2) - _col_number(c1) + 1
        sheet.cells = rows * cols
        if sheet.cells > MAX_CELLS:
            raise ProcessingError(
                f"sheet part {sheet.path} declares the range {sheet.dimension} ({sheet.cells:,} cells); "
                f"more than {MAX_CELLS:,} cells is refused (the <dimension> may lie)"
            )
    # Plain substring tests first: the expressions only run on windows that can match.
    if b"<mergeCell " in window:
        for m in _MERGE.finditer(window):
            if m.end() > overlap:  # not already counted in the previous window
                sheet.merged.append(m.group(1).decode())
    if b"<f" in window:
        sheet.uncached_formulas += sum(1 for m in _UNCACHED.finditer(window) if m.end() > overlap)


def _names_for(zf: zipfile.ZipFile, by_path: dict[str, SheetXml]) -> dict[str, SheetXml]:
    """Sheet names from xl/workbook.xml and its relationships (defusedxml: no entities, no network)."""
    from defusedxml import ElementTree

    try:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = target
    out = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet"):
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            path = targets.get(rid)
            if path in by_path:
                out[el.get("name", "")] = by_path[path]
    return out


def check_cfb(path: Path) -> str:
    """'xls' for a legacy workbook; refuses an encrypted (password-protected) one."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s).lower() for s in ole.listdir()}
    except OSError as exc:
        raise ProcessingError(f"the workbook is truncated or damaged ({exc})") from None
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise ProcessingError("the workbook is password-protected; remove the password in Excel and try again")
    if "workbook" in streams or "book" in streams:
        return "xls"
    raise ProcessingError("this Office file holds no workbook (a Word or PowerPoint file?)")
