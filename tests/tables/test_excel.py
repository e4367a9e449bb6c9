"""Spreadsheets: sheets, headers under titles, types, 1904 dates, merged cells, and hostile workbooks."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from jobs.preview import preview as preview_of
from jobs.processors import excel as excel_processor
from jobs.processors import registry
from jobs.processors.base import Cancelled, ProcessingError, ProcessOptions


def _workbook(path: Path, date1904: bool = False, rows: int = 5) -> Path:
    wb = openpyxl.Workbook()
    if date1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sales data"
    ws.append(["Quarterly report"])
    ws.append([])
    ws.append(["id", "amount", "when", "flag", "mixed", "code", "id"])
    for i in range(rows):
        ws.append([i + 1, 1.5 * i, dt.datetime(2024, 1, 1 + i % 28), i % 2 == 0, i if i < 3 else "x", "007", 10 * i])
    ws.merge_cells("A1:C1")
    ws.cell(row=rows + 10, column=1, value="=SUM(A4:A8)")
    wb.create_sheet("Empty")
    other = wb.create_sheet("Prices")
    other.append(["sku", "price"])
    other.append(["A-1", 9.99])
    other.append(["B-2", "N/A"])
    wb.save(path)
    return path


def test_workbook_sheets_types_and_notes(run_excel, tmp_path):
    run = run_excel(_workbook(tmp_path / "report.xlsx"))
    names = [p.name for p in run.result.outputs]
    assert names[0] == "report__Sales data.parquet"
    assert "report__Prices.parquet" in names and not any("Empty" in n for n in names)
    t = run.data
    assert t.column_names == ["id", "amount", "when", "flag", "mixed", "code", "id_2"]
    assert t.schema.types[:4] == [pa.int64(), pa.float64(), pa.date32(), pa.bool_()]
    assert t.column("id").to_pylist() == [1, 2, 3, 4, 5]  # whole numbers stay integers
    assert t.column("when").to_pylist()[0] == dt.date(2024, 1, 1)
    assert t.column("mixed").to_pylist() == ["0", "1", "2", "x", "x"]
    assert t.column("code").to_pylist() == ["007"] * 5
    w = " | ".join(run.result.warnings)
    assert "above the header were skipped" in w and "Quarterly report" in w
    assert "merged range(s) (A1:C1)" in w
    assert "1 formula cell(s) without a saved result" in w
    assert "sheet 'Empty' is empty" in w and "repeats the name 'id'" in w
    m = run.result.metrics
    assert m["sheets"] == ["Sales data", "Prices"] and m["rows"] == 7 and m["column_names"][0] == "id"
    prices = next(p for p in run.result.outputs if p.name == "report__Prices.parquet")
    import pyarrow.parquet as pq

    assert pq.read_table(prices).column("price").to_pylist() == [9.99, None]  # "N/A" is a null in numbers
    summary = pq.read_table(tmp_path / "out" / "report__Prices_summary.parquet").to_pylist()[0]
    assert summary["sheet"] == "Prices" and summary["rows"] == 2


def test_sheets_that_clean_to_one_file_name_keep_their_own_files(run_excel, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "P&L <2024>"
    wb.active.append(["id"])
    wb.active.append([1])
    second = wb.create_sheet("P&L >2024<")
    second.append(["id"])
    second.append([2])
    wb.save(tmp_path / "pl.xlsx")
    run = run_excel(tmp_path / "pl.xlsx")
    data = [p for p in run.result.outputs if p.name.endswith(("_.parquet", "-2.parquet"))]
    assert [p.name for p in data] == ["pl__P&L _2024_.parquet", "pl__P&L _2024_-2.parquet"]
    assert [pq.read_table(p).column("id").to_pylist() for p in data] == [[1], [2]]


def test_1904_date_system(run_excel, tmp_path):
    run = run_excel(_workbook(tmp_path / "mac.xlsx", date1904=True))
    assert run.data.column("when").to_pylist()[:2] == [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    assert run.result.metrics["date1904"] is True


def test_sheet_selection(run_excel, tmp_path):
    src = _workbook(tmp_path / "r.xlsx")
    run = run_excel(src, sheet="Prices")
    assert next(p.name for p in run.result.outputs) == "r__Prices.parquet"
    assert run.result.metrics["sheets"] == ["Prices"]
    with pytest.raises(ProcessingError, match="no sheet named 'Nope'"):
        run_excel(src, sheet=["Nope"])


def test_profile_matches_pandas(run_excel, tmp_path):
    src = _workbook(tmp_path / "p.xlsx", rows=400)
    run = run_excel(src)
    df = run.data.to_pandas()
    amount = run.columns["amount"]
    assert math.isclose(amount["mean"], df["amount"].mean()) and math.isclose(amount["std"], df["amount"].std())
    assert amount["distinct"] == df["amount"].nunique() and int(run.columns["id"]["max"]) == 400


def test_xls_via_xlwt(run_excel, tmp_path):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Legacy")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(["n", "price", "name", "day"]):
        ws.write(0, c, h)
    for r in range(1, 4):
        ws.write(r, 0, r)
        ws.write(r, 1, r * 0.5)
        ws.write(r, 2, f"item {r}")
        ws.write(r, 3, dt.date(2023, 5, r), date_style)
    src = tmp_path / "old.xls"
    wb.save(str(src))
    t = run_excel(src).data
    assert t.column("n").to_pylist() == [1, 2, 3] and t.column("n").type == pa.int64()
    assert t.column("price").to_pylist() == [0.5, 1.0, 1.5]
    assert t.column("day").to_pylist()[0] == dt.date(2023, 5, 1)


_CITIES = """<table:table-row><table:table-cell office:value-type="string"><text:p>city</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>pop</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Lyon</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="513275"><text:p>513275</text:p></table:table-cell>
</table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Nantes</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="320732"><text:p>320732</text:p></table:table-cell>
</table:table-row>"""


def _ods(path: Path, rows: str = _CITIES) -> Path:
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Sheet1">
{rows}
</table:table></office:spreadsheet></office:body></office:document-content>"""
    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
    content = "".join(line.strip() for line in content.splitlines()).replace("?><", "?>\n<", 1)
    content = content.replace('xmlns:office', ' xmlns:office').replace("xmlns:table", " xmlns:table")
    content = content.replace("xmlns:text", " xmlns:text").replace("office:version", " office:version")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def test_ods_time_cells_are_times_and_hours(run_excel, tmp_path):
    # fastexcel lists ODS time values ("PT08H30M00S") among its errors and leaves the cells empty.
    def row(name: str, *times: str) -> str:
        cells = "".join(f'<table:table-cell office:value-type="time" office:time-value="{t}"><text:p>{t}</text:p>'
                        "</table:table-cell>" for t in times)
        return (f'<table:table-row><table:table-cell office:value-type="string"><text:p>{name}</text:p>'
                f"</table:table-cell>{cells}</table:table-row>")

    header = ('<table:table-row><table:table-cell office:value-type="string"><text:p>who</text:p></table:table-cell>'
              '<table:table-cell office:value-type="string"><text:p>start</text:p></table:table-cell>'
              '<table:table-cell office:value-type="string"><text:p>worked</text:p></table:table-cell>'
              "</table:table-row>")
    rows = header + row("Ann", "PT08H30M00S", "PT38H30M00S") + row("Bob", "PT17H00M00S", "PT40H00M00S")
    t = run_excel(_ods(tmp_path / "shifts.ods", rows)).data
    assert t.column("start").to_pylist() == [dt.time(8, 30), dt.time(17, 0)]
    assert t.column("worked").to_pylist() == [38.5, 40.0]


