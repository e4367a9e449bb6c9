"""Files the sniffer used to misread: lone-CR line ends, repeated or empty header names over text, decimal
commas hidden behind thousands points, and UTF-8 that turns cp1252 inside the first MiB."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pytest

if TYPE_CHECKING:  # pytest loads conftest itself; importing it at run time would load it a second time
    from tests.tables.conftest import Runner


def _column(run_data: pa.Table, name: str) -> list[object]:
    return run_data.column(name).to_pylist()


# ------------------------------------------------------------------------------------------- line ends
def test_lone_cr_line_ends_keep_the_header_and_every_row(run_csv: Runner) -> None:
    run = run_csv(b"a,b\r1,x\r2,y\r", name="cr.csv")

    assert run.data.column_names == ["a", "b"]
    assert run.data.schema.field("a").type == pa.int64()
    assert _column(run.data, "a") == [1, 2]
    assert _column(run.data, "b") == ["x", "y"]
    assert run.result.metrics["header"] is True
    assert run.result.metrics["rejected_rows"] == 0
    assert run.result.warnings == []


def test_lone_cr_file_keeps_line_breaks_inside_quoted_values(run_csv: Runner) -> None:
    run = run_csv(b'id,note\r1,"two\r\nlines"\r2,"cr\ronly"\r3,plain\r', name="cr_quoted.csv")

    assert run.data.column_names == ["id", "note"]
    assert _column(run.data, "id") == [1, 2, 3]
    assert _column(run.data, "note") == ["two\r\nlines", "cr\ronly", "plain"]
    assert run.result.metrics["rejected_rows"] == 0


def test_lone_cr_file_with_excel_sep_line(run_csv: Runner) -> None:
    run = run_csv(b"sep=;\ra;b\r1;x\r2;y\r", name="cr_sep.csv")

    assert run.data.column_names == ["a", "b"]
    assert _column(run.data, "a") == [1, 2]
    assert _column(run.data, "b") == ["x", "y"]
    assert run.result.metrics["delimiter"] == ";"


# ------------------------------------------------------------------------------------------- header
def test_repeated_header_name_over_text_columns_is_a_header(run_csv: Runner) -> None:
    run = run_csv(b"name,name,city\nAnn,Lee,Paris\nBob,Ray,Rome\n")

    assert run.result.metrics["header"] is True
    assert run.data.column_names == ["name", "name_2", "city"]
    assert run.data.to_pylist() == [
        {"name": "Ann", "name_2": "Lee", "city": "Paris"},
        {"name": "Bob", "name_2": "Ray", "city": "Rome"},
    ]
    assert "column 2 repeats the name 'name'; it is called 'name_2'" in run.result.warnings


def test_empty_header_name_over_text_columns_is_a_header(run_csv: Runner) -> None:
    run = run_csv(b"name,,city\nAnn,Lee,Paris\nBob,Ray,Rome\n")

    assert run.result.metrics["header"] is True
    assert run.data.column_names == ["name", "column_2", "city"]
    assert _column(run.data, "column_2") == ["Lee", "Ray"]
    assert "column 2 has no name; it is called 'column_2'" in run.result.warnings


def test_headerless_text_whose_first_row_repeats_a_value_stays_data(run_csv: Runner) -> None:
    run = run_csv(b"Ann,Ann,Paris\nBob,Ray,Rome\n")

    assert run.result.metrics["header"] is False
    assert run.data.column_names == ["column_1", "column_2", "column_3"]
    assert _column(run.data, "column_1") == ["Ann", "Bob"]
    assert _column(run.data, "column_2") == ["Ann", "Ray"]


def test_headerless_text_whose_first_row_has_an_empty_value_stays_data(run_csv: Runner) -> None:
    run = run_csv(b"Ann,,Paris\nBob,Ray,Rome\nEve,Kim,Oslo\n")

    assert run.result.metrics["header"] is False
    assert _column(run.data, "column_1") == ["Ann", "Bob", "Eve"]
    assert _column(run.data, "column_2") == [None, "Ray", "Kim"]


# ------------------------------------------------------------------------------------------- decimal mark
def test_decimal_comma_proven_beside_ambiguous_thousands_points(run_csv: Runner) -> None:
    rows = ["artikel;menge;preis"] + [f"A{i};{i}.{(i * 37) % 1000:03d};{i},{i % 100:02d}" for i in range(1, 201)]
    run = run_csv(("\n".join(rows) + "\n").encode(), name="de.csv")

    assert run.result.metrics["decimal"] == ","
    assert run.data.schema.field("menge").type == pa.int64()
    assert run.data.schema.field("preis").type == pa.float64()
    assert _column(run.data, "menge")[:3] == [1037, 2074, 3111]
    assert _column(run.data, "menge")[-1] == 200400
    assert _column(run.data, "preis")[:2] == [1.01, 2.02]
    assert _column(run.data, "preis")[-1] == 200.0


def test_decimal_point_proven_beside_ambiguous_thousands_commas(run_csv: Runner) -> None:
    rows = ["item;qty;price"] + [f"B{i};{i},{(i * 37) % 1000:03d};{i}.{i % 100:02d}" for i in range(1, 201)]
    run = run_csv(("\n".join(rows) + "\n").encode(), name="en.csv")

    assert run.result.metrics["decimal"] == "."
    assert _column(run.data, "qty")[:2] == [1037, 2074]
    assert _column(run.data, "price")[:2] == [1.01, 2.02]


def test_decimal_comma_proven_only_after_the_first_500_records(run_csv: Runner) -> None:
    body = "".join(f"{i};a\n" for i in range(799)) + "2,5;b\n"
    run = run_csv(("x;y\n" + body).encode(), name="late.csv")

    assert run.result.metrics["decimal"] == ","
    assert run.data.schema.field("x").type == pa.float64()
    values = _column(run.data, "x")
    assert values[:3] == [0.0, 1.0, 2.0]
    assert values[-1] == 2.5


def test_without_proof_the_majority_still_decides(run_csv: Runner) -> None:
    # "1.500" and "2,000" read either way: nothing proves a mark, the old vote picks the point on the tie.
    run = run_csv(b"a\tb\n1.500\t2,000\n", name="tie.tsv")

    assert run.result.metrics["decimal"] == "."
    assert run.data.to_pylist() == [{"a": 1.5, "b": 2000}]
    assert any("'1.500' read two ways" in w and "read as 1.5 " in w and "--decimal ," in w
               for w in run.result.warnings)


def test_semicolon_files_group_thousands_with_points_unless_values_prove_otherwise(run_csv: Runner) -> None:
    # Berlin's districts as the statistics office writes them: Excel puts ";" where the comma is the decimal
    # mark, so "384.172" is 384172 people, not 384.172.
    run = run_csv("Bezirk;Einwohner;Fläche\nMitte;384.172;39\nPankow;410.716;103\n".encode(), name="berlin.csv")

    assert run.result.metrics["decimal"] == ","
    assert _column(run.data, "Einwohner") == [384172, 410716]
    assert any("'384.172' read two ways" in w and "read as 384172" in w and "reads them as 384.172" in w
               for w in run.result.warnings)
    proven = run_csv(b"name;price;qty\nnut;0.25;1.500\nbolt;1.10;2.000\n", name="proven.csv")
    assert proven.result.metrics["decimal"] == "."  # "0.25" proves the point: "1.500" is one and a half
    assert _column(proven.data, "qty") == [1.5, 2.0]


def test_a_comma_separated_file_with_quoted_decimal_commas(run_csv: Runner) -> None:
    # PayPal's German export: every field quoted, amounts with a decimal comma.
    rows = ['"Datum","Name","Brutto","Guthaben"', '"01.02.2024","Max","1.149,00","2.528,05"',
            '"15.02.2024","Zoë","-49,99","2.479,66"']
    run = run_csv(("\ufeff" + "\n".join(rows) + "\n").encode(), name="paypal.csv")

    assert run.result.metrics["decimal"] == ","
    assert _column(run.data, "Brutto") == [1149.0, -49.99]
    assert not any("read two ways" in w for w in run.result.warnings)
    # Not every quoted comma is an amount: shoe sizes beside "S,M", a survey's answers "1,3", US thousands.
    shop = run_csv(b'item,sizes,price\nboot,"8,10","3,657"\nhat,"S,M","1,250"\nsock,"6,8","12"\n', name="shop.csv")
    assert shop.result.metrics["decimal"] == "." and _column(shop.data, "price") == [3657, 1250, 12]
    survey = run_csv(b'id,answers,income\n1,"1,3","11,500"\n2,"2,5","9,250"\n', name="survey.csv")
    assert survey.result.metrics["decimal"] == "." and _column(survey.data, "income") == [11500, 9250]
    us = run_csv(b'item,qty\nnut,"1,500"\nbolt,"2,250"\n', name="us.csv")
    assert us.result.metrics["decimal"] == "." and _column(us.data, "qty") == [1500, 2250]
    assert not any("read two ways" in w for w in us.result.warnings)  # the US way: nothing to say


# ------------------------------------------------------------------------------------------- encoding
def test_utf8_turning_cp1252_inside_the_head_stays_utf8(run_csv: Runner) -> None:
    head = ("id,name\n" + "".join(f"{i},José{i}\n" for i in range(5000))).encode()
    tail = "".join(f"{i},Renée{i}\n" for i in range(5000, 5010)).encode("cp1252")
    run = run_csv(head + tail, name="switch_mid.csv")

    assert run.result.metrics["encoding"] == "utf-8"
    names = _column(run.data, "name")
    assert names[:2] == ["José0", "José1"]
    assert names[4999] == "José4999"
    assert names[5000:] == [f"Renée{i}" for i in range(5000, 5010)]
    assert not any("not UTF-8; read as" in w for w in run.result.warnings)
    assert any("the encoding changes part-way" in w for w in run.result.warnings)


def test_three_rows_utf8_then_cp1252(run_csv: Runner) -> None:
    run = run_csv("id,name\n1,José\n".encode() + "2,Renée\n".encode("cp1252"), name="small.csv")

    assert run.result.metrics["encoding"] == "utf-8"
    assert _column(run.data, "name") == ["José", "Renée"]
    assert _column(run.data, "id") == [1, 2]
    assert any("the encoding changes part-way" in w for w in run.result.warnings)


@pytest.mark.parametrize(("text", "encoding"), [
    # A short German export: the detector alone said mac_iceland ("ƒ÷Ðþ") or cp1125.
    ("Datum;Text;Betrag\n01.02.2024;Sonderzeichen ÄÖÜß €;-99,90\n02.02.2024;Größe;10,00\n", "cp1252"),
    # mBank: Polish read as cp1252 ("¯ywnoœæ") while every letter was a Latin one.
    ("Data;Opis;Kategoria;Kwota\n" + "2024-03-01;ZAKUP ŻABKA;Żywność;-1,47\n" * 20, "cp1250"),
    ("Data;Opis;Kwota\n2024-03-02;Opłata za kartę;-7,00\n2024-03-03;Wpływy Łódź;8 500,00\n", "cp1250"),
    ("Дата;Описание;Сумма\n01.03.2024;Оплата услуг связи;-450,00\n02.03.2024;Зарплата;85000,00\n", "cp1251"),
    ("Datum;Popis;Částka\n01.03.2024;Příliš žluťoučký kůň;-1 299,00\n", "cp1250"),
    ("Fecha;Concepto;Importe\n01/03/2024;Señor Muñoz, ¿año?;12,50\n", "cp1252"),
    # Units and punctuation of Western text, which a misread would not write: µg, m², °C, Catalan "·".
    ("Probe;Einheit;Fläche\nBlei;µg/l bei 15 °C;80 m²\nZink;mg/l;12 m³\n", "cp1252"),
    ("Centre;Ciutat;Alumnes\nCol·legi Sant Jordi;Girona;412\nEscola Pública;Lleida;300\n", "cp1252"),
])
def test_short_legacy_exports_read_in_their_code_page(run_csv: Runner, text: str, encoding: str) -> None:
    run = run_csv(text.encode(encoding), name="export.csv")
    assert run.result.metrics["encoding"] == encoding
    header, *rows = [line.split(";") for line in text.splitlines()]
    assert run.data.column_names == header
    assert _column(run.data, header[1]) == [r[1] for r in rows]


def test_plain_cp1252_file_is_still_read_as_cp1252(run_csv: Runner) -> None:
    data = "id,name\n1,José\n2,Renée\n3,Zoë\n".encode("cp1252")
    run = run_csv(data, name="legacy.csv")

    assert run.result.metrics["encoding"] == "cp1252"
    assert _column(run.data, "name") == ["José", "Renée", "Zoë"]
    assert "the text is not UTF-8; read as cp1252 (detected)" in run.result.warnings


def test_cp1252_header_over_utf8_rows_is_recovered_and_reported(run_csv: Runner) -> None:
    data = "Prénom,Ville\n".encode("cp1252") + "".join(f"José{i},Köln\n" for i in range(20)).encode()
    run = run_csv(data, name="header_cp1252.csv")

    assert run.result.metrics["encoding"] == "utf-8"
    assert run.data.column_names == ["Prénom", "Ville"]
    assert _column(run.data, "Prénom")[:2] == ["José0", "José1"]
    assert _column(run.data, "Ville")[0] == "Köln"
    assert (
        "the header is not valid UTF-8 (the encoding changes part-way); its names were read as cp1252"
        in run.result.warnings
    )


def test_years_name_the_columns_of_a_comparison(run_csv: Runner) -> None:
    # Numbers over numbers vote against a header; consecutive years over amounts name them.
    run = run_csv(b"Region;2022;2023;2024\nNorth;100;110;120\nSouth;90;95;99\n", name="years.csv")
    assert run.data.column_names == ["Region", "2022", "2023", "2024"]
    assert _column(run.data, "2023") == [110, 95]
    data = run_csv(b"2021,2022\n2023,2024\n2025,2026\n", name="years_below.csv")  # years all the way down
    assert data.data.num_rows == 3


def test_a_short_table_above_a_wider_legend(run_csv: Runner) -> None:
    # The legend's two 8-field lines are the widest repeated width; the table above is still the table.
    rows = "".join(f"0{d}.03.2024;Artikel {d};{d}\n" for d in range(1, 10))
    run = run_csv(f"Datum;Artikel;Menge\n{rows}Legende;A=Auftrag;B=Bestand;C=x;D=y;E=z;F=u;G=v\n"
                  "Kürzel;AU;BE;CX;DY;EZ;FU;GV\n".encode(), name="legend.csv")
    assert run.data.column_names == ["Datum", "Artikel", "Menge"] and run.data.num_rows == 9


def test_years_do_not_outvote_a_number_over_numbers(run_csv: Runner) -> None:
    # A headerless sensor log whose first row happens to hold 2023;2024: "17,5" over numbers says data.
    run = run_csv(b"Sensor A;2023;2024;17,5\nSensor B;5;6;18,0\nSensor C;7;8;19,5\n", name="sensors.csv")
    assert run.data.num_rows == 3 and run.data.column_names[0] == "column_1"
    gaps = run_csv(b"Region;2019;2021;2023\nNorth;100;110;120\nSouth;90;95;99\n", name="gaps.csv")
    assert gaps.data.column_names == ["Region", "2019", "2021", "2023"]
