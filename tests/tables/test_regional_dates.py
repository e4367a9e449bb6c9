"""Dates written the regional way: "31.12.2024" and "31/12/2024" (day first), "12/31/2024" (month first), with
or without a time of day ("31.12.2024 14:30", "12/31/2024 2:30:05 PM").

A value with a day above 12 tells the order wherever it is in the file; dots mean day first; a column whose
values read both ways stays text, with a warning. Values are checked against Python's own calendar.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from jobs.processors.base import ProcessingError
from jobs.tables.infer import NumberFormat, chunk_kind, convert

START = dt.date(2024, 1, 1)


def _sorted_by_date(spell, rows: int, per_day: int) -> tuple[bytes, list[dt.date]]:
    """Rows sorted by date, ``per_day`` rows a day: the first 12 days read both ways."""
    days = [START + dt.timedelta(days=i // per_day) for i in range(rows)]
    lines = ["date,amount,note"] + [f"{spell(d)},{i % 997},order {i:07d}" for i, d in enumerate(days)]
    return ("\n".join(lines) + "\n").encode(), days


def test_dotted_dates_are_day_first(run_csv):
    run = run_csv("Datum;Betrag;Kunde\n1.2.2024;1.234,56;Müller\n31.12.2024;-12,5;Weiß\n05.06.2023;3;Groß\n"
                  .encode())
    data = run.data
    assert data.schema.field("Datum").type == pa.date32()
    assert data.column("Datum").to_pylist() == [dt.date(2024, 2, 1), dt.date(2024, 12, 31), dt.date(2023, 6, 5)]
    assert data.column("Betrag").to_pylist() == [1234.56, -12.5, 3.0]
    profile = run.columns["Datum"]
    assert (profile["min"], profile["max"]) == ("2023-06-05", "2024-12-31")
    assert run.result.warnings == []


SPELLINGS = [
    pytest.param(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}", id="day first"),
    pytest.param(lambda d: f"{d.month}/{d.day}/{d.year}", id="month first"),
    pytest.param(lambda d: f"{d.day}-{d.month}-{d.year}", id="day first, dashes"),
]


@pytest.mark.parametrize("spell", SPELLINGS)
@pytest.mark.parametrize(("rows", "per_day", "started_over"), [
    # 7.8 MB: no look at blocks spread over the file; the first day above 12 is in the second chunk, after
    # rows were written as text: the file is read again as dates.
    (260_000, 13_000, True),
    # 12 MB: the blocks spread over the file show a day above 12 before anything is written.
    (400_000, 20_000, False),
])
def test_a_day_above_12_tells_the_order_late_in_the_file(run_csv, caplog, spell, rows, per_day, started_over):
    data, days = _sorted_by_date(spell, rows, per_day)
    with caplog.at_level(logging.INFO, logger="jobs.processors.csv"):
        run = run_csv(data)
    assert any("starting over" in r.getMessage() for r in caplog.records) == started_over
    col = run.data.column("date")
    assert run.data.schema.field("date").type == pa.date32()
    assert col.to_pylist() == days
    assert run.result.warnings == []  # an order told is no change of type
    profile = run.columns["date"]
    assert (profile["min"], profile["max"]) == (days[0].isoformat(), days[-1].isoformat())
    assert profile["distinct"] == pc.count_distinct(col).as_py() == len(set(days))
    assert profile["nulls"] == 0


def test_dates_that_read_both_ways_stay_text_with_a_warning(run_csv):
    values = [f"{1 + i % 12:02d}/{1 + (i * 7) % 12:02d}/2024" for i in range(3000)]
    run = run_csv(("paid,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values))).encode())
    assert run.data.schema.field("paid").type == pa.string()
    assert run.data.column("paid").to_pylist() == values  # exactly as written
    [warning] = run.result.warnings
    assert "'paid'" in warning and "'01/01/2024'" in warning and "stored as text" in warning


def test_both_orders_in_one_column_stay_text(run_csv):
    values = [f"{13 + i % 15}/{1 + i % 12:02d}/2024" for i in range(2000)]
    values[1500] = "12/31/2024"  # month first: the file mixes two formats, which is not guessed
    run = run_csv(("d,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values))).encode())
    assert run.data.column("d").to_pylist() == values
    [warning] = run.result.warnings
    assert "row 1501" in warning and "'12/31/2024'" in warning and "text" in warning


def test_null_tokens_and_late_text_in_a_date_column(run_csv):
    dates = [START + dt.timedelta(days=i * 40) for i in range(5000)]
    spelled = [f"{d.day}.{d.month}.{d.year}" for d in dates]
    with_null = [*spelled[:100], "n/a", *spelled[101:]]
    run = run_csv(("d\n" + "\n".join(with_null) + "\n").encode())
    assert run.data.column("d").to_pylist() == [None if i == 100 else d for i, d in enumerate(dates)]
    assert run.columns["d"]["nulls"] == 1
    with_text = [*with_null[:4000], "unknown", *with_null[4001:]]
    run = run_csv(("d\n" + "\n".join(with_text) + "\n").encode(), name="text.csv")
    assert run.data.column("d").to_pylist() == [v if v != "" else None for v in with_text]  # read again as text
    [warning] = run.result.warnings
    assert "row 4001" in warning and "'unknown'" in warning


@pytest.mark.parametrize("value", ["31.02.2024", "31/04/2024", "29.02.2023", "31.12.24", "0.1.2024", "1.13.2024",
                                   "12.31.2024", "1. 2.2024", "1.2.2024x"])
def test_values_that_are_no_date_stay_text(value):
    # Arrow's own strptime would roll 31.02 over to March and read "24" as the year 24.
    arr = pa.array(["1.2.2024", value], pa.string())
    assert chunk_kind(arr, NumberFormat()) == "string"


def test_leap_days_and_single_digits():
    arr = pa.array(["29.02.2024", "1.1.1900", "31.12.9999", "", "NA"], pa.string())
    assert chunk_kind(arr, NumberFormat()) == "date_dmy"
    assert convert(arr, "date_dmy").to_pylist() == [dt.date(2024, 2, 29), dt.date(1900, 1, 1),
                                                     dt.date(9999, 12, 31), None, None]


def test_text_cells_of_a_workbook(run_excel, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Datum", "Menge"])
    for day, qty in (("01.03.2024", 2), ("15.03.2024", 5), ("31.03.2024", 7)):
        ws.append([day, qty])  # typed as text, as exports from other programs often are
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    run = run_excel(path)
    assert run.data.column("Datum").to_pylist() == [dt.date(2024, 3, 1), dt.date(2024, 3, 15), dt.date(2024, 3, 31)]


def test_text_cells_of_a_workbook_that_read_both_ways(run_excel, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["Paid", "Menge"])
    for day, qty in (("01/03/2024", 2), ("N/A", 5), ("11/03/2024", 7)):
        ws.append([day, qty])
    path = tmp_path / "both.xlsx"
    wb.save(path)
    run = run_excel(path)
    assert run.data.column("Paid").to_pylist() == ["01/03/2024", "N/A", "11/03/2024"]
    [warning] = run.result.warnings
    assert warning.startswith("sheet 'Orders': column 'Paid'") and "'01/03/2024'" in warning


def test_date_times_day_first_and_month_first(run_csv):
    run = run_csv(b"bestellt;us;mixed\n"
                  b"31.12.2024 14:30;12/31/2024 2:30:05 PM;31.12.2024\n"
                  b"1.2.2024 09:05:07.25;1/2/2024 12:00 AM;1.2.2024 8:00\n"
                  b"NA;7/4/2024 12:15 pm;\n")
    data = run.data
    for name in ("bestellt", "us", "mixed"):
        assert data.schema.field(name).type == pa.timestamp("us"), name
    assert data.column("bestellt").to_pylist() == [dt.datetime(2024, 12, 31, 14, 30),
                                                   dt.datetime(2024, 2, 1, 9, 5, 7, 250_000), None]
    assert data.column("us").to_pylist() == [dt.datetime(2024, 12, 31, 14, 30, 5), dt.datetime(2024, 1, 2),
                                             dt.datetime(2024, 7, 4, 12, 15)]
    # A date without a time is at midnight, as an ISO date is in a date-time column.
    assert data.column("mixed").to_pylist() == [dt.datetime(2024, 12, 31), dt.datetime(2024, 2, 1, 8), None]
    assert run.columns["bestellt"]["nulls"] == 1
    assert run.result.warnings == []


def test_a_time_of_day_late_in_a_date_column(run_csv):
    days = [START + dt.timedelta(days=i % 700) for i in range(300_000)]
    values = [f"{d.day}.{d.month}.{d.year}" for d in days]
    values[250_000] = "3.4.2024 10:15"
    run = run_csv(("d,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values))).encode())
    expected = [dt.datetime(d.year, d.month, d.day) for d in days]
    expected[250_000] = dt.datetime(2024, 4, 3, 10, 15)
    assert run.data.column("d").to_pylist() == expected
    [warning] = run.result.warnings
    assert "row 250001" in warning and "date-time" in warning


@pytest.mark.parametrize("value", ["31.12.2024 24:00", "1/2/2024 13:00 PM", "1/2/2024 0:30 AM", "31.12.2024 14:60",
                                   "31.12.2024 14", "31.12.2024 14:30:00.1234567", "31.12.2024  14:30"])
def test_times_that_are_no_time_stay_text(value):
    assert chunk_kind(pa.array(["1.2.2024 10:00", value], pa.string()), NumberFormat()) == "string"


def test_date_times_that_read_both_ways_stay_text(run_csv):
    values = [f"{1 + i % 12:02d}/{1 + (i * 5) % 12:02d}/2024 {i % 24}:00" for i in range(2000)]
    run = run_csv(("at\n" + "".join(f"{v}\n" for v in values)).encode())
    assert run.data.column("at").to_pylist() == values
    [warning] = run.result.warnings
    assert "'at'" in warning and repr(values[0]) in warning


def test_both_orders_among_the_first_values_are_named(run_csv):
    run = run_csv(b"d\n31/01/2024\n12/31/2024\n05/05/2024\n")
    assert run.data.column("d").to_pylist() == ["31/01/2024", "12/31/2024", "05/05/2024"]
    assert run.result.warnings == ["column 'd' mixes day-first and month-first dates ('31/01/2024', '12/31/2024'); "
                                   "it is stored as text"]


def test_the_users_order_reads_dates_that_read_both_ways(run_csv):
    data = b"d,n\n01/02/2024,1\n03/04/2024,2\n"
    run = run_csv(data, date_order="mdy")
    assert run.data.column("d").to_pylist() == [dt.date(2024, 1, 2), dt.date(2024, 3, 4)]
    assert run.summary["date_order"] == run.result.metrics["date_order"] == "mdy"
    assert run.result.warnings == []
    # A value that tells the order wins over the choice: 13/04 can only be day first.
    run = run_csv(b"d\n01/02/2024\n13/04/2024\n", name="told.csv", date_order="mdy")
    assert run.data.column("d").to_pylist() == [dt.date(2024, 2, 1), dt.date(2024, 4, 13)]
    assert run.summary["date_order"] == "dmy"
    # Without regional dates there is no order to report.
    assert run_csv(b"d\n2024-01-02\n", name="iso.csv").summary["date_order"] is None


def test_a_date_order_that_is_none_is_refused_with_a_message(run_csv):
    with pytest.raises(ProcessingError, match=r"'dmy' \(day first\) or 'mdy'"):
        run_csv(b"d\n01/02/2024\n", date_order="ymd")


def test_the_users_order_in_a_workbook(run_excel, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Paid"])
    wb.active.append(["01/03/2024"])
    wb.active.append(["11/03/2024"])
    path = tmp_path / "order.xlsx"
    wb.save(path)
    run = run_excel(path, date_order="dmy")
    assert run.data.column("Paid").to_pylist() == [dt.date(2024, 3, 1), dt.date(2024, 3, 11)]
    assert run.summary["date_order"] == run.result.metrics["date_order"] == "dmy"
    assert run.result.warnings == []


def test_zones_after_a_space_and_year_first_slashes(run_csv):
    run = run_csv(b"created,paid,day,mixed\n"
                  b"2024-01-02 10:00:00 +0100,2024-01-02 10:00:00 UTC,2024/01/02,2024-01-02 10:00:00 +0100\n"
                  b"2024-07-01 23:30:00 -05:00,2024-07-01 23:30:00 GMT,2024/7/1,2024-07-01 23:30:00\n")
    data = run.data
    utc = pa.timestamp("us", tz="UTC")
    assert data.schema.field("created").type == utc and data.schema.field("paid").type == utc
    as_utc = lambda name: [v.astimezone(dt.UTC).replace(tzinfo=None) for v in data.column(name).to_pylist()]  # noqa: E731
    assert as_utc("created") == [dt.datetime(2024, 1, 2, 9), dt.datetime(2024, 7, 2, 4, 30)]
    assert as_utc("paid") == [dt.datetime(2024, 1, 2, 10), dt.datetime(2024, 7, 1, 23, 30)]
    assert data.column("day").to_pylist() == [dt.date(2024, 1, 2), dt.date(2024, 7, 1)]
    # A zone on one value and none on the other: which zone would the second be in? Text, as written.
    assert data.column("mixed").to_pylist() == ["2024-01-02 10:00:00 +0100", "2024-07-01 23:30:00"]


def test_year_zero_placeholders_are_no_dates(run_csv):
    # "0000-01-01" stands for "no date" in some exports; no reader (nor Python) holds a year 0.
    run = run_csv(b"iso,regional,stamp,edges\n"
                  b"0000-01-01,01.01.0000,0000-01-01 10:00:00,0001-01-01\n"
                  b"2024-05-06,06.05.2024,2024-05-06 10:00:00,9999-12-31\n")
    data = run.data
    assert [str(t) for t in data.schema.types] == ["string", "string", "string", "date32[day]"]
    assert data.column("iso").to_pylist() == ["0000-01-01", "2024-05-06"]
    assert data.column("edges").to_pylist() == [dt.date(1, 1, 1), dt.date(9999, 12, 31)]
    assert (run.columns["edges"]["min"], run.columns["edges"]["max"]) == ("0001-01-01", "9999-12-31")


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_random_dates_and_times_match_pythons_calendar(order):
    rnd = random.Random(11)
    stamps = [dt.datetime(1, 1, 1) + dt.timedelta(seconds=rnd.randrange(315_537_897_600)) for _ in range(3000)]
    stamps[0] = dt.datetime(2024, 2, 29, 23, 59, 59)  # a leap day, and a day above 12 to tell the order
    stamps[1] = dt.datetime(2023, 12, 31, 0, 0, 0)
    sep = rnd.choice("/-")

    def spell(s: dt.datetime) -> str:
        a, b = (s.day, s.month) if order == "dmy" else (s.month, s.day)
        return f"{a}{sep}{b:02d}{sep}{s.year:04d} {s.hour:02d}:{s.minute:02d}:{s.second:02d}"

    text = [spell(s) for s in stamps]
    arr = pa.array(text, pa.string())
    kind = chunk_kind(arr, NumberFormat())
    assert kind == f"timestamp_{order}"
    assert convert(arr, kind).to_pylist() == stamps


def test_midnight_throughout_is_a_date_as_in_workbooks(run_csv):
    # Databases and many systems export a date as "2024-01-31 00:00:00" (or "31.12.2024 00:00").
    run = run_csv(b"iso;regional;stamp\n2024-01-31 00:00:00;31.12.2024 00:00;2024-01-31 00:00:00\n"
                  b"2024-02-01 00:00:00.000;01.02.2024 00:00;2024-02-01 14:30:00\n")
    data = run.data
    assert data.schema.field("iso").type == pa.date32()
    assert data.column("iso").to_pylist() == [dt.date(2024, 1, 31), dt.date(2024, 2, 1)]
    assert data.column("regional").to_pylist() == [dt.date(2024, 12, 31), dt.date(2024, 2, 1)]
    assert data.schema.field("stamp").type == pa.timestamp("us")  # one time of day: date-times
    assert run.result.warnings == []


def test_a_time_of_day_late_in_a_midnight_column_widens_it_in_place(run_csv, caplog):
    rows = [f"{i},2024-01-{1 + i % 28:02d} 00:00:00\n" for i in range(250_000)]
    rows[240_000] = "240000,2024-03-05 09:15:00\n"
    with caplog.at_level("INFO"):
        run = run_csv(("id,when\n" + "".join(rows)).encode())
    when = run.data.column("when")
    assert when.type == pa.timestamp("us")
    assert when[0].as_py() == dt.datetime(2024, 1, 1) and when[240_000].as_py() == dt.datetime(2024, 3, 5, 9, 15)
    assert "starting over" not in caplog.text
    [warning] = run.result.warnings
    assert "row 240001" in warning and "'2024-03-05 09:15:00'" in warning
