"""Text documents (.txt .md .log .json, .rtf, .pdf) into word statistics, streamed in bounded memory.

Outputs: ``{stem}_summary.parquet`` (bytes, encoding, lines, words, characters, unique words, seconds)
and ``{stem}_words.parquet`` (word, count, share).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from jobs.parquet_io import write_record, write_table
from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback
from jobs.text.encoding import CountingDecoder, detect_encoding
from jobs.text.words import WordCounter

log = logging.getLogger(__name__)

CHUNK_BYTES = 4 << 20
SAMPLE_BYTES = 256 << 10
# RTF is parsed whole by striprtf; beyond this a document is not prose but an embedded-image dump.
RTF_MAX_BYTES = 256 << 20
_TRAILING_WORD = re.compile(r"\S+\Z")

SUMMARY_SCHEMA = pa.schema([
    ("file", pa.string()),
    ("format", pa.string()),
    ("bytes", pa.int64()),
    ("encoding", pa.string()),
    ("lines", pa.int64()),
    ("words", pa.int64()),
    ("characters", pa.int64()),
    ("unique_words", pa.int64()),
    ("pages", pa.int64()),
    ("seconds", pa.float64()),
])


class _Stats:
    def __init__(self) -> None:
        self.words = WordCounter()
        self.lines = 0
        self.characters = 0
        self._last_char = ""

    def add(self, text: str) -> None:
        if not text:
            return
        self.lines += text.count("\n")
        self.characters += len(text)
        self._last_char = text[-1]
        self.words.add(text)

    def finish_lines(self) -> int:
        # A last line without a newline is still a line.
        return self.lines + (1 if self._last_char and self._last_char != "\n" else 0)


def _split_at_word_boundary(carry: str, text: str) -> tuple[str, str]:
    """Return (complete part, carry-over) so no word straddles two chunks."""
    text = carry + text
    match = _TRAILING_WORD.search(text)
    if match is None:
        return text, ""
    return text[: match.start()], text[match.start():]


def _plain_chunks(
    source: Path, options: ProcessOptions, progress: ProgressCallback, result: ProcessResult
) -> Iterator[str]:
    total = source.stat().st_size
    with source.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
        detected = detect_encoding(sample, options.get("encoding"))
        result.metrics["encoding"] = detected.encoding
        result.metrics["encoding_method"] = detected.method
        decoder = CountingDecoder(detected.encoding)
        fh.seek(detected.bom_length)
        done = detected.bom_length
        progress(done, total)
        while True:
            data = fh.read(CHUNK_BYTES)
            if not data:
                break
            done += len(data)
            yield decoder.decode(data)
            progress(done, total)
        yield decoder.decode(b"", final=True)
    if decoder.bad_bytes:
        result.warnings.append(
            f"{decoder.bad_bytes} bytes are not valid {detected.encoding} (first at byte "
            f"{decoder.first_bad_offset}); they were replaced by \ufffd. The file may mix encodings."
        )


def _rtf_chunks(
    source: Path, options: ProcessOptions, progress: ProgressCallback, result: ProcessResult
) -> Iterator[str]:
    from striprtf.striprtf import rtf_to_text

    total = source.stat().st_size
    if total > RTF_MAX_BYTES:
        raise ProcessingError(f"RTF file larger than {RTF_MAX_BYTES >> 20} MB; save it as plain text first")
    raw = source.read_bytes()
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ProcessingError("is not an RTF document (it does not start with {\\rtf)")
    match = re.search(rb"\\ansicpg(\d+)", raw[:4096])
    encoding = f"cp{match.group(1).decode()}" if match else "cp1252"
    result.metrics["encoding"] = encoding
    progress(total // 2, total)
    try:
        text = rtf_to_text(raw.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf raises bare errors on malformed groups
        raise ProcessingError(f"the RTF document is damaged ({exc})") from None
    progress(total, total)
    yield text


def _pdf_chunks(
    source: Path, options: ProcessOptions, progress: ProgressCallback, result: ProcessResult
) -> Iterator[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    total = source.stat().st_size
    result.metrics["encoding"] = "pdf"
    try:
        reader = PdfReader(str(source))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ProcessingError("the PDF is password-protected")
            except ProcessingError:
                raise
            except Exception:
                raise ProcessingError("the PDF is password-protected") from None
        pages = len(reader.pages)
    except PdfReadError as exc:
        raise ProcessingError(f"is not a readable PDF ({exc})") from None
    result.metrics["pages"] = pages
    empty_pages = 0
    for index in range(pages):
        progress(total * index // max(1, pages), total)
        try:
            text = reader.pages[index].extract_text() or ""
        except Exception as exc:  # pypdf raises many types on damaged content streams
            result.warnings.append(f"page {index + 1} could not be read ({type(exc).__name__}); skipped")
            continue
        if not text.strip():
            empty_pages += 1
        yield text + "\n"
    progress(total, total)
    if pages and empty_pages == pages:
        result.warnings.append("the PDF has no text layer (a scan?); no words were found")


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    started = time.perf_counter()
    source = Path(source)
    suffix = source.suffix.lower()
    result = ProcessResult()
    fmt = {".rtf": "rtf", ".pdf": "pdf"}.get(suffix, "text")
    chunks = {"rtf": _rtf_chunks, "pdf": _pdf_chunks}.get(fmt, _plain_chunks)
    if fmt == "text":
        with source.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"%PDF-"):
            result.warnings.append("the file is a PDF despite its name; read as PDF")
            fmt, chunks = "pdf", _pdf_chunks
        elif head.startswith(b"{\\rtf"):
            result.warnings.append("the file is an RTF document despite its name; read as RTF")
            fmt, chunks = "rtf", _rtf_chunks

    stats = _Stats()
    carry = ""
    for text in chunks(source, options, progress, result):
        complete, carry = _split_at_word_boundary(carry, text)
        stats.add(complete)
    stats.add(carry)

    words = stats.words.table()
    seconds = time.perf_counter() - started
    with options.outputs(source.stem) as outputs:
        summary_path = outputs.path("_summary.parquet")
        words_path = outputs.path("_words.parquet")
        summary = {
            "file": source.name,
            "format": fmt,
            "bytes": source.stat().st_size,
            "encoding": result.metrics.get("encoding"),
            "lines": stats.finish_lines(),
            "words": stats.words.total,
            "characters": stats.characters,
            "unique_words": words.num_rows,
            "pages": result.metrics.get("pages"),
            "seconds": seconds,
        }
        write_table(words, words_path, options.compression)
        write_record(summary, summary_path, SUMMARY_SCHEMA, options.compression)
        result.outputs = outputs.commit()
    if stats.words.total == 0 and fmt == "text":
        result.warnings.append("no words found in the file")
    result.metrics.update(
        lines=summary["lines"], words=summary["words"], characters=summary["characters"],
        unique_words=summary["unique_words"], format=fmt,
    )
    return result
