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
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from jobs.processors.base import ProcessingError
from jobs.tables.infer import NumberFormat, chunk_kind, join
from jobs.tables.names import unique_names
from jobs.text.encoding import bom_encoding, guess_legacy_encoding, utf16_without_bom

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
    guessed = guess_legacy_encoding(head[:200_000])
    if guessed is not None:
        return Encoding(guessed, 0, "charset detector")
    try:
        head.decode("cp1252")
        return Encoding("cp1252", 0, "fallback")
    except UnicodeDecodeError:
        return Encoding("latin-1", 0, "fallback")


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
    sep_line: bool = False  # Excel's "sep=;" first line
    names: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def number_format(self) -> NumberFormat:
        return NumberFormat(self.decimal)

    @property
    def skip_rows(self) -> int:
        return int(self.sep_line) + int(self.header)


_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)
_DEC_COMMA = re.compile(r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+),[0-9]+$")
_DEC_POINT = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)\.[0-9]+$")


def _records(text: str, delimiter: str, quote: str, limit: int = _SAMPLE_RECORDS) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote, strict=False)
    out: list[list[str]] = []
    try:
        for rec in reader:
            out.append(rec)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


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
    wrapped = re.search(rf"(^|{re.escape(delimiter)})'[^'\n]*{re.escape(delimiter)}[^'\n]*'", text, re.M)
    return "'" if wrapped else '"'


def detect_decimal(records: list[list[str]], delimiter: str) -> str:
    if delimiter == ",":
        return "."  # a decimal comma in a comma-separated file would need quotes on every number: rare
    comma = point = 0
    for rec in records[1:]:
        for v in rec:
            if _DEC_COMMA.match(v):
                comma += 1
            elif _DEC_POINT.match(v):
                point += 1
    return "," if comma > point else "."


_HEADER_VOTERS = 256


def detect_header(records: list[list[str]], fmt: NumberFormat) -> bool:
    """Does the first record name the columns?

    A column whose values below the first record are typed (numbers, dates, booleans) votes "header" when the
    first value does not fit that type and "no header" when it does. Files that are text all the way down have a
    header when the first record has no empty and no repeated value.
    """
    if len(records) < 2:
        return True
    first, rest = records[0], [r for r in records[1:] if len(r) == len(records[0])]
    if not rest:
        return True
    votes_for = votes_against = 0
    # Columns spread over the row vote; a few hundred settle the question as well as 5,000 would.
    step = max(1, len(first) // _HEADER_VOTERS)
    for i in range(0, len(first), step):
        name = first[i]
        column = pa.array([r[i] for r in rest], pa.string())
        kind = chunk_kind(column, fmt)
        if kind in ("string", "null"):
            continue
        if join(kind, chunk_kind(pa.array([name], pa.string()), fmt)) == kind:
            votes_against += 1
        else:
            votes_for += 1
    if votes_for or votes_against:
        return votes_for >= votes_against
    return all(v.strip() for v in first) and len(set(first)) == len(first)


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
) -> Dialect:
    dialect = Dialect(compression=compression)
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
    text = head[enc.bom_bytes :].decode(enc.name.replace("-sig", ""), errors="replace")
    if len(head) >= HEAD_BYTES:
        text = text[: text.rfind("\n") + 1] or text  # drop the record cut by the end of the sample
    lines = text.splitlines()
    if lines and (m := _SEP_LINE.match(lines[0])):
        dialect.sep_line = True
        dialect.delimiter = m.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    hint = {".tsv": "\t", ".tab": "\t", ".psv": "|"}.get(_base_suffix(path))
    if delimiter:
        dialect.delimiter = delimiter
    elif not dialect.sep_line:
        dialect.delimiter = detect_delimiter(text, quote or '"', hint)
    dialect.quote = quote or detect_quote(text, dialect.delimiter)
    records = _records(text, dialect.delimiter, dialect.quote)
    dialect.decimal = decimal or detect_decimal(records, dialect.delimiter)
    dialect.header = detect_header(records, dialect.number_format) if header is None else header
    width = Counter(len(r) for r in records).most_common(1)[0][0] if records else 1
    first = records[0] if records else []
    if dialect.header:
        raw = list(first) + [""] * max(0, width - len(first))
        if len(raw) > width and not any(v.strip() for v in raw[width:]):
            raw = raw[:width]  # "a,b,c," over rows of three fields: the trailing delimiter names nothing
        dialect.names, renamed = unique_names(raw)
        dialect.warnings.extend(renamed)
    else:
        dialect.names = [f"column_{i + 1}" for i in range(max(width, len(first)))]
    return dialect


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in (".gz", ".zst", ".bz2"):
        suffixes.pop()
    return suffixes[-1] if suffixes else ""
