"""A chunk's kind: the byte screen that rules kinds out before any cast must never change the answer."""

from __future__ import annotations

import itertools

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from jobs.tables import infer
from jobs.tables.infer import NumberFormat, chunk_kind

# Spellings of every kind, including the awkward ones each screen has to let through.
VALUES = [
    "0", "7", "-12", "+5", "1,234", "1.234", "12.50", "-0.5", ".5", "5.", "1e-5", "-2.5E+3", "inf", "-Infinity",
    "1.234,5", "0,5", "007", "0x10", "12345678901234567890", "true", "False", "TRUE", "2024-01-31", "2024-1-5",
    "2024-01-31T10:00:00", "2024-01-31 10:00:00.250", "2024-01-31T10:00:00Z", "2024-01-31T10:00:00+01:00",
    "31/01/2024", "yes", "no", "Paris", "ABC-17", "n/a", "NA", "-", "", "null", "1 234", "12:30", "€5", "naïve",
    "01/02/2024", "12/31/2024", "31.12.2024", "1.2.2024", "31-12-2024", "31.02.2024", "1.2.24",
    "31.12.2024 14:30", "12/31/2024 2:30:05 PM", "01/02/2024 10:00", "1.2.2024 24:00",
    " 12", "3.50  ", " -5 ", "  ", " 007", " true", "1 2", " 2024-01-31", " 1,234.5 ", " 31.12.2024",
    "12-", "1.234,56-", " 7,25- ", "-12-", "5-5", "007-",
    "2024-01-02 10:00:00 +0100", "2024-01-02 10:00:00 UTC", "2024/01/02", "2024/1/2 10:00", "2024/13/02",
    "$1,234.56", "($5.00)", "-$3", "$-3", "12%", "5,5 %", "1.234,56 €", "(45,00 €)", "EUR 12,50", "12,50EUR",
    "$5$5", "%5", "£007", "US$5", "\u00a312", "3\u00a0€",
    "1 234,56", "1\u00a0234", "1'234.50", "12 34", "1 234 567", "0 123", "1 234,56 €", "CHF 1'234.50",
]


def _kind_by_trying(arr: pa.Array, fmt: NumberFormat) -> str:
    """The kind found by trying every kind in order, with no screen (what chunk_kind stands for)."""
    mask = infer.null_mask(arr)
    if all(mask.to_pylist()):
        return "null"
    for kind in infer._TRY_ORDER:
        if kind == infer._REGIONAL:  # which regional date kind, the values decide (not a screen)
            kind = infer._regional_kind(arr.filter(pc.invert(mask)))
            if kind is None:
                continue
        elif kind == infer._AMOUNT:  # likewise which unit
            unit = infer.amounts.find_unit(arr.filter(pc.invert(mask)))
            if unit is None:
                continue
            kind = infer._AMOUNT_NAMES[unit]
        if infer._fits(arr, kind, fmt):
            return kind
    return "string"


@pytest.mark.parametrize("decimal", [".", ","])
def test_the_byte_screen_never_changes_a_chunks_kind(decimal):
    fmt = NumberFormat(decimal)
    chunks = [[v] for v in VALUES] + [list(pair) for pair in itertools.combinations(VALUES, 2)]
    chunks += [[v] * 300 + [w] for v, w in itertools.product(VALUES[:24], ["1", "x", "2024-02-01", ""])]
    wrong = []
    for values in chunks:
        arr = pa.array(values, pa.string())
        if chunk_kind(arr, fmt) != _kind_by_trying(arr, fmt):
            wrong.append((values[:2], chunk_kind(arr, fmt), _kind_by_trying(arr, fmt)))
    assert not wrong, wrong[:10]


def test_a_value_past_the_probe_still_widens_the_chunk():
    # 300 integers then one date: the probe (first 256 values) says int, the whole chunk says text.
    arr = pa.array(["1"] * 300 + ["2024-01-31"], pa.string())
    assert chunk_kind(arr, NumberFormat()) == "string"
    arr = pa.array(["1"] * 300 + ["2.5"], pa.string())
    assert chunk_kind(arr, NumberFormat()) == "float"
