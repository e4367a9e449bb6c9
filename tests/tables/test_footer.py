"""Totals lines below a table ("Summe;;2.496,50"): set aside in the rejects with their line, not read as rows
that would turn a column to text and add the table's sum to every sum."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq


def _rejects(run) -> list[dict]:
    return pq.read_table(run.output("_rejects.parquet")).to_pylist()


def test_a_bank_statement_ending_with_its_sum(run_csv):
    run = run_csv("Datum;Text;Betrag\n02.01.2024;Kaffee;-3,50\n03.01.2024;Gehalt;2.500,00\n\nSumme:;;2.496,50\n"
                  .encode("cp1252"))
    data = run.data
    assert data.num_rows == 2
    assert data.column("Datum").to_pylist() == [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert data.column("Betrag").to_pylist() == [-3.5, 2500.0]
    assert _rejects(run) == [{"line": 5, "row": 3, "raw": "Summe:;;2.496,50",
                              "reason": "a totals line below the table, not a row of data"}]
    [warning] = run.result.warnings
    assert "'Summe:;;2.496,50'" in warning and "data_rejects.parquet" in warning and "--keep-totals" in warning
    assert run.summary["rejected_rows"] == 1 and run.summary["rows"] == 2


def test_totals_keep_an_id_column_whole_numbers(run_csv):
    run = run_csv(b"order,amount\n1001,5.50\n1002,7.25\nSubtotal,12.75\nGrand Total:,12.75\n")
    assert run.data.schema.field("order").type == pa.int64()
    assert run.data.column("order").to_pylist() == [1001, 1002]
    assert [(r["line"], r["raw"]) for r in _rejects(run)] == [(4, "Subtotal,12.75"), (5, "Grand Total:,12.75")]


def test_keep_totals_reads_them_as_rows(run_csv):
    run = run_csv(b"order,amount\n1001,5.50\n1002,7.25\nTotal,12.75\n", keep_totals=True)
    assert run.data.column("order").to_pylist() == ["1001", "1002", "Total"]
    assert run.summary["rejected_rows"] == 0 and run.result.warnings == []


def test_notes_below_the_totals_go_with_them(run_csv):
    # QuickBooks ends with its report basis, a German ERP with who made the export: below the total, which
    # stayed a row (the dates turned to text and the total was added into the sum).
    quickbooks = ('"Date","Num","Name","Amount"\n"02/03/2024","","Home Depot","-$89.47"\n'
                  '"03/28/2024","1002","O\'Brien Co.","$12,400.50"\n"Total","","","$12,311.03"\n\n\n'
                  '"Cash Basis Monday, April 1, 2024 09:15 AM GMT-04:00"\n')
    run = run_csv(quickbooks.encode(), name="qb.csv")
    assert run.data.schema.field("Date").type == pa.date32()
    assert run.data.column("Amount").to_pylist() == [-89.47, 12400.5]
    assert [(r["line"], r["reason"]) for r in _rejects(run)] == [
        (4, "a totals line below the table, not a row of data"),
        (7, "a note below the table's totals, not a row of data")]
    assert any(w.startswith("1 totals line(s) and 1 note(s) below them at the end") for w in run.result.warnings)
    erp = run_csv("Datum;Beleg;Betrag\n31.01.2024;R-1;1.234,56\n15.02.2024;R-2;-99,90\nSumme;;1.134,66\n\n"
                  "Erstellt am 02.03.2024 von Buchhaltung\n".encode("cp1252"), name="erp.csv")
    assert erp.data.column("Datum").to_pylist() == [dt.date(2024, 1, 31), dt.date(2024, 2, 15)]
    assert erp.summary["rejected_rows"] == 2


def test_tax_lines_between_subtotal_and_total(run_csv):
    run = run_csv(b"Datum;Kunde;Betrag\n31.01.2024;Meier;100,00\n15.02.2024;Schulz;50,50\nZwischensumme;;150,50\n"
                  b"MwSt 19%;;28,60\nGesamtsumme;;179,10\n", name="rechnung.csv")
    assert run.data.column("Kunde").to_pylist() == ["Meier", "Schulz"]
    assert [r["raw"] for r in _rejects(run)] == ["Zwischensumme;;150,50", "MwSt 19%;;28,60", "Gesamtsumme;;179,10"]
    french = run_csv(b"date;client;montant\n31/01/2024;Dupont;100,00\nTotal HT;;100,00\nTVA 20 %;;20,00\n"
                     b"Total TTC;;120,00\n", name="facture.csv")
    assert french.data.num_rows == 1 and french.summary["rejected_rows"] == 3


def test_what_is_not_a_totals_line_stays_a_row(run_csv):
    # "Total" inside the table, a product called "Total Care", a quoted value whose last line says Total, a
    # header with a totals line and no data, and a label with a value before it.
    for text, rows in [
        (b"name,qty\nTotal,3\nBob,1\n", 2),
        (b"name,qty\nBob,1\nTotal Care,3\n", 2),
        (b'name,note\nBob,"first\nTotal"\n', 1),
        (b"name,qty\nTotal,3\n", 1),
        (b"id,label,qty\n1,a,2\n7,Total,3\n", 2),
        # A tax line that ends a table of tax codes (no total above it), a product whose name starts "Total".
        (b"code,rate\nS,19\nVAT 7%,7\n", 2),
        (b"name,qty\nBob,1\nTotal Car Wash,3\n", 2),
        (b"name,qty\nBob,1\nTOTAL GYM,3\n", 2),
        # One column: every line is one field, so "Total" followed by more entries is no footer.
        (b"term\nRevenue\nTotal\nMargin\nProfit\n", 4),
    ]:
        run = run_csv(text)
        assert run.data.num_rows == rows, text
        assert run.summary["rejected_rows"] == 0, text


def test_a_large_file_ending_with_totals_is_read_once_with_its_types(run_csv, caplog):
    # Above the size where blocks spread over the file are looked at first: that look must not see the totals.
    body = "".join(f"{i};{i % 977},{i % 100:02d}\n" for i in range(700_000))
    run = run_csv(f"id;amount\n{body};\nTotal;123,45\n".encode())
    assert run.data.num_rows == 700_000  # the line ";" is an empty row: listed, not read
    assert run.data.schema.field("id").type == pa.int64()
    assert run.data.schema.field("amount").type == pa.float64()
    empty, total = _rejects(run)
    assert (empty["line"], empty["row"], empty["raw"]) == (700_002, 700_001, ";")
    assert (total["line"], total["row"], total["raw"]) == (700_003, 700_002, "Total;123,45")
    assert "starting over" not in caplog.text


def test_a_workbook_sheet_ending_with_its_total(tmp_path, run_excel):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Orders"
    sheet.append(["order", "amount"])
    for i in range(5):
        sheet.append([1000 + i, i * 1.5])
    sheet.append([])
    sheet.append(["Total", 15.0])
    src = tmp_path / "orders.xlsx"
    book.save(src)
    run = run_excel(src)
    assert run.data.schema.field("order").type == pa.int64()
    assert run.data.column("order").to_pylist() == [1000, 1001, 1002, 1003, 1004]
    assert [(r["row"], r["raw"]) for r in _rejects(run)] == [(7, "Total\t15")]
    assert run.result.metrics["rejected_rows"] == 1
    assert any("orders__Orders_rejects.parquet" in w for w in run.result.warnings)
    kept = run_excel(src, keep_totals=True)
    assert kept.data.column("order").to_pylist()[-1] == "Total"
