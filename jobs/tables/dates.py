"""Dates and date-times written the regional way: "31.12.2024", "31/12/2024 14:30", "12/31/2024 2:30:05 PM".

Day, month and a four-digit year with one separator (``.``, ``/`` or ``-``), then optionally a time of day:
hours and minutes, seconds, a fraction of up to six digits, AM/PM. Which of the first two numbers is the day is
never guessed (:func:`order`): a number above 12 tells it, and dots mean day first (no country writes
month.day.year). The numbers are checked here and the days counted with numpy: Arrow's ``strptime`` rolls
"31.02.2024" over to March and reads "24" as the year 24.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# RE2 has no back-references: the one separator is spelled out three times.
_SHAPE = (r"^[0-9]{1,2}(?:\.[0-9]{1,2}\.|/[0-9]{1,2}/|-[0-9]{1,2}-)[0-9]{4}"
          r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?: ?[AaPp][Mm])?)?$")
_PARTS = (r"^(?P<a>[0-9]+)(?P<sep>.)(?P<b>[0-9]+).(?P<y>[0-9]+)"
          r"(?:.(?P<h>[0-9]+):(?P<mi>[0-9]+)(?::(?P<s>[0-9]+)(?:\.(?P<f>[0-9]+))?)?(?: ?(?P<half>[AaPp])[Mm])?)?$")
_DOT = pa.scalar(".", pa.string())
_MICROS_PER_DAY = 86_400_000_000


class NotADate(ValueError):
    """A value that is no regional date (or date-time) of the order asked for."""


@dataclass(frozen=True)
class Parts:
    """The numbers of each value (no nulls): the first two, the year, and the time of day in microseconds."""

    first: np.ndarray
    second: np.ndarray
    year: np.ndarray
    dots: np.ndarray  # bool: written with dots
    timed: np.ndarray  # bool: the value has a time of day
    micros: np.ndarray  # time of day (0 where there is none)


def _numbers(part: pa.Array) -> np.ndarray:
    """Digits → int64; "" (a group that took no part) → 0."""
    filled = pc.if_else(pc.equal(part, ""), "0", part)
    return pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False)


def parse(values: pa.Array) -> Parts:
    """Split every value (a string array without nulls); raises :class:`NotADate` unless each has the shape."""
    if len(values) == 0 or not pc.all(pc.match_substring_regex(values, _SHAPE)).as_py():
        raise NotADate("not a day, month and year")
    parts = pc.extract_regex(values, _PARTS)
    field = parts.field
    hour_text = field("h")
    timed = pc.not_equal(hour_text, "").to_numpy(zero_copy_only=False)
    micros = np.zeros(len(values), np.int64)
    if timed.any():
        hour, minute, second = _numbers(hour_text), _numbers(field("mi")), _numbers(field("s"))
        fraction = field("f")
        digits = pc.binary_length(fraction).to_numpy(zero_copy_only=False)
        fraction_micros = _numbers(fraction) * 10 ** (6 - digits)
        half = pc.utf8_lower(field("half"))
        pm = pc.equal(half, "p").to_numpy(zero_copy_only=False)
        twelve_hour = pc.not_equal(half, "").to_numpy(zero_copy_only=False)
        if (twelve_hour & ((hour < 1) | (hour > 12))).any():
            raise NotADate("no such hour on a 12-hour clock")
        hour = np.where(twelve_hour, hour % 12 + 12 * pm, hour)
        if (hour > 23).any() or (minute > 59).any() or (second > 59).any():
            raise NotADate("no such time of day")
        micros = ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction_micros
    dots = pc.equal(field("sep"), _DOT).to_numpy(zero_copy_only=False)
    return Parts(_numbers(field("a")), _numbers(field("b")), _numbers(field("y")), dots, timed, micros)


def order(parts: Parts) -> str | None:
    """"dmy", "mdy", "dm" (either: no value tells yet) or None (both orders occur: not one format)."""
    first_day, second_day = bool((parts.first > 12).any()), bool((parts.second > 12).any())
    if first_day and second_day:
        return None
    if first_day or (not second_day and parts.dots.any()):
        return "dmy"
    return "mdy" if second_day else "dm"


def reads_both_ways(parts: Parts) -> bool:
    """Every value is a real date whichever of its first two numbers is the day (both 1-12, no dots)."""
    first, second = parts.first, parts.second
    return not (parts.dots.any() or first.min() < 1 or second.min() < 1 or first.max() > 12 or second.max() > 12)


def days(parts: Parts, day_first: bool) -> np.ndarray:
    """Days since 1970-01-01 (int64); raises :class:`NotADate` for a date that does not exist."""
    if not day_first and parts.dots.any():
        raise NotADate("month first with dots")
    day, month = (parts.first, parts.second) if day_first else (parts.second, parts.first)
    if month.min() < 1 or month.max() > 12 or day.min() < 1:
        raise NotADate("no such month or day")
    if parts.year.min() < 1:
        raise NotADate("year 0")  # a placeholder ("01.01.0000"); no reader, nor Python, holds it
    first_of_month = ((parts.year - 1970) * 12 + month - 1).astype("datetime64[M]")
    dates = first_of_month.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    if (dates.astype("datetime64[M]") != first_of_month).any():
        raise NotADate("no such day in its month")  # 31.02.2024, 31/04/2024
    return dates.astype(np.int64)


def micros(parts: Parts, day_first: bool) -> np.ndarray:
    """Microseconds since 1970-01-01T00:00 (a value without a time of day is at midnight)."""
    return days(parts, day_first) * _MICROS_PER_DAY + parts.micros
