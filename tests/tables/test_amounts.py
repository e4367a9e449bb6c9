"""Amounts written with their unit, as accounting and shop exports display them: numbers in the output, the unit
in the profile; two units in one column, or percentages beside bare numbers, stay text."""

from __future__ import annotations

import math

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from jobs.tables.amounts import bare_text


def test_a_dollar_export_with_accounting_negatives(run_csv):
    run = run_csv(b'Order,Total,Discount,Code\n'
                  b'1001,"$1,234.56",($5.00),A1\n'
                  b'1002,$3.00,$0.00,B2\n'
                  b'1003,"$12,000.00",-,C3\n'
                  b'1004,-$7.25,$-0.50,D4\n')
    data = run.data
    assert data.schema.field("Total").type == pa.float64()
    assert data.column("Total").to_pylist() == [1234.56, 3.0, 12000.0, -7.25]
    assert data.column("Discount").to_pylist() == [-5.0, 0.0, None, -0.5]  # "-" is a null token
    assert data.column("Order").type == pa.int64() and data.column("Code").type == pa.string()
    columns = run.columns
    assert (columns["Total"]["unit"], columns["Discount"]["unit"]) == ("$", "$")
    assert columns["Order"]["unit"] is None and columns["Code"]["unit"] is None
    assert columns["Discount"]["nulls"] == 1
    assert math.isclose(columns["Total"]["mean"], pc.mean(data.column("Total")).as_py())
    assert (columns["Total"]["min"], columns["Total"]["max"]) == ("-7.25", "12000.0")
    assert run.result.warnings == []  # nothing lost: the unit is kept as the column's
    assert run.result.metrics["column_units"] == {"Total": "$", "Discount": "$"}  # in run --json too


def test_a_german_export_with_euros_and_percentages(run_csv):
    # The decimal mark is told by the amounts themselves: "1.234,56 €" proves a decimal comma.
    run = run_csv("Datum;Artikel;Betrag;MwSt;Anteil\n"
                  "02.01.2024;Kaffee;1.234,56 €;19 %;12,5%\n"
                  "03.01.2024;Tee;(45,00 €);7 %;-3%\n"
                  "04.01.2024;Milch;-2,00\u00a0€;;0%\n".encode())
    data = run.data
    assert run.summary["decimal"] == ","
    assert data.column("Betrag").to_pylist() == [1234.56, -45.0, -2.0]
    assert data.column("MwSt").to_pylist() == [0.19, 0.07, None]  # stored as fractions, as Excel holds them
    assert data.column("Anteil").to_pylist() == [0.125, -0.03, 0.0]
    units = {name: row["unit"] for name, row in run.columns.items()}
    assert units == {"Datum": None, "Artikel": None, "Betrag": "€", "MwSt": "%", "Anteil": "%"}


@pytest.mark.parametrize("values", [
    ["$5.00", "€5.00"],  # two currencies: two kinds of thing
    ["12%", "0.5"],  # is 0.5 half, or half a percent?
    ["$5$5", "$3"],  # the symbol twice
    ["$007", "$3"],  # a leading zero: an article number, not an amount
    ["R$ 5", "$3"],  # another currency that ends in "$"
])
def test_what_is_not_one_kind_of_amount_stays_text(run_csv, values):
    run = run_csv(("x\n" + "".join(f"{v}\n" for v in values)).encode())
    assert run.data.schema.field("x").type == pa.string()
    assert run.data.column("x").to_pylist() == values
    assert run.columns["x"]["unit"] is None


def test_iso_codes_and_non_breaking_spaces(run_csv):
    run = run_csv("a;b;c\nEUR 12,50;12,50 CHF;3\u202f€\n1.000,00EUR;-0,50 CHF;4\u00a0€\n".encode())
    assert run.data.column("a").to_pylist() == [12.5, 1000.0]
    assert run.data.column("b").to_pylist() == [12.5, -0.5]
    assert run.data.column("c").to_pylist() == [3.0, 4.0]
    assert [run.columns[n]["unit"] for n in "abc"] == ["EUR", "CHF", "€"]


def test_central_european_and_nordic_currencies(run_csv):
    # mBank (Poland), a Czech shop, a Swedish bank: the code or the local symbol after the amount.
    run = run_csv("Kwota;Cena;Belopp;Ár\n-23,47 PLN;1 299,00 Kč;-1 250,00 kr;12 990 Ft\n"
                  "8 500,00 PLN;89,90 Kč;300,00 kr;990 Ft\n".encode(), name="pl.csv")
    assert run.data.to_pylist()[0] == {"Kwota": -23.47, "Cena": 1299.0, "Belopp": -1250.0, "Ár": 12990}
    assert run.result.metrics["column_units"] == {"Kwota": "PLN", "Cena": "Kč", "Belopp": "kr", "Ár": "Ft"}