def test_ods(run_excel, tmp_path):
    t = run_excel(_ods(tmp_path / "cities.ods")).data
    assert t.column("city").to_pylist() == ["Lyon", "Nantes"]
    assert t.column("pop").to_pylist() == [513275, 320732] and t.column("pop").type == pa.int64()


def _rewrite(src: Path, dst: Path, member: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == member else data)
    return dst


def test_lying_dimension_is_refused(run_excel, tmp_path):
    src = _workbook(tmp_path / "a.xlsx")
    bad = _rewrite(src, tmp_path / "dim.xlsx", "xl/worksheets/sheet1.xml",
                   lambda d: d.replace(b'<dimension ref="A1:G15"', b'<dimension ref="A1:XFD1048576"'))
    with pytest.raises(ProcessingError, match="declares the range A1:XFD1048576"):
        run_excel(bad)


def test_entity_expansion_is_refused(run_excel, tmp_path):
    src = _workbook(tmp_path / "a.xlsx")
    bomb = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'

    def inject(d: bytes) -> bytes:
        return bomb + d.split(b"?>", 1)[-1]

    bad = _rewrite(src, tmp_path / "ent.xlsx", "xl/worksheets/sheet1.xml", inject)
    with pytest.raises(ProcessingError, match="XML entities or a DTD"):
        run_excel(bad)


