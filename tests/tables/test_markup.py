"""What "Export to Excel" buttons write: an HTML table or an Excel 2003 XML Spreadsheet, named .xls. Each is
read by what it is, typed like any table, and named after the file the user gave."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.processors import table as table_processor
from jobs.processors.base import ProcessingError, ProcessOptions

BANK = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<style>td { mso-number-format:"\\@"; }</style><script>var cell = "<td>not data</td>";</script></head>
<body><table><tr><td colspan="4"><b>Kontoauszug M&uuml;ller</b></td></tr></table>
<table border=1>
<tr><th>Datum</th><th>Buchungstext</th><th>Betrag</th><th>PLZ</th></tr>
<tr><td>02.01.2024</td><td>Kaffee &amp; Kuchen<br>Filiale  3</td><td>1.234,56&nbsp;&euro;</td><td>01234</td>
<tr><td>03.01.2024</td><td rowspan=2>Miete</td><td>-45,00 &euro;</td><td>80331</td></tr>
<tr><td>04.01.2024</td><td>-2,00 &euro;</td><td>&nbsp;</td></tr>
</table></body></html>"""

NS = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'


def _cell(value: object, kind: str = "String", **attrs: str) -> str:
    extra = "".join(f' ss:{k}="{v}"' for k, v in attrs.items())
    return f'<Cell{extra}><Data ss:Type="{kind}">{value}</Data></Cell>'


def _workbook(sheets: dict[str, list[str]]) -> str:
    body = "".join(f'<Worksheet ss:Name="{name}"><Table>{"".join(f"<Row>{r}</Row>" for r in rows)}</Table></Worksheet>'
                   for name, rows in sheets.items())
    return f'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook {NS}>{body}</Workbook>'


def _run(path: Path, out: Path, **options: object):
    return table_processor.process(path, ProcessOptions(out, options), lambda done, total: None)


def test_an_html_bank_statement_saved_as_xls(tmp_path):
    src = tmp_path / "statement.xls"
    src.write_bytes(BANK.encode("cp1252"))
    before = src.read_bytes()
    result = _run(src, tmp_path / "out")
    assert [p.name for p in result.outputs] == ["statement.parquet", "statement_summary.parquet",
                                                "statement_columns.parquet", "statement_sample.parquet"]
    data = pq.read_table(result.outputs[0])
    assert data.column_names == ["Datum", "Buchungstext", "Betrag", "PLZ"]
    assert data.schema.field("Datum").type == pa.date32()
    assert data.column("Datum").to_pylist() == [dt.date(2024, 1, 2), dt.date(2024, 1, 3), dt.date(2024, 1, 4)]
    # <br> is a line break, runs of spaces one space, a rowspan leaves its column empty below, &nbsp; is blank.
    assert data.column("Buchungstext").to_pylist() == ["Kaffee & Kuchen\nFiliale 3", "Miete", None]
    assert data.column("Betrag").to_pylist() == [1234.56, -45.0, -2.0]
    assert data.column("PLZ").to_pylist() == ["01234", "80331", None]  # a leading zero stays text
    summary = pq.read_table(result.outputs[1]).to_pylist()[0]
    assert (summary["source"], summary["encoding"], summary["rows"]) == ("statement.xls", "cp1252", 3)
    assert summary["input_bytes"] == len(before) and summary["skipped_lines"] == 1
    assert "a web page saved for Excel" in result.warnings[0]
    assert any("Kontoauszug Müller" in w for w in result.warnings)  # the title table, skipped and quoted
    assert src.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in result.outputs)


def test_a_page_without_rows_is_refused_by_name(tmp_path):
    src = tmp_path / "empty.xls"
    src.write_text("<html><body><p>No data for this period</p></body></html>")
    with pytest.raises(ProcessingError, match=r"HTML table .* with no rows"):
        _run(src, tmp_path / "out")
    assert not any((tmp_path / "out").iterdir())


