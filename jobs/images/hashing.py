"""Content hash (exact duplicates) and perceptual hash (the same picture re-encoded, resized, recompressed).

The perceptual hash is a 64-bit difference hash (dHash) computed with Pillow and numpy, bit-compatible with
``imagehash.dhash``'s hex form. We do not depend on ``imagehash``: it pulls SciPy and PyWavelets (~100 MB in
the frozen app) for a dozen lines here, and dHash is the one of its hashes that is both cheap and robust to
scaling and recompression, which is what finding duplicate photos needs. It is computed from the upright
thumbnail, so a rotated copy of a photo hashes like the original.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

CHUNK = 1 << 20
HASH_SIZE = 8


def sha256_file(path: Path, on_chunk: Callable[[int], None] | None = None) -> str:
    """Hex SHA-256 of the file, read in 1 MiB chunks (bounded memory); ``on_chunk(bytes_so_far)``."""
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if on_chunk is not None:
                on_chunk(done)
    return digest.hexdigest()


def dhash(im: Image.Image, size: int = HASH_SIZE) -> int:
    """64-bit difference hash: is each cell of a (size+1)×size grey grid brighter than its left neighbour."""
    grey = im.convert("L") if im.mode != "L" else im
    small = grey.resize((size + 1, size), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.int16)
    bits = (pixels[:, 1:] > pixels[:, :-1]).flatten()
    value = 0
    for bit in bits.tolist():  # first cell is the most significant bit, as in imagehash
        value = (value << 1) | int(bit)
    return value


def to_hex(value: int, bits: int = HASH_SIZE * HASH_SIZE) -> str:
    return f"{value:0{bits // 4}x}"


def to_signed64(value: int) -> int:
    """The same 64 bits as a signed integer, the type Parquet and SQL engines can XOR and bit-count."""
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """Differing bits between two hashes (≤ 10 of 64 usually means the same picture)."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
