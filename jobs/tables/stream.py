"""The input as Arrow's CSV reader sees it: decompressed, transcoded to UTF-8, and watched on the way through.

Watching costs a few ``memchr``-speed scans per MiB and tells the processor what Arrow's reader keeps to itself:
whether a NUL byte appeared (Arrow would store it inside a value), how the text ends (a file that does not end
by closing a quote may have one open that swallowed the rest), and how far into the raw file we are.

UTF-8 input is validated here, not by Arrow's converter: ``bytes.isascii`` clears an ASCII block at memory speed,
and only blocks with other bytes are run through a strict decoder. Arrow's per-value check cost ~0.2 CPU-s per
300 MB, a quarter of the parse. Scans that hold the GIL are kept to those memory-speed ones: the line count,
needed only to name the line of an unterminated quote, is taken on that rare path by reading the file again
(:meth:`InputStream.count_newlines`).

Arrow's streaming CSV reader reads its input in a background thread up to 32 blocks ahead of the parser: 128 MB
of raw text held for nothing on a large file (the parser, not the disk, is the slow side), and the main reason
peak memory grew with the file size. With a ``window`` the stream makes that thread wait until the parser is at
most ``window`` blocks behind (:meth:`InputStream.block_parsed`). A row longer than a block needs more: Arrow's
parser then waits inside one batch for blocks the window holds back. When the parser has been at work on a batch
for :data:`STALL_SECONDS` while the reader waits, one more block is let through: never more than ``window + 1``,
the number that always sufficed (Arrow refuses a row that straddles more than one block edge).
"""

from __future__ import annotations

import codecs
import io
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

_RAW_BLOCK = 4 << 20
# Single-byte code pages: every byte is a character, so UTF-8 text read with one turns into "Ã©" without an error.
_SINGLE_BYTE = {
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257", "iso8859-1", "iso8859-2", "iso8859-15", "mac-roman",
}
# A parse of one block takes ~15 ms (up to ~100 ms for a 16 MB block of a wide file on a busy machine): a parser
# at work this long while the reader waits is waiting for the reader.
STALL_SECONDS = 0.2


