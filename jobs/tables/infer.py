"""Whole-file type inference: the lattice of column kinds and the one converter every path shares.

A :class:`ColumnTyper` follows one column chunk by chunk and widens its kind when a chunk does not fit (int →
float → text, date → date-time → text). Checking and converting are the same call to :func:`convert`: a value is
accepted as a number only if Arrow's cast reads it *and* no rule says it is not a number (leading zeros,
"0x" prefixes, integers a float would round), so a kind that fitted a chunk once always fits it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.tables import amounts, dates

# Tokens that mean "no value" in exports from Excel, R, pandas and databases. In typed columns they become nulls;
# in string columns only "" does, because "NA" is also Namibia and "-" is a legitimate label.
NULL_TOKENS = ("", "NA", "N/A", "n/a", "na", "null", "NULL", "Null", "#N/A", "-", "None", "NaN", "nan")
_NULL_SET = pa.array(NULL_TOKENS, pa.string())

# Amounts with a unit ("$1,234.56", "12,50 €", "12%"): numbers, with the unit taken off and kept as the
# column's (see jobs/tables/amounts.py). One kind per unit, so two units in one column join to text.
_AMOUNT_NAMES = {unit: "percent" if unit == amounts.PERCENT else f"amount_{unit}" for unit in amounts.UNITS}
_AMOUNT_KINDS = {kind: unit for unit, kind in _AMOUNT_NAMES.items()}
KINDS = ("null", "bool", "int", "float", "date", "date_dmy", "date_mdy", "date_dm", "timestamp", "timestamp_dmy",
         "timestamp_mdy", "timestamp_dm", "timestamptz", *_AMOUNT_KINDS, "string")
ARROW_TYPES: dict[str, pa.DataType] = {
    "null": pa.string(),  # a column with no value at all is kept as text: the safest type for a later append
    "bool": pa.bool_(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
    # Dates (and date-times) written the regional way, "31.12.2024", "31/12/2024 14:30" (day first) or
    # "12/31/2024" (month first): see jobs/tables/dates.py. The order is never guessed; until a value tells it,
    # the column is "date_dm" (or "timestamp_dm"): kept as text, and read again from the start if a later
    # value tells the order.
    "date_dmy": pa.date32(),
    "date_mdy": pa.date32(),
    "date_dm": pa.string(),
    "timestamp_dmy": pa.timestamp("us"),
    "timestamp_mdy": pa.timestamp("us"),
    "timestamp_dm": pa.string(),
    "timestamp": pa.timestamp("us"),
    # With a zone or offset ("…T10:00:00Z", "+02:00"): the instant, in UTC. Naive and zoned values in one column
    # are not mixed (which zone would the naive ones be in?): such a column stays text.
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "string": pa.string(),
    **{kind: pa.float64() for kind in _AMOUNT_KINDS},
}
# The regional kinds: (day/month order, has a time of day) → kind, and back.
_REGIONAL_NAMES = {(order, timed): f"{'timestamp' if timed else 'date'}_{order}"
                   for order in ("dmy", "mdy", "dm") for timed in (False, True)}
_REGIONAL_KINDS = {kind: key for key, kind in _REGIONAL_NAMES.items()}
UNDECIDED = ("date_dm", "timestamp_dm")
# Try order when a chunk's own kind is needed: narrowest first. _REGIONAL stands for the six regional kinds:
# which one a chunk is, its values decide (:func:`_regional_kind`).
_REGIONAL = "date_dmy"
# _AMOUNT likewise stands for the amount kinds, whose unit the values tell (:func:`amounts.find_unit`).
_AMOUNT = "amount_$"
_TRY_ORDER = ("int", "float", "bool", "date", _REGIONAL, "timestamp", "timestamptz", _AMOUNT)
# Beyond 2**53 a float no longer holds every integer: such integers must never be widened to float.
_FLOAT_EXACT = 2**53
# A column's first this many values set its first kind; any later value that does not fit it is a change,
# reported with its row, even within the first chunk.
FIRST_ROWS = 1000
TRUE_TOKENS = ("true", "True", "TRUE")
FALSE_TOKENS = ("false", "False", "FALSE")
_BOOL_ALL = pa.array(TRUE_TOKENS + FALSE_TOKENS, pa.string())
# An integer literal this long cannot be held exactly by a float.
_LONG_INTEGER = r"^[+-]?[0-9]{16,}$"


class DoesNotFit(ValueError):
    """A chunk holds a value that the kind cannot represent exactly."""


@dataclass(frozen=True)
class NumberFormat:
    """How numbers and dates are written: decimal mark (and the thousands separator that goes with it), and
    the user's day/month order for dates that read both ways ("dmy", "mdy"; None: such dates stay text)."""

    decimal: str = "."
    date_order: str | None = None

    @property
    def thousands(self) -> str:
        return "." if self.decimal == "," else ","


# Every null token but "" and "-" starts with one of these bytes: values that cannot be a token are told apart
# by their first byte and length alone, without hashing every value. Byte classes as 256-entry lookup tables:
# one gather each, where np.isin sorts.
_TOKEN_FIRST = np.zeros(256, np.bool_)
_TOKEN_FIRST[list(b"Nn#")] = True
_SIGN = np.zeros(256, np.bool_)
_SIGN[list(b"+-")] = True
_ZERO, _MINUS, _SPACE = np.uint8(ord("0")), np.uint8(ord("-")), np.uint8(ord(" "))


