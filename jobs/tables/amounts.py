"""Amounts written with their unit: "$1,234.56", "1.234,56 €", "(45.00)", "EUR 12,50", "12.5%".

Accounting and shop exports write money the way it is displayed. A column whose values carry one unit (or none)
is a column of numbers in that unit; the unit is taken off the values and kept as the column's unit (in the
profile). Two units in one column ("$" and "€") are two kinds of thing: such a column stays text. Percentages are
stored as fractions, as Excel holds them ("12.5%" → 0.125), and every value must say "%": a bare "0.5" beside
"12%" could mean either.

Accounting negatives are written in parentheses ("(45.00)", "$(45.00)"); a sign may come before or after a
currency symbol ("-$5", "$-5"). Separators and the decimal mark are left to the number reading (NumberFormat).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

PERCENT = "%"
# Symbols first, then ISO codes: the currencies of the exports people receive. A code needs no space of its
# own ("EUR 12,50", "12,50 EUR" and "12,50EUR" all occur).
CURRENCIES = (
    "$", "€", "£", "¥", "₹", "₽", "₺", "₩", "₪", "zł", "Kč", "kr", "Ft",
    "CHF", "EUR", "USD", "GBP", "PLN", "CZK", "HUF", "SEK", "NOK", "DKK", "JPY", "CNY", "CAD", "AUD", "NZD",
    "INR", "RUB", "TRY", "ZAR", "BRL", "MXN",
)
UNITS = (*CURRENCIES, PERCENT)
# Non-breaking spaces sit between number and symbol in French and German exports ("12,50 €").
_SPACES = ("\u00a0", "\u202f")
# What groups thousands besides "," and ".": spaces (plain or non-breaking: France, Scandinavia, the SI) and
# apostrophes (Switzerland). The number reading (jobs/tables/infer.py) takes them out where they group digits.
GROUPING = " '" + "".join(_SPACES) + "\u2019"
# Digits with separators; a space or an apostrophe may group thousands ("1 234,56 €", "CHF 1'234.50").
_NUMBER = "[0-9](?:[0-9.,]|[ '\u2019][0-9])*"


def _shape(unit: str) -> str:
    """Every way one value of a column in ``unit`` may be written (after spaces are made plain and trimmed)."""
    u, n = re.escape(unit), _NUMBER
    written = [
        rf"[+-]?{u} ?[+-]?{n}",  # $5  -$5  $-5  EUR 5
        rf"[+-]?{n} ?{u}",  # 5 €  -5,00 €  12%
        rf"\({u} ?{n}\)", rf"\({n} ?{u}\)", rf"{u} ?\({n}\)", rf"\({n}\) ?{u}",  # accounting negatives
    ]
    if unit != PERCENT:
        written += [rf"[+-]?{n}-?", rf"\({n}\)"]  # the same amount without its symbol
    return "^(?:" + "|".join(written) + ")$"


_SHAPES = {unit: _shape(unit) for unit in UNITS}
# Every byte a unit is spelled with: a chunk without any of them holds no amount (one lookup, no regex).
UNIT_BYTES = np.zeros(256, np.bool_)
UNIT_BYTES[list("".join(UNITS).encode())] = True
_ANY_UNIT = "|".join(re.escape(u) for u in UNITS)
_BARE = re.compile(rf"^\(?[+-]?(?:{_ANY_UNIT})? ?[+-]?({_NUMBER}) ?(?:{_ANY_UNIT})?\)?-?$")

_GROUPED_BY = re.compile(f"[{GROUPING}]")
_GROUPS = re.compile(f"(?<=[0-9])[{GROUPING}](?=[0-9]{{3}}(?:[^0-9]|$))")


class NotAnAmount(ValueError):
    """A value that is no amount in the unit asked for."""


def find_unit(values: pa.Array) -> str | None:
    """The one unit the values (no nulls) are written with; None when none or more than one occurs.

    Only units whose every byte occurs in the text are searched for: a column of codes ("C350231758537")
    would otherwise cost a search per unit (35 of them), for none."""
    present = _bytes_present(values)
    found = [unit for unit in UNITS
             if present[_UNIT_CODES[unit]].all() and pc.any(pc.match_substring(values, unit)).as_py()]
    return found[0] if len(found) == 1 else None


_UNIT_CODES = {unit: np.frombuffer(unit.encode(), np.uint8) for unit in UNITS}


def _bytes_present(values: pa.Array) -> np.ndarray:
    """Which of the 256 byte values occur in the text (of the whole buffer: a slice's neighbours may add some)."""
    buffers = values.buffers() if isinstance(values, pa.Array) and pa.types.is_string(values.type) else []
    data = buffers[2] if len(buffers) > 2 else None
    if data is None:
        return np.ones(256, np.bool_)  # not plain text (or no text at all): search for every unit
    return np.bincount(np.frombuffer(data, np.uint8), minlength=256) > 0


def bare(values: pa.Array, unit: str) -> pa.Array:
    """The numbers of amounts in ``unit`` (nulls stay nulls) as text a number reading takes: no unit, no
    spaces but those that group thousands, a minus for parentheses. Raises :class:`NotAnAmount` unless every
    value has the shape."""
    for space in _SPACES:
        if pc.any(pc.match_substring(values, space)).as_py():
            values = pc.replace_substring(values, space, " ")
    values = pc.utf8_trim(values, " ")
    if pc.all(pc.match_substring_regex(values, _SHAPES[unit])).as_py() is False:
        raise NotAnAmount(f"not an amount in {unit}")
    # The spaces beside the unit and the signs go; those between digits group thousands, which the number
    # reading checks (a space that groups nothing keeps the column text).
    values = pc.utf8_trim(pc.replace_substring(values, unit, ""), " ")
    if pc.any(pc.match_substring_regex(values, "^[+-] ")).as_py():
        values = pc.replace_substring_regex(values, "^([+-]) +", r"\1")
    if pc.any(pc.starts_with(values, "(")).as_py():
        values = pc.replace_substring_regex(values, r"^\( *(.*?) *\)$", r"-\1")
    if pc.any(pc.ends_with(values, "-")).as_py():
        values = pc.replace_substring_regex(values, rf"^({_NUMBER})-$", r"-\1")
    return values


def bare_text(value: str) -> str:
    """One value without its unit, sign, parentheses and thousands spaces (for telling the decimal mark); else
    only stripped."""
    stripped = value.strip(" ")
    if not stripped or (stripped[0].isdigit() and stripped[-1].isdigit()):
        number = stripped  # most values: no unit to look for
    else:
        for space in _SPACES:
            stripped = stripped.replace(space, " ")
        found = _BARE.match(stripped.strip(" "))
        number = found.group(1) if found else stripped
    # "1 234,56" proves a decimal comma as "1234,56" does: the spaces that group thousands go too.
    return _GROUPS.sub("", number) if _GROUPED_BY.search(number) else number