def test_an_xml_spreadsheet_with_gaps_merges_and_types(tmp_path):
    rows = [
        _cell("id") + _cell("when") + _cell("paid") + _cell("note") + _cell("total"),
        _cell(1, "Number") + _cell("2024-03-01T00:00:00.000", "DateTime") + _cell(1, "Boolean")
        + _cell("first", MergeAcross="1"),
        _cell(2, "Number") + _cell("2024-03-02T00:00:00.000", "DateTime") + _cell(0, "Boolean")
        + _cell("7.5", "Number", Index="5"),
    ]
    src = tmp_path / "export.xls"
    other = [_cell("sku") + _cell("qty"), _cell("A-1") + _cell(3, "Number"), _cell("Total") + _cell(3, "Number")]
    src.write_text(_workbook({"Empty": [], "Orders": rows, "Stock/2024": other}))
    result = _run(src, tmp_path / "out")
    # Every sheet with rows: its own Parquet and profile, named as for workbooks, published together.
    names = sorted(p.name for p in result.outputs)
    expected = [f"export__{sheet}{part}.parquet" for sheet in ("Orders", "Stock_2024")
                for part in ("", "_summary", "_columns", "_sample")]
    assert names == sorted([*expected, "export__Stock_2024_rejects.parquet"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == names  # no scratch file left
    data = pq.read_table(tmp_path / "out" / "export__Orders.parquet")
    assert data.column("id").to_pylist() == [1, 2]
    assert data.column("when").to_pylist() == [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]
    assert data.column("paid").to_pylist() == [True, False]
    assert data.column("note").to_pylist() == ["first", None]
    assert data.column("total").to_pylist() == [None, 7.5]  # ss:Index put it in the fifth column
    summary = pq.read_table(tmp_path / "out" / "export__Orders_summary.parquet").to_pylist()[0]
    assert summary["sheet"] == "Orders" and summary["sheets"] == ["Empty", "Orders", "Stock/2024"]
    stock = pq.read_table(tmp_path / "out" / "export__Stock_2024.parquet")
    assert stock.column("qty").to_pylist() == [3]  # its totals row set aside, as in a workbook
    assert result.metrics["sheets"] == ["Orders", "Stock/2024"] and result.metrics["rows"] == 3
    assert "sheet 'Empty' is empty; no file was written for it" in result.warnings
    assert any(w.startswith("sheet 'Stock/2024': 1 totals line(s)") for w in result.warnings)

    picked = _run(src, tmp_path / "picked", sheet="Stock/2024")
    assert picked.outputs[0].name == "export__Stock_2024.parquet"
    assert picked.metrics["sheets"] == ["Stock/2024"] and picked.warnings[1].startswith("sheet 'Stock/2024'")
    as_listed = _run(src, tmp_path / "listed", sheet=["Orders", "Stock/2024"])  # as --sheet and the window give
    assert as_listed.metrics["markup"] == "spreadsheetml" and as_listed.metrics["sheets"] == ["Orders",
                                                                                             "Stock/2024"]
    with pytest.raises(ProcessingError, match=r"no sheet named 'Nope'; the sheets are \['Empty', 'Orders'"):
        _run(src, tmp_path / "none", sheet="Nope")
    assert not (tmp_path / "none").exists() or not any((tmp_path / "none").iterdir())


def test_an_xml_spreadsheet_with_entities_is_refused(tmp_path):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
            f'<Workbook {NS}><Worksheet ss:Name="S"><Table><Row>{_cell("&lol2;")}</Row></Table></Worksheet></Workbook>')
    src = tmp_path / "bomb.xls"
    src.write_text(bomb)
    with pytest.raises(ProcessingError, match="XML Spreadsheet cannot be read"):
        _run(src, tmp_path / "out")
    assert not any((tmp_path / "out").iterdir())


def test_a_large_html_table_streams_with_progress_and_a_cancel_leaves_nothing(tmp_path):
    rows = "".join(f"<tr><td>{i}</td><td>name {i}</td><td>{i % 100},5</td></tr>\n" for i in range(200_000))
    src = tmp_path / "big.xls"
    src.write_text(f"<html><body><table><tr><th>n</th><th>name</th><th>x</th></tr>\n{rows}</table></body></html>")
    seen: list[tuple[int, int]] = []
    result = table_processor.process(src, ProcessOptions(tmp_path / "out"), lambda d, t: seen.append((d, t)))
    data = pq.read_table(result.outputs[0])
    assert data.num_rows == 200_000 and data.column("n")[199_999].as_py() == 199_999
    assert data.schema.field("x").type == pa.float64() and data.column("x")[3].as_py() == 3.5
    done = [d for d, _ in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1]  # forward only, and to the end
    assert len({t for _, t in seen}) == 1  # one total for the whole job

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > total // 4:
            raise Cancelled

    with pytest.raises(Cancelled):
        table_processor.process(src, ProcessOptions(tmp_path / "cancelled"), cancel)
    assert not any((tmp_path / "cancelled").iterdir())


def test_the_preview_reads_the_first_rows_from_the_source(tmp_path):
    src = tmp_path / "statement.xls"
    src.write_bytes(BANK.encode("cp1252"))
    head = table_processor.preview(src, rows=2)
    assert head.column_names == ["Datum", "Buchungstext", "Betrag", "PLZ"]  # below the title
    assert head.column("Betrag").to_pylist() == ["1.234,56 €"]  # text as the page has it, before typing


def test_spans_that_ask_for_millions_of_cells_are_refused(tmp_path):
    page = "<html><body><table>" + "<tr>" + '<td colspan="1000">x</td>' * 100 + "</tr></table></body></html>"
    src = tmp_path / "wide.xls"
    src.write_text(page)
    with pytest.raises(ProcessingError, match="more than 16,384 columns"):
        _run(src, tmp_path / "out")
    merged = _workbook({"S": [_cell("x", MergeAcross="16000") * 5]})
    src.write_text(merged)
    with pytest.raises(ProcessingError, match="more than 16,384 columns"):
        _run(src, tmp_path / "out")
    assert not any((tmp_path / "out").iterdir())


def test_a_cancel_on_a_later_sheet_leaves_nothing_of_the_earlier_ones(tmp_path):
    small = [_cell("a"), _cell(1, "Number")]
    big = [_cell("n") + _cell("name")] + [_cell(i, "Number") + _cell(f"item {i}") for i in range(20_000)]
    src = tmp_path / "two.xls"
    src.write_text(_workbook({"Small": small, "Big": big}))

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        size = src.stat().st_size
        if done > size + (total - size) // 2:  # past the converting half, well into the big sheet's reading
            raise Cancelled

    with pytest.raises(Cancelled):
        table_processor.process(src, ProcessOptions(tmp_path / "out"), cancel)
    assert not any((tmp_path / "out").iterdir())


def test_the_preview_of_an_xml_spreadsheet_shows_its_first_sheet_with_rows(tmp_path):
    src = tmp_path / "two.xls"
    src.write_text(_workbook({"Empty": [], "First": [_cell("a"), _cell("x")], "Second": [_cell("b"), _cell("y")]}))
    head = table_processor.preview(src, rows=50)
    assert head.column_names == ["a"] and head.column("a").to_pylist() == ["x"]


def test_an_xml_spreadsheet_under_excels_own_name_xml(tmp_path):
    rows = [f"{_cell('sku')}{_cell('qty')}", f"{_cell('A-1')}{_cell(4, 'Number')}"]
    src = tmp_path / "stock.xml"
    src.write_text(_workbook({"Stock": rows}), encoding="utf-8")
    result = _run(src, tmp_path / "out")
    assert result.outputs[0].name == "stock__Stock.parquet"
    assert pq.read_table(result.outputs[0]).to_pylist() == [{"sku": "A-1", "qty": 4}]
    assert not any(".xml" in w for w in result.warnings)  # its proper name: nothing to warn about
    other = tmp_path / "settings.xml"
    other.write_text('<?xml version="1.0"?>\n<configuration><add key="a" value="1"/></configuration>')
    with pytest.raises(ProcessingError, match="not an Excel XML Spreadsheet"):
        _run(other, tmp_path / "out2")
    assert not (tmp_path / "out2").exists() or not any((tmp_path / "out2").iterdir())


def test_sheets_whose_names_clash_each_get_their_own_file(tmp_path):
    def body(n: int) -> list[str]:
        return [f"{_cell('id')}", f"{_cell(n, 'Number')}"]

    # Excel refuses both, but generated files hold them: the same name twice, apart; and names a case apart.
    xml = _workbook({"A": body(1), "B": body(2), "Z": body(3), "b": body(4)}).replace('ss:Name="Z"', 'ss:Name="A"')
    src = tmp_path / "gen.xls"
    src.write_text(xml, encoding="utf-8")
    result = _run(src, tmp_path / "out")
    data = [p for p in result.outputs if not p.stem.endswith(("_summary", "_columns", "_sample", "_rejects"))]
    assert [p.name for p in data] == ["gen__A.parquet", "gen__B.parquet", "gen__A (2).parquet", "gen__b-2.parquet"]
    assert [pq.read_table(p).column("id").to_pylist() for p in data] == [[1], [2], [3], [4]]
    assert result.metrics["sheets"] == ["A", "B", "A (2)", "b"]
