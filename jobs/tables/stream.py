"""The input as Arrow's CSV reader sees it: decompressed, transcoded to UTF-8, and watched on the way through.

Watching costs a few ``memchr``-speed scans per MiB and tells the processor what Arrow's reader keeps to itself:
whether a NUL byte appeared (Arrow would store it inside a value), how many quote characters went by (an odd
count means an unterminated quote swallowed the rest of the file), and how far into the raw file we are.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pyarrow as pa

_RAW_BLOCK = 4 << 20


class InputStream(io.RawIOBase):
    def __init__(self, path: Path, compression: str | None, encoding: str, skip: int, quote: str) -> None:
        super().__init__()
        self._raw = pa.OSFile(str(path))
        self.size = self._raw.size()
        self._src: pa.NativeFile = (
            pa.CompressedInputStream(self._raw, compression) if compression else self._raw
        )
        codec = codecs.lookup(encoding).name
        self._decoder = (
            None if codec == "utf-8" else codecs.getincrementaldecoder(codec)(errors="replace")
        )
        self._buf = b""
        self._pos = 0  # start of the unread part of _buf: slicing it away on every read would be quadratic
        self._eof = False
        self._skip = skip
        self._quote = quote.encode()
        self.nul = False
        self.quotes = 0
        self.newlines = 0
        self.replaced = 0  # characters the codec could not decode (shown as U+FFFD)
        self.last_byte = b""

    def readable(self) -> bool:
        return True

    def consumed(self) -> int:
        """Raw (compressed) bytes read so far."""
        return int(self._raw.tell())

    def _pull(self) -> bytes:
        try:
            raw = bytes(self._src.read(_RAW_BLOCK))
        except (OSError, pa.ArrowException) as exc:
            raise EOFError(f"the compressed data is damaged or truncated ({exc})") from exc
        if self._skip:
            raw, self._skip = raw[self._skip :], max(0, self._skip - len(raw))
        if self._decoder is not None:
            text = self._decoder.decode(raw, final=not raw)
            self.replaced += text.count("\ufffd")
            raw = text.encode("utf-8")
        return raw

    def read(self, size: int = -1) -> bytes:
        available = len(self._buf) - self._pos
        parts = [self._buf[self._pos :]] if available else []
        while not self._eof and (size < 0 or available < size):
            chunk = self._pull()
            if not chunk:
                self._eof = True
                break
            if b"\x00" in chunk:
                self.nul = True
            self.quotes += chunk.count(self._quote)
            self.newlines += chunk.count(b"\n")
            self.last_byte = chunk[-1:]
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

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._src.close()
            self._raw.close()
        finally:
            super().close()
