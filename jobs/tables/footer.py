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

MAX_LINES = 5  # totals, and the tax lines between them ("Zwischensumme", "MwSt 19%", "Gesamtsumme")
MAX_NOTES = 3  # lines of one field below the totals: "Erstellt am 02.03.2024", QuickBooks' "Cash Basis …"
TAIL_BYTES = 64 << 10
# "Total", "Grand total", "Summe", "Somme", "Totale", "Suma", "Totaal", "Totalt", "Razem", "Yhteensä"…, with an
# optional colon: the words exports end their tables with, in the languages Parqueue is used in. What they are
# the total of may follow ("Total for Office Expenses", "Total HT", "Summe Soll", "Total EUR"), but not any
# word: "Total Care" is a product.
_TOTAL = re.compile(
    r"(?:(?:grand |sub|net |gross )?totals?|sum|summe|zwischensumme|teilsumme|gesamt(?:summe|betrag)?|endsumme|"
    r"insgesamt|somme|sous-total|total g[ée]n[ée]ral|totale|subtotale|suma|suma total|summa|totaal|subtotaal|"
    r"totalt|razem|celkem|yhteens[äa]|σύνολο|итого)"
    r"(?: (?:(?:for|of|für|der|des|de|du|del|van) .+|ht|ttc|net|netto|gross|brutto|soll|haben|"
    r"(?:incl|excl|inkl|exkl|zzgl)\.? .+|(?-i:EUR|USD|GBP|CHF|PLN|CZK|HUF|SEK|NOK|DKK|JPY|CAD|AUD)|€|\$|£))?",
    re.IGNORECASE,
)
# Tax lines that sit between a subtotal and the total: "MwSt 19%", "VAT (20%)", "TVA 20 %", "IVA".
_TAX = re.compile(r"(?:mwst|ust|vat|tax|sales tax|tva|iva|btw|moms|mva|alv)\.?(?: ?\(?[0-9]+(?:[.,][0-9]+)? ?%\)?)?:?",
                  re.IGNORECASE)
_ASCII_SAFE = ("utf-8", "utf8", "utf-8-sig", "ascii", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257",
               "latin-1", "latin_1", "iso8859-1", "iso8859-2", "iso8859-15", "mac-roman", "cp437", "cp850", "cp852",
               "cp866", "koi8-r", "koi8-u")


REASON = "a totals line below the table, not a row of data"
NOTE_REASON = "a note below the table's totals, not a row of data"


def set_aside(count: int, first: str, rejects_file: str, notes: int = 0) -> str:
    """The warning for ``count`` totals lines (the first as written), ``notes`` of them notes below the totals,
    kept in ``rejects_file``."""
    what = f"{count - notes} totals line(s)" + (f" and {notes} note(s) below them" if notes else "")
    return (f"{what} at the end ({first!r}) are not rows of data: they are kept in {rejects_file}, "
            "not in the table (Totals: \"read as rows\", or --keep-totals, keeps them)")


@dataclass(frozen=True)
class Footer:
    start: int  # byte offset where the totals lines begin: the data ends here
    lines: list[tuple[int, str]]  # (lines between ``start`` and it, the line as written), in file order
    notes: int = 0  # how many of the last ``lines`` are notes below the totals, not totals

    def reason(self, index: int) -> str:
        return NOTE_REASON if index >= len(self.lines) - self.notes else REASON


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
    notes = totals = 0
    for first, raw in reversed(pieces):
        text = raw.decode(encoding, errors="replace").rstrip("\r")
        if not text.strip(delimiter + " \t"):
            continue  # blank lines (and lines of bare delimiters) between the table and its totals
        fields = _fields(text, delimiter, quote)
        if fields is None:
            break
        if not found or notes == len(found):  # below any totals: a note, or the first totals line
            if is_total_row(fields):
                totals += 1
            elif notes < MAX_NOTES and is_note_row(fields):
                notes += 1
            else:
                break
        elif len(found) - notes < MAX_LINES and (is_total_row(fields) or is_tax_row(fields)):
            totals += is_total_row(fields)
        else:
            break
        found.append((start + first, text))
    # Tax lines count only between totals; notes only below them, and only when shorter than the totals (in a
    # one-column file every line is one field: "Total" followed by more entries is no footer).
    while found and len(found) > notes and not is_total_row(_fields(found[-1][1], delimiter, quote) or []):
        found.pop()
    if not totals or len(found) == notes:
        return None
    widest_note = max((len(_fields(text, delimiter, quote) or []) for _, text in found[:notes]), default=0)
    if notes and widest_note >= len(_fields(found[notes][1], delimiter, quote) or []):
        return None
    offset = found[-1][0]
    if start == 0 and sum(1 for line in tail[:offset].split(b"\n") if line.strip()) < 2:
        return None  # a header and a totals line, and no data between: leave such a file as it is
    return Footer(offset, [(tail[offset - start:at - start].count(b"\n"), text) for at, text in reversed(found)],
                  notes)


def _fields(text: str, delimiter: str, quote: str) -> list[str] | None:
    """The fields of one line; None for the end of a quoted value spread over lines (not a line of its own)."""
    if quote and text.count(quote) % 2:
        return None
    try:
        return next(csv.reader([text], delimiter=delimiter, quotechar=quote or '"'))
    except (csv.Error, StopIteration):
        return None


def is_tax_row(fields: list[str]) -> bool:
    """A tax line between totals ("MwSt 19%;;28,60"): a tax word first, an amount after it."""
    filled = [i for i, value in enumerate(fields) if value.strip()]
    return len(filled) >= 2 and _TAX.fullmatch(fields[filled[0]].strip()) is not None


def is_note_row(fields: list[str]) -> bool:
    """A note below a table's totals: one filled field of words ("Erstellt am 02.03.2024 von Buchhaltung")."""
    filled = [value.strip() for value in fields if value.strip()]
    return len(filled) == 1 and sum(ch.isalpha() for ch in filled[0]) >= 3 and not is_total_row(fields)


def is_total_row(fields: list[str]) -> bool:
    """Whether a row's first filled field is a word for "total" (CSV lines and spreadsheet rows alike)."""
    filled = [i for i, value in enumerate(fields) if value.strip()]
    # The word may stand in a label column further right ("; ;Total;1.234,56"), but with nothing before it,
    # and something after it (the totals) unless the line is that one word.
    return bool(filled) and (filled[0] < len(fields) - 1 or len(fields) == 1) and is_total(fields[filled[0]])
