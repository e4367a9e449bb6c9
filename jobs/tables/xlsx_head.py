"""The first rows of an xlsx sheet, read without parsing the rest of the workbook (for the preview).

calamine (fastexcel) parses a whole sheet even when asked for ten rows (~1 s per 200k rows), and openpyxl's
read-only mode reads the whole shared-strings table before the first row (15 s on a 200k-row sheet with unique
strings, measured here). This reader streams the sheet XML and stops after ``rows`` rows, reads the shared strings
only up to the highest index those rows use, and renders cells as fastexcel's string mode does (whole numbers
without ".0", dates as "YYYY-MM-DD HH:MM:SS" in the workbook's 1900/1904 system), so the preview's types come out
as the job's. It runs after :func:`jobs.tables.xlsx_guard.check_zip`; defusedxml refuses entities regardless.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Built-in number formats that show dates or times (ECMA-376 18.8.30).
_DATE_FORMAT_IDS = set(range(14, 23)) | set(range(45, 48))
_NOT_CODES = re.compile(r'\[[^\]]*\]|"[^"]*"|\\.')  # colours/conditions, quoted text, escaped characters
_CELL_REF = re.compile(r"([A-Z]+)")


def head_rows(path: Path, sheet_path: str, rows: int, date1904: bool) -> list[list[str | None]]:
    """Up to ``rows`` rows from the first used row, as text cells (None: empty), padded to one width."""
    with zipfile.ZipFile(path) as zf:
        dates = _date_styles(zf)
        raw = _sheet_head(zf, sheet_path, rows)
        needed = max((int(v) for row in raw for (t, _, v) in row.values() if t == "s" and v), default=-1)
        strings = _shared_strings(zf, needed) if needed >= 0 else []
    width = max((max(row) + 1 for row in raw if row), default=0)
    out = []
    for row in raw:
        cells: list[str | None] = [None] * width
        for col, (t, style, v) in row.items():
            cells[col] = _render(t, style, v, strings, dates, date1904)
        out.append(cells)
    used = [c for c in range(width) if any(r[c] is not None for r in out)]
    first = used[0] if used else width  # calamine's range starts at the first used column too
    return [r[first:] for r in out]


def _sheet_head(zf: zipfile.ZipFile, sheet_path: str, rows: int) -> list[dict[int, tuple[str, int, str | None]]]:
    """Rows from the first one with a value: column → (type, style, raw text); gaps become empty rows."""
    out: list[dict[int, tuple[str, int, str | None]]] = []
    first: int | None = None
    last = 0
    with zf.open(sheet_path) as fh:
        for _, el in iterparse(fh, events=("end",)):
            if el.tag != f"{_NS}row":
                continue
            number = int(el.get("r") or last + 1)
            last = number
            cells = {}
            for c in el.iter(f"{_NS}c"):
                ref = _CELL_REF.match(c.get("r") or "")
                col = _col_index(ref.group(1)) if ref else len(cells)
                t = c.get("t", "n")
                if t == "inlineStr":
                    v = "".join(x.text or "" for x in c.iter(f"{_NS}t"))
                else:
                    node = c.find(f"{_NS}v")
                    v = node.text if node is not None else None
                if v is not None:
                    cells[col] = (t, int(c.get("s") or 0), v)
            el.clear()
            if first is None:
                if not cells:
                    continue
                first = number
            if number - first >= rows:
                break
            while len(out) < number - first:
                out.append({})
            out.append(cells)
    return out


def _shared_strings(zf: zipfile.ZipFile, needed: int) -> list[str]:
    """Shared strings 0..needed (the table is read only that far)."""
    out: list[str] = []
    try:
        fh = zf.open("xl/sharedStrings.xml")
    except KeyError:
        return out
    with fh:
        for _, el in iterparse(fh, events=("end",)):
            if el.tag != f"{_NS}si":
                continue
            phonetic = {id(t) for r in el.iter(f"{_NS}rPh") for t in r.iter(f"{_NS}t")}
            out.append("".join(t.text or "" for t in el.iter(f"{_NS}t") if id(t) not in phonetic))
            el.clear()
            if len(out) > needed:
                break
    return out


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (``s`` attributes) that show a date or time."""
    try:
        fh = zf.open("xl/styles.xml")
    except KeyError:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    with fh:
        for event, el in iterparse(fh, events=("start", "end")):
            if el.tag == f"{_NS}cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and el.tag == f"{_NS}numFmt":
                custom[int(el.get("numFmtId") or 0)] = el.get("formatCode") or ""
            elif event == "end" and el.tag == f"{_NS}xf" and in_cell_xfs:
                xfs.append(int(el.get("numFmtId") or 0))
    return {i for i, fmt in enumerate(xfs) if fmt in _DATE_FORMAT_IDS or _is_date_code(custom.get(fmt, ""))}


def _is_date_code(code: str) -> bool:
    return bool(re.search(r"[dmyhs]", _NOT_CODES.sub("", code).lower())) and "General" not in code


def _render(t: str, style: int, v: str | None, strings: list[str], dates: set[int], date1904: bool) -> str | None:
    if v is None:
        return None
    if t == "s":
        return strings[int(v)] if int(v) < len(strings) else None
    if t == "b":
        return "true" if v.strip() == "1" else "false"
    if t in ("str", "inlineStr", "e"):
        return v
    if t == "d":
        return dt.datetime.fromisoformat(v).isoformat(sep=" ")
    number = float(v)
    if style in dates:
        return _serial_date(number, date1904).isoformat(sep=" ")
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)


def _serial_date(serial: float, date1904: bool) -> dt.datetime:
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        # Excel counts a 29 February 1900 that never was: serials from 61 on are one day ahead.
        base = dt.datetime(1899, 12, 30) if serial >= 61 else dt.datetime(1899, 12, 31)
    # Rounded to the millisecond as calamine does: a serial is a binary fraction of a day.
    return base + dt.timedelta(milliseconds=round(serial * 86_400_000))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


__all__ = ["head_rows"]