class InputStream(io.RawIOBase):
    def __init__(
        self,
        path: Path,
        compression: str | None,
        encoding: str,
        skip: int,
        validate: bool = False,
        window: int = 0,
        end: int | None = None,
    ) -> None:
        """``validate``: raise ``pa.ArrowInvalid`` ("... not valid UTF8 ...") on invalid UTF-8 input.

        ``window``: reads allowed ahead of :meth:`block_parsed` calls (0: no limit). Whoever sets it must call
        :meth:`block_parsed` once per batch the reader yields, or :meth:`close`, or the reading thread waits.

        ``end``: the byte where the table ends (totals lines follow, see :mod:`jobs.tables.footer`); only for
        uncompressed input.
        """
        super().__init__()
        self._args = (path, compression, encoding, skip, False, 0, end)
        self._raw = pa.OSFile(str(path))
        self.size = self._raw.size() if end is None else end
        self._end = None if compression else end
        self._src: pa.NativeFile = (
            pa.CompressedInputStream(self._raw, compression) if compression else self._raw
        )
        codec = codecs.lookup(encoding).name
        self._decoder = (
            None if codec == "utf-8" else codecs.getincrementaldecoder(codec)(errors="replace")
        )
        self._codec = codec
        self._single_byte = codec in _SINGLE_BYTE
        self._carry = b""  # the end of a block read line by line: its last line goes on in the next block
        self._held = b""  # the start of a UTF-8 character cut by the block edge
        self.utf8_lines = 0  # lines of UTF-8 in a file read with a single-byte code page
        # Transcoded text is valid UTF-8 by construction: only UTF-8 input needs checking.
        self._checker = (
            codecs.getincrementaldecoder("utf-8")(errors="strict") if validate and self._decoder is None else None
        )
        self._checked_bytes = 0
        self._buf = b""
        self._pos = 0  # start of the unread part of _buf: slicing it away on every read would be quadratic
        self._eof = False
        self._skip = skip
        self.nul = False
        self.tail = b""  # the last bytes of the text: does the file end by closing a quote?
        self.newline_added = False
        self.line_feeds = 0  # in the text read so far: more than its records means values with line breaks
        self.replaced = 0  # characters the codec could not decode (shown as U+FFFD)
        self._window = window
        self._reads = 0
        self._parsed = 0
        # Arrow parses its first batch while opening, before the first :meth:`parsing` call.
        self._parsing_since: float | None = time.monotonic()
        self._released = False
        self._turn = threading.Condition()

    def readable(self) -> bool:
        return True

    def consumed(self) -> int:
        """Raw (compressed) bytes read so far."""
        return int(self._raw.tell())

    def _pull(self, size: int = _RAW_BLOCK) -> bytes:
        """Up to about ``size`` more bytes of UTF-8 text; empty only at the end of the input."""
        while True:
            try:
                if self._end is not None:
                    size = min(size, self._end - int(self._raw.tell()))
                raw = self._src.read(size) if size > 0 else b""
            except (OSError, pa.ArrowException) as exc:
                raise EOFError(f"the compressed data is damaged or truncated ({exc})") from exc
            at_end = not raw
            if self._skip and raw:
                raw, self._skip = raw[self._skip :], max(0, self._skip - len(raw))
                if not raw:
                    continue  # all of it was the skipped mark
            if self._single_byte:
                # A UTF-8 character cut by the block edge would show as two code-page characters: hold its start.
                raw, self._held = self._held + raw, b""
                if not at_end:
                    cut = _complete_utf8_end(raw)
                    raw, self._held = raw[:cut], raw[cut:]
                    if not raw:
                        continue
                if self._carry or (not raw.isascii() and _has_utf8_char(raw)):
                    text = self._by_line(raw)
                    if raw and not text:
                        continue
                    return text.encode("utf-8")
            if self._decoder is not None:
                text = self._decoder.decode(raw, final=not raw)
                self.replaced += text.count("\ufffd")
                if raw and not text:
                    continue  # the start of a character: its end is in the next bytes
                raw = text.encode("utf-8")
            elif self._checker is not None:
                self._check(raw)
            return raw

    def _by_line(self, raw: bytes) -> str:
        """A block of a single-byte code page that holds UTF-8 characters: the encoding changes part-way.

        Each line is read as UTF-8 when it is valid UTF-8, else with the file's code page, so neither part
        turns into mojibake. The block's last line may be cut: it waits for the rest in the next block.
        """
        data = self._carry + raw
        self._carry = b""
        if raw:
            cut = data.rfind(b"\n") + 1
            if not data[cut:].isascii():  # an ASCII end reads the same either way: no need to hold it
                data, self._carry = data[:cut], data[cut:]
        lines = []
        for line in data.split(b"\n"):
            if not line.isascii():
                try:
                    lines.append(line.decode("utf-8"))
                    self.utf8_lines += 1
                    continue
                except UnicodeDecodeError:
                    pass
            lines.append(line.decode(self._codec, errors="replace"))
        text = "\n".join(lines)
        self.replaced += text.count("\ufffd")
        return text

    def _check(self, raw: bytes) -> None:
        # A multi-byte character cut by the block edge leaves bytes pending in the decoder: feed it on.
        pending = bool(self._checker.getstate()[0])  # type: ignore[union-attr]
        if raw and not pending and raw.isascii():
            self._checked_bytes += len(raw)
            return
        try:
            self._checker.decode(raw, final=not raw)  # type: ignore[union-attr]
        except UnicodeDecodeError as exc:
            raise pa.ArrowInvalid(
                f"the input is not valid UTF8 (byte {self._checked_bytes + exc.start} of the text)"
            ) from None
        self._checked_bytes += len(raw)

    def parsing(self) -> None:
        """The parser starts on its next batch (see :meth:`block_parsed`)."""
        with self._turn:
            self._parsing_since = time.monotonic()

    def block_parsed(self) -> None:
        """The parser finished one block: the reading thread may read one more."""
        with self._turn:
            self._parsed += 1
            self._parsing_since = None
            self._turn.notify_all()

    def _parser_stalled(self) -> bool:
        since = self._parsing_since
        return (
            since is not None
            and self._reads - self._parsed < self._window + 1
            and time.monotonic() - since >= STALL_SECONDS
        )

    def _wait_for_parser(self) -> None:
        with self._turn:
            while self._reads - self._parsed >= self._window and not self._released:
                if self._parser_stalled():
                    break
                self._turn.wait(STALL_SECONDS / 2)
            self._reads += 1

    def read(self, size: int = -1) -> bytes:
        # A read at end of file holds no memory: it never waits.
        if self._window and not (self._eof and self._pos >= len(self._buf)):
            self._wait_for_parser()
        if self._released:
            return b""
        available = len(self._buf) - self._pos
        parts = [self._buf[self._pos :]] if available else []
        while not self._eof and (size < 0 or available < size):
            # Just what is missing: a read then returns the pulled bytes themselves, with no join and no slice
            # (each a copy of the whole input).
            chunk = self._pull(_RAW_BLOCK if size < 0 else max(size - available, 1))
            if not chunk:
                self._eof = True
                if not self.tail or self.tail[-1:] in (b"\n", b"\r"):
                    break
                # Arrow cannot skip a header that no line break ends ("a,b" and nothing more): end the last line.
                chunk = b"\n"
                self.newline_added = True
            if b"\x00" in chunk:
                self.nul = True
            self.line_feeds += _line_feeds(chunk)
            self.tail = (self.tail + chunk[-64:])[-64:]
            parts.append(chunk)
            available += len(chunk)
        # One copy per read at most, not one per pulled chunk.
        self._buf = parts[0] if len(parts) == 1 else b"".join(parts)
        self._pos = 0
        if size < 0 or size >= len(self._buf):
            out, self._buf = self._buf, b""
            return out
        self._pos = size
        return self._buf[:size]

    def count_newlines(self) -> int:
        """Line ends in the whole (decoded) text: read again, as only an error message needs the figure."""
        again = InputStream(*self._args)
        try:
            total = 0
            while chunk := again._pull():
                total += line_breaks(chunk)  # a CRLF cut by the block edge may count twice
            return total + self.newline_added
        finally:
            again.close()

    def release(self) -> None:
        """From now on every read returns end-of-file: wakes a reading thread waiting for the parser."""
        with self._turn:
            self._released = True
            self._turn.notify_all()

    def close(self) -> None:
        self.release()
        if self.closed:
            return
        try:
            self._src.close()
            self._raw.close()
        finally:
            super().close()


