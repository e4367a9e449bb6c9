"""Small upright pictures from any supported image, decoded at reduced size where the format allows it.

A 12 MP JPEG thumbnail must not decode 12 MP: libjpeg can scale by 1/2, 1/4 or 1/8 while it decodes
(``Image.draft``), which skips most of the inverse-DCT work. What is left is resampled with ``reducing_gap``
(a cheap box reduce first, then Lanczos over a few times the target size), as ``vipsthumbnail`` does.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

log = logging.getLogger(__name__)

DEFAULT_SIZE = 300
JPEG_QUALITY = 85
REDUCING_GAP = 2.0
# Modes Pillow resamples directly; anything else is turned into one of these first.
_RESAMPLABLE = frozenset({"RGB", "RGBA", "L", "LA", "CMYK"})
_SRGB = ImageCms.createProfile("sRGB")


def fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    """The size that fits ``box``×``box`` keeping the aspect ratio; never enlarges."""
    width, height = size
    if width <= box and height <= box:
        return width, height
    scale = min(box / width, box / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def request_reduced_decode(im: Image.Image, box: int) -> None:
    """Ask the decoder for the smallest scale that still covers ``box``×``box`` (JPEG: DCT scaling).

    Only effective before the pixels are loaded; a no-op for formats without reduced decoding.
    """
    if im.format in ("JPEG", "MPO"):
        # draft() picks the smallest 1/2^k scale still covering the size asked for: ask for the fitted
        # size, not the box, or a 4:3 picture decodes at twice the scale it needs. Once the pixels are
        # loaded it finds no tile to configure and changes nothing.
        im.draft(None, fit(im.size, box))


def has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def to_display(im: Image.Image, bits: int = 8) -> Image.Image:
    """An 8-bit L, LA, RGB or RGBA version of ``im`` that looks like the original."""
    mode = im.mode
    if mode in ("RGB", "RGBA", "L", "LA"):
        return im
    if mode == "CMYK":
        return _cmyk_to_rgb(im)
    if mode in ("P", "PA"):
        return im.convert("RGBA" if has_alpha(im) else "RGB")
    if mode == "1":
        return im.convert("L")
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _high_depth_to_l(im, bits)
    if mode == "La":
        return im.convert("LA")
    if mode == "RGBa":
        return im.convert("RGBA")
    return im.convert("RGBA" if has_alpha(im) else "RGB")


def _cmyk_to_rgb(im: Image.Image) -> Image.Image:
    """CMYK through its embedded ICC profile when there is one: the naive formula shifts colours."""
    icc = im.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            log.info("CMYK profile unusable, plain conversion: %s", exc)
    return im.convert("RGB")


def _high_depth_to_l(im: Image.Image, bits: int) -> Image.Image:
    """16- and 32-bit grey to 8 bits by scaling (Pillow's convert("L") clips everything above 255 to white)."""
    arr = np.asarray(im)
    if arr.dtype.kind in "ui" and bits <= 16:
        out = (np.clip(arr, 0, 65535).astype(np.uint32) >> 8).astype(np.uint8)
    else:
        data = arr.astype(np.float64)
        finite = data[np.isfinite(data)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        span = hi - lo or 1.0
        out = np.clip(np.nan_to_num((data - lo) / span * 255.0, nan=0.0), 0, 255).astype(np.uint8)
    return Image.fromarray(out, mode="L")


def make_thumbnail(
    im: Image.Image, box: int = DEFAULT_SIZE, transpose: Image.Transpose | None = None, bits: int = 8
) -> Image.Image:
    """An upright thumbnail fitting ``box``×``box`` in L, LA, RGB or RGBA; ``im`` is left unchanged.

    Call :func:`request_reduced_decode` on a lazily opened ``im`` first to get the fast JPEG path.
    """
    if im.mode not in _RESAMPLABLE:
        im = to_display(im, bits)
    # When the picture is turned by 90°, the box is square so fitting before turning gives the same size.
    target = fit(im.size, box)
    small = im.resize(target, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP) if target != im.size else im
    small = to_display(small, bits)
    if transpose is not None:
        small = small.transpose(transpose)
    if small is im:
        small = small.copy()  # callers may close the source; the thumbnail must outlive it
    return small


def thumbnail_suffix(thumb: Image.Image) -> str:
    """PNG keeps transparency; everything else is a JPEG, the smallest and most widely shown."""
    return "_thumb.png" if has_alpha(thumb) else "_thumb.jpg"


def save_thumbnail(thumb: Image.Image, path: Path, icc_profile: bytes | None = None) -> None:
    """Write ``thumb`` in the format :func:`thumbnail_suffix` named (``path`` may be a temporary name)."""
    # Keep an RGB profile (wide-gamut photos look wrong without it); CMYK was converted to sRGB.
    icc = icc_profile if thumb.mode in ("RGB", "RGBA") and icc_profile and _is_rgb_profile(icc_profile) else None
    if has_alpha(thumb):
        thumb.save(path, "PNG", compress_level=6, icc_profile=icc)
    else:
        thumb.save(path, "JPEG", quality=JPEG_QUALITY, icc_profile=icc)


def _is_rgb_profile(icc: bytes) -> bool:
    return len(icc) >= 20 and icc[16:20] == b"RGB "
