"""Totals lines below a table: "Total;;;1.234,56", "Summe:;;;12", as bank, ERP and accounting exports end.

Such a line is no row of data. Read as one, it turns the first column into text ("Total" among order numbers)
and adds the table's sum to every sum an analyst takes. It is found by reading the end of the file: the last
non-blank lines (up to :data:`MAX_LINES`) whose first filled field is a word for "total", with nothing before
it. The reading then stops before them, and they go to the rejects file with their reason, so nothing is
dropped without a word. Only for files read byte for byte from disk (not compressed, an encoding that keeps
ASCII as it is): the end of the data must be a byte offset.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

MAX_LINES = 3
TAIL_BYTES = 64 << 10
# "Total", "Grand total", "Summe", "Somme", "Totale", "Suma", "Totaal", "Totalt", "Razem", "Yhteensä"…, with an
# optional colon: the words exports end their tables with, in the languages Parqueue is used in.
_TOTAL = re.compile(
    r"(?:grand |sub)?totals?|sum|summe|gesamt(?:summe|betrag)?|endsumme|insgesamt|somme|total g[ée]n[ée]ral|"
    r"totale|suma|suma total|summa|totaal|totalt|razem|celkem|yhteens[äa]|σύνολο|итого",
    re.IGNORECASE,
)
_ASCII_SAFE = ("utf-8", "utf8", "utf-8-sig", "ascii", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257",
               "latin-1", "latin_1", "iso8859-1", "iso8859-2", "iso8859-15", "mac-roman")


REASON = "a totals line below the table, not a row of data"


def set_aside(count: int, first: str, rejects_file: str) -> str:
    """The warning for ``count`` totals lines (the first as written) kept in ``rejects_file``."""
    return (f"{count} totals line(s) at the end ({first!r}) are not rows of data: they are kept in {rejects_file}, "
            "not in the table (Totals: \"read as rows\", or --keep-totals, keeps them)")


@dataclass(frozen=True)
class Footer:
    start: int  # byte offset where the totals lines begin: the data ends here
    lines: list[tuple[int, str]]  # (lines between ``start`` and it, the line as written), in file order


def is_total(field: str) -> bool:
    return _TOTAL.fullmatch(field.strip().rstrip(":").strip()) is not None


def find_footer(path: Path, encoding: str, delimiter: str, quote: str) -> Footer | None:
    """The totals lines at the end of ``path``, or None when it does not end with any."""
    if encoding.lower().replace("_", "-") not in {e.replace("_", "-") for e in _ASCII_SAFE}:
        return None
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        start = max(0, size - TAIL_BYTES)
        fh.seek(start)
        tail = fh.read()
    pieces, at = [], 0
    for piece in tail.split(b"\n"):
        pieces.append((at, piece))
        at += len(piece) + 1
    if start:
        pieces = pieces[1:]  # the first may be cut by the tail's start
    found: list[tuple[int, str]] = []
    for first, raw in reversed(pieces):
        text = raw.decode(encoding, errors="replace").rstrip("\r")
        if not text.strip(delimiter + " \t"):
            continue  # blank lines (and lines of bare delimiters) between the table and its totals
        if len(found) == MAX_LINES or not _is_total_line(text, delimiter, quote):
            break
        found.append((start + first, text))
    if not found:
        return None
    offset = found[-1][0]
    if start == 0 and sum(1 for line in tail[:offset].split(b"\n") if line.strip()) < 2:
        return None  # a header and a totals line, and no data between: leave such a file as it is
    return Footer(offset, [(tail[offset - start:at - start].count(b"\n"), text) for at, text in reversed(found)])


def _is_total_line(text: str, delimiter: str, quote: str) -> bool:
    if quote and text.count(quote) % 2:
        return False  # the end of a quoted value spread over lines, not a line of its own
    try:
        fields = next(csv.reader([text], delimiter=delimiter, quotechar=quote or '"'))
    except (csv.Error, StopIteration):
        return False
    return is_total_row(fields)


def is_total_row(fields: list[str]) -> bool:
    """Whether a row's first filled field is a word for "total" (CSV lines and spreadsheet rows alike)."""
    filled = [i for i, value in enumerate(fields) if value.strip()]
    # The word may stand in a label column further right ("; ;Total;1.234,56"), but with nothing before it,
    # and something after it (the totals) unless the line is that one word.
    return bool(filled) and (filled[0] < len(fields) - 1 or len(fields) == 1) and is_total(fields[filled[0]])
