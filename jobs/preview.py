"""A quick look at a source file before (or while) its job runs: first rows, start of a text, the picture.

Qt-free, so the window calls it from a worker thread and the command line could use it too. Each kind
dispatches to its processor module's ``preview()`` when it has one (tables: ``preview(source, rows)`` ->
``pyarrow.Table``; images: ``preview(source, max_side)`` -> ``PIL.Image.Image``); text is handled here.
A processor without ``preview`` yet, or a file it cannot read, gives a :class:`Preview` with a message
instead of an exception, so the window always has something to say.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobs.processors import registry
from jobs.processors.base import ProcessingError

log = logging.getLogger(__name__)

TEXT_PREVIEW_BYTES = 64 * 1024
TABLE_PREVIEW_ROWS = 50
IMAGE_PREVIEW_SIDE = 512
PDF_PREVIEW_PAGES = 2
RTF_PREVIEW_BYTES = 512 * 1024


@dataclass
class Preview:
    """What the window shows; exactly one of ``table``, ``text`` and ``image`` is set, or only ``message``."""

    kind: str  # "table", "text", "image" or "none"
    table: Any = None  # pyarrow.Table
    text: str | None = None
    image: Any = None  # PIL.Image.Image
    encoding: str | None = None
    truncated: bool = False
    message: str | None = None  # why there is no preview, or a note about the one shown


def preview(source: Path, *, rows: int = TABLE_PREVIEW_ROWS, max_side: int = IMAGE_PREVIEW_SIDE) -> Preview:
    """Never raises for a bad or unreadable file: the message says what is wrong."""
    source = Path(source)
    info = registry.for_path(source)
    if not source.exists():
        return Preview("none", message=f"{source.name}: the file is not there any more")
    if source.is_dir():
        return Preview("none", message=f"{source.name} is a folder")
    try:
        if info is None or info.kind == "text":
            return text_preview(source)
        func = _processor_preview(info.module)
        if func is None:
            return _fallback(source, info.kind)
        if info.kind == "table":
            return Preview("table", table=func(source, rows))
        if info.kind == "image":
            return Preview("image", image=func(source, max_side))
        return _fallback(source, info.kind)
    except ProcessingError as exc:
        return Preview("none", message=f"{source.name}: {exc}")
    except OSError as exc:
        return Preview("none", message=f"{source.name}: {exc.strerror or exc}")
    except Exception as exc:  # a preview must never take the window down
        log.warning("preview of %s failed", source, exc_info=True)
        return Preview("none", message=f"{source.name}: no preview ({type(exc).__name__}: {exc})")


def _processor_preview(module_name: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        log.info("no preview: %s cannot be imported (%s)", module_name, exc)
        return None
    return getattr(module, "preview", None)


def _fallback(source: Path, kind: str) -> Preview:
    """The processor has no preview yet: a delimited table is still text, so show its start."""
    if kind == "table" and source.suffix.lower() in (".csv", ".tsv", ".psv", ".tab"):
        result = text_preview(source)
        if result.kind == "text":
            result.message = "Table preview is not available yet; showing the start of the file as text."
        return result
    return Preview("none", message=f"No preview for {kind} files yet; the job's output will show its content.")


def text_preview(source: Path, limit: int = TEXT_PREVIEW_BYTES) -> Preview:
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        return _pdf_preview(source, limit)
    if suffix == ".rtf":
        return _rtf_preview(source, limit)
    with source.open("rb") as fh:
        sample = fh.read(limit + 1)
    truncated = len(sample) > limit
    sample = sample[:limit]
    from jobs.text.encoding import detect_encoding

    detected = detect_encoding(sample)
    text = sample[detected.bom_length:].decode(detected.encoding, errors="replace")
    if truncated and text.endswith("\ufffd"):
        text = text.rstrip("\ufffd")  # a multi-byte character cut at the sample's end
    return Preview("text", text=text, encoding=detected.encoding, truncated=truncated)


def _rtf_preview(source: Path, limit: int) -> Preview:
    from striprtf.striprtf import rtf_to_text

    with source.open("rb") as fh:
        raw = fh.read(RTF_PREVIEW_BYTES)
    text = rtf_to_text(raw.decode("latin-1"), errors="ignore")
    return Preview("text", text=text[:limit], encoding="rtf", truncated=len(text) > limit)


def _pdf_preview(source: Path, limit: int) -> Preview:
    from pypdf import PdfReader

    reader = PdfReader(str(source))
    parts: list[str] = []
    for page in reader.pages[:PDF_PREVIEW_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(len(p) for p in parts) >= limit:
            break
    text = "\n\n".join(parts)
    truncated = len(text) > limit or len(reader.pages) > PDF_PREVIEW_PAGES
    return Preview("text", text=text[:limit], encoding="pdf", truncated=truncated)


__all__ = ["Preview", "preview", "text_preview"]
