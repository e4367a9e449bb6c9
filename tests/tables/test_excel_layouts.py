"""Workbook layouts as people send them: title and info blocks, text cells among typed ones, error cells, notes
below the totals, misnamed files and Excel's lock files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.processors import registry
from jobs.processors.base import ProcessingError, ProcessOptions


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _book(title: str, rows: list[list[object]]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return wb


def _sheet(run, name: str) -> pa.Table:
    return pq.read_table(next(p for p in run.result.outputs if p.name.endswith(f"__{name}.parquet")))


# ------------------------------------------------------------------------------------------ title rows
def test_an_info_block_above_a_bank_statement_is_skipped(run_excel, tmp_path):
    rows: list[list[object]] = [["Account:", "DE89 3704 0044 0532 0130 00"], ["Period:", "01.01.2024 - 31.01.2024"],
                                [], ["Booking date", "Text", "Amount", "Currency"]]
    rows += [[dt.date(2024, 1, 2 + i), f"Payment {i}", -12.5 * (i + 1), "EUR"] for i in range(8)]
    run = run_excel(_save(_book("Statement", rows), tmp_path / "statement.xlsx"))
    t = run.data
    assert t.column_names == ["Booking date", "Text", "Amount", "Currency"]
    assert t.schema.types == [pa.date32(), pa.string(), pa.float64(), pa.string()]
    assert t.num_rows == 8
    assert t.column("Booking date").to_pylist()[:2] == [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert t.column("Amount").to_pylist()[-1] == -100.0
    assert run.result.warnings == [
        "sheet 'Statement': 2 row(s) above the header were skipped (a title: 'Account: DE89 3704 0044 0532 0130 00')"
    ]


def test_titles_above_narrow_tables_are_skipped(run_excel, tmp_path):
    wb = _book("prices", [["Price list 2024"], [], ["Product", "Price"], ["Coffee", 2.5], ["Tea", 2], ["Cake", 3.75]])
    emails = wb.create_sheet("emails")
    for row in [["Newsletter subscribers"], ["Email"], ["anna.meier@example.com"], ["bob@example.org"],
                ["chloe.dubois@example.fr"]]:
        emails.append(row)
    run = run_excel(_save(wb, tmp_path / "lists.xlsx"))
    prices = _sheet(run, "prices")
    assert prices.column_names == ["Product", "Price"]
    assert prices.column("Price").type == pa.float64() and prices.column("Price").to_pylist() == [2.5, 2.0, 3.75]
    assert _sheet(run, "emails").to_pylist() == [
        {"Email": "anna.meier@example.com"}, {"Email": "bob@example.org"}, {"Email": "chloe.dubois@example.fr"}
    ]
    assert run.result.warnings == [
        "sheet 'prices': 1 row(s) above the header were skipped (a title: 'Price list 2024')",
        "sheet 'emails': 1 row(s) above the header were skipped (a title: 'Newsletter subscribers')",
    ]


def test_headers_that_look_narrow_or_plain_stay_headers(run_excel, tmp_path):
    wb = _book("corner", [[None, "Q1", "Q2"], ["North", 1, 2], ["South", 3, 4]])
    for title, rows in {
        "onerow": [["Customer", "Total due", "Due date"], ["ACME", 1500.5, dt.date(2024, 7, 31)]],
        "contacts": [["Name", "Email", "City"], ["Anna Meier", "anna@example.com", "Berlin"],
                     ["Bob Smith", "bob@example.org", "London"]],
        "emails": [["Email"], ["bob@example.org"], ["anna.meier@example.com"], ["chloe.dubois@example.fr"]],
        "notes": [["Order", "Qty", None], [1001, 2], [1002, 5, "urgent"]],
    }.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    run = run_excel(_save(wb, tmp_path / "plain.xlsx"))
    corner = _sheet(run, "corner")
    assert corner.column_names == ["column_1", "Q1", "Q2"] and corner.column("Q2").to_pylist() == [2, 4]
    assert _sheet(run, "onerow").to_pylist() == [
        {"Customer": "ACME", "Total due": 1500.5, "Due date": dt.date(2024, 7, 31)}
    ]
    assert _sheet(run, "contacts").column("City").to_pylist() == ["Berlin", "London"]
    assert _sheet(run, "emails").column("Email").to_pylist()[0] == "bob@example.org"
    notes = _sheet(run, "notes")
    assert notes.column_names[:2] == ["Order", "Qty"] and notes.column("Order").to_pylist() == [1001, 1002]
    assert not any("skipped" in w for w in run.result.warnings)


# --------------------------------------------------------------------------- text dates among real dates
def _dates_book(path: Path, text: str, at: int = 7) -> Path:
    rows: list[list[object]] = [["Paid", "Amount"]]
    rows += [[text if i == at else dt.date(2024, 1 + i, 13 + i), i] for i in range(10)]
    return _save(_book("Dates", rows), path)


@pytest.mark.parametrize(("text", "day"), [("05.03.2024", dt.date(2024, 3, 5)), ("21/12/2024", dt.date(2024, 12, 21))])
def test_a_text_date_among_real_dates(run_excel, tmp_path, text, day):
    run = run_excel(_dates_book(tmp_path / "d.xlsx", text))
    paid = run.data.column("Paid")
    assert paid.type == pa.date32()
    assert paid.to_pylist()[:2] == [dt.date(2024, 1, 13), dt.date(2024, 2, 14)] and paid.to_pylist()[7] == day
    assert run.result.warnings == [] and run.result.metrics["date_order"] == "dmy"


def test_a_text_date_that_reads_both_ways_keeps_the_column_text(run_excel, tmp_path):
    run = run_excel(_dates_book(tmp_path / "d.xlsx", "05/03/2024"))
    paid = run.data.column("Paid").to_pylist()
    assert paid[:2] == ["2024-01-13", "2024-02-14"] and paid[7] == "05/03/2024"
    [warning] = run.result.warnings
    assert warning.startswith("sheet 'Dates': column 'Paid' holds dates such as '05/03/2024'")
    assert run_excel(_dates_book(tmp_path / "d.xlsx", "05/03/2024"), date_order="mdy").data.column(
        "Paid").to_pylist()[7] == dt.date(2024, 5, 3)


def test_real_dates_in_a_text_column_show_no_midnight(run_excel, tmp_path):
    run = run_excel(_dates_book(tmp_path / "d.xlsx", "unknown"))
    assert run.data.column("Paid").to_pylist()[:2] == ["2024-01-13", "2024-02-14"]
    assert run.data.column("Paid").to_pylist()[7] == "unknown"


# ------------------------------------------------------------------------------ decimal-comma text
def _euro_book(path: Path) -> Path:
    rows: list[list[object]] = [["Beleg", "Betrag", "Betrag EUR", "Preis", "Menge", "Gewicht"]]
    for i, (a, b, c) in enumerate([("1.234,56", "1.234,56 €", "12,50"), ("12,00", "12,00 €", "3,99"),
                                   ("-5,10", "-5,10 €", "100,00"), ("1.000.000,00", "1.000.000,00 €", "0,50")]):
        rows.append([f"B{i}", a, b, c, 1.5 * i, ["1,250", "2,125", "12,500", "3,000"][i]])
    return _save(_book("Buchungen", rows), path)


def test_decimal_comma_text_amounts(run_excel, tmp_path):
    run = run_excel(_euro_book(tmp_path / "eur.xlsx"))
    t = run.data
    assert t.column("Betrag").to_pylist() == [1234.56, 12.0, -5.1, 1000000.0]
    assert t.column("Betrag EUR").to_pylist() == [1234.56, 12.0, -5.1, 1000000.0]
    assert t.column("Preis").to_pylist() == [12.5, 3.99, 100.0, 0.5]
    assert t.column("Menge").to_pylist() == [0.0, 1.5, 3.0, 4.5]  # real numbers keep their point
    assert t.column("Gewicht").to_pylist() == [1250, 2125, 12500, 3000]  # reads both ways: not changed
    assert t.column("Beleg").type == pa.string()
    assert run.result.metrics["decimal"] == run.summary["decimal"] == ","
    assert run.columns["Betrag EUR"]["unit"] == "€"


def test_the_decimal_option_for_text_numbers(run_excel, tmp_path):
    run = run_excel(_euro_book(tmp_path / "eur.xlsx"), decimal=",")
    assert run.data.column("Gewicht").to_pylist() == [1.25, 2.125, 12.5, 3.0]
    assert run.data.column("Menge").to_pylist() == [0.0, 1.5, 3.0, 4.5]
    assert run.data.column("Preis").to_pylist() == [12.5, 3.99, 100.0, 0.5]
    point = run_excel(_euro_book(tmp_path / "eur.xlsx"), decimal=".")
    assert point.data.column("Preis").type == pa.string() and point.result.metrics["decimal"] is None
    plain = run_excel(_save(_book("S", [["n", "x"], [1, 2.5], [2, 3.25]]), tmp_path / "plain.xlsx"))
    assert plain.result.metrics["decimal"] is None


# ------------------------------------------------------------------------------ misnamed workbooks
def _table_process(src: Path, out: Path):
    processor = registry.for_path(src).load()
    return processor(src, ProcessOptions(out_dir=out), lambda d, t: None)


def test_workbooks_with_the_other_extension(tmp_path):
    import xlwt

    xlsx = _save(_book("Budget", [["item", "cost"], ["Rent", 900], ["Food", 250.5]]), tmp_path / "b.xlsx")
    named_xls = tmp_path / "export.xls"
    shutil.copy(xlsx, named_xls)
    result = _table_process(named_xls, tmp_path / "o1")
    assert result.warnings == ["the file is named .xls but holds an .xlsx workbook; read as such"]
    assert pq.read_table(result.outputs[0]).column("cost").to_pylist() == [900.0, 250.5]
    book = xlwt.Workbook()
    sheet = book.add_sheet("Legacy")
    for r, row in enumerate([["item", "cost"], ["Rent", 900], ["Food", 250.5]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    named_xlsx = tmp_path / "legacy.xlsx"
    book.save(str(named_xlsx))
    result = _table_process(named_xlsx, tmp_path / "o2")
    assert result.warnings == ["the file is named .xlsx but holds an .xls workbook; read as such"]
    assert pq.read_table(result.outputs[0]).column("item").to_pylist() == ["Rent", "Food"]


# ------------------------------------------------------------------------------------------ lock files
def test_an_excel_lock_file_is_refused(tmp_path):
    lock = tmp_path / "~$budget.xlsx"
    lock.write_bytes(b"\x05ACME  " + b"\x00" * 40 + "ACME".encode("utf-16-le") + b"\x00" * 100)
    with pytest.raises(ProcessingError) as caught:
        _table_process(lock, tmp_path / "out")
    assert str(caught.value) == "~$budget.xlsx is a lock file Excel keeps while budget.xlsx is open, not a workbook"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---------------------------------------------------------------------------------------- error cells
def test_error_cells_are_counted(run_excel, tmp_path):
    wb = _book("Errors", [["Region", "Sales", "Cost", "Margin"], ["North", 100, 80, 0.2], ["South", 0, 0, "#DIV/0!"],
                          ["East", 50, 60, -0.2], ["West", "#N/A", 10, "#REF!"]])
    for ref in ("D3", "B5", "D5"):
        wb.active[ref].data_type = "e"
    run = run_excel(_save(wb, tmp_path / "err.xlsx"))
    assert run.data.column("Margin").to_pylist() == [0.2, None, -0.2, None]
    assert run.data.column("Sales").to_pylist() == [100, 0, 50, None]
    assert run.result.warnings == [
        "sheet 'Errors': 3 cell(s) hold Excel errors (#DIV/0!, #N/A, #REF!); they are empty here"
    ]


# ------------------------------------------------------------------------------- notes below totals
def test_a_footnote_below_the_totals_row(run_excel, tmp_path):
    rows: list[list[object]] = [["Date", "Customer", "Amount"]]
    rows += [[dt.date(2024, 2, i + 1), f"Cust {i}", 100.0 + i] for i in range(6)]
    rows += [[], ["Total", None, 615.0], [], ["* Amounts in EUR, excl. VAT. Source: ERP"]]
    run = run_excel(_save(_book("Sales", rows), tmp_path / "sales.xlsx"))
    t = run.data
    assert t.num_rows == 6 and t.column("Date").type == pa.date32()
    assert t.column("Amount").to_pylist() == [100.0, 101.0, 102.0, 103.0, 104.0, 105.0]
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [r["raw"] for r in rejects] == ["Total\t\t615", "* Amounts in EUR, excl. VAT. Source: ERP"]
    assert run.result.metrics["rejected_rows"] == 2
    [warning] = run.result.warnings
    assert "1 totals line(s) and 1 note(s) below them at the end ('Total\\t\\t615')" in warning
    assert run.result.metrics["totals"] == 1
    reasons = [r["reason"] for r in rejects]
    assert reasons == ["a totals line below the table, not a row of data",
                       "a note below the table's totals, not a row of data"]


def test_tax_rows_between_subtotal_and_total(run_excel, tmp_path):
    rows: list[list[object]] = [["Datum", "Kunde", "Betrag"], [dt.date(2024, 1, 31), "Meier", 100.0],
                                [dt.date(2024, 2, 15), "Schulz", 50.5], ["Zwischensumme", None, 150.5],
                                ["MwSt 19%", None, 28.6], ["Gesamtsumme", None, 179.1]]
    run = run_excel(_save(_book("Rechnung", rows), tmp_path / "rechnung.xlsx"))
    assert run.data.column("Kunde").to_pylist() == ["Meier", "Schulz"]
    assert run.data.column("Datum").type == pa.date32()
    assert run.result.metrics["totals"] == 3


def test_a_note_without_a_totals_row_stays(run_excel, tmp_path):
    rows: list[list[object]] = [["Name", "Score"], ["Ann", 3], ["Bob", 5], [], ["checked by HR"]]
    run = run_excel(_save(_book("S", rows), tmp_path / "s.xlsx"))
    assert run.data.column("Name").to_pylist()[-1] == "checked by HR"


# ------------------------------------------------------------------------------------- date headers
def test_dates_as_column_names(run_excel, tmp_path):
    header: list[object] = ["Account", *(dt.date(2024, m, 1) for m in (1, 2)), dt.datetime(2024, 3, 1, 14, 30)]
    wb = _book("Budget", [header, ["Rent", 1000, 1001, 1002], ["Travel", 200, 201, 202]])
    for col in "BCD":
        wb.active[f"{col}1"].number_format = "mmm-yy"
    run = run_excel(_save(wb, tmp_path / "budget.xlsx"))
    assert run.data.column_names == ["Account", "2024-01-01", "2024-02-01", "2024-03-01 14:30:00"]
    assert run.data.column("2024-01-01").to_pylist() == [1000, 200]


def test_years_as_column_names(run_excel, tmp_path):
    rows: list[list[object]] = [["Region", 2022, 2023, 2024], ["North", 100, 110, 120], ["South", 90, 95, 99]]
    run = run_excel(_save(_book("Years", rows), tmp_path / "years.xlsx"))
    assert run.data.column_names == ["Region", "2022", "2023", "2024"]
    assert run.data.column("2024").to_pylist() == [120, 99]


def test_blank_rows_between_groups_are_left_out_and_listed(run_excel, tmp_path):
    rows: list[list[object]] = [["Region", "Rep", "Sales"], ["North", "Ann", 10], ["North", "Bob", 12], [],
                                ["South", "Cid", 7], [], [], ["South", "Dee", 9], [], []]
    run = run_excel(_save(_book("Sales", rows), tmp_path / "groups.xlsx"))
    assert run.data.column("Rep").to_pylist() == ["Ann", "Bob", "Cid", "Dee"]
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [r["row"] for r in rejects] == [3, 5, 6]  # the two blank rows after the data are formatting
    assert run.result.metrics["rejected_rows"] == 3
    assert any("3 empty row(s) among the data (the first: data row 3)" in w for w in run.result.warnings)


def test_times_of_day_and_hours_worked(run_excel, tmp_path):
    # A timesheet: start times (one typed as text) and hours worked in [h]:mm, which calamine renders as
    # date-times on 31 Dec 1899 and 1 Jan 1900.
    hours = dt.timedelta(hours=1)
    wb = _book("timesheet", [["Employee", "Start", "Hours"], ["Ann", dt.time(8, 30), 38.5 * hours],
                             ["Bob", "07:45", 40 * hours], ["Cid", dt.time(13, 0), 12.25 * hours]])
    for row in range(2, 5):
        wb.active[f"C{row}"].number_format = "[h]:mm"
    run = run_excel(_save(wb, tmp_path / "hours.xlsx"))
    t = run.data
    assert t.schema.field("Start").type == pa.time64("us")
    assert t.column("Start").to_pylist() == [dt.time(8, 30), dt.time(7, 45), dt.time(13, 0)]
    assert t.column("Hours").to_pylist() == [38.5, 40.0, 12.25]
    assert run.result.metrics["column_units"] == {"Hours": "h"}


def test_whole_thousands_typed_as_text_in_a_comma_sheet(run_excel, tmp_path):
    # "1.500" read as 1.5 with the point; the sheet's amounts ("1.234,56") show the comma, and a number cell
    # never ends in a zero, so "2.000" is two thousand.
    rows: list[list[object]] = [["Artikel", "Menge", "Betrag"], ["Schrauben", "1.500", "1.234,56"],
                                ["Muttern", "2.000", "99,90"], ["Dübel", "12.000", "15,00"]]
    run = run_excel(_save(_book("Data", rows), tmp_path / "lager.xlsx"))
    assert run.data.column("Menge").to_pylist() == [1500, 2000, 12000]
    assert run.data.column("Betrag").to_pylist() == [1234.56, 99.9, 15.0]


def test_a_date_printed_top_right_and_a_wide_info_line_are_not_headers(run_excel, tmp_path):
    body: list[list[object]] = [[dt.date(2024, 1, 2 + i), f"Text {i}", -10.5 * i, 1000 - 10.5 * i] for i in range(4)]
    header: list[object] = ["Datum", "Text", "Betrag", "Saldo"]
    for top in ([None, None, None, "Printed: 2024-03-01"], ["Account:", "DE89370400440532013000", "Currency:", "EUR"]):
        run = run_excel(_save(_book("Konto", [top, header, *body]), tmp_path / "konto.xlsx"))
        assert run.data.column_names == header, top
        assert run.data.schema.field("Betrag").type == pa.float64()


def test_a_units_row_under_the_header_and_a_pivots_labels_above_it(run_excel, tmp_path):
    units = _book("units", [["Sample", "Weight", "Length"], [None, "kg", "mm"], ["A", 1.5, 100], ["B", 2, 120]])
    run = run_excel(_save(units, tmp_path / "units.xlsx"))
    assert run.data.column_names == ["Sample", "Weight", "Length"]
    pivot = _book("pivot", [["Sum of Sales", "Column Labels"], ["Row Labels", "2023", "2024", "Grand Total"],
                            ["Berlin", 10, 12, 22], ["Hamburg", 5, 7, 12], ["Kiel", 1, 2, 3]])
    run = run_excel(_save(pivot, tmp_path / "pivot.xlsx"))
    assert run.data.column_names == ["Row Labels", "2023", "2024", "Grand Total"]


def test_a_text_table_with_a_sparse_unnamed_column_keeps_every_row(run_excel, tmp_path):
    rows: list[list[object]] = [["Name", "City", None], ["Anna", "Berlin", "VIP"], ["Ben", "Bonn", None],
                                ["Cara", "Kiel", "new"]]
    run = run_excel(_save(_book("People", rows), tmp_path / "people.xlsx"))
    assert "Cara" in run.data.column(0).to_pylist() and "Anna" in run.data.column(0).to_pylist()


def test_a_list_without_a_name_keeps_its_first_value(run_excel, tmp_path):
    rows: list[list[object]] = [[f"user{i}@example.org"] for i in range(6)]
    run = run_excel(_save(_book("List", rows), tmp_path / "list.xlsx"))
    assert run.data.num_rows == 6 and run.data.column(0).to_pylist()[0] == "user0@example.org"


def test_number_cells_beside_numbers_typed_with_a_comma(run_excel, tmp_path):
    # A half-cleaned sheet: some amounts retyped as numbers, the rest still text with the comma.
    rows: list[list[object]] = [["Item", "Amount", "Price"], ["a", 1234.56, "1.234,56 €"], ["b", "1.234,56", 5.5],
                                ["c", 12.5, "99,00 €"], ["d", "7,25", "2,50 €"]]
    run = run_excel(_save(_book("Data", rows), tmp_path / "half.xlsx"))
    assert run.data.column("Amount").to_pylist() == [1234.56, 1234.56, 12.5, 7.25]
    assert run.data.column("Price").to_pylist() == [1234.56, 5.5, 99.0, 2.5]
    assert run.result.metrics["column_units"] == {"Price": "€"} and run.result.metrics["decimal"] == ","


def test_a_one_column_list_with_total_among_its_entries(run_excel, tmp_path):
    # Every row is one cell: "Total" followed by more entries is no footer (the same rule as CSV files).
    rows: list[list[object]] = [["term"], ["Revenue"], ["Total"], ["Margin"], ["Profit"]]
    run = run_excel(_save(_book("Terms", rows), tmp_path / "terms.xlsx"))
    assert run.data.column(0).to_pylist()[-4:] == ["Revenue", "Total", "Margin", "Profit"]
    assert run.result.metrics["rejected_rows"] == 0
