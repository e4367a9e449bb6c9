"""What a delimited file really is: container, compression, encoding, delimiter, quote, header, decimal mark.

Everything is decided from the first MiB of (decompressed) content, never from the name alone; the name only
breaks ties (``.tsv`` prefers tabs). Each decision can be overridden by the caller.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, pairwise
from pathlib import Path

import pyarrow as pa

from jobs.processors.base import ProcessingError
from jobs.tables.amounts import bare_text
from jobs.tables.footer import Footer, find_footer
from jobs.tables.infer import NumberFormat, chunk_kind, join
from jobs.tables.names import unique_names
from jobs.text.encoding import (
    bom_encoding,
    guess_legacy_encoding,
    looks_western,
    mostly_utf8,
    utf16_without_bom,
)

HEAD_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_RECORDS = 500

# Magic numbers of what people drop while meaning a table, and of what they drop by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "cfb"),  # .xls, or an encrypted .xlsx
    (b"PAR1", "parquet"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
COMPRESSIONS = ("gzip", "zstd", "bz2")
_DESCRIBE = {
    "xz": "an xz-compressed file (not supported: recompress it as .gz or .zst)",
    "zip": "a ZIP archive",
    "cfb": "an old-style Office file (.xls)",
    "parquet": "already a Parquet file",
    "pdf": "a PDF document",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
}


def describe(kind: str) -> str:
    return _DESCRIBE.get(kind, kind)


def magic_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def zip_kind(path: Path) -> str:
    """'xlsx', 'ods' or 'zip' for a ZIP container, from its member names."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
            if "content.xml" in names and "mimetype" in names:
                return "ods"
    except (zipfile.BadZipFile, OSError):
        return "zip"
    return "zip"


def file_kind(path: Path) -> tuple[str | None, str | None]:
    """What the file's first bytes say it is: (compression, other kind). (None, None): no signature, text maybe;
    a ZIP container is told apart by its members ('xlsx', 'ods' or 'zip')."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    kind = magic_kind(head)
    if kind in COMPRESSIONS:
        return kind, None
    if kind == "zip":
        return None, zip_kind(path)
    return None, kind


def read_head(path: Path, compression: str | None, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of the content, decompressed."""
    try:
        if compression is None:
            with open(path, "rb") as fh:
                return fh.read(size)
        if compression == "gzip":
            with gzip.open(path, "rb") as fh:
                return fh.read(size)
        if compression == "bz2":
            with bz2.open(path, "rb") as fh:
                return fh.read(size)
        with pa.CompressedInputStream(pa.OSFile(str(path)), "zstd") as stream:
            return bytes(stream.read(size))
    except (OSError, EOFError, ValueError, pa.ArrowException) as exc:
        raise ProcessingError(f"the {compression} data is damaged or truncated ({exc})") from None


# ---------------------------------------------------------------------------------------------- encoding
@dataclass(frozen=True)
class Encoding:
    name: str  # a Python codec name; "utf-8" means "no transcoding"
    bom_bytes: int = 0
    how: str = "detected"


def detect_encoding(head: bytes) -> Encoding:
    """The same detection as text files (:mod:`jobs.text.encoding`), named for the CSV reader."""
    found = bom_encoding(head)
    if found is not None:
        name, length = found
        return Encoding("utf-8-sig" if name == "utf-8" else name, length, "byte-order mark")
    utf16 = utf16_without_bom(head[:4000])
    if utf16 is not None:
        return Encoding(utf16, 0, "zero bytes")
    if _is_utf8(head):
        return Encoding("utf-8", 0, "valid UTF-8")
    if mostly_utf8(head) or _utf8_with_cp1252_strays(head):
        # A file that changed encoding part-way: reading it as UTF-8 keeps the bulk right, and the reader
        # recovers the stray values as cp1252 and says so. Read as cp1252, every UTF-8 row would be mojibake.
        return Encoding("utf-8", 0, MOSTLY_UTF8)
    guessed = guess_legacy_encoding(head[:200_000])
    if guessed is not None:
        return Encoding(guessed, 0, "charset detector")
    try:
        head.decode("cp1252")
        return Encoding("cp1252", 0, "fallback")
    except UnicodeDecodeError:
        return Encoding("latin-1", 0, "fallback")


