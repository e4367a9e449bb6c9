"""The text processor on real files: exact counts, encodings, formats, bad input."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from jobs.inputs import check_input
from jobs.processors import text
from jobs.processors.base import Cancelled, ProcessingError, ProcessOptions, no_progress
from tests.engine.helpers import independent_counts, sha256, write_words

SAMPLE = "Der Bär läuft; the bear runs. Ünïcödé words, numbers 42 and snake_case!\nZweite Zeile — the end\n"


def run_text(path: Path, out: Path, **extra: object) -> text.ProcessResult:
    return text.process(path, ProcessOptions(out, extra), no_progress)


def words_of(result: text.ProcessResult) -> dict[str, int]:
    [words] = [p for p in result.outputs if p.name.endswith("_words.parquet")]
    table = pq.read_table(words)
    assert table.column_names == ["word", "count", "share"]
    total = sum(table["count"].to_pylist())
    for c, s in zip(table["count"].to_pylist(), table["share"].to_pylist(), strict=True):
        assert s == pytest.approx(c / total)
    return dict(zip(table["word"].to_pylist(), table["count"].to_pylist(), strict=True))


def summary_of(result: text.ProcessResult) -> dict[str, object]:
    [summary] = [p for p in result.outputs if p.name.endswith("_summary.parquet")]
    return pq.read_table(summary).to_pylist()[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_counts_match_an_independent_count_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    content = SAMPLE if encoding not in ("cp1252", "latin-1") else SAMPLE.replace("—", "-")
    src = tmp_path / "doc.txt"
    src.write_bytes((content * 50).encode(encoding))
    before = sha256(src)
    result = run_text(src, tmp_path / "out")
    assert words_of(result) == independent_counts(content * 50)
    summary = summary_of(result)
    assert summary["lines"] == 100 and summary["words"] == sum(independent_counts(content * 50).values())
    assert summary["characters"] == len(content * 50)
    assert sha256(src) == before  # the input is never modified
    assert result.warnings == []


def test_detected_encoding_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "legacy.txt"
    src.write_bytes(("Größe café naïve déjà vu " * 200).encode("cp1252"))
    result = run_text(src, tmp_path / "out")
    assert result.metrics["encoding"] in ("cp1252", "latin-1", "iso8859-1", "iso8859-15", "cp1250")
    assert words_of(result)["größe"] == 200


def test_streaming_across_chunk_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "CHUNK_BYTES", 1000)  # words and UTF-8 sequences straddle chunk edges
    src = tmp_path / "big.md"
    content = SAMPLE * 400
    src.write_text(content, encoding="utf-8")
    seen: list[tuple[int, int]] = []
    result = text.process(src, ProcessOptions(tmp_path / "out"), lambda d, t: seen.append((d, t)))
    assert words_of(result) == independent_counts(content)
    assert len(seen) > 10 and seen[-1][0] == seen[-1][1] == src.stat().st_size
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_a_file_that_changes_encoding_part_way_warns(tmp_path: Path) -> None:
    src = tmp_path / "mixed.log"
    src.write_bytes("héllo wörld\n".encode() * 5000 + "café olé\n".encode("cp1252"))
    result = run_text(src, tmp_path / "out")
    assert any("not valid utf-8" in w for w in result.warnings)


def test_large_file_counts_are_exact(tmp_path: Path) -> None:
    src = tmp_path / "big.txt"
    want = write_words(src, 12)
    result = run_text(src, tmp_path / "out")
    assert words_of(result) == dict(want)


def test_json_and_rtf(tmp_path: Path) -> None:
    js = tmp_path / "data.json"
    js.write_text('{"name": "Ana", "city": "Sevilla", "tags": ["sun", "sun"]}', encoding="utf-8")
    assert words_of(run_text(js, tmp_path / "out")) == {"name": 1, "ana": 1, "city": 1, "sevilla": 1, "tags": 1,
                                                        "sun": 2}
    rtf = tmp_path / "letter.rtf"
    rtf.write_text(r"{\rtf1\ansi\ansicpg1252 {\b Hello} caf\'e9 world\par hello again}", encoding="ascii")
    assert words_of(run_text(rtf, tmp_path / "out")) == {"hello": 2, "café": 1, "world": 1, "again": 1}


def _minimal_pdf(lines: list[str]) -> bytes:
    stream = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -14 Td" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_text_is_counted(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_minimal_pdf(["quarterly report", "revenue grew", "report ends"]))
    result = run_text(pdf, tmp_path / "out")
    assert words_of(result) == {"quarterly": 1, "report": 2, "revenue": 1, "grew": 1, "ends": 1}
    assert result.metrics["pages"] == 1


def test_a_mislabelled_pdf_is_read_as_pdf_with_a_warning(tmp_path: Path) -> None:
    fake = tmp_path / "notes.txt"
    fake.write_bytes(_minimal_pdf(["hidden words"]))
    result = run_text(fake, tmp_path / "out")
    assert words_of(result) == {"hidden": 1, "words": 1}
    assert any("PDF" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
     (b"%PDF-1.4\ngarbage", "PDF")],
)
def test_bad_content_fails_with_a_clear_message_and_no_output(tmp_path: Path, content: bytes, message: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    with pytest.raises(ProcessingError, match=message):
        run_text(src, tmp_path / "out")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_inputs_that_are_not_readable_files(tmp_path: Path) -> None:
    with pytest.raises(ProcessingError, match="not found"):
        check_input(tmp_path / "missing.txt")
    with pytest.raises(ProcessingError, match="folder"):
        check_input(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ProcessingError, match="empty"):
        check_input(tmp_path / "empty.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        with pytest.raises(ProcessingError, match="not a regular file"):
            check_input(tmp_path / "pipe.txt")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    src = tmp_path / "secret.txt"
    src.write_text("x")
    src.chmod(0)
    with pytest.raises(ProcessingError, match="permission"):
        check_input(src)


def test_cancel_mid_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "CHUNK_BYTES", 4096)
    src = tmp_path / "big.txt"
    write_words(src, 1)
    calls = 0

    def cancel_soon(done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        if calls > 5:
            raise Cancelled()

    with pytest.raises(Cancelled):
        text.process(src, ProcessOptions(tmp_path / "out"), cancel_soon)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss is POSIX")
def test_memory_stays_bounded_whatever_the_file_size(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from jobs.processors.text import process\n"
        "from jobs.processors.base import ProcessOptions, no_progress\n"
        "process(Path(sys.argv[1]), ProcessOptions(Path(sys.argv[2])), no_progress)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    peaks = {}
    for mb in (10, 90):
        src = tmp_path / f"w{mb}.txt"
        write_words(src, mb)
        out = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / "out")], capture_output=True,
                             text=True, check=True, cwd=Path(__file__).resolve().parents[2])
        peaks[mb] = int(out.stdout.split()[-1]) / 1024
        src.unlink()
    assert peaks[90] < peaks[10] * 1.25 + 30, peaks  # 9x the input, about the same memory


def test_settings_reach_the_outputs_compression_and_overwrite_policy(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text("one two two")
    first = run_text(src, tmp_path / "out", compression="snappy")
    meta = pq.ParquetFile(first.outputs[0]).metadata
    assert meta.row_group(0).column(0).compression == "SNAPPY"
    again = run_text(src, tmp_path / "out")
    assert again.outputs[0].name == "doc-2_summary.parquet"  # default: never overwrite
    replaced = run_text(src, tmp_path / "out", overwrite="replace")
    assert replaced.outputs[0].name == "doc_summary.parquet"
    assert pq.ParquetFile(replaced.outputs[0]).metadata.row_group(0).column(0).compression == "ZSTD"
