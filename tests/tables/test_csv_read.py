"""CSV: encodings, delimiters, decimal commas, headers, bad rows, compression, mislabeled files, cancel."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobs.processors import csv as csv_processor
from jobs.processors.base import Cancelled, ProcessingError, ProcessOptions

TEXT = "name,city,amount\nRenée,Köln,1.5\nJosé,São Paulo,2\n"


@pytest.mark.parametrize(
    "encoded, expected_encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16-le"),  # with BOM
        (TEXT.encode("utf-16-be"), "utf-16-be"),  # no BOM: found from the zero bytes
        (TEXT.replace("1.5", "1.5 €").encode("cp1252") * 1, "cp1252"),
    ],
)
def test_encodings(run_csv, encoded, expected_encoding):
    run = run_csv(encoded)
    t = run.data
    assert run.result.metrics["encoding"] == expected_encoding
    assert t.column_names == ["name", "city", "amount"]
    assert t.column("name").to_pylist() == ["Renée", "José"]
    assert t.column("city").to_pylist() == ["Köln", "São Paulo"]
    assert run.summary["encoding"] == expected_encoding


def test_shift_jis_is_detected(run_csv):
    text = "商品,価格,産地\n" + "".join(f"りんご{i},{100 + i},青森県\n" for i in range(50))
    run = run_csv(text.encode("shift_jis"))
    assert run.result.metrics["encoding"] in ("shift_jis", "cp932")
    assert run.data.column_names == ["商品", "価格", "産地"]
    assert run.data.column("産地").to_pylist()[0] == "青森県"
    assert run.data.column("価格").type == pa.int64()


def test_latin1_is_detected(run_csv):
    text = "nom,ville\n" + "".join(f"Hélène {i},Orléans\n" for i in range(40))
    run = run_csv(text.encode("latin-1"))
    assert run.data.column("ville").to_pylist()[0] == "Orléans"
    assert any("not UTF-8" in w for w in run.result.warnings)


def test_encoding_change_part_way_is_reported(run_csv):
    good = "".join(f"{i},plain\n" for i in range(200_000)).encode()
    data = b"k,v\n" + good + "200000,café\n".encode("cp1252")
    run = run_csv(data)
    assert run.data.column("v").to_pylist()[-1] == "café"
    assert any("not valid UTF-8" in w and "'v'" in w for w in run.result.warnings)


def test_multibyte_character_cut_by_a_read_block_is_valid(run_csv):
    # The stream validates UTF-8 in blocks of _RAW_BLOCK bytes: a character split by a block edge is still valid.
    from jobs.tables import stream

    row = "1,Zoë Ødegård 東京\n".encode()
    body = row * (stream._RAW_BLOCK // len(row) + 2)
    for shift in range(1, 4):  # moves the block edge through the multi-byte characters
        run = run_csv(b"k,v\n0," + b"y" * shift + b"\n" + body)
        assert not any("UTF-8" in w for w in run.result.warnings), shift
        assert run.data.column("v").to_pylist()[-1] == "Zoë Ødegård 東京"


def test_invalid_utf8_in_a_late_block_is_reported(run_csv):
    from jobs.tables import stream

    good = b"1,plain\n" * (stream._RAW_BLOCK // 8 + 10)
    run = run_csv(b"k,v\n" + good + "2,café\n".encode("cp1252") + good)
    assert run.data.column("v").to_pylist()[len(good) // 8] == "café"
    assert any("not valid UTF-8" in w and "'v'" in w for w in run.result.warnings)


def test_encoding_override(run_csv):
    run = run_csv("a\nÄ\n".encode("cp1252"), encoding="latin-1")
    assert run.data.column("a").to_pylist() == ["Ä"] and run.result.metrics["encoding"] == "latin-1"


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_each_delimiter(run_csv, delim):
    rows = [["id", "label", "when"], ["1", "a b", "2024-01-01"], ["2", "c, d", "2024-01-02"]]
    lines = [delim.join(f'"{v}"' if delim in v or ("," in v and delim == ",") else v for v in r) for r in rows]
    run = run_csv(("\n".join(lines) + "\n").encode())
    assert run.result.metrics["delimiter"] == delim
    assert run.data.column("label").to_pylist() == ["a b", "c, d"]
    assert run.data.column("id").to_pylist() == [1, 2]


def test_excel_sep_line(run_csv):
    run = run_csv(b"sep=;\nx;y\n1;2\n3;4\n")
    assert run.result.metrics["delimiter"] == ";"
    assert run.data.column_names == ["x", "y"] and run.data.column("y").to_pylist() == [2, 4]


def test_delimiter_override_and_tsv_name(run_csv):
    run = run_csv(b"a|b\n1|2\n", delimiter="|")
    assert run.data.column_names == ["a", "b"]
    run = run_csv(b"a\tb\n1\t2\n", name="t.tsv")
    assert run.result.metrics["delimiter"] == "\t"


def test_decimal_comma_with_thousands(run_csv):
    data = b"Artikel;Preis;Menge\nA;1.234,56;3\nB;12,5;1.000\nC;-0,75;2\n"
    run = run_csv(data)
    m = run.result.metrics
    assert m["delimiter"] == ";" and m["decimal"] == ","
    assert run.data.column("Preis").to_pylist() == [1234.56, 12.5, -0.75]
    assert run.data.column("Menge").to_pylist() == [3, 1000, 2]


def test_thousands_separators_with_decimal_point(run_csv):
    run = run_csv(b'v\n"1,234.5"\n2\n')
    assert run.data.column("v").to_pylist() == [1234.5, 2.0]


def test_header_detection(run_csv):
    run = run_csv(b"1,2.5,x\n3,4.5,y\n5,6.5,z\n")
    assert run.result.metrics["header"] is False
    assert run.data.column_names == ["column_1", "column_2", "column_3"] and run.data.num_rows == 3
    run = run_csv(b"1,2\n3,4\n", header=True)
    assert run.data.column_names == ["1", "2"] and run.data.num_rows == 1


def test_duplicate_and_empty_names(run_csv):
    run = run_csv(b"a,a,,b\n1,2,3,4\n")
    assert run.data.column_names == ["a", "a_2", "column_3", "b"]
    assert sum("repeats the name" in w or "has no name" in w for w in run.result.warnings) == 2


def test_quotes_with_embedded_newlines(run_csv):
    run = run_csv(b'id,note\n1,"two\nlines"\n2,"say ""hi"", ok"\n3,plain\n')
    assert run.data.column("note").to_pylist() == ["two\nlines", 'say "hi", ok', "plain"]


def test_ragged_rows_go_to_rejects(run_csv):
    run = run_csv(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
    assert run.data.column("a").to_pylist() == [1, 10]
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [(r["line"], r["raw"]) for r in rejects] == [(3, "4,5"), (4, "6,7,8,9")]
    assert "expected 3" in rejects[0]["reason"]
    assert run.result.metrics["rejected_rows"] == 2 and run.summary["rejected_rows"] == 2
    assert any("2 row(s) could not be read" in w and "line 3" in w for w in run.result.warnings)


def test_nul_byte_rows_are_rejected(run_csv):
    run = run_csv(b"a,b\n1,x\n2,y\x00z\n3,w\n")
    assert run.data.column("a").to_pylist() == [1, 3]
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert rejects[0]["row"] == 2 and "NUL" in rejects[0]["reason"] and rejects[0]["raw"] == "2,y\x00z"


def test_unterminated_quote_fails_naming_the_line(run_csv):
    with pytest.raises(ProcessingError, match=r"line 3 .*unterminated quote"):
        run_csv(b'a,b\n1,x\n2,"open\n3,y\n4,z\n')


def test_an_open_quote_is_found_even_when_the_quotes_add_up_to_an_even_count(run_csv):
    # The quote in 'ab"cd' is an ordinary character; the one on line 3 opens a value that takes the rest.
    with pytest.raises(ProcessingError, match=r"line 3 .*unterminated quote"):
        run_csv(b'a,b\n1,ab"cd\n2,"ef\n3,gh\n')
    rows = "".join(f"{i},v{i}\n" for i in range(4, 200_000))
    with pytest.raises(ProcessingError, match=r"line 4 .*unterminated quote"):
        run_csv(f'a,b\n1,x\n2,y\n3,"open\n{rows}199999,5" pipe\n'.encode(), name="big.csv")


def test_an_open_quote_that_leaves_a_row_short_is_named_too(run_csv):
    # Opened in the first field, the quote takes the rest of the file: one "row" with a single field.
    with pytest.raises(ProcessingError, match=r"line 3 .*unterminated quote"):
        run_csv(b'a,b,c\n1,2,3\n"open\n4,5,6\n7,8,9\n')


def test_a_bad_last_row_with_a_closed_multiline_value_is_only_rejected(run_csv):
    run = run_csv(b'a,b,c\n1,2,3\n4,"x\ny",5,6\n')
    assert run.data.column("a").to_pylist() == [1]
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [r["raw"] for r in rejects] == ['4,"x\ny",5,6']


@pytest.mark.parametrize("end", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_an_open_quote_is_found_whatever_the_line_ends(run_csv, end):
    with pytest.raises(ProcessingError, match=r"line 3 .*unterminated quote"):
        run_csv(end.join(["a,b", "1,x", '2,"open', "3,y", "4,z", ""]).encode())


def test_rows_swallowed_by_a_quote_closed_far_on_are_reported(run_csv):
    # The quote on line 4 is closed by the stray one in '5" pipe' 200,000 lines on: Arrow reads one value and
    # the file ends cleanly, so only the shape of that value tells.
    rows = "".join(f"{i},x{i}\n" for i in range(4, 200_000))
    run = run_csv(f'n,t\n1,a\n2,b\n3,"open\n{rows}200000,5" pipe\n7,end\n'.encode())
    assert run.data.num_rows == 4
    assert any("column 't', row 3: one value holds 199,998 lines shaped like rows" in w for w in run.result.warnings)
    notes = "".join(f'{i},"line one\nline, two"\n' for i in range(5000))  # many multi-line values: fine
    assert not run_csv(("n,t\n" + notes).encode(), name="notes.csv").result.warnings


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_rows_swallowed_by_a_quote_closed_a_few_lines_on_are_reported(run_csv, end):
    # The quote before Ann is closed by the one before Kim: rows 3 and 4 become part of a name, and the file
    # still reads cleanly. The line '3,Joe,5.5' has a row's fields, of the columns' types.
    lines = ["id,name,amount", "1,Bob,3.5", '2,"Ann,4.0', "3,Joe,5.5", '4,"Kim",6.0', "5,Al,7", ""]
    run = run_csv(end.join(lines).encode())
    assert run.data.column("id").to_pylist() == [1, 2, 5]
    assert any("column 'name', row 2: its value holds 1 line(s) shaped like rows" in w and "'3,Joe,5.5'" in w
               for w in run.result.warnings), run.result.warnings
    two = run_csv(b'a,b\n1,x\n2,"open\n3,y\n4,"z"\n5,w\n', name="two.csv")
    assert any("column 'b', row 2: its value holds 2 line(s)" in w and "'3,y'" in w for w in two.result.warnings)


def test_multi_line_values_that_only_look_like_rows_in_part_are_not_reported(run_csv):
    # Addresses and notes with commas: their lines lack a row's delimiters, or their fields are not of the types.
    rows = "".join(f'{i},"12 Main St\nSpringfield, IL",{i}.5,"call back\nask, for Bob"\n' for i in range(3000))
    run = run_csv(("id,address,amount,note\n" + rows).encode())
    assert run.data.num_rows == 3000 and not run.result.warnings
    notes = "".join(f'{i},"total\nsee above, 7 items, ok",{i}\n' for i in range(3000))  # 2 commas, 3 columns...
    run = run_csv(("id,note,qty\n" + notes).encode(), name="notes3.csv")  # ...but 'see above' is no id
    assert not run.result.warnings


def test_a_long_swallow_among_notes_in_every_row_is_still_found(run_csv):
    # Past the first lines of a chunk only the lines of very long values are looked at: this one is.
    notes = "".join(f'{i},"note {i}\nline two"\n' for i in range(60_000))
    swallowed = "".join(f"{i},x{i}\n" for i in range(60_001, 62_500))
    data = f'n,t\n{notes}60000,"open\n{swallowed}62500,5" pipe\n62501,end\n'
    run = run_csv(data.encode())
    assert any("column 't', row 60001: one value holds 2,501 lines shaped like rows" in w
               for w in run.result.warnings), run.result.warnings


def test_many_swallowed_values_are_counted_past_the_first_few(run_csv):
    rows = "".join(f'{i},"x\n{i},y,{i}",{i}\n' for i in range(10))  # each value holds a line shaped like a row
    run = run_csv(("a,b,c\n" + rows).encode())
    shaped = [w for w in run.result.warnings if "shaped like rows" in w]
    assert len(shaped) == 4 and shaped[-1].startswith("7 more value(s)")


def test_a_quote_inside_an_unquoted_value_is_just_a_character(run_csv):
    # An odd number of quotes, all of them fine: 5" is five inches.
    run = run_csv(b'id,desc\n1,5" pipe\n2,ok\n3,"two\nlines"\n')
    assert run.data.column("desc").to_pylist() == ['5" pipe', "ok", "two\nlines"]


def test_a_cp1252_file_that_turns_utf8_part_way_says_so_and_keeps_both(run_csv):
    data = b"id,name\n" + "".join(f"{i},Renée{i}\n" for i in range(150_000)).encode("cp1252")
    data += "".join(f"{i},José{i}\n" for i in range(150_000, 150_010)).encode("utf-8")
    run = run_csv(data)
    names = run.data.column("name")
    assert names[0].as_py() == "Renée0" and names[150_000].as_py() == "José150000"
    assert any("10 line(s) are UTF-8" in w and "changes part-way" in w for w in run.result.warnings)


def test_a_delimiter_option_of_two_characters_is_refused_clearly(run_csv):
    with pytest.raises(ProcessingError, match=r"delimiter must be one character.*';;'"):
        run_csv(b"a;b\n1;2\n", delimiter=";;")


@pytest.mark.parametrize("data", [b"a,b", b"x"], ids=["header", "one-value"])
def test_a_header_with_no_line_break_after_it_is_an_empty_table(run_csv, data):
    run = run_csv(data)
    assert run.data.num_rows == 0 and run.data.column_names == data.decode().split(",")


def test_binary_data_named_csv_is_refused(run_csv):
    with pytest.raises(ProcessingError, match="binary data"):
        run_csv(bytes(range(256)) * 40, name="export.csv")
    text = "名前,都市\n" + "".join(f"田中{i},東京{i}\n" for i in range(500))  # UTF-16 of CJK is not binary
    run = run_csv(text.encode("utf-16-le"), name="cjk.csv")
    assert run.data.num_rows == 500


def test_rows_are_named_as_they_are_in_the_file_whatever_was_rejected_before(run_csv):
    # Column n holds each row's number in the file: rejected rows before a row must not shift its number.
    rows = 300_000
    special = {10: "10", 20: "20", 250_000: "250000,5\x00", 250_001: "250001,5\x00", 280_000: "280000,ABC-17"}
    data = "n,qty\n" + "".join(special.get(i, f"{i},{i % 100}") + "\n" for i in range(1, rows + 1))
    run = run_csv(data.encode())
    assert any("row 280000 has 'ABC-17'" in w for w in run.result.warnings)
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [(r["row"], r["line"]) for r in rejects] == [(10, 11), (20, 21), (250_000, 250_001), (250_001, 250_002)]


def test_a_reject_after_values_with_line_breaks_names_its_physical_line(run_csv):
    # Arrow counts records; each three-line note before the bad row adds two lines.
    notes = "".join(f'{i},"multi\nline\nnote",{i}\n' for i in range(1, 6))
    run = run_csv(f"id,note,v\n{notes}6,bad\n7,ok,7\n8,x\0y,8\n".encode())
    rejects = pq.read_table(run.output("_rejects.parquet")).to_pylist()
    assert [(r["row"], r["line"], r["raw"]) for r in rejects] == [(6, 17, "6,bad"), (8, 19, "8,x\0y,8")]
    assert any("the first, line 17" in w for w in run.result.warnings)


def _zstd(data: bytes) -> bytes:
    return bytes(pa.compress(data, codec="zstd", asbytes=True))


@pytest.mark.parametrize(
    "compress, name", [(gzip.compress, "a.csv"), (bz2.compress, "b.csv.bz2"), (_zstd, "c.csv.gz")]
)
def test_compression_from_content_not_name(run_csv, compress, name):
    text = "k,v\n" + "".join(f"{i},v{i}\n" for i in range(1000))
    run = run_csv(compress(text.encode()), name=name)
    assert run.data.num_rows == 1000 and run.data.column("k").to_pylist()[-1] == 999
    assert run.result.metrics["compression"] in ("gzip", "bz2", "zstd")
    assert run.result.outputs[0].name == name.split(".")[0] + ".parquet"


@pytest.mark.parametrize("rows", [100_000, 120_000, 1_000_000], ids=["small", "in-first-block", "later"])
def test_truncated_gzip(run_csv, rows):
    # Cut inside the sniffer's first MiB, past it but inside the reader's first block, or further on.
    blob = gzip.compress(("k,v\n" + "".join(f"{i},{i * 0.37}\n" for i in range(rows))).encode())
    with pytest.raises(ProcessingError, match=r"^the (gzip|compressed) data is damaged or truncated"):
        run_csv(blob[: int(len(blob) * 0.6)], name="t.csv.gz")


def test_not_a_table(run_csv):
    with pytest.raises(ProcessingError, match="PNG image"):
        run_csv(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, name="img.csv")
    with pytest.raises(ProcessingError, match="empty"):
        run_csv(b"", name="empty.csv")


def test_cancel_leaves_nothing(tmp_path):
    src = tmp_path / "big.csv"
    src.write_bytes(("k,v\n" + "".join(f"{i},value {i}\n" for i in range(600_000))).encode())
    out = tmp_path / "out"
    calls = []

    def progress(done: int, total: int) -> None:
        if done:  # calls before reading (dialect, spread look) report 0
            calls.append(done)
        if len(calls) == 3:  # mid-file: rows already written to the temporary data file
            raise Cancelled()

    with pytest.raises(Cancelled):
        csv_processor.process(src, ProcessOptions(out_dir=out), progress)
    assert list(out.iterdir()) == []


def test_progress_reaches_the_end_in_small_steps(run_csv, tmp_path):
    data = ("k\n" + "".join(f"{i}\n" for i in range(1_500_000))).encode()
    calls: list[tuple[int, int]] = []
    run = run_csv(data, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1][0] == calls[-1][1] == len(data)
    assert len(calls) >= 3 and run.data.num_rows == 1_500_000


def test_preview_is_the_head(tmp_path):
    src = tmp_path / "p.csv"
    src.write_bytes(("k,v\n" + "".join(f"{i},x{i}\n" for i in range(1000))).encode())
    head = csv_processor.preview(src, rows=5)
    assert head.num_rows == 5 and head.column("k").to_pylist() == ["0", "1", "2", "3", "4"]


def test_trailing_delimiters(run_csv):
    run = run_csv(b"a,b,c,\n1,2,3\n4,5,6\n")
    assert run.data.column_names == ["a", "b", "c"] and run.data.num_rows == 2
    run = run_csv(b"a,b,c\n1,2,3,\n4,5,6,\n")
    assert run.data.column_names == ["a", "b", "c", "column_4"] and run.data.column("c").to_pylist() == [3, 6]


def test_crlf_and_blank_lines(run_csv):
    run = run_csv(b"a;b\r\n1;x\r\n\r\n2;y\r\n")
    assert run.data.column("a").to_pylist() == [1, 2] and run.data.column("b").to_pylist() == ["x", "y"]


def test_compression_and_overwrite_settings_reach_every_table_output(tmp_path: Path) -> None:
    from jobs.processors import csv as csv_processor
    from jobs.processors.base import ProcessOptions, no_progress

    src = tmp_path / "prices.csv"
    src.write_text("sku,price\nA1,1.5\nB2,2.25\n", encoding="utf-8")
    out = tmp_path / "out"
    first = csv_processor.process(src, ProcessOptions(out, {"compression": "snappy"}), no_progress)
    for path in first.outputs:
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "SNAPPY", path.name
    again = csv_processor.process(src, ProcessOptions(out, {"overwrite": "replace"}), no_progress)
    assert [p.name for p in again.outputs] == [p.name for p in first.outputs]
    assert pq.ParquetFile(again.outputs[0]).metadata.row_group(0).column(0).compression == "ZSTD"


def test_a_value_longer_than_two_reading_blocks_is_read_whole(run_csv):
    # Arrow's reader refuses a row that straddles two block edges: the file is read again in larger blocks.
    from jobs.processors import csv as csv_processor

    big = "".join(f"line {i} of a long note\n" for i in range(420_000))  # ~10 MB, quoted, with newlines
    assert len(big) > 2 * csv_processor.BLOCK_BYTES
    data = 'id,note\n1,"' + big + '"\n2,short\n'
    run = run_csv(data.encode())
    t = run.data
    assert t.num_rows == 2 and t.column("note").to_pylist() == [big, "short"]
    assert t.column("id").to_pylist() == [1, 2]


@pytest.mark.parametrize("before", [0, 100_000], ids=["at-start", "mid-file"])
def test_long_values_one_after_another_are_read_whole(run_csv, before):
    # Each row spans two block edges; the reader holds back blocks ahead of the parser, and must still give the
    # parser the blocks it needs to end such a row (it once waited for ever on the second one).
    from jobs.processors import csv as csv_processor

    block = csv_processor.BLOCK_BYTES
    first, second = ("x" * 99 + "\n") * (block * 19 // 1000), ("y" * 99 + "\n") * (block * 20 // 1000)
    assert block < len(first) < len(second) < 2 * block
    rows = [f"{i},short {i}" for i in range(before)]
    data = "id,note\n" + "".join(r + "\n" for r in rows) + f'{before},"{first}"\n{before + 1},"{second}"\n'
    run = run_csv(data.encode())
    notes = run.data.column("note")
    assert run.data.num_rows == before + 2
    assert notes[before].as_py() == first and notes[before + 1].as_py() == second


def test_the_preview_shows_a_row_with_a_long_text_cell(tmp_path):
    # The preview reads in small blocks to answer at once; a 300 KB cell straddles several of them.
    from jobs.preview import preview

    long = "word " * 60_000
    src = tmp_path / "notes.csv"
    src.write_text(f'id,note\n1,short\n2,"{long}"\n3,end\n')
    shown = preview(src)
    assert shown.kind == "table", shown.message
    assert shown.table.column("note").to_pylist() == ["short", long, "end"]