MOSTLY_UTF8 = "mostly UTF-8"
_STRAYS = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as the surrogateescape handler keeps them


def _utf8_with_cp1252_strays(head: bytes) -> bool:
    """UTF-8 text with a few stretches of Western cp1252 (``Renée`` typed in another program, appended).

    A valid multi-byte UTF-8 sequence almost never occurs by chance in cp1252 text (it reads as ``Ã©``), so as
    many of them as stray stretches means UTF-8. Strays that are not Western letters (Shift-JIS, GBK ...) mean
    a legacy encoding that the charset detector should name.
    """
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final=False)
    strays = _STRAYS.findall(text)
    if not strays:
        return False
    stray_chars = sum(len(s) for s in strays)
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - stray_chars
    if multibyte < len(strays):
        return False
    return all(looks_western(s.encode("utf-8", "surrogateescape")) for s in strays)


def _decode_head(head: bytes, enc: Encoding) -> str:
    """The sample as text; with a mostly-UTF-8 head, the stray bytes read as cp1252, as the reader reads them."""
    data = head[enc.bom_bytes :]
    if enc.how != MOSTLY_UTF8:
        return data.decode(enc.name.replace("-sig", ""), errors="replace")
    text = data.decode("utf-8", errors="surrogateescape")
    return _STRAYS.sub(lambda m: m.group().encode("utf-8", "surrogateescape").decode("cp1252", "replace"), text)


def _recovered(values: list[str], head: bytes) -> bool:
    """Whether any of the values came from stray bytes: its UTF-8 form is nowhere in the head."""
    return any(not v.isascii() and v.encode("utf-8") not in head for v in values)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"


# ---------------------------------------------------------------------------------------------- dialect
@dataclass
class Dialect:
    compression: str | None = None
    encoding: Encoding = field(default_factory=lambda: Encoding("utf-8"))
    delimiter: str = ","
    quote: str = '"'
    header: bool = True
    decimal: str = "."
    date_order: str | None = None  # the user's, for dates that read both ways: "dmy", "mdy"
    sep_line: bool = False  # Excel's "sep=;" first line
    preamble: int = 0  # lines above the header that are no part of the table (a title, "Account;DE12...")
    footer: Footer | None = None  # totals lines below the table ("Total;;1.234,56")
    names: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)  # the header as written (names before renaming)
    warnings: list[str] = field(default_factory=list)

    @property
    def number_format(self) -> NumberFormat:
        return NumberFormat(self.decimal, self.date_order)

    @property
    def skip_rows(self) -> int:
        return int(self.sep_line) + self.preamble + int(self.header)


_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)
_DEC_COMMA = re.compile(r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+),[0-9]+$")
_DEC_POINT = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)\.[0-9]+$")


_LINE_END = re.compile(r"\r\n?|\n")


def _iter_records(text: str, delimiter: str, quote: str) -> Iterator[list[str]]:
    # newline="": lines end at \n, \r\n and a lone \r (classic Mac) alike, and line breaks inside quoted values
    # reach the csv module untouched.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote, strict=False)
    try:
        yield from reader
    except csv.Error:
        return


def _records(text: str, delimiter: str, quote: str, limit: int = _SAMPLE_RECORDS) -> list[list[str]]:
    return list(islice(_iter_records(text, delimiter, quote), limit))


def _complete_records(text: str) -> str:
    """The sample without the record cut by its end (any line end counts: \n, \r\n or a lone \r)."""
    cut = max(text.rfind("\n"), text.rfind("\r")) + 1
    return text[:cut] or text


