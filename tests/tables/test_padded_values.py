"""Values padded with spaces, as fixed-width and SAP exports write them, and SAP's trailing minus: numbers and
dates without the wrapping, text exactly as written."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa


def test_right_aligned_numbers_of_a_fixed_width_export(run_csv):
    run = run_csv(b"Menge;Betrag;Datum;Text\n"
                  b"     1;   1.234,56; 31.12.2024;  Schraube \n"
                  b"    12;     -12,50;  1.2.2024;Mutter\n"
                  b"      ;       0,75;          ;   \n")
    data = run.data
    assert data.schema.field("Menge").type == pa.int64()
    assert data.column("Menge").to_pylist() == [1, 12, None]
    assert data.column("Betrag").to_pylist() == [1234.56, -12.5, 0.75]
    assert data.column("Datum").to_pylist() == [dt.date(2024, 12, 31), dt.date(2024, 2, 1), None]
    assert data.column("Text").to_pylist() == ["  Schraube ", "Mutter", "   "]  # text keeps its spaces
    assert run.columns["Menge"]["nulls"] == 1
    assert run.result.warnings == []


def test_padding_does_not_hide_a_leading_zero_or_an_inner_space(run_csv):
    run = run_csv(b"zip,code\n 01234, 1 2\n 56789, 3 4\n")
    assert run.data.column("zip").to_pylist() == [" 01234", " 56789"]
    assert run.data.column("code").to_pylist() == [" 1 2", " 3 4"]


def test_only_blanks_say_nothing_about_a_column(run_csv):
    run = run_csv(b"a,b\n  ,1\n   ,2\n")
    assert run.data.schema.field("a").type == pa.string()
    assert run.data.column("a").to_pylist() == ["  ", "   "]


def test_text_late_in_a_padded_number_column_keeps_every_value_as_written(run_csv):
    values = [f"{i % 1000:>6}" for i in range(300_000)]
    values[280_000] = "  n.a."
    run = run_csv(("qty,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values))).encode())
    assert run.data.schema.field("qty").type == pa.string()
    assert run.data.column("qty").to_pylist() == values  # the padded numbers too: as written, not "12"
    [warning] = run.result.warnings
    assert "row 280001" in warning and "'  n.a.'" in warning


def test_sap_negative_numbers_with_a_trailing_minus(run_csv):
    run = run_csv(b"Beleg;Betrag;Menge;Text\n"
                  b"4711;    1.234,56-;   12-;Gutschrift-\n"
                  b"4712;       99,90 ;    3 ;Rechnung\n"
                  b"4713;        0,01-;    0 ;-\n")
    data = run.data
    assert data.column("Betrag").to_pylist() == [-1234.56, 99.9, -0.01]
    assert data.schema.field("Menge").type == pa.int64()
    assert data.column("Menge").to_pylist() == [-12, 3, 0]
    assert data.column("Text").to_pylist() == ["Gutschrift-", "Rechnung", "-"]  # text as written
    profile = run.columns["Betrag"]
    assert (profile["min"], profile["max"]) == ("-1234.56", "99.9")