def line_breaks(text: str | bytes) -> int:
    """Line ends of any kind: \\n, \\r\\n and a lone \\r (classic Mac)."""
    if isinstance(text, bytes):
        return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _line_feeds(raw: bytes) -> int:
    """LF bytes in ``raw``. ``bytes.count`` runs a byte at a time (~0.4 CPU-s a GB, in the reading thread that
    feeds the parser); numpy compares 32 at a time, ~5x faster."""
    view = np.frombuffer(raw, np.uint8)
    step = 1 << 20  # the comparison's bool array stays 1 MB, whatever the block
    return sum(int(np.count_nonzero(view[i:i + step] == 10)) for i in range(0, len(view), step))


def _has_utf8_char(raw: bytes) -> bool:
    """Whether ``raw`` holds what starts a UTF-8 multi-byte character: a lead byte, then a continuation byte.

    In text of a single-byte code page such a pair ("Ã©") is rare; numpy scans 4 MB in ~8 ms (a regular
    expression took 85).
    """
    a = np.frombuffer(raw, np.uint8)
    pair = (a[:-1] - np.uint8(0xC2)) <= np.uint8(0xF4 - 0xC2)  # a lead byte: 0xC2 to 0xF4 (wraps below 0xC2)
    pair &= (a[1:] & np.uint8(0xC0)) == np.uint8(0x80)
    return bool(pair.any())


def _complete_utf8_end(raw: bytes) -> int:
    """Where ``raw`` ends if a UTF-8 character it starts in its last three bytes is left for the next block."""
    n = len(raw)
    for back in range(1, min(3, n) + 1):
        byte = raw[n - back]
        if 0xC2 <= byte <= 0xF4:
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return n - back if need > back else n
        if byte & 0xC0 != 0x80:
            return n
    return n
