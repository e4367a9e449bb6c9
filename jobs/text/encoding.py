"""Which encoding a text file is in: byte-order marks first, strict UTF-8 next, charset-normalizer last.

The text processor and the CSV sniffer (:mod:`jobs.tables.sniff`) share the pieces here, so a file gets
the same answer whichever processor reads it.
"""

from __future__ import annotations

import codecs
import threading
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from jobs.processors.base import ProcessingError

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Detected:
    encoding: str  # a Python codec name
    bom_length: int
    method: str  # "bom", "utf-8", "detector" or "user"


def bom_encoding(sample: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when the sample starts with a byte-order mark."""
    for bom, enc in BOMS:
        if sample.startswith(bom):
            return enc, len(bom)
    return None


def utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs on one side of nearly every ASCII character."""
    even = sample[0::2]
    odd = sample[1::2]
    if len(sample) < 4:
        return None
    even_nuls = even.count(0) / max(1, len(even))
    odd_nuls = odd.count(0) / max(1, len(odd))
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def detect_encoding(sample: bytes, declared: str | None = None) -> Detected:
    """Detect from the first bytes of a file; raises ProcessingError for binary content."""
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            raise ProcessingError(f"unknown encoding {declared!r}") from None
        found = bom_encoding(sample)
        bom = found[1] if found and codecs.lookup(found[0]).name == name else 0
        return Detected(name, bom, "user")
    found = bom_encoding(sample)
    if found:
        return Detected(found[0], found[1], "bom")
    if b"\x00" in sample:
        utf16 = utf16_without_bom(sample)
        if utf16:
            return Detected(utf16, 0, "detector")
        raise ProcessingError("looks like a binary file, not text (it contains NUL bytes)")
    try:
        # The sample may end inside a multi-byte character: a non-final decode tolerates that.
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
        return Detected("utf-8", 0, "utf-8")
    except UnicodeDecodeError:
        if mostly_utf8(sample):
            # Mostly valid UTF-8 with a few stray bytes: a file that changed encoding part-way. Reading it
            # as UTF-8 keeps the bulk right, and the decoder counts and reports the stray bytes.
            return Detected("utf-8", 0, "utf-8")
    guessed = guess_legacy_encoding(sample)
    if guessed is None:
        raise ProcessingError("looks like a binary file, not text (no text encoding fits it)")
    return Detected(codecs.lookup(guessed).name, 0, "detector")


def mostly_utf8(sample: bytes) -> bool:
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    return multibyte >= 4 * bad and multibyte > 0


def guess_legacy_encoding(sample: bytes) -> str | None:
    """The code page of text that is not UTF-8, or None when no text encoding fits (binary data).

    charset-normalizer decides, with two tie-breaks where it guesses wrong on short samples: plain Western
    accented text is cp1252 (it picks cp1250 or mac_latin2 for German), and text showing kana is Japanese
    (it picks a Korean code page for Shift-JIS).
    """
    if looks_western(sample):
        return "cp1252"
    matches = list(from_bytes(sample))
    for match in matches:
        if match.encoding in _JAPANESE and _kana_share(sample, match.encoding) > 0.05:
            return str(match.encoding)
    return str(matches[0].encoding) if matches else None


_JAPANESE = {"cp932", "shift_jis", "euc_jp", "euc_jis_2004", "shift_jis_2004", "iso2022_jp"}
_WESTERN_SYMBOLS = set("€‚„…†‡‰‹›‘’“”•–—™°£§©®«»¿¡×÷µ·¦¨¯±²³´¸¹º¼½¾\xa0")


def looks_western(sample: bytes) -> bool:
    """cp1252 text of a Western language: its accents sit inside words, one or two at a time.

    Multi-byte text read as cp1252 gives runs of three and more non-ASCII characters, or letters outside the
    Latin script, which Western words do not have.
    """
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    run = 0
    seen = 0
    for ch in text:
        if ord(ch) < 128:
            run = 0
            continue
        seen += 1
        run += 1
        if run >= 3 or not (ch.isalpha() or ch in _WESTERN_SYMBOLS):
            return False
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return seen > 0


def _kana_share(sample: bytes, encoding: str) -> float:
    text = sample.decode(encoding, errors="ignore")
    wide = [ch for ch in text if ord(ch) > 0x2FF]
    kana = sum(1 for ch in wide if 0x3040 <= ord(ch) <= 0x30FF)
    return kana / len(wide) if wide else 0.0


class CountingDecoder:
    """An incremental decoder that replaces undecodable bytes and counts them, so nothing is silent."""

    _registry_lock = threading.Lock()
    _registered = False
    _local = threading.local()

    def __init__(self, encoding: str) -> None:
        self._ensure_handler()
        self.bad_bytes = 0
        self.first_bad_offset: int | None = None
        self._consumed = 0
        self._decoder = codecs.getincrementaldecoder(encoding)("parqueue-count")

    @classmethod
    def _ensure_handler(cls) -> None:
        with cls._registry_lock:
            if not cls._registered:
                codecs.register_error("parqueue-count", cls._handle)
                cls._registered = True

    @classmethod
    def _handle(cls, exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeDecodeError):
            raise exc
        owner: CountingDecoder | None = getattr(cls._local, "owner", None)
        if owner is not None:
            owner.bad_bytes += exc.end - exc.start
            if owner.first_bad_offset is None:
                owner.first_bad_offset = owner._consumed + exc.start
        return "\ufffd", exc.end

    def decode(self, data: bytes, final: bool = False) -> str:
        CountingDecoder._local.owner = self
        try:
            text = self._decoder.decode(data, final)
        finally:
            CountingDecoder._local.owner = None
        self._consumed += len(data)
        return text