def _after_zero(decimal: str) -> np.ndarray:
    """Bytes that may follow a leading zero in a number: "0.5", "0e3" (and "0,5" with a decimal comma)."""
    table = np.zeros(256, np.bool_)
    table[list(f"{decimal}eE".encode())] = True
    return table


_AFTER_ZERO = {d: _after_zero(d) for d in ".,"}


class _TextView:
    """Starts, lengths and bytes of a null-free string array as numpy views, without copying the text.

    Per-value prefix tests on these cost a numpy gather each, a tenth of a pass of Arrow's string kernels.
    Offsets are widened to int64 once, as ``take`` would convert its indices on every call otherwise.
    """

    def __init__(self, arr: pa.StringArray) -> None:
        bufs = arr.buffers()
        self._offsets = np.frombuffer(bufs[1], np.int32, count=len(arr) + 1, offset=arr.offset * 4)
        self.lengths = np.diff(self._offsets)
        end = int(self._offsets[-1])
        self._data = np.frombuffer(bufs[2], np.uint8, count=end) if end else np.zeros(1, np.uint8)

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each value starts (int64: the index type ``take`` wants; text columns never need it)."""
        return self._offsets[:-1].astype(np.int64)

    def bytes(self) -> np.ndarray:
        """All the text's bytes (from the first value's start)."""
        return self._data[int(self._offsets[0]):int(self._offsets[-1])]

    def byte(self, at: np.ndarray) -> np.ndarray:
        """The byte at each position; positions past the text read its last byte (callers check lengths)."""
        return self._data.take(at, mode="clip")  # take's clip mode: faster than fancy indexing plus a clamp

    @cached_property
    def first(self) -> np.ndarray:
        """Each value's first byte (the next value's, or the last byte, for "")."""
        return self.byte(self.starts)

    @cached_property
    def last(self) -> np.ndarray:
        """Each value's last byte (its first, for "")."""
        return self.byte(self.starts + np.maximum(self.lengths - 1, 0))

    def maybe_token(self) -> bool:
        """Whether any non-empty value could be a null token (else only "" can be one)."""
        first = self.first
        lengths = self.lengths
        return bool(((_TOKEN_FIRST.take(first) & (lengths > 0)) | ((lengths == 1) & (first == _MINUS))).any())

    def with_nulls_where_empty(self, arr: pa.StringArray) -> pa.StringArray | None:
        """``arr`` with "" as null, sharing its buffers; None when that needs the general path (a slice)."""
        empty = self.lengths == 0
        if not empty.any():
            return arr
        if arr.offset:
            return None
        bufs = arr.buffers()
        valid = pa.py_buffer(np.packbits(~empty, bitorder="little"))
        return pa.StringArray.from_buffers(len(arr), bufs[1], bufs[2], valid, null_count=int(empty.sum()))


def _text_view(arr: pa.Array) -> _TextView | None:
    """A view for a plain, null-free string array; None for anything else (the Arrow kernels handle those)."""
    if type(arr) is not pa.StringArray or arr.null_count or len(arr) == 0:
        return None
    return _TextView(arr)


def null_mask(arr: pa.Array) -> pa.Array:
    view = _text_view(arr)
    if view is not None and not view.maybe_token():
        # Only "" can be a token here: a length test says it exactly.
        return pa.array(view.lengths == 0)
    mask = pc.is_in(arr, value_set=_NULL_SET)
    return pc.or_kleene(pc.is_null(arr), mask) if arr.null_count else mask


def _without_null_tokens(arr: pa.Array, view: _TextView | None = None) -> pa.Array:
    """Null tokens as nulls. Usually only "" occurs: then a bitmap from the lengths, no hashing, no copy."""
    view = view or _text_view(arr)
    if view is not None and not view.maybe_token():
        out = view.with_nulls_where_empty(arr)
        if out is not None:
            return out
    return _blank_nulls(arr, null_mask(arr))


def _blank_nulls(arr: pa.Array, mask: pa.Array) -> pa.Array:
    if not pc.any(mask).as_py():
        return arr
    if type(arr) is pa.StringArray and arr.null_count == 0 and arr.offset == 0 and mask.null_count == 0:
        # The same offsets and bytes with a validity bitmap: no copy of the text (if_else copies every value).
        valid = pc.invert(mask)
        if valid.offset == 0:
            bufs = arr.buffers()
            return pa.StringArray.from_buffers(len(arr), bufs[1], bufs[2], valid.buffers()[1])
    return pc.if_else(mask, pa.scalar(None, arr.type), arr)


# Thousands grouped by spaces ("1 234,56": France, Scandinavia, the SI; often a non-breaking space) or by an
# apostrophe ("1'234.50": Switzerland): taken out, like the usual separator, only where the grouping is valid.
_GROUPING_RE2 = f"[{amounts.GROUPING}]"


def _ungrouped(arr: pa.Array) -> pa.Array | None:
    """Numbers (with a decimal point by now) without the spaces or apostrophes that group their thousands;
    None when there are none; raises :class:`DoesNotFit` when one groups nothing ("12 34")."""
    spaced = pc.match_substring_regex(arr, _GROUPING_RE2)
    if not pc.any(spaced).as_py():
        return None
    grouped = f"^[+-]?[0-9]{{1,3}}({_GROUPING_RE2}[0-9]{{3}})+(\\.[0-9]+)?$"
    if pc.any(pc.and_kleene(spaced, pc.invert(pc.match_substring_regex(arr, grouped)))).as_py():
        raise DoesNotFit("spaces or apostrophes that do not group thousands")
    return pc.replace_substring_regex(arr, _GROUPING_RE2, "")


