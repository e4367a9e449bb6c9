"""Limits that keep a hostile image from exhausting memory: declared size checks and truncation handling.

Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) is one process-wide number that only *warns* below twice its
value, so it cannot carry a per-job setting. We check the declared size ourselves right after the header is
read (``Image.open`` decodes no pixels) and keep Pillow's guard as a backstop for the checks it makes deeper
inside (GIF frames larger than the screen, for instance).
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from PIL import Image, ImageFile

from jobs.processors.base import ProcessingError

DEFAULT_MAX_PIXELS = 178_956_970  # Pillow's own hard limit (2 × MAX_IMAGE_PIXELS): what users already expect

# Our check decides; Pillow's warning below its hard limit would only be noise (or an error under
# ``-W error``), and ``warnings.catch_warnings`` is not thread-safe, so it is silenced once, here.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# Less than this share of rows decoded is not a usable picture, just a strip along the top.
MIN_DECODED_SHARE = 0.1

_truncated_lock = threading.Lock()
_T = TypeVar("_T")


def allow_pillow(max_pixels: int | None) -> None:
    """Keep Pillow's inner guard at least as loose as the job's limit, so ours is the one users meet.

    The global only ever grows: with several jobs in one process, lowering it for one job would break
    another job that allowed more. Pillow raises above twice the value, hence the halving.
    """
    if max_pixels is None or max_pixels <= 0:
        Image.MAX_IMAGE_PIXELS = None
        return
    current = Image.MAX_IMAGE_PIXELS
    if current is not None and current < max_pixels // 2 + 1:
        Image.MAX_IMAGE_PIXELS = max_pixels // 2 + 1


def check_pixels(size: tuple[int, int], max_pixels: int | None, what: str = "the picture") -> None:
    """Refuse a declared size above the limit (``max_pixels`` None or 0: no limit)."""
    width, height = size
    if width <= 0 or height <= 0:
        raise ProcessingError(f"{what} declares an empty size ({width}×{height}); the file is damaged")
    if max_pixels and width * height > max_pixels:
        raise ProcessingError(too_large(f"{width}×{height} pixels", width * height, max_pixels, what))


def megapixels(pixels: int) -> str:
    value = pixels / 1e6
    return f"{value:,.0f} megapixels" if value >= 10 else f"{value:.2g} megapixels"


def too_large(declared: str, pixels: int, max_pixels: int | None, what: str = "the picture") -> str:
    limit = f"the limit of {megapixels(max_pixels)}" if max_pixels else "what Pillow accepts"
    return (
        f"{what} declares {declared} ({megapixels(pixels)}), more than {limit}; it was not "
        "decoded, to protect memory (a possible decompression bomb). Raise the 'max_pixels' setting if "
        "you trust this file."
    )


def from_pillow_bomb(exc: Image.DecompressionBombError, max_pixels: int | None) -> ProcessingError:
    """Our message for Pillow's own guard, which fires inside ``Image.open`` beyond twice its global."""
    found = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = int(found.group(1)) if found else 0
    return ProcessingError(too_large(f"{pixels:,} pixels", pixels, max_pixels))


def is_truncation(exc: BaseException) -> bool:
    """Whether Pillow failed because the data ended early or a compressed stream broke off."""
    text = str(exc).lower()
    return isinstance(exc, OSError | SyntaxError | ValueError) and any(
        key in text for key in ("truncated", "broken data stream", "premature", "unexpected end")
    )


def tolerating_truncation(action: Callable[[], _T]) -> _T:
    """Run ``action`` with Pillow accepting truncated data (missing rows come out grey or black).

    The switch is process-wide; the lock keeps two jobs from restoring it under each other. Another
    thread decoding at the same moment is tolerant too for that instant, which costs it nothing worse
    than a truncated picture it would otherwise have refused.
    """
    with _truncated_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            return action()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def decoded_share(im: Image.Image) -> float:
    """The share of rows, from the top, that hold picture data after a tolerated truncated decode.

    Decoders fill what they never received with one colour (grey for JPEG, black for PNG) from where
    the data stopped to the bottom: the rows equal to a one-colour last row are counted as missing.
    """
    arr = np.asarray(im)
    if arr.size == 0:
        return 0.0
    if not (arr[-1] == arr[-1, 0]).all():
        return 1.0  # the last row has detail: the data reached the bottom
    rows = arr.reshape(arr.shape[0], -1)
    different = np.flatnonzero(~(rows == rows[-1]).all(axis=1))
    return 0.0 if different.size == 0 else (int(different[-1]) + 1) / arr.shape[0]
