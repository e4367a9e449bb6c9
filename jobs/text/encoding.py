"""Which encoding a text file is in: byte-order marks first, strict UTF-8 next, charset-normalizer last.

The text processor and the CSV sniffer (:mod:`jobs.tables.sniff`) share the pieces here, so a file gets
the same answer whichever processor reads it.
"""

from __future__ import annotations

import codecs
import re
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
    picked = str(matches[0].encoding) if matches else None
    if picked is not None and codecs.lookup(picked).name not in _SINGLE_BYTE and picked not in _SINGLE_BYTE:
        return picked  # multi-byte (CJK): the detector's statistics are what tells those apart
    # On a few hundred bytes it picks code pages nobody sends (mac_iceland, cp1125 for German; cp1252 for
    # Polish), or none (short Turkish): among the code pages of the exports people receive, the one whose text
    # reads most like words. Ties go to the detector's pick when it is one of those, else to the commoner.
    candidates = [*_LEGACY]
    if picked is not None:
        candidates.insert(0, picked) if picked in _LEGACY else candidates.append(picked)
    scored = [(_implausible(sample, enc), i, enc) for i, enc in enumerate(dict.fromkeys(candidates))]
    bad, _, best = min(scored)
    if picked is None and bad > 0.1 * sum(1 for b in sample if b > 127):
        return None  # nothing reads it as text
    return best


# The legacy code pages exports are written in, most common first (ties go to the earlier one).
_LEGACY = ("cp1252", "cp1250", "cp1251", "cp1257", "cp1254", "cp1253", "cp850", "cp852", "cp866", "koi8_r",
           "mac_roman")
_SINGLE_BYTE = {codecs.lookup(e).name for e in _LEGACY} | {
    "latin_1", "iso8859_2", "iso8859_4", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_10", "iso8859_13",
    "iso8859_15", "iso8859_16", "cp437", "cp775", "cp855", "cp1125", "cp1255", "cp1256", "cp1258", "mac_iceland",
    "mac_latin2", "mac_turkish", "mac_cyrillic", "mac_greek", "koi8_u", "tis_620", "ptcp154", "kz1048", "hp_roman8",
}


def _implausible(sample: bytes, encoding: str) -> int:
    """Characters that do not read like words in ``encoding``'s text: a symbol inside a word ("wp³ywy" is
    Polish "wpływy" read as cp1252), a word mixing scripts, three accented Latin letters or symbols in a row
    (Russian read as cp1252: "Ïðèâåò"), a control character. Undecodable bytes count too. Letters of another
    script than Latin that are a few among many Latin ones ("Größe" read as cp1251 has one) count as well."""
    text = sample.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    foreign = 0
    for run in _NON_ASCII.finditer(text):
        scripts = set()
        for i in range(run.start(), run.end()):
            ch = text[i]
            if not ch.isalpha():
                scripts.add("")
                control = unicodedata.category(ch) in ("Cc", "Co", "Cn") or "\u2500" <= ch <= "\u25ff"
                bad += control or _odd_symbol(text, i)
                continue
            own = _script(ch)
            scripts.add(own)
            foreign += own != "LATIN"
            bad += ch in _NEVER or any(_script(text[j]) not in ("", own) for j in (i - 1, i + 1) if 0 <= j < len(text))
        # Accents are one or two to a Latin word; a word of Cyrillic or Greek is all non-ASCII.
        bad += run.end() - run.start() >= 3 and (len(scripts) > 1 or scripts <= {"", "LATIN"})
    letters = sum(1 for ch in text if ch.isalpha())
    return bad + (foreign if foreign < 0.3 * letters else 0)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Letters only a misread writes: a hooked f and ligatures (German "ÄÖÜß" read as mac_roman is "ƒ÷‹ﬂ"); and
# Icelandic's thorn and eth, which far more often are Turkish ş and ğ read as cp1252 ("Þiþli" is Şişli).
_NEVER = set("ƒﬁﬂþÞðÐ")
# Spacing accents: no text writes one against a letter ("¯ywnoœæ" is Polish "Żywność" read as cp1252, "¹" its
# "ą"; "m˛" is German "m²" read as cp1250). "m²" and "m³" are how units are written, so those two are not.
_SPACING_MARKS = set("¯¨´¸¹¦¬ˆ˜¥˛˘˙˝")
# Inside a word these are punctuation, not a misread: Catalan "col·legi", apostrophes ("l’été").
_IN_WORDS = set("·’‘")
# Letters outside the Latin script that Western text writes: the micro sign of "µg/l", ordinals ("1ª", "2º").
_WESTERN_LETTERS = set("µªº")


def _odd_symbol(text: str, i: int) -> bool:
    """A symbol (not a letter) at ``text[i]`` where text does not put one: inside a word ("wp³ywy", "mo¿e":
    Polish ł and ż read as cp1252), or a spacing accent touching a letter."""
    before = i > 0 and text[i - 1].isalpha()
    after = i < len(text) - 1 and text[i + 1].isalpha()
    return (before and after and text[i] not in _IN_WORDS) or (text[i] in _SPACING_MARKS and (before or after))


def _script(ch: str) -> str:
    if ch in _WESTERN_LETTERS:
        return "LATIN"
    return unicodedata.name(ch, "?").split(" ")[0] if ch.isalpha() else ""


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
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            run = 0
            continue
        seen += 1
        run += 1
        if run >= 3 or not (ch.isalpha() or ch in _WESTERN_SYMBOLS):
            return False
        if not ch.isalpha() and _odd_symbol(text, i):
            return False
        if ch.isalpha() and (("LATIN" not in unicodedata.name(ch, "") and ch not in _WESTERN_LETTERS) or ch in _NEVER):
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
