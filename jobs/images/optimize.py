"""The optimized full-size copy: same format (re-encoded with sensible settings) or WebP, metadata by policy.

Settings are chosen for cost as much as size (measured on a 12 MP photo, 2 cores): JPEG quality 85 with
Huffman optimisation costs 2.2× a plain encode but saves ~17 %; progressive saves 1 % more for another
2.2×, so it is off. That matches ``vips jpegsave --Q 85 --optimize-coding``, the peer we are measured against.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageSequence

from jobs.images.exif import ExifFields, exif_for_copy
from jobs.images.probe import Probe
from jobs.images.thumbnail import has_alpha, to_display

log = logging.getLogger(__name__)

FORMAT_OPTIONS = ("same", "webp")
METADATA_OPTIONS = ("keep", "strip", "strip_gps")
JPEG_QUALITY = 85
WEBP_QUALITY = 80
HEIF_QUALITY = 80
PNG_OPTIMIZE_MAX_PIXELS = 2_000_000
JPEG_OPTIMIZE_MAX_PIXELS = 50_000_000

# (suffix, Pillow format) of the "same" copy. BMP has no compression Pillow writes, so it becomes PNG:
# lossless, and what "optimized BMP" can only sensibly mean.
_SAME: dict[str, tuple[str, str]] = {
    "JPEG": (".jpg", "JPEG"),
    "PNG": (".png", "PNG"),
    "GIF": (".gif", "GIF"),
    "BMP": (".png", "PNG"),
    "TIFF": (".tif", "TIFF"),
    "WEBP": (".webp", "WEBP"),
    "HEIF": (".heic", "HEIF"),
}
_MODES: dict[str, tuple[str, ...]] = {  # modes each writer takes as they are
    "JPEG": ("L", "RGB", "CMYK"),
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I"),
    "GIF": ("L", "P", "RGB", "RGBA", "1"),
    "TIFF": ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F"),
    "WEBP": ("RGB", "RGBA"),
    "HEIF": ("L", "RGB", "RGBA"),
}
_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "Raw profile type exif", "photoshop", "iptc", "comment")


@dataclass(frozen=True)
class Target:
    suffix: str  # e.g. "_optimized.jpg"
    format: str  # Pillow's writer name


def target_for(probe: Probe, option: str) -> Target:
    if option == "webp":
        return Target("_optimized.webp", "WEBP")
    suffix, fmt = _SAME[probe.format]
    return Target(f"_optimized{suffix}", fmt)


def write_optimized(
    im: Image.Image,
    path: Path,
    target: Target,
    probe: Probe,
    exif: ExifFields,
    policy: str,
    source: Path,
) -> list[str]:
    """Write the copy of the loaded ``im`` (frame 0 loaded; other frames read from the open file).

    Returns warnings for the user. When re-encoding in the same format with metadata kept comes out
    larger than the original, the original bytes are the better "optimized" copy and are used instead.
    """
    warnings: list[str] = []
    all_frames = probe.frames > 1 and target.format in ("GIF", "WEBP", "TIFF", "HEIF", "PNG")
    if probe.frames > 1 and target.format == "WEBP" and not probe.animated:
        all_frames = False
        warnings.append(f"the WebP copy holds only the first of {probe.frames} pages")
    if all_frames and target.format == "PNG":
        all_frames = probe.animated  # APNG stays animated; nothing else becomes one
    kwargs = _save_options(im, target.format, exif, policy)
    picture = im
    if not all_frames:
        if policy != "keep" and exif.transpose is not None:
            # Without its orientation tag the copy would show sideways: turn the pixels instead.
            picture = picture.transpose(exif.transpose)
        picture = _writable(picture, target.format, probe.bits)
        if policy != "keep" and picture is im and target.format in ("TIFF", "HEIF"):
            # These writers copy tags from the source file object itself; a plain copy has none.
            picture = im.copy()
        if policy != "keep":
            for key in _METADATA_KEYS:
                picture.info.pop(key, None)
        if not _profile_fits(kwargs.get("icc_profile"), picture.mode):
            # CMYK or grey pixels converted to RGB for this writer: the old profile would misdescribe them.
            kwargs.pop("icc_profile", None)
            picture.info.pop("icc_profile", None)
        picture.save(path, target.format, **kwargs)
    elif target.format == "TIFF" and policy != "keep":
        # The TIFF writer copies XMP and IPTC from the open file's pages; plain copies carry none.
        pages = [_writable(frame.copy(), "TIFF", probe.bits) for frame in ImageSequence.Iterator(im)]
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], **kwargs)
    else:
        im.save(path, target.format, save_all=True, **kwargs)
    if target.format == probe.format and policy == "keep" and path.stat().st_size >= source.stat().st_size:
        # Our re-encode did not beat the original's own compression: the original is the best copy.
        shutil.copyfile(source, path)
        warnings.append("the original was already well compressed; the optimized copy is the original file")
    return warnings


def _profile_fits(icc: bytes | None, mode: str) -> bool:
    """Whether an ICC profile's colour space (bytes 16-20 of its header) describes pixels of ``mode``."""
    if not icc or len(icc) < 20:
        return True
    space = icc[16:20]
    if mode in ("RGB", "RGBA", "P"):
        return space == b"RGB "
    if mode in ("L", "LA", "I;16", "I", "1"):
        return space == b"GRAY"
    if mode == "CMYK":
        return space == b"CMYK"
    return False