def _normalise_number(arr: pa.Array, fmt: NumberFormat) -> pa.Array:
    """Remove thousands separators and turn a decimal comma into a point, only where the grouping is valid."""
    sep = fmt.thousands
    if pc.any(pc.match_substring(arr, sep)).as_py():
        grouped = f"^[+-]?[0-9]{{1,3}}(\\{sep}[0-9]{{3}})+(\\{fmt.decimal}[0-9]+)?$"
        has_sep = pc.match_substring(arr, sep)
        bad = pc.and_kleene(has_sep, pc.invert(pc.match_substring_regex(arr, grouped)))
        if pc.any(bad).as_py():
            raise DoesNotFit("misplaced thousands separator")
        arr = pc.replace_substring(arr, sep, "")
    if fmt.decimal == ",":
        if pc.any(pc.match_substring(arr, ".")).as_py():
            raise DoesNotFit("decimal point in a decimal-comma file")
        arr = pc.replace_substring(arr, ",", ".")
    return arr


def convert(arr: pa.Array, kind: str, fmt: NumberFormat = NumberFormat(), nulls: bool = True) -> pa.Array:
    """Text → ``kind``; raises :class:`DoesNotFit` (or ``pa.ArrowInvalid``) unless every value fits exactly.

    ``nulls`` False: the caller has seen no null token in this column yet, so a plain cast is tried first.
    What exports wrap values in is taken off only after the plain reading failed, so clean files pay nothing:
    padding spaces (" 12", "3.50  ": fixed-width exports), a trailing minus ("1.234,56-": SAP's negative
    numbers), slashes in year-first dates ("2024/01/31") and a space before a zone ("2024-01-31 10:00:00
    +0100", Shopify; "... UTC"). Text keeps what it was written with.
    """
    try:
        return _convert(arr, kind, fmt, nulls)
    except (DoesNotFit, pa.ArrowInvalid):
        if kind in ("string", "null", "date_dm", "timestamp_dm") or kind in _AMOUNT_KINDS:
            raise  # nothing to take off text; amounts take their spaces and signs off themselves
        tidied = _tidied(arr, kind)
        if tidied is None:
            raise
    return _convert(tidied, kind, fmt, True)


def _tidied(arr: pa.Array, kind: str) -> pa.Array | None:
    """``arr`` without padding spaces and (numbers) with a trailing minus moved to the front; None when there
    is nothing of the kind to take off, or only blanks are left (no value says what the column is)."""
    out = arr
    if _padded(out):
        out = pc.utf8_trim(out, " ")
        if not pc.any(pc.not_equal(out, "")).as_py():
            return None
    if kind in ("int", "float") and pc.any(pc.ends_with(out, "-")).as_py():
        out = pc.replace_substring_regex(out, _TRAILING_MINUS, r"-\1")
    if kind == "date" and pc.all(pc.or_(pc.and_(pc.equal(pc.binary_length(out), 19), pc.ends_with(out, " 00:00:00")),
                                         pc.equal(out, ""))).as_py():
        out = pc.utf8_slice_codeunits(out, 0, 10)  # "2024-01-31 00:00:00" throughout (workbook date cells)
    elif kind == "date" and pc.any(pc.match_substring_regex(out, _MIDNIGHT)).as_py():
        # "2024-01-31 00:00:00": how databases and many systems export a date. Midnight throughout is a date,
        # as in workbooks; a later time of day widens the column to date-times in place.
        out = pc.replace_substring_regex(out, _MIDNIGHT, "")
    if kind in ("date", "timestamp", "timestamptz") and pc.any(pc.match_substring_regex(out, _YEAR_SLASH)).as_py():
        out = pc.replace_substring_regex(out, r"^([0-9]{4})/([0-9])/", r"\1/0\2/")  # ISO wants two digits
        out = pc.replace_substring_regex(out, r"^([0-9]{4}/[0-9]{2})/([0-9])([^0-9]|$)", r"\1/0\2\3")
        out = pc.replace_substring_regex(out, _YEAR_SLASH_PARTS, r"\1-\2-\3")
    if kind == "timestamptz" and pc.any(pc.match_substring_regex(out, _SPACED_ZONE)).as_py():
        out = pc.replace_substring_regex(out, r" ([+-][0-9]{2}:?[0-9]{2})$", r"\1")
        out = pc.replace_substring_regex(out, r" (?:UTC|GMT|Z)$", "Z")
    return None if out is arr else out


_TRAILING_MINUS = r"^([0-9][0-9.,]*)-$"
_MIDNIGHT = r"(?:[ T]00:00(?::00(?:\.0{1,9})?)?)$"
# Year first with slashes (Japan, China, Korea): there is no year/day/month order to confuse it with.
_YEAR_SLASH = r"^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"
_YEAR_SLASH_PARTS = r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"
_SPACED_ZONE = r"[0-9] (?:[+-][0-9]{2}:?[0-9]{2}|UTC|GMT|Z)$"


def _padded(arr: pa.Array) -> bool:
    """Whether a value starts or ends with a space."""
    view = _text_view(arr)
    if view is None:
        return bool(pc.any(pc.match_substring_regex(arr, "^ | $")).as_py())
    return bool((((view.first == _SPACE) | (view.last == _SPACE)) & (view.lengths > 0)).any())


