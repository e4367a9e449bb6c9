"""Exports joined one after another (``cat jan.csv feb.csv``) repeat the header mid-file, and sheets saved as CSV
keep their blank rows as lines of bare delimiters: such lines go to the rejects with their line, instead of
turning every typed column to text or adding rows of nulls."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq


def _rejects(run) -> list[dict]:
    return pq.read_table(run.output("_rejects.parquet")).to_pylist()


def test_monthly_exports_joined_into_one_file(run_csv):
    jan = "".join(f"{i},{i}.5,2024-01-{1 + i % 28:02d}\n" for i in range(150_000))
    feb = "".join(f"{i},{i}.25,2024-02-{1 + i % 28:02d}\n" for i in range(150_000, 300_000))
    run = run_csv(f"id,amount,day\n{jan}id,amount,day\n{feb}".encode())
    data = run.data
    assert [f.type for f in data.schema] == [pa.int64(), pa.float64(), pa.date32()]
    assert data.num_rows == 300_000
    assert data.column("id")[150_000].as_py() == 150_000
    assert data.column("day")[299_999].as_py() == dt.date(2024, 2, 1 + 299_999 % 28)
    assert _rejects(run) == [{"line": 150_002, "row": 150_001, "raw": "id,amount,day",
                              "reason": "repeats the header line (files joined one after another?)"}]
    [warning] = run.result.warnings
    assert "repeat the header, the first on line 150002" in warning


def test_repeats_among_other_rejects_keep_every_line_right(run_csv):
    # A short row, then the header again, then a NUL: each reject on its own line, the rows between kept.
    run = run_csv(b"a;b;c\n1;2;3\n4;5\na;b;c\n6;7;8\n9;\x00;1\n10;11;12\n")
    assert run.data.column("a").to_pylist() == [1, 6, 10]
    lines = {r["line"]: r["reason"] for r in _rejects(run)}
    assert sorted(lines) == [3, 4, 6]
    assert "header" in lines[4] and "NUL" in lines[6]
    assert len(run.result.warnings) == 2  # the repeat, and the rows that could not be read


def test_a_row_that_only_looks_like_the_header_in_one_column_stays(run_csv):
    run = run_csv(b"name,city\nname,Paris\nBob,city\n")
    assert run.data.column("name").to_pylist() == ["name", "Bob"]
    assert run.summary["rejected_rows"] == 0


def test_blank_rows_of_a_sheet_saved_as_csv(run_csv):
    # Excel writes a blank row as ";;": read as a row it only added nulls (and a row to every count).
    run = run_csv(b"Datum;Kunde;Betrag\n31.01.2024;Meier;100,00\n;;\n15.02.2024;Schulz;50,50\n;;\n"
                  b"01.03.2024;Roth;7,00\nSumme;;157,50\n", name="blank.csv")
    assert run.data.column("Kunde").to_pylist() == ["Meier", "Schulz", "Roth"]
    assert run.data.column("Betrag").null_count == 0
    assert [(r["line"], r["row"], r["reason"]) for r in _rejects(run)] == [
        (3, 2, "an empty row: every field is blank"), (5, 4, "an empty row: every field is blank"),
        (7, 6, "a totals line below the table, not a row of data")]
    assert "2 empty row(s) (only delimiters, the first on line 3) were left out" in run.result.warnings[0]
    spaces = run_csv(b"a;b;c\n1;x;2\n ; ; \n3;y;4\n", name="spaces.csv")
    assert spaces.data.num_rows == 2 and spaces.summary["rejected_rows"] == 1  # fields of spaces alone: blank
    single = run_csv(b'email\nann@example.org\n""\nbob@example.org\n', name="one.csv")
    assert single.data.num_rows == 3  # one column: a blank field is a value left blank