def test_thousands_grouped_by_spaces_or_apostrophes(run_csv):
    # France and Scandinavia group by a (often non-breaking) space, Switzerland by an apostrophe.
    run = run_csv("Article;Prix;Qté;Réf\nCafé;1 234,56 €;1 200;12 34\nThé;12,50 €;3;5 6\n"
                  "Lait;2\u00a0345,00\u00a0€;12\u202f000;7 8\n".encode())
    assert run.summary["decimal"] == ","  # told by "1 234,56" as by "1234,56"
    assert run.data.column("Prix").to_pylist() == [1234.56, 12.5, 2345.0]
    assert run.data.schema.field("Qté").type == pa.int64()
    assert run.data.column("Qté").to_pylist() == [1200, 3, 12000]
    assert run.data.column("Réf").to_pylist() == ["12 34", "5 6", "7 8"]  # spaces that group nothing: text
    swiss = run_csv(b"Artikel,Preis,Total\nA,1'234.50,CHF 1'000\nB,99.90,CHF 12.50\n", name="ch.csv")
    assert swiss.data.column("Preis").to_pylist() == [1234.5, 99.9]
    assert swiss.data.column("Total").to_pylist() == [1000.0, 12.5]
    assert swiss.columns["Total"]["unit"] == "CHF"


def test_a_symbol_that_first_appears_late_keeps_every_row(run_csv):
    # 300,000 bare amounts, then the first "$": the column was numbers all along, now with its unit, and the
    # rows already written are the same numbers (no second reading of the file, no warning).
    rows = [f"{i},{i % 1000}.25\n" for i in range(300_000)]
    rows[290_000] = "290000,$7.50\n"
    run = run_csv(("id,price\n" + "".join(rows)).encode())
    price = run.data.column("price")
    assert price.type == pa.float64()
    assert price[0].as_py() == 0.25 and price[999].as_py() == 999.25 and price[290_000].as_py() == 7.5
    assert run.data.num_rows == 300_000
    assert run.columns["price"]["unit"] == "$"
    assert run.result.warnings == []


def test_a_second_currency_late_makes_the_column_text_and_says_where(run_csv):
    rows = [f"{i},${i % 100}.00\n" for i in range(300_000)]
    rows[280_000] = "280000,€5.00\n"
    run = run_csv(("id,price\n" + "".join(rows)).encode())
    price = run.data.column("price")
    assert price.type == pa.string()
    assert price[0].as_py() == "$0.00" and price[280_000].as_py() == "€5.00"  # every value as written
    [warning] = run.result.warnings
    assert "column 'price'" in warning and "row 280001" in warning and "'€5.00'" in warning
    assert "an amount in $" in warning


def test_an_integer_too_long_for_a_float_keeps_an_amount_column_text(run_csv):
    run = run_csv(b"n\n12345678901234567890\n$5\n")
    assert run.data.column("n").to_pylist() == ["12345678901234567890", "$5"]


def test_amounts_in_the_text_cells_of_a_workbook(tmp_path, run_excel):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Prices"
    sheet.append(["item", "price", "margin"])
    for item, price, margin in [("Tea", "$3.50", "12%"), ("Cake", "$4.25", "7.5%"), ("Jam", "($1.00)", "-2%")]:
        sheet.append([item, price, margin])
    src = tmp_path / "prices.xlsx"
    book.save(src)
    run = run_excel(src)
    data = run.data
    assert data.column("price").to_pylist() == [3.5, 4.25, -1.0]
    assert data.column("margin").to_pylist() == [0.12, 0.075, -0.02]
    assert {n: r["unit"] for n, r in run.columns.items()} == {"item": None, "price": "$", "margin": "%"}


@pytest.mark.parametrize(("value", "bare"), [
    ("1.234,56 €", "1.234,56"), ("$1,234.56", "1,234.56"), ("(45,00 €)", "45,00"), ("12,5%", "12,5"),
    ("  1.234,5 ", "1.234,5"), ("Paris", "Paris"), ("EUR\u00a01,5", "1,5"),
])
def test_the_decimal_mark_is_told_without_the_unit(value, bare):
    assert bare_text(value) == bare
