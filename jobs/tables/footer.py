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
from collections.abc import Sequence
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
    # The last lines are enough: the totals, the notes below them and blank lines between (parsed one by one).
    lines = [(start + first, raw.decode(encoding, errors="replace").rstrip("\r")) for first, raw in pieces[-64:]]
    totals, notes = footer_rows([_fields(text, delimiter, quote) for _, text in lines])
    if not totals:
        return None
    offset = lines[totals[0]][0]
    if start == 0 and sum(1 for line in tail[:offset - start].split(b"\n") if line.strip()) < 2:
        return None  # a header and a totals line, and no data between: leave such a file as it is
    return Footer(offset, [(tail[offset - start:lines[i][0] - start].count(b"\n"), lines[i][1])
                           for i in totals + notes], len(notes))


def footer_rows(rows: Sequence[list[str] | None]) -> tuple[list[int], list[int]]:
    """Where ``rows`` (a file's last lines, a sheet's last rows) end with totals: the indices of the totals rows
    (with the tax lines between them) and of up to MAX_NOTES one-field notes below them, each ascending; two
    empty lists when they do not. Blank rows are passed over; None (no row of its own: the end of a quoted value
    spread over lines) ends the look. One set of rules for CSV files and workbooks."""
    block: list[int] = []
    notes: list[int] = []
    for i in range(len(rows) - 1, -1, -1):
        fields = rows[i]
        if fields is None:
            break
        if not any(v.strip() for v in fields):
            continue
        if not block and is_total_row(fields):
            block.append(i)
        elif not block and len(notes) < MAX_NOTES and is_note_row(fields):
            notes.append(i)
        elif block and len(block) < MAX_LINES and (is_total_row(fields) or is_tax_row(fields)):
            block.append(i)
        else:
            break
    while block and not is_total_row(rows[block[-1]] or []):
        block.pop()  # tax lines ("MwSt 19%") count only below a total: "Zwischensumme", "MwSt", "Gesamtsumme"
    # A note is narrower than the totals above it: in a one-column table, "Total" followed by more entries is no
    # footer.
    if not block or (notes and sum(1 for v in rows[block[0]] or [] if v.strip()) < 2):
        return [], []
    return sorted(block), sorted(notes)


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