def _writable(im: Image.Image, fmt: str, bits: int) -> Image.Image:
    if im.mode in _MODES.get(fmt, ()):
        return im
    shown = to_display(im, bits)
    if fmt == "JPEG" and has_alpha(shown):
        # JPEG has no transparency: flatten on white, as browsers show transparent areas.
        background = Image.new("RGB", shown.size, (255, 255, 255))
        background.paste(shown, mask=shown.getchannel("A"))
        return background
    if fmt == "JPEG" and shown.mode == "LA":
        return shown.convert("L")
    return shown if shown.mode in _MODES.get(fmt, ()) else shown.convert("RGBA" if has_alpha(shown) else "RGB")


def _save_options(im: Image.Image, fmt: str, exif: ExifFields, policy: str) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    icc = im.info.get("icc_profile")
    if icc and fmt != "GIF":
        opts["icc_profile"] = icc  # colour, not personal data: kept under every policy
    exif_bytes = exif_for_copy(im, policy)
    if exif_bytes and fmt not in ("GIF", "TIFF"):
        opts["exif"] = exif_bytes
    elif fmt == "HEIF":
        opts["exif"] = None  # pillow-heif would otherwise take the source's EXIF from im.info
    if policy == "keep" and fmt in ("JPEG", "WEBP", "PNG") and im.info.get("xmp"):
        opts["xmp"] = im.info["xmp"]
    if fmt == "JPEG":
        # Huffman optimisation makes libjpeg hold every coefficient of the picture (as much memory
        # again as the pixels): above this size memory matters more than the last ~15 %.
        opts.update(quality=JPEG_QUALITY, optimize=im.width * im.height <= JPEG_OPTIMIZE_MAX_PIXELS)
    elif fmt == "PNG":
        # zlib's hardest setting took 6 s on a 3 MP photo for 6 % less; past a few megapixels it is
        # not worth it (photos shrink with WebP, not with PNG effort).
        if im.width * im.height <= PNG_OPTIMIZE_MAX_PIXELS:
            opts.update(optimize=True)
    elif fmt == "GIF":
        opts.update(optimize=True)
    elif fmt == "TIFF":
        opts.update(compression="tiff_adobe_deflate")
    elif fmt == "WEBP":
        opts.update(quality=WEBP_QUALITY, method=4)
    elif fmt == "HEIF":
        opts.update(quality=HEIF_QUALITY)
    return opts