def _convert(arr: pa.Array, kind: str, fmt: NumberFormat, nulls: bool) -> pa.Array:
    if kind == "string":
        view = _text_view(arr)
        out = view.with_nulls_where_empty(arr) if view is not None else None
        return out if out is not None else _blank_nulls(arr, pc.equal(arr, ""))
    target = ARROW_TYPES[kind]
    if kind == "null":
        if pc.all(null_mask(arr)).as_py() is False:
            raise DoesNotFit("has values")
        return pa.nulls(len(arr), target)
    view = _text_view(arr)  # shared by the prefix tests below while ``values`` is still ``arr``
    if kind in _REGIONAL_KINDS:
        return _regional(arr, kind, view)
    if kind in _AMOUNT_KINDS:
        return _amount(arr, kind, fmt, view)
    if kind == "bool":
        values = _without_null_tokens(arr, view)
        # One hash lookup per value: the position in TRUE_TOKENS + FALSE_TOKENS says both "is a boolean" and which.
        where = pc.index_in(values, value_set=_BOOL_ALL)
        if where.null_count != values.null_count:
            raise DoesNotFit("not true/false")
        return pc.less(where, pa.scalar(len(TRUE_TOKENS), pa.int32()))
    values = arr
    if kind in ("int", "float"):
        if _leading_zero(values, fmt.decimal, view):
            raise DoesNotFit("leading zero")
        if fmt.decimal != ".":
            values = _normalise_number(values, fmt)
            view = None
    # Arrow's casts accept ISO dates and date-times only, so day/month order is never guessed.
    typed = None
    if not nulls:
        try:
            typed = pc.cast(values, target)
        except pa.ArrowInvalid:
            typed = None
    if typed is None:
        values = _without_null_tokens(values, view)
        if kind == "int" and pc.any(pc.starts_with(values, "+")).as_py():
            # Arrow's integer cast refuses a plus sign that its float cast takes: "+5,-3" would be floats.
            values = pc.replace_substring_regex(values, r"^\+([0-9])", r"\1")
        try:
            typed = pc.cast(values, target)
        except pa.ArrowInvalid:
            if kind not in ("int", "float"):
                raise
            # "1,234.5", "1 234,5", "1'234.50": thousands separators are rare enough to look for only when the
            # plain cast failed (a decimal comma is a point by now; its file's "." separators are gone).
            if fmt.decimal == ".":
                values = _normalise_number(values, fmt)
            ungrouped = _ungrouped(values)
            if ungrouped is None and fmt.decimal != ".":
                raise
            typed = pc.cast(values if ungrouped is None else ungrouped, target)
    short = view is not None and int(view.lengths.max()) < 16  # too short for a 16-digit integer
    if (
        kind == "float"
        and not short
        and _has_huge(typed)
        and pc.any(pc.match_substring_regex(values, _LONG_INTEGER)).as_py()
    ):
        raise DoesNotFit("integer too long for a float")
    if kind in ("date", "timestamp", "timestamptz"):
        _check_years(typed)
    return typed


# 0001-01-01 and 9999-12-31 in days since 1970: the dates Python (and so pandas' object dates, and the
# profile's rendering) can hold. "0000-01-01" is a placeholder in some exports, not a date.
_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896
_MICROS_PER_DAY = 86_400_000_000


def _check_years(typed: pa.Array) -> None:
    """Raises :class:`DoesNotFit` for a date or date-time before year 1 or after year 9999."""
    if len(typed) == typed.null_count:
        return
    mm = pc.min_max(typed.cast(pa.int32() if pa.types.is_date32(typed.type) else pa.int64()))
    lo, hi = mm["min"].as_py(), mm["max"].as_py()
    if not pa.types.is_date32(typed.type):
        lo, hi = lo // _MICROS_PER_DAY, hi // _MICROS_PER_DAY
    if lo < _FIRST_DAY or hi > _LAST_DAY:
        raise DoesNotFit("a year before 1 or after 9999")


def date_order(kinds: list[str]) -> str | None:
    """The day/month order of the regional date columns among ``kinds`` ("dmy", "mdy"), None if none or both."""
    orders = {_REGIONAL_KINDS[k][0] for k in kinds if k in _REGIONAL_KINDS} - {"dm"}
    return orders.pop() if len(orders) == 1 else None


def first_value(arr: pa.Array) -> str:
    """The first value of a text column that is not null or a null token (an example for a message)."""
    values = pc.drop_null(_without_null_tokens(arr))
    return str(values[0].as_py()) if len(values) else ""


def undecided_dates(column: str, example: str) -> str:
    """The warning for a column left as text because its dates read both ways."""
    return (f"column '{column}' holds dates such as {example!r} with no day above 12, so whether the day or the "
            "month comes first cannot be told; it is stored as text")


def _regional_kind(values: pa.Array, fmt: NumberFormat = NumberFormat()) -> str | None:
    """Which regional kind a chunk's values (no nulls) are; None when they are none, or both orders occur.

    Values that read both ways take the user's order if there is one; a value that tells the order wins over it.
    """
    found = _regional_parts(values)
    if found is None:
        return None
    parts = found[1]
    order = dates.order(parts)
    if order == "dm" and fmt.date_order:
        order = fmt.date_order
    # Midnight throughout ("31.12.2024 00:00", how many systems export a date) is a date, as in workbooks.
    return None if order is None else _REGIONAL_NAMES[(order, bool((parts.micros != 0).any()))]


def _mixed_orders(arr: pa.Array) -> tuple[str, str] | None:
    """A day-first and a month-first value when a chunk is all regional dates, in both orders; else None."""
    found = _regional_parts(pc.drop_null(_without_null_tokens(arr)))
    if found is None or dates.order(found[1]) is not None:
        return None
    values, parts = found
    return str(values[int(np.argmax(parts.first > 12))]), str(values[int(np.argmax(parts.second > 12))])


