"""Title and metadata lines above a CSV's header (bank statements, report exports): skipped, and said so."""

from __future__ import annotations

import datetime as dt
import gzip

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.processors import csv as csv_processor
from jobs.processors.base import ProcessingError

BANK = ("Kontonummer;DE12 3456 7890\n"
        "Zeitraum;01.01.2024 - 31.03.2024\n"
        "\n"
        "Buchungstag;Empfänger;Verwendungszweck;Betrag;Währung\n"
        "02.01.2024;Stadtwerke;Abschlag;-45,00;EUR\n"
        "03.01.2024;Arbeitgeber GmbH;Gehalt;2.345,67;EUR\n"
        "15.01.2024;Supermarkt;Einkauf;-23,45;EUR\n")


def test_a_bank_statement_with_account_lines_above_the_header(run_csv):
    run = run_csv(BANK.encode("cp1252"), name="konto.csv")
    data = run.data
    assert data.column_names == ["Buchungstag", "Empfänger", "Verwendungszweck", "Betrag", "Währung"]
    assert data.column("Buchungstag").to_pylist() == [dt.date(2024, 1, 2), dt.date(2024, 1, 3), dt.date(2024, 1, 15)]
    assert data.column("Betrag").to_pylist() == [-45.0, 2345.67, -23.45]
    assert "3 line(s) above the header were skipped (a title: 'Kontonummer DE12 3456 7890')" in run.result.warnings
    assert run.result.metrics["rejected_rows"] == 0


def test_a_statement_with_fewer_bookings_than_account_lines(run_csv):
    # DKB's layout: five "Kontonummer:";"…"; lines and one booking. The account lines are the most common
    # width, which made them the table and sent the header and the booking to the rejects.
    lines = ['"Kontonummer:";"DE12345678901234567890 / Girokonto";', "", '"Von:";"01.03.2024";',
             '"Bis:";"31.03.2024";', '"Kontostand vom 31.03.2024:";"1.234,56 EUR";', "",
             '"Buchungstag";"Wertstellung";"Buchungstext";"Betrag (EUR)";"Gläubiger-ID";',
             '"01.03.2024";"01.03.2024";"Lastschrift";"-1,50";"";']
    run = run_csv(("\n".join(lines) + "\n").encode("cp1252"), name="dkb.csv")
    assert run.data.column_names[:4] == ["Buchungstag", "Wertstellung", "Buchungstext", "Betrag (EUR)"]
    assert run.data.slice(0, 1).to_pylist()[0]["Betrag (EUR)"] == -1.5
    assert run.data.column("Buchungstag").to_pylist() == [dt.date(2024, 3, 1)]
    assert run.result.metrics["rejected_rows"] == 0
    assert any("6 line(s) above the header were skipped" in w for w in run.result.warnings)


def test_a_datev_export_skips_its_format_record(run_csv):
    # The "EXTF" record is wider than the table; DATEV's own documents put it above the header.
    meta = '"EXTF";700;21;"Buchungsstapel";13;20240130140440439;;"RE";"";"";29098;55003;20240101;4;20240101;;;;;;;;'
    lines = [meta, "Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Konto;Belegdatum;Buchungstext",
             '1.234,56;"S";"EUR";8400;0101;"Müller GmbH"', '89,90;"H";"EUR";1200;0201;"Bürobedarf"']
    run = run_csv(("\r\n".join(lines) + "\r\n").encode("cp1252"), name="EXTF_Buchungsstapel.csv")
    assert run.data.column_names[0] == "Umsatz (ohne Soll/Haben-Kz)"
    assert run.data.column("Umsatz (ohne Soll/Haben-Kz)").to_pylist() == [1234.56, 89.9]
    assert run.data.column("Belegdatum").to_pylist() == ["0101", "0201"]  # DDMM, leading zero: text
    assert run.result.metrics["skip_lines"] == 1


def test_title_rows_padded_to_the_full_width_by_excel(run_csv):
    run = run_csv(b"Sales report Q1;;;\n;;;\nshop;day;items;total\nNorth;2024-01-02;3;12.50\nSouth;2024-01-03;1;7.25\n")
    assert run.data.column_names == ["shop", "day", "items", "total"]
    assert run.data.column("items").to_pylist() == [3, 1]
    assert any("2 line(s) above the header" in w and "'Sales report Q1'" in w for w in run.result.warnings)


def test_a_header_that_names_few_of_its_columns_is_not_skipped(run_csv):
    # Skipping it would make the first row of numbers the header. Its empty names cast no vote either way.
    run = run_csv(b"id,amount,,,\n1,2,3,4,5\n6,7,8,9,10\n11,12,13,14,15\n")
    assert run.data.column_names == ["id", "amount", "column_3", "column_4", "column_5"]
    assert run.data.column("id").to_pylist() == [1, 6, 11]
    assert not any("above the header" in w for w in run.result.warnings)
    # A first row of data with empty values is still data.
    run = run_csv(b"1,2,,,\n3,4,5,6,7\n8,9,10,11,12\n", name="data.csv")
    assert run.data.column("column_1").to_pylist() == [1, 3, 8]


def test_a_bad_row_after_the_preamble_names_its_line(run_csv):
    text = BANK + "Summe;;;2.277,22\n" + "16.01.2024;Bäcker;Brot;-3,10;EUR\n"
    run = run_csv(text.encode("utf-8"), name="summe.csv")
    assert run.data.num_rows == 4
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [(r["line"], r["raw"]) for r in rejects] == [(8, "Summe;;;2.277,22")]


def test_no_header_skips_nothing(run_csv):
    # The user's "no header row" turns the look for a preamble off: the account lines are rows again (too
    # short for the table, so rejected and counted), and the header is the first row of data.
    run = run_csv(BANK.encode(), name="raw.csv", header=False)
    assert run.data.column("column_1").to_pylist() == ["Buchungstag", "02.01.2024", "03.01.2024", "15.01.2024"]
    assert run.result.metrics["rejected_rows"] == 2
    assert not any("above the header" in w for w in run.result.warnings)


def test_a_compressed_export_and_its_preview(tmp_path, run_csv):
    src = tmp_path / "report.csv.gz"
    src.write_bytes(gzip.compress(b'"Report generated 2024-03-31"\n"Store: Harbour Street"\norder_id,date,total\n'
                                  b"1,2024-01-02,12.50\n2,2024-01-03,7.25\n"))
    run = run_csv(src)
    assert run.data.schema == pa.schema([("order_id", pa.int64()), ("date", pa.date32()), ("total", pa.float64())])
    preview = csv_processor.preview(src)
    assert preview.column_names == ["order_id", "date", "total"] and preview.num_rows == 2


def test_the_user_says_how_many_lines_to_skip(run_csv):
    detected = run_csv(BANK.encode(), name="a.csv")
    assert detected.summary["skipped_lines"] == detected.result.metrics["skip_lines"] == 3
    chosen = run_csv(BANK.encode(), name="b.csv", skip_lines=3)
    assert chosen.data.equals(detected.data)
    assert not any("above the header" in w for w in chosen.result.warnings)  # the user's choice: no news
    kept = run_csv(BANK.encode(), name="c.csv", skip_lines=0)
    assert kept.data.column_names[:2] == ["Kontonummer", "DE12 3456 7890"]
    assert kept.summary["skipped_lines"] == 0
    assert run_csv(b"a,b\n1,2\n", name="d.csv").summary["skipped_lines"] == 0
    with pytest.raises(ProcessingError, match="0 to 1000"):
        run_csv(BANK.encode(), name="e.csv", skip_lines=-1)
