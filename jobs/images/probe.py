"""What a file really is, read from its first bytes and its header, never from its name.

:func:`open_image` is the one door through which Parqueue opens a picture: Pillow may only try the
formats we support (a file named ``.png`` that is really EPS must not reach Ghostscript), and the declared
size is checked against the job's limit before anything is decoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, UnidentifiedImageError

from jobs.images import safety
from jobs.processors.base import ProcessingError

pillow_heif.register_heif_opener()

# Pillow's format names we accept. Camera JPEGs carrying a second (preview) image come back with format
# "MPO", through the JPEG opener: MPO is not an opener of its own.
PILLOW_FORMATS = ("JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP", "HEIF")

# The name users know each format by, and the extensions that honestly announce it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "JPEG": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "PNG": (".png",),
    "GIF": (".gif",),
    "BMP": (".bmp", ".dib"),
    "TIFF": (".tif", ".tiff"),
    "WEBP": (".webp",),
    "HEIF": (".heic", ".heif", ".hif"),
}

_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
_NOT_IMAGES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%!PS", "a PostScript file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
HEAD_BYTES = 64


def sniff(head: bytes) -> str | None:
    """The image format (a key of :data:`EXTENSIONS`) that the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head.startswith(b"BM") and len(head) >= 26:
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and (head[8:12] in _HEIF_BRANDS or any(b in head[16:48] for b in _HEIF_BRANDS)):
        return "HEIF"
    return None


def describe_unknown(head: bytes) -> str:
    """A plain sentence for content that is not a supported picture."""
    if not head:
        return "the file is empty"
    for magic, what in _NOT_IMAGES:
        if head.startswith(magic):
            return f"the file is {what}, not a picture"
    names = ", ".join(sorted(EXTENSIONS))
    return f"the content is not a picture Parqueue reads ({names})"


@dataclass(frozen=True)
class Probe:
    """What the header says, before decoding."""

    format: str  # a key of EXTENSIONS: the real format
    width: int
    height: int
    mode: str
    bits: int  # bits per sample as stored in the file (16 for a 16-bit PNG even if Pillow hands us 8)
    frames: int
    animated: bool
    warnings: tuple[str, ...] = ()


def read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)


def open_image(path: Path, max_pixels: int | None) -> tuple[Image.Image, Probe]:
    """Open ``path`` lazily (header only) and check it; raises :class:`ProcessingError` for the user.

    The caller owns the returned image and must close it.
    """
    head = read_head(path)
    sniffed = sniff(head)
    if sniffed is None:
        raise ProcessingError(describe_unknown(head))
    safety.allow_pillow(max_pixels)
    try:
        im = Image.open(path, formats=PILLOW_FORMATS)
    except Image.DecompressionBombError as exc:  # Pillow's backstop, beyond twice its global
        raise safety.from_pillow_bomb(exc, max_pixels) from None
    except (UnidentifiedImageError, SyntaxError, ValueError, EOFError, OSError) as exc:
        raise ProcessingError(f"the {sniffed} header is damaged or unsupported ({exc})") from None
    try:
        probe = _probe(im, head, path)
        safety.check_pixels(im.size, max_pixels)
    except BaseException:
        im.close()
        raise
    return im, probe


def _probe(im: Image.Image, head: bytes, path: Path) -> Probe:
    fmt = "JPEG" if im.format == "MPO" else str(im.format)
    warnings: list[str] = []
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS.get(fmt, ()):
        named = f"its name ends in {suffix}" if suffix else "its name has no extension"
        warnings.append(f"the file is a {fmt} picture though {named}; it was read as {fmt}")
    # MPO's extra images are previews or the second eye of a stereo pair, not frames people count.
    frames = 1 if im.format == "MPO" else int(getattr(im, "n_frames", 1) or 1)
    animated = frames > 1 and fmt in ("GIF", "WEBP", "PNG")
    return Probe(
        format=fmt,
        width=im.width,
        height=im.height,
        mode=im.mode,
        bits=bits_per_sample(im, head),
        frames=frames,
        animated=animated,
        warnings=tuple(warnings),
    )


def bits_per_sample(im: Image.Image, head: bytes) -> int:
    """Bits per channel sample as the file stores it (Pillow widens or narrows some on load)."""
    fmt = im.format
    if fmt == "PNG" and head[12:16] == b"IHDR" and len(head) > 24:
        return head[24]
    if fmt in ("JPEG", "MPO"):
        return int(getattr(im, "bits", 8) or 8)
    if fmt == "TIFF":
        tags = getattr(im, "tag_v2", {})
        value = tags.get(258, 8)
        return int(max(value)) if isinstance(value, tuple) else int(value)
    if fmt == "HEIF":
        return int(im.info.get("bit_depth", 8) or 8)
    if fmt == "BMP" and len(head) >= 30:
        bpp = int.from_bytes(head[28:30], "little")
        if 0 < bpp <= 8:
            return bpp
    if im.mode == "1":
        return 1
    if im.mode.startswith("I;16"):
        return 16
    if im.mode in ("I", "F"):
        return 32
    return 8
