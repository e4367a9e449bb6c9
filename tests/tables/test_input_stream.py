"""The stream Arrow's CSV reader reads: the same UTF-8 text whatever the sizes it is asked for."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from jobs.tables.stream import InputStream

TEXT = "".join(f'{i},Renée €{i},"q"\n' for i in range(3000))


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("cp1252", b"")],
)
def test_any_read_sizes_give_the_whole_text(tmp_path: Path, encoding: str, bom: bytes) -> None:
    # Reads of 1 or 3 bytes end inside a BOM or inside a character: neither may pass for the end of the file.
    src = tmp_path / "data.csv"
    src.write_bytes(bom + TEXT.encode(encoding))
    sizes = random.Random(5)
    for _ in range(10):
        stream = InputStream(src, None, encoding, len(bom))
        parts = []
        while part := stream.read(sizes.choice([1, 2, 3, 7, 100, 4096, 100_000])):
            parts.append(part)
        stream.close()
        assert b"".join(parts).decode("utf-8") == TEXT
        assert stream.line_feeds == TEXT.count("\n")  # counted in 1 MB slices, whatever the read sizes


def test_utf8_lines_in_a_cp1252_file_are_read_as_utf8(tmp_path: Path) -> None:
    # Two exports pasted together: neither part may come out as "JosÃ©". Small reads cut lines and characters.
    src = tmp_path / "data.csv"
    first = "".join(f"{i},Renée {i}\n" for i in range(2000))
    second = "".join(f"{i},José {i} €\n" for i in range(2000, 2100))
    src.write_bytes(first.encode("cp1252") + second.encode("utf-8"))
    for size in (7, 1000, 1 << 20):
        stream = InputStream(src, None, "cp1252", 0)
        parts = []
        while part := stream.read(size):
            parts.append(part)
        stream.close()
        assert b"".join(parts).decode("utf-8") == first + second
        assert stream.utf8_lines == 100