def test_zip_bomb_is_refused(run_excel, tmp_path):
    src = _workbook(tmp_path / "a.xlsx")
    padding = b" " * (30 << 20)
    bad = _rewrite(src, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", lambda d: d + padding)
    assert bad.stat().st_size < 1 << 20
    with pytest.raises(ProcessingError, match="zip bomb"):
        run_excel(bad)


def test_truncated_archive_is_refused(run_excel, tmp_path):
    data = _workbook(tmp_path / "a.xlsx").read_bytes()
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProcessingError, match="truncated or damaged"):
        run_excel(bad)


def test_password_protected_is_refused(run_excel, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _workbook(tmp_path / "plain.xlsx")
    locked = tmp_path / "locked.xlsx"
    with open(plain, "rb") as fin, open(locked, "wb") as fout:
        OOXMLFile(fin).encrypt("secret", fout)
    assert msoffcrypto is not None
    with pytest.raises(ProcessingError, match="password-protected"):
        run_excel(locked)


def test_mislabeled_files_are_read_as_what_they_are(tmp_path):
    # What the registry runs for either name: the bytes pick the reader, the warning says so.
    table_processor = registry.for_path(Path("x.csv")).load()
    assert registry.for_path(Path("x.xlsx")).load() is table_processor
    text = tmp_path / "export.xlsx"
    text.write_bytes(b"a;b\n1;2\n3;4\n")
    result = table_processor(text, ProcessOptions(out_dir=tmp_path / "o1"), lambda d, t: None)
    assert "holds delimited text" in result.warnings[0] and result.metrics["rows"] == 2
    assert preview_of(text).table.num_rows == 2
    book = _workbook(tmp_path / "book.xlsx")
    renamed = tmp_path / "book.csv"
    renamed.write_bytes(book.read_bytes())
    result = table_processor(renamed, ProcessOptions(out_dir=tmp_path / "o2"), lambda d, t: None)
    assert "holds a spreadsheet" in result.warnings[0] and result.metrics["sheets"][0] == "Sales data"
    assert preview_of(renamed).kind == "table"
    plain = table_processor(book, ProcessOptions(out_dir=tmp_path / "o4"), lambda d, t: None)
    assert not any("named" in w for w in plain.warnings)
    pdf = tmp_path / "doc.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    with pytest.raises(ProcessingError, match="PDF"):
        table_processor(pdf, ProcessOptions(out_dir=tmp_path / "o3"), lambda d, t: None)


def test_cancel_leaves_nothing(tmp_path):
    src = _workbook(tmp_path / "c.xlsx", rows=200)
    out = tmp_path / "out"

    def progress(done: int, total: int) -> None:
        if done > 0:
            raise Cancelled()

    with pytest.raises(Cancelled):
        excel_processor.process(src, ProcessOptions(out_dir=out), progress)
    assert list(out.iterdir()) == []


def test_preview(tmp_path):
    head = excel_processor.preview(_workbook(tmp_path / "v.xlsx"), rows=3)
    assert head.num_rows == 3 and head.column_names[0] == "id"



def test_cancel_is_seen_while_a_sheet_loads():
    # fastexcel parses a whole sheet in one call: the progress callback (which raises on a cancel) must still run.
    import time

    class SlowReader:
        def load_sheet(self, *args: object, **kwargs: object) -> object:
            time.sleep(2)
            raise AssertionError("the result of a cancelled load is never used")

    ticks = []

    def tick() -> None:
        ticks.append(time.monotonic())
        raise Cancelled()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        excel_processor._read_sheet(SlowReader(), 0, None, tick)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("date1904", [False, True])
def test_preview_reads_only_the_head_and_matches_the_job(tmp_path, run_excel, monkeypatch, date1904):
    # The preview streams the first rows itself (jobs.tables.xlsx_head): same values and types as the job's.
    src = _workbook(tmp_path / "v.xlsx", rows=200, date1904=date1904)
    job = run_excel(src).data.slice(0, 3)

    def no_full_load(*args: object, **kwargs: object) -> object:
        raise AssertionError("the preview of an xlsx must not load the whole sheet")

    monkeypatch.setattr(excel_processor, "_read_sheet", no_full_load)
    head = excel_processor.preview(src, rows=3)
    assert head.column_names == job.column_names
    assert head.to_pylist() == job.to_pylist()