def _regional_parts(values: pa.Array) -> tuple[pa.Array, dates.Parts] | None:
    """The values (no nulls; padding and blanks taken off) and their date numbers; None if any is no date."""
    if _padded(values):
        values = pc.utf8_trim(values, " ")
        values = values.filter(pc.not_equal(values, ""))  # blanks are nulls once trimmed
    try:
        return values, dates.parse(values)
    except (dates.NotADate, pa.ArrowInvalid):
        return None


def _regional(arr: pa.Array, kind: str, view: _TextView | None) -> pa.Array:
    """Text → a regional kind; raises :class:`DoesNotFit` unless every value is a real date of its order."""
    order, timed = _REGIONAL_KINDS[kind]
    values = _without_null_tokens(arr, view)
    valid = np.asarray(values.is_valid()) if values.null_count else None
    present = pc.drop_null(values) if valid is not None else values
    if len(present) == 0:
        return pa.nulls(len(arr), ARROW_TYPES[kind])
    try:
        parts = dates.parse(pc.utf8_trim(present, " ") if _padded(present) else present)
        if not timed and (parts.micros != 0).any():
            raise dates.NotADate("has a time of day")
        if order == "dm":
            # Undecided: every value must read both ways; kept as the text it is.
            if not dates.reads_both_ways(parts):
                raise dates.NotADate("tells the day from the month")
            return convert(arr, "string")
        numbers = (dates.micros if timed else dates.days)(parts, order == "dmy")
    except dates.NotADate as exc:
        raise DoesNotFit(str(exc)) from None
    physical = pa.int64() if timed else pa.int32()
    if valid is None:
        return pa.array(numbers, physical).cast(ARROW_TYPES[kind])
    full = np.zeros(len(values), np.int64)
    full[valid] = numbers
    return pa.array(full, physical, mask=~valid).cast(ARROW_TYPES[kind])


def _amount(arr: pa.Array, kind: str, fmt: NumberFormat, view: _TextView | None) -> pa.Array:
    """Text → an amount kind: the numbers without their unit; percentages as fractions."""
    unit = _AMOUNT_KINDS[kind]
    try:
        numbers = amounts.bare(_without_null_tokens(arr, view), unit)
    except amounts.NotAnAmount as exc:
        raise DoesNotFit(str(exc)) from None
    typed = _convert(numbers, "float", fmt, True)
    return pc.divide(typed, 100.0) if unit == amounts.PERCENT else typed


def unit(kind: str) -> str | None:
    """The unit an amount kind's values were written with ("$", "€", "%"); None for other kinds."""
    return _AMOUNT_KINDS.get(kind)


def _leading_zero(values: pa.Array, decimal: str = ".", view: _TextView | None = None) -> bool:
    """A leading zero that is not "0", "0.5" or "0e3": ZIP codes, article numbers, and "0x10" (read as hex).

    Plain prefix tests instead of a regular expression: a column of "0.xxx" values would run the regex on
    every value of every chunk. On a plain string array, numpy gathers of the first three bytes of each value.
    """
    view = view or _text_view(values)
    if view is not None:
        lengths = view.lengths
        signed = _SIGN.take(view.first) & (lengths > 0)
        if signed.any():
            at = view.starts + signed  # where the zero would be: after the sign, if any
            zero = (view.byte(at) == _ZERO) & (lengths > signed)
        else:  # no signs (the usual case): the zero would be the first byte, already read
            at = view.starts
            zero = (view.first == _ZERO) & (lengths > 0)
        if not zero.any():
            return False
        after = _AFTER_ZERO.get(decimal)
        if after is None:
            after = _after_zero(decimal)
        fine = (lengths == signed + 1) | after.take(view.byte(at + 1))
        return bool((zero & ~fine).any())
    for sign in ("", "-", "+"):
        zero = sign + "0"
        starts = pc.starts_with(values, zero)
        if not pc.any(starts).as_py():
            continue
        fine = pc.equal(values, zero)
        for follow in (decimal, "e", "E"):
            fine = pc.or_(fine, pc.starts_with(values, zero + follow))
        if pc.any(pc.and_not(starts, fine)).as_py():
            return True
    return False


def _has_huge(typed: pa.Array) -> bool:
    """Only a value of 2**53 or more can be an integer that a float would round."""
    mm = pc.min_max(typed)
    lo, hi = mm["min"].as_py(), mm["max"].as_py()
    return lo is not None and max(abs(lo), abs(hi)) >= _FLOAT_EXACT


def chunk_kind(arr: pa.Array, fmt: NumberFormat) -> str:
    """The narrowest kind that holds every value of this chunk."""
    return _chunk_kind(arr, fmt)[0]


def chunk_typed(arr: pa.Array, fmt: NumberFormat) -> tuple[str, pa.Array | None]:
    """The narrowest kind that holds every value of this chunk, and the chunk converted to it (None for text
    and for a chunk of nulls): what :func:`chunk_kind` converts to tell the kind, kept."""
    return _chunk_kind(arr, fmt)


