"""The spread look (blocks read at arbitrary offsets before the conversion) and quoted values with line breaks:
a line inside a quoted value is never taken as a row, and files whose line starts can be trusted keep the look."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.tables import spread
from jobs.tables.sniff import sniff

NOTE = "call back,tomorrow,am\nsee ticket,open,high"  # its first line has as many fields as a row


def _write(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text(header + "\n" + "".join(line + "\n" for line in lines))
    assert path.stat().st_size >= spread.MIN_SIZE  # large enough for the spread look
    return path


def _look(path: Path) -> dict[str, str]:
    return spread.spread_kinds(path, sniff(path), path.stat().st_size)


def _reruns(caplog) -> list[str]:
    """Log lines of a conversion that met a type change the spread look had not shown it."""
    return [r.getMessage() for r in caplog.records if "starting over" in r.getMessage() or "in place" in r.getMessage()]


def test_multi_line_notes_keep_integer_columns(run_csv, tmp_path):
    # The reported file (~16 MB): every note spans two lines. Blocks that began inside a note read its second
    # line as a row ("see ticket" as an id) and made id and qty text, silently.
    n = 300_000
    src = _write(tmp_path / "spread_notes.csv", "id,qty,note", [f'{i},{i % 50},"{NOTE}"' for i in range(1, n + 1)])
    # The head shows values with line breaks: no block of such a file can be trusted, so none is read.
    assert _look(src) == {}
    run = run_csv(src)
    t = run.data
    assert t.schema.field("id").type == pa.int64() and t.schema.field("qty").type == pa.int64()
    assert t.num_rows == n
    ids = np.arange(1, n + 1)
    assert np.array_equal(t.column("id").to_numpy(), ids)
    assert np.array_equal(t.column("qty").to_numpy(), ids % 50)
    assert pc.all(pc.equal(t.column("note"), NOTE)).as_py()
    assert not run.result.warnings


def test_line_breaks_only_past_the_head(run_csv, tmp_path, caplog):
    # Single-line notes for the first 60,000 rows (more than the head the look reads from the file's start),
    # notes with line breaks after: blocks there start inside a note or hold one, and are dropped on their
    # quote count; the blocks before still make the look.
    n = 300_000
    lines = [f'{i},{i % 50},"{NOTE if i > 60_000 else "call back, tomorrow"}"' for i in range(1, n + 1)]
    src = _write(tmp_path / "late_notes.csv", "id,qty,note", lines)
    assert _look(src) == {"id": "int", "qty": "int", "note": "string"}
    with caplog.at_level(logging.INFO):
        run = run_csv(src)
    t = run.data
    assert t.schema.field("id").type == pa.int64() and t.schema.field("qty").type == pa.int64()
    ids = np.arange(1, n + 1)
    assert np.array_equal(t.column("id").to_numpy(), ids)
    assert np.array_equal(t.column("qty").to_numpy(), ids % 50)
    assert pc.sum(pc.count_substring(t.column("note"), "\n")).as_py() == n - 60_000
    assert not run.result.warnings and not _reruns(caplog)


def test_quoted_values_without_line_breaks_keep_the_look(run_csv, tmp_path, caplog):
    # Quoted notes with delimiters but no line breaks: every block's quotes pair up, so the look still sees a
    # change near the end before the conversion starts (no start over, no splice).
    n, at = 300_000, 295_000
    lines = [f'{i},{"ABC-17" if i == at else i % 50},"call back, tomorrow am, see ticket {i}"' for i in range(1, n + 1)]
    src = _write(tmp_path / "quoted.csv", "id,qty,note", lines)
    assert _look(src) == {"id": "int", "qty": "string", "note": "string"}
    with caplog.at_level(logging.INFO):
        run = run_csv(src)
    qty = run.data.column("qty")
    assert run.data.schema.field("id").type == pa.int64() and qty.type == pa.string()
    assert qty[at - 1].as_py() == "ABC-17" and qty[0].as_py() == "1" and qty[-1].as_py() == str(n % 50)
    assert any("ABC-17" in w for w in run.result.warnings)
    assert not _reruns(caplog)


def test_stray_quotes_in_unquoted_values_keep_the_look(tmp_path):
    # Inch marks (12" pipe) leave an odd number of quotes on every line: the quote count says nothing about
    # where a block starts, so blocks are not judged by it, and the look still finds the late text.
    n, at = 700_000, 695_000
    lines = [f'{i},{"ABC-17" if i == at else i % 50},{i % 24}" pipe' for i in range(1, n + 1)]
    src = _write(tmp_path / "inches.csv", "id,qty,item", lines)
    assert _look(src) == {"id": "int", "qty": "string", "item": "string"}


def test_a_few_multi_line_values_keep_the_look(tmp_path):
    # Exports with a note that now and then runs over two lines: most line ends still end records, so the
    # quote parity tells where each block's records start, and the look finds the late change.
    n, at = 400_000, 399_000
    notes = {i: NOTE for i in range(300, n, 300)}
    lines = [f'{i},{"ABC-17" if i == at else i % 50},"{notes.get(i, "short, note")}"' for i in range(1, n + 1)]
    src = _write(tmp_path / "some_notes.csv", "id,qty,note", lines)
    assert _look(src) == {"id": "int", "qty": "string", "note": "string"}
