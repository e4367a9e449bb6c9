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

