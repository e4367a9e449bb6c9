"""Excel's "Text (Tab delimited)" and "Unicode Text" exports are named .txt: read as tables, while other .txt
files stay text documents."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from jobs.processors import registry
from jobs.processors import table as table_processor
from jobs.processors.base import ProcessOptions, no_progress


def test_excels_unicode_text_export_is_a_table(tmp_path: Path) -> None:
    src = tmp_path / "Bestand.txt"
    src.write_text("Artikel\tMenge\tPreis\nÄpfel\t3\t1,20\nBirnen\t5\t0,99\nKiwis\t2\t2,50\n", encoding="utf-16")
    info = registry.for_path(src)
    assert info is not None and (info.name, info.kind) == ("csv", "table")
    result = table_processor.process(src, ProcessOptions(tmp_path / "out"), no_progress)
    assert result.outputs[0].name == "Bestand.parquet"
    assert pq.read_table(result.outputs[0]).to_pylist()[0] == {"Artikel": "Äpfel", "Menge": 3, "Preis": 1.2}
    assert result.warnings[0] == "the file is named .txt but holds a tab-separated table; read as a table"


def test_text_with_tabs_stays_a_text_document(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear team,\n\tthe report is attached.\n\tFigures follow.\nBest,\n\tAnna\n")
    code = tmp_path / "snippet.txt"
    code.write_text("def total(rows):\n\treturn sum(rows)\n\n\nprint(total([1, 2]))\n")
    short = tmp_path / "pair.txt"
    short.write_text("a\tb\n1\t2\n")  # two lines tell nothing
    for path in (letter, code, short):
        info = registry.for_path(path)
        assert info is not None and info.kind == "text", path.name
    assert registry.kinds()["text"].count(".txt") == 1 and ".txt" not in registry.kinds()["table"]