def _after_first_line(text: str) -> str:
    parts = _LINE_END.split(text, maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _delimiter_score(records: list[list[str]]) -> tuple[float, int]:
    """(share of records with the most common field count, that count); a count of 1 scores nothing."""
    counts = Counter(len(r) for r in records if r)
    if not counts:
        return (0.0, 0)
    width, hits = counts.most_common(1)[0]
    if width < 2:
        return (0.0, width)
    return (hits / sum(counts.values()), width)


def detect_delimiter(text: str, quote: str, hint: str | None) -> str:
    best, best_score = hint or ",", (0.0, 0)
    for delim in DELIMITERS:
        score = _delimiter_score(_records(text, delim, quote, 100))
        # Consistency first, then more columns; the extension's delimiter wins exact ties.
        key = (round(score[0], 2), score[1], delim == hint)
        if key > (round(best_score[0], 2), best_score[1], best == hint):
            best, best_score = delim, score
    return best


def detect_quote(text: str, delimiter: str) -> str:
    """'"' unless single quotes visibly wrap fields that contain the delimiter and double quotes never do."""
    if '"' in text:
        return '"'
    d = re.escape(delimiter)
    wrapped = re.search(rf"(^|(?<=\r)|{d})'[^'\r\n]*{d}[^'\r\n]*'", text, re.M)
    return "'" if wrapped else '"'


# Thousands groups alone ("1,037", "12.500"): such a value reads with either mark, so it proves neither.
_GROUPED_COMMA = re.compile(r"^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+$")
_GROUPED_POINT = re.compile(r"^[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+$")
# Two groups or more ("1.234.567") can only be thousands: the other mark is the decimal one.
_GROUPS_COMMA = re.compile(r"^[+-]?[1-9][0-9]{0,2}(,[0-9]{3}){2,}$")
_GROUPS_POINT = re.compile(r"^[+-]?[1-9][0-9]{0,2}(\.[0-9]{3}){2,}$")


def decimal_proof(value: str) -> str | None:
    """The decimal mark ``value`` can only be read with ("1,01" → ","), or None when it reads either way."""
    if "," not in value and "." not in value:
        return None
    if _DEC_COMMA.match(value) and not _GROUPED_COMMA.match(value):
        return ","
    if _DEC_POINT.match(value) and not _GROUPED_POINT.match(value):
        return "."
    if _GROUPS_POINT.match(value):
        return ","
    if _GROUPS_COMMA.match(value):
        return "."
    return None


def _proven_decimal(values: Counter[str]) -> str | None:
    """The mark the values prove, by more proofs than the other; None without proofs or on a tie."""
    proofs: Counter[str] = Counter()
    for value, times in values.items():
        if (mark := decimal_proof(value)) is not None:
            proofs[mark] += times
    if proofs[","] == proofs["."]:
        return None
    return "," if proofs[","] > proofs["."] else "."


def _decimal_vote(values: Counter[str]) -> str:
    """Without proof: which pattern more values fit, ties to the point."""
    comma = point = 0
    for v, times in values.items():
        if _DEC_COMMA.match(v):
            comma += times
        elif _DEC_POINT.match(v):
            point += times
    return "," if comma > point else "."


def detect_decimal(records: list[list[str]], delimiter: str, later: Iterable[list[str]] = ()) -> str:
    """The decimal mark: what values prove, else what the delimiter implies, else the majority of the sample."""
    return _decimal(records, delimiter, later)[0]


# Amounts with a decimal comma as a comma-separated file quotes them: "1.149,00", "-20,95" (two decimals, money).
_MONEY_COMMA = re.compile(r"^[+-]?[0-9]{1,3}(\.[0-9]{3})*,[0-9]{2}$|^[+-]?[0-9]+,[0-9]{2}$")
_NUMBERISH = re.compile(r"^[+-]?[0-9][0-9.,]*$")


def _comma_file_decimal(records: list[list[str]]) -> str:
    """The decimal mark of a comma-separated file: the point, unless quoted amounts prove a comma (PayPal's German
    "1.149,00"). Only columns of numbers vote, and a comma only by money's two decimals: "8,10" among shoe sizes
    ("S,M") or a survey's "1,3" (answers one and three) is no amount."""
    width = max((len(r) for r in records), default=0)
    columns = [[bare_text(r[i]) for r in records[1:] if i < len(r) and r[i].strip()] for i in range(width)]
    proofs: Counter[str] = Counter()
    for values in columns:
        if not values or not all(_NUMBERISH.match(v) for v in values):
            continue
        for value in values:
            mark = decimal_proof(value)
            if mark == "." or (mark == "," and _MONEY_COMMA.match(value)):
                proofs[mark] += 1
    return "," if proofs[","] > proofs["."] else "."


def _decimal(records: list[list[str]], delimiter: str, later: Iterable[list[str]]) -> tuple[str, str | None]:
    """(the decimal mark, a value whose reading it decided without proof: "384.172" read as thousands).

    ``later``: the records after the sample, searched only when the sample proves nothing (a column of whole
    numbers whose first fraction comes late would otherwise turn to text).
    """
    # Counted once per distinct value: columns repeat theirs, and the later records can fill a MiB. Without
    # the spaces of fixed-width exports ("   1.234,56") and the units of amounts ("1.234,56 €"), as the values
    # are read. In a comma-separated file a value holding a comma was quoted: PayPal's German "1.149,00".
    if delimiter == ",":
        return _comma_file_decimal(records), None
    sample = Counter(bare_text(v) for rec in records[1:] for v in rec)
    proven = _proven_decimal(sample) or _proven_decimal(Counter(bare_text(v) for rec in later for v in rec))
    if proven:
        return proven, None
    # Excel separates with ";" exactly where the comma is the decimal mark: "384.172" there is 384172.
    mark = "," if delimiter == ";" else _decimal_vote(sample)
    # "1.500" is 1500 or 1.5: say which was taken.
    shapes = (_GROUPED_POINT, _GROUPED_COMMA)
    return mark, next((v for v in sample if any(shape.match(v) for shape in shapes)), None)


def _reading(value: str, mark: str) -> str:
    other = "." if mark == "," else ","
    return f"{float(value.replace(other, '').replace(mark, '.')):g}"


def decimal_note(value: str, mark: str) -> str:
    """The warning for a value that reads two ways ("1.500": 1500 or 1.5), naming the way it was read."""
    other = "." if mark == "," else ","
    return (f"numbers like {value!r} read two ways and nothing in the file tells which: read as "
            f"{_reading(value, mark)} (decimal {'comma' if mark == ',' else 'point'}); --decimal {other}, or the "
            f"card's decimal mark, reads them as {_reading(value, other)}")


_HEADER_VOTERS = 256


def detect_header(records: list[list[str]], fmt: NumberFormat) -> bool:
    """Does the first record name the columns?

    A column whose values below the first record are typed (numbers, dates, booleans) votes "header" when the
    first value does not fit that type and "no header" when it does. Files that are text all the way down have a
    header when the first record has no empty and no repeated value; when it has, the shapes of the values decide
    (see :func:`_shape_votes`).
    """
    if len(records) < 2:
        return True
    first, rest = records[0], [r for r in records[1:] if len(r) == len(records[0])]
    if not rest:
        return True
    years = _years_as_names(first, rest)
    votes_for = votes_against = 0
    # Columns spread over the row vote; a few hundred settle the question as well as 5,000 would.
    step = max(1, len(first) // _HEADER_VOTERS)
    for i in range(0, len(first), step):
        name = first[i]
        if not name.strip() or i in years:
            continue  # an empty cell fits a header missing a name as well as a row missing a value: no vote
        column = pa.array([r[i] for r in rest], pa.string())
        kind = chunk_kind(column, fmt)
        if kind in ("string", "null"):
            continue
        if join(kind, chunk_kind(pa.array([name], pa.string()), fmt)) == kind:
            votes_against += 1
        else:
            votes_for += 1
    if years and not votes_against:
        return True  # years over amounts, and no other column's first value reads like the values below it
    if votes_for or votes_against:
        return votes_for >= votes_against
    if all(v.strip() for v in first) and len(set(first)) == len(first):
        return True
    # A repeated or empty name is no proof of data: exports write "name,name" and ",". Decide from the shape
    # of the values instead, which tells "name,name,city" over "Ann,Lee,Paris" from "Ann,Ann,Paris".
    return _shape_votes(first, rest, step) > 0


_YEAR = re.compile(r"^(19|20)[0-9]{2}$")


def _years_as_names(first: list[str], rest: list[list[str]]) -> set[int]:
    """The columns of a comparison's header that are years: "Region;2022;2023;2024" over amounts. Years are
    numbers over numbers, which vote against a header; but distinct years in order ("2019;2021;2023" too), over
    columns that are no years, name them. Empty when the first record is not such a header."""
    years = [(i, int(v)) for i, v in enumerate(first) if _YEAR.match(v.strip())]
    if len(years) < 2:
        return set()
    steps = {(b > a) - (b < a) for (_, a), (_, b) in pairwise(years)}
    if steps not in ({1}, {-1}):
        return set()
    below = [r[i].strip() for i, _ in years for r in rest if r[i].strip()]
    if not below or sum(1 for v in below if _YEAR.match(v)) * 2 >= len(below):
        return set()
    return {i for i, _ in years}


def _shape(value: str) -> str:
    """Letter case, digits and punctuation with runs collapsed: "Paris" → "Aa", "first_name" → "a_a"."""
    out: list[str] = []
    for ch in value.strip():
        c = "A" if ch.isupper() else "a" if ch.isalpha() else "9" if ch.isdigit() else " " if ch.isspace() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _shape_votes(first: list[str], rest: list[list[str]], step: int) -> int:
    """Text columns' votes for a header minus votes against.

    A first value shaped like no value below it ("city" over "Paris", "Rome") is for; one shaped like a value
    below is against. Empty first values and empty columns abstain.
    """
    score = 0
    for i in range(0, len(first), step):
        if not first[i].strip():
            continue
        below = {_shape(r[i]) for r in rest if r[i].strip()}
        if below:
            score += -1 if _shape(first[i]) in below else 1
    return score


def sniff(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    decimal: str | None = None,
    quote: str | None = None,
    compression: str | None = None,
    head: bytes | None = None,
    date_order: str | None = None,
    skip_lines: int | None = None,
    keep_totals: bool = False,
) -> Dialect:
    dialect = Dialect(compression=compression, date_order=date_order)
    if head is None:
        head = read_head(path, compression)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ProcessingError(f"unknown encoding {encoding!r}") from None
        found = bom_encoding(head)
        wanted = codecs.lookup(re.sub(r"[-_]sig$", "", encoding)).name  # utf-8-sig is utf-8 with a BOM
        bom = found[1] if found is not None and codecs.lookup(found[0]).name == wanted else 0
        dialect.encoding = Encoding(encoding, bom, "chosen")
    else:
        dialect.encoding = detect_encoding(head)
    enc = dialect.encoding
    text = _decode_head(head, enc)
    if len(head) >= HEAD_BYTES:
        text = _complete_records(text)
    lines = text.splitlines()
    if lines and (m := _SEP_LINE.match(lines[0])):
        dialect.sep_line = True
        dialect.delimiter = m.group(1)
        text = _after_first_line(text)
    hint = {".tsv": "\t", ".tab": "\t", ".psv": "|"}.get(_base_suffix(path))
    if delimiter:
        dialect.delimiter = delimiter
    elif not dialect.sep_line:
        dialect.delimiter = detect_delimiter(text, quote or '"', hint)
    dialect.quote = quote or detect_quote(text, dialect.delimiter)
    records = _records(text, dialect.delimiter, dialect.quote)
    later = islice(_iter_records(text, dialect.delimiter, dialect.quote), len(records), None)
    if decimal:
        dialect.decimal = decimal
    else:
        dialect.decimal, undecided = _decimal(records, dialect.delimiter, later)
        if undecided is not None:
            dialect.warnings.append(decimal_note(undecided, dialect.decimal))
    if skip_lines is not None:
        dialect.preamble = skip_lines  # the user's: no look for a preamble
        records = records[skip_lines:]
    elif header is not False and (start := _preamble(records, dialect.number_format)):
        dialect.preamble = start
        title = next(" ".join(v.strip() for v in r if v.strip()) for r in records[:start] if any(v.strip() for v in r))
        dialect.warnings.append(f"{start} line(s) above the header were skipped (a title: {title!r})")
        records = records[start:]
        if header is None:
            header = True  # a preamble is only found above a line that reads as a header
    dialect.header = detect_header(records, dialect.number_format) if header is None else header
    width = Counter(len(r) for r in records).most_common(1)[0][0] if records else 1
    first = records[0] if records else []
    if dialect.header:
        raw = list(first) + [""] * max(0, width - len(first))
        if len(raw) > width and not any(v.strip() for v in raw[width:]):
            raw = raw[:width]  # "a,b,c," over rows of three fields: the trailing delimiter names nothing
        dialect.names, renamed = unique_names(raw)
        dialect.header_cells = raw
        dialect.warnings.extend(renamed)
        if enc.how == MOSTLY_UTF8 and _recovered(raw, head):
            # The reader skips the header row, so only the sniffer can say its names were not UTF-8.
            dialect.warnings.append(
                "the header is not valid UTF-8 (the encoding changes part-way); its names were read as cp1252"
            )
    else:
        dialect.names = [f"column_{i + 1}" for i in range(max(width, len(first)))]
    if compression is None and not keep_totals:
        dialect.footer = find_footer(path, enc.name, dialect.delimiter, dialect.quote)
    return dialect


# Lines of title and metadata above a table: bank statements and report exports write a handful.
_PREAMBLE_LINES = 30
_DATEV_FORMATS = ("EXTF", "DTVF")  # the first field of a DATEV export (German bookkeeping's exchange format)


def _preamble(records: list[list[str]], fmt: NumberFormat) -> int:
    """How many records above the header are no part of the table; 0 when the first record is the header.

    Such lines fill at most half as many fields as the table has ("Account;DE12 3456", a title alone, blank
    lines, or Excel's "Report;;;;;" padded to the full width); the first record that fills more is the header,
    and only if it reads as one (names over typed values, :func:`detect_header`). A header that names only a
    few of its columns over rows of numbers is therefore still the header.
    """
    if len(records) > 2 and records[0] and records[0][0].strip() in _DATEV_FORMATS:
        return 1  # DATEV's format record ("EXTF";700;21;"Buchungsstapel";…), as wide as it likes, then the header
    filled = [sum(1 for v in r if v.strip()) for r in records]
    rows = [len(r) for r, n in zip(records, filled, strict=True) if n]
    if len(rows) < 3:
        return 0
    # The table's width: the widest that more than one record has. A statement of two bookings has fewer
    # table records than "Account:;DE12…" lines above them, so the most common width would be the preamble's.
    counts = Counter(rows)
    common = counts.most_common(1)[0][0]
    width = max((w for w, n in counts.items() if n > 1), default=common)
    first = next(r for r, n in zip(records, filled, strict=True) if n)
    if width != common and len(first) == common and all(v.strip() for v in first):
        width = common  # a full header over more rows than the wider lines below it (a legend): the table
    if width < 2:
        return 0
    for i, n in enumerate(filled[: _PREAMBLE_LINES + 1]):
        if n > width // 2:
            if i == 0 or len(records[i]) != width or len(records) - i < 2:
                return 0
            return i if detect_header(records[i:], fmt) else 0
    return 0


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in (".gz", ".zst", ".bz2"):
        suffixes.pop()
    return suffixes[-1] if suffixes else ""