def _chunk_kind(arr: pa.Array, fmt: NumberFormat) -> tuple[str, pa.Array | None]:
    """The narrowest kind that holds every value of this chunk, and the chunk converted to it (None: text)."""
    mask = null_mask(arr)
    if pc.all(mask).as_py() is not False:
        return "null", None
    # A failed cast still reads the whole array: rule kinds out on a few hundred values first, by the bytes
    # they hold (one pass, no cast), then by trying them.
    values = arr.filter(pc.invert(mask))
    probe = values.slice(0, 256)
    short = len(values) <= len(probe)  # the probe is every value: trying it first would try them twice
    for kind in _possible_kinds(probe, fmt):
        if kind == _REGIONAL:
            # Which of the three, all the values decide (the day above 12 may be anywhere in the chunk).
            ordered = _regional_kind(values, fmt)
            if ordered is None:
                continue
            kind = ordered
        elif kind == _AMOUNT:
            # The unit may be anywhere in the chunk ("$" first at its 300th value): all the values decide.
            found = amounts.find_unit(values) if _any_unit_byte(values) else None
            if found is None:
                continue
            kind = _AMOUNT_NAMES[found]
        elif not (short or _fits(probe, kind, fmt)):
            continue
        try:
            return kind, convert(arr, kind, fmt)
        except (DoesNotFit, pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return "string", None


def _any_unit_byte(values: pa.Array) -> bool:
    """Whether any value holds a byte of a unit: one gather over the text, before a search per unit."""
    view = _text_view(values)
    return view is None or bool(amounts.UNIT_BYTES.take(view.bytes()).any())


def _byte_set(chars: str) -> np.ndarray:
    table = np.zeros(256, np.bool_)
    table[list(chars.encode())] = True
    return table


_DIGITS = "0123456789"
# Every byte a value of the kind may hold, generously (Arrow's casts decide): a byte outside the set rules the
# kind out without a cast. Text columns ("yes", "Paris") are then told in one pass instead of five failed casts.
# A space: the padding of " 12" (see :func:`convert`).
# Spaces, apostrophes (and the bytes of their Unicode forms) group thousands too: see _ungrouped.
_INT_BYTES = {sep: _byte_set(_DIGITS + "+-" + amounts.GROUPING + sep) for sep in ".,"}  # by thousands separator
_KIND_BYTES = {
    "float": _byte_set(_DIGITS + "+-eE.," + amounts.GROUPING + "infatyINFATY"),  # "inf", "nan"
    "bool": _byte_set("".join(TRUE_TOKENS + FALSE_TOKENS) + " "),
    "date": _byte_set(_DIGITS + "-/ :T."),  # ":T.": a midnight time of day ("2024-01-31 00:00:00")
    _REGIONAL: _byte_set(_DIGITS + "./-: TAPMapm"),
    "timestamp": _byte_set(_DIGITS + "-+:.,TtZz /"),
    "timestamptz": _byte_set(_DIGITS + "-+:.,TtZz /UTCGM"),
    _AMOUNT: _byte_set(_DIGITS + "+-.,()" + amounts.GROUPING + "".join(amounts.UNITS)),
}
_SIGNS = _byte_set("+-")
_EXPONENT = _byte_set("eE")


def _possible_kinds(probe: pa.Array, fmt: NumberFormat) -> list[str]:
    """The kinds the probe's bytes allow, narrowest first."""
    view = _text_view(probe)
    if view is None:
        return list(_TRY_ORDER)
    data = view.bytes()
    used = np.zeros(256, np.bool_)
    used[data] = True
    if used[_SIGNS].any() and not used[_SPACE]:
        # A sign inside a value ("2024-01-31") is no number, unless after an exponent ("1e-5"); after padding
        # (" -5") it is not inside, so padded values skip this test, and a trailing minus ("12-") is not either.
        signs = int(_SIGNS.take(data).sum())
        edges = (_SIGNS.take(view.first) & (view.lengths > 0)) | (_SIGNS.take(view.last) & (view.lengths > 1))
        inside = signs > int(edges.sum())
    else:
        inside = False
    out = []
    for kind in _TRY_ORDER:
        if kind in ("int", "float") and inside and (kind == "int" or not used[_EXPONENT].any()):
            continue
        allowed = _INT_BYTES[fmt.thousands] if kind == "int" else _KIND_BYTES[kind]
        if not (used & ~allowed).any():
            out.append(kind)
    return out


def join(a: str, b: str) -> str:
    if a == b or b == "null":
        return a
    if a == "null":
        return b
    if {a, b} == {"int", "float"}:
        return "float"
    if {a, b} == {"date", "timestamp"}:
        return "timestamp"
    if a in _AMOUNT_KINDS or b in _AMOUNT_KINDS:
        # A bare number in a column of amounts is the same amount without its symbol; not so for "%" (is
        # "0.5" half or half a percent?), nor for a second unit.
        amount, other = (a, b) if a in _AMOUNT_KINDS else (b, a)
        return amount if other in ("int", "float") and amount != "percent" else "string"
    if a in _REGIONAL_KINDS and b in _REGIONAL_KINDS:
        (order_a, timed_a), (order_b, timed_b) = _REGIONAL_KINDS[a], _REGIONAL_KINDS[b]
        orders = {order_a, order_b} - {"dm"}  # an undecided order takes the one a value told
        if len(orders) > 1:
            return "string"  # both orders: two formats in one column
        return _REGIONAL_NAMES[(orders.pop() if orders else "dm", timed_a or timed_b)]
    return "string"


@dataclass
class Widening:
    """Why a column changed kind: shown to the user as a warning."""

    column: str
    old: str
    new: str
    row: int  # 1-based data row of the first value that did not fit
    value: str
    why: str | None = None  # instead of "which is not <old kind>"

    def message(self) -> str:
        why = self.why or f"which is not {_NAMES[self.old]}"
        return (
            f"column '{self.column}': row {self.row} has {self.value!r}, {why}; "
            f"the whole column is stored as {_NAMES[self.new]}"
        )


_NAMES = {
    "null": "empty", "bool": "true/false", "int": "an integer", "float": "a number", "date": "a date",
    "date_dmy": "a day/month/year date", "date_mdy": "a month/day/year date",
    "date_dm": "a date whose day and month may be either way round",
    "timestamp_dmy": "a day/month/year date-time", "timestamp_mdy": "a month/day/year date-time",
    "timestamp_dm": "a date-time whose day and month may be either way round",
    "timestamp": "a date-time", "timestamptz": "a date-time with a time zone", "string": "text",
    **{kind: "a percentage" if unit == amounts.PERCENT else f"an amount in {unit}"
       for kind, unit in _AMOUNT_KINDS.items()},
}


@dataclass
class ColumnTyper:
    """Follows one column through the file: the narrowest kind that fits every value seen so far.

    ``kind`` is what the values seen so far need; ``floor`` what a look at blocks spread over the file (or an
    earlier attempt) showed the column will need. Values are converted to ``target``, the wider of the two, so
    the schema is right from the first row; ``kind`` is still followed so the warning names the real first row
    and value that forced the wider type.
    """

    name: str
    fmt: NumberFormat
    kind: str = "null"
    floor: str = "null"
    widenings: list[Widening] = field(default_factory=list)
    _max_abs_int: int = 0
    _nulls: bool = False  # a null token was seen: skip the optimistic plain cast
    # Every value converted to the target so far is exactly what casting it back to text gives ("17", not
    # "+17" or "NA"): then a later change to text can cast the rows already written instead of reading the
    # file again. Followed for the kinds whose text form is unique (integers, dates, empty columns).
    exact_text: bool = True
    undecided: str | None = None  # a value of a column whose day/month order no value has told yet
    mixed_orders: tuple[str, str] | None = None  # a day-first and a month-first date of the column's first values

    @property
    def target(self) -> str:
        return join(self.kind, self.floor)

    def notes(self) -> list[str]:
        """What the user should know about the column's type beyond its widenings."""
        if self.target in UNDECIDED:
            return [undecided_dates(self.name, self.undecided or "")]
        if self.target == "string" and self.mixed_orders:
            day_first, month_first = self.mixed_orders
            return [f"column '{self.name}' mixes day-first and month-first dates ({day_first!r}, {month_first!r}); "
                    "it is stored as text"]
        return []

    def widens_in_place(self, old: str) -> bool:
        """Whether values already converted to ``old`` give the current target's values by a plain cast."""
        new = self.target
        if new == old:
            return True
        if old == "null":
            return new != "string" or self.exact_text
        if old in UNDECIDED:
            return ARROW_TYPES[new] == pa.string()  # written as the text it is
        if new == "string":
            return old in ("int", "date") and self.exact_text
        # int → float is exact (an integer a float would round makes the column text, see _widen).
        if old in ("int", "float") and new in _AMOUNT_KINDS:
            return True  # numbers already, the unit is only taken off
        return (old, new) in (("int", "float"), ("date", "timestamp"), ("date_dmy", "timestamp_dmy"),
                              ("date_mdy", "timestamp_mdy"))

    def observe(self, arr: pa.Array, first_row: int) -> pa.Array | None:
        """Follow ``kind`` over one chunk; ``first_row``: 1-based data row number of ``arr[0]``.

        Returns the chunk converted to the (new) ``kind`` when that conversion was made on the way, else None.
        """
        if self.kind == "string":
            return None
        if self.kind == "null":
            return self._first_values(arr, first_row)
        try:
            typed = convert(arr, self.kind, self.fmt, self._nulls)
        except (DoesNotFit, pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return self._widen(arr, first_row)
        self._track(arr, typed, self.kind)
        return typed

    def _first_values(self, arr: pa.Array, first_row: int) -> pa.Array | None:
        """The kind of the column's first values, then the rest of their chunk followed as later values.

        So a column of integers with one 'ABC-17' at row 199,999 is text with a warning naming that row and
        value, even when the whole file is one chunk; its first rows alone decide nothing more than that.
        """
        if len(arr) <= FIRST_ROWS:
            return self._widen(arr, first_row)
        head = self._widen(arr.slice(0, FIRST_ROWS), first_row)
        rest = arr.slice(FIRST_ROWS)
        if self.kind == "null":  # nothing but empty values yet: the rest simply decides
            return self._widen(rest, first_row + FIRST_ROWS)
        tail = self.observe(rest, first_row + FIRST_ROWS)
        if head is None or tail is None or head.type != tail.type:
            return None
        return pa.concat_arrays([head, tail])

    def convert(self, arr: pa.Array, first_row: int) -> pa.Array | None:
        """The chunk converted to ``target``; None when the chunk needs a wider target than before."""
        target = self.target
        if self.kind != target:
            typed = self.observe(arr, first_row)
            if self.target != target:
                return None
            if typed is None or self.kind != target:
                try:
                    typed = convert(arr, target, self.fmt)
                except (DoesNotFit, pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    # Values of the kind seen so far that the floor cannot hold: an integer past 2**53 where the
                    # spread look saw decimals. Only text holds both.
                    idx = _first_misfit(arr, target, self.fmt)
                    why = ("an integer too long for a float, in a column with decimals"
                           if target == "float" and self.kind == "int" else None)
                    self.widenings.append(
                        Widening(self.name, target, "string", first_row + idx, str(arr[idx].as_py()), why)
                    )
                    self.floor = "string"
                    return None
            return self._written(arr, typed)
        if target == "string":
            return convert(arr, "string", self.fmt)
        try:
            typed = convert(arr, target, self.fmt, self._nulls)
        except (DoesNotFit, pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if self.kind == "null":
                self._first_values(arr, first_row)
            else:
                self._widen(arr, first_row)
            return None
        self._track(arr, typed, target)
        return self._written(arr, typed)

    def convert_widened(self, arr: pa.Array) -> pa.Array:
        """The chunk :meth:`convert` refused, converted to the new (wider) target: it fits by construction."""
        return self._written(arr, convert(arr, self.target, self.fmt))

    def _written(self, arr: pa.Array, typed: pa.Array) -> pa.Array:
        """``typed`` is what the output holds for ``arr``: follow whether it still spells the text exactly."""
        if self.exact_text:
            self.exact_text = _spells_exactly(arr, typed, self.target)
        return typed

    def _track(self, arr: pa.Array, typed: pa.Array, kind: str) -> None:
        if typed.null_count:
            self._nulls = True
        if kind == "int":
            mm = pc.min_max(typed)
            lo, hi = mm["min"].as_py(), mm["max"].as_py()
            if lo is not None:
                self._max_abs_int = max(self._max_abs_int, abs(lo), abs(hi))

    def _widen(self, arr: pa.Array, first_row: int) -> pa.Array | None:
        """Widen ``kind`` to hold this chunk; returns the chunk converted to the new kind, if it was."""
        own, typed = _chunk_kind(arr, self.fmt)
        new = join(self.kind, own)
        if ARROW_TYPES[new] == pa.float64() and self._max_abs_int >= _FLOAT_EXACT:
            new = "string"
        if new != own:
            typed = None
            if new != "string":  # "null" only joins "null": then new == own
                try:
                    typed = convert(arr, new, self.fmt)
                except (DoesNotFit, pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    new = "string"
        if new == own == "string" and self.kind == "null" and _possible_regional(arr):
            self.mixed_orders = _mixed_orders(arr)
        if new in UNDECIDED and self.undecided is None:
            self.undecided = first_value(arr)
        if self.kind not in ("null", new) and not _order_told(self.kind, new) and not _unit_told(self.kind, new):
            idx = _first_misfit(arr, self.kind, self.fmt)
            self.widenings.append(Widening(self.name, self.kind, new, first_row + idx, str(arr[idx].as_py())))
        self.kind = new
        if typed is not None:
            self._track(arr, typed, new)
        elif new == "null":
            self._nulls = True
        return typed


def _possible_regional(arr: pa.Array) -> bool:
    """Whether the bytes of the first values allow a regional date (a cheap screen before a regex)."""
    return _REGIONAL in _possible_kinds(pc.drop_null(arr).slice(0, 256), NumberFormat())


def _order_told(old: str, new: str) -> bool:
    """An undecided regional kind became the same kind with its order known: no change of type to report."""
    return old in UNDECIDED and new in _REGIONAL_KINDS and _REGIONAL_KINDS[old][1] == _REGIONAL_KINDS[new][1]


def _unit_told(old: str, new: str) -> bool:
    """Numbers became amounts: a later value showed the unit of the earlier ones; no change of type to report."""
    return old in ("int", "float") and new in _AMOUNT_KINDS


_POW10 = np.array([10**k for k in range(1, 20)], np.uint64)


def _spells_exactly(text: pa.Array, typed: pa.Array, kind: str) -> bool:
    """Whether casting ``typed`` back to text gives ``text`` exactly (nulls: only from "").

    Compared by total length, without building the text: every spelling Arrow accepts for a value is at least
    as long as the canonical one ("+17", "-0", "NA" for null are longer), so equal totals mean equal values.
    """
    if kind not in ("int", "date", "null"):
        return False
    total = text_bytes(text)
    if kind == "null":
        return total == 0
    valid = len(typed) - typed.null_count
    if kind == "date":
        return total == 10 * valid  # Arrow reads dates as YYYY-MM-DD only
    values = typed.to_numpy(zero_copy_only=False) if not typed.null_count else pc.drop_null(typed).to_numpy()
    magnitude = np.abs(values).view(np.uint64)  # |INT64_MIN| wraps, and reads right as unsigned
    digits = np.searchsorted(_POW10, magnitude, side="right") + 1
    return total == int(digits.sum()) + int((values < 0).sum())


def text_bytes(text: pa.Array) -> int:
    """Total bytes of the values: the span of the offsets of a plain string array, no pass over the values."""
    if type(text) is pa.StringArray and not text.null_count and len(text):
        offsets = np.frombuffer(text.buffers()[1], np.int32, count=len(text) + 1, offset=text.offset * 4)
        return int(offsets[-1]) - int(offsets[0])
    return int(pc.sum(pc.binary_length(text)).as_py() or 0)


def _fits(arr: pa.Array, kind: str, fmt: NumberFormat) -> bool:
    try:
        convert(arr, kind, fmt)
    except (DoesNotFit, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def _first_misfit(arr: pa.Array, kind: str, fmt: NumberFormat) -> int:
    """Index of the first value that does not fit ``kind`` (bisection on prefixes: rare path, O(log n) casts)."""
    lo, hi = 0, len(arr) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if _fits(arr.slice(0, mid + 1), kind, fmt):
            lo = mid + 1
        else:
            hi = mid
    return lo
