"""Which encoding a text file is in: byte-order marks first, strict UTF-8 next, charset-normalizer last."""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass

from charset_normalizer import from_bytes

from jobs.processors.base import ProcessingError

_BOMS: tuple[tuple[bytes, str], ...] = (
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


def _utf16_without_bom(sample: bytes) -> str | None:
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
        bom = next((len(b) for b, enc in _BOMS if sample.startswith(b) and codecs.lookup(enc).name == name), 0)
        return Detected(name, bom, "user")
    for bom, enc in _BOMS:
        if sample.startswith(bom):
            return Detected(enc, len(bom), "bom")
    if b"\x00" in sample:
        utf16 = _utf16_without_bom(sample)
        if utf16:
            return Detected(utf16, 0, "detector")
        raise ProcessingError("looks like a binary file, not text (it contains NUL bytes)")
    try:
        # The sample may end inside a multi-byte character: a non-final decode tolerates that.
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
        return Detected("utf-8", 0, "utf-8")
    except UnicodeDecodeError:
        if _mostly_utf8(sample):
            # Mostly valid UTF-8 with a few stray bytes: a file that changed encoding part-way. Reading it
            # as UTF-8 keeps the bulk right, and the decoder counts and reports the stray bytes.
            return Detected("utf-8", 0, "utf-8")
    if _plausible_western(sample):
        return Detected("cp1252", 0, "detector")
    best = from_bytes(sample).best()
    if best is None:
        raise ProcessingError("looks like a binary file, not text (no text encoding fits it)")
    return Detected(codecs.lookup(best.encoding).name, 0, "detector")


def _mostly_utf8(sample: bytes) -> bool:
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    return multibyte >= 4 * bad and multibyte > 0


# Accented Latin letters and the typographic punctuation Windows editors produce.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœŒšŠžŽ€„“”‘’–—…«»°£§¿¡·×"
)


def _plausible_western(sample: bytes) -> bool:
    """True when the bytes read as Windows-1252 give only ordinary Western letters and punctuation.

    Statistical detectors cannot tell cp1252 from cp1250 or Mac Roman on short European texts (they often
    pick cp1250 for German); a user's legacy export is overwhelmingly cp1252, so it is tried first and
    kept only when every non-ASCII character it yields is one a Western text would contain.
    """
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    extended = [ch for ch in text if ord(ch) > 127]
    if not extended:
        return False
    return all(ch in _WESTERN for ch in extended)


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
