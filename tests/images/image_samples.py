"""Real pictures of every supported format, generated small so the whole suite stays fast.

A plain module (not conftest) so tests can import its helpers by a name unique in the project."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import ExifTags, Image, TiffImagePlugin

pillow_heif.register_heif_opener()

RED = (220, 20, 30)
W, H = 640, 480
LATITUDE = (48, 51, 29.64)  # 48.8582333 N
LONGITUDE = (2, 17, 40.2)  # 2.2945 W


def photo(size: tuple[int, int] = (W, H), seed: int = 1) -> Image.Image:
    """A smooth gradient with a red block in the top-left corner, so orientation can be checked."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : size[1], 0 : size[0]].astype(np.float32)
    arr = np.stack([x / size[0] * 200, y / size[1] * 200, np.full_like(x, 90)], axis=-1)
    arr += rng.normal(0, 3, arr.shape)
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    im.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    return im


def rational(value: float) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * 100), 100)


def camera_exif(orientation: int = 6, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS 5D"
    exif[ExifTags.Base.Orientation] = orientation
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "2023:07:14 15:30:45"
    sub[ExifTags.Base.OffsetTimeOriginal] = "+02:00"
    sub[ExifTags.Base.LensModel] = "EF24-70mm f/2.8L"
    if gps:
        g = exif.get_ifd(ExifTags.IFD.GPSInfo)
        g[ExifTags.GPS.GPSLatitudeRef] = "N"
        g[ExifTags.GPS.GPSLatitude] = tuple(rational(v) for v in LATITUDE)
        g[ExifTags.GPS.GPSLongitudeRef] = "W"
        g[ExifTags.GPS.GPSLongitude] = tuple(rational(v) for v in LONGITUDE)
    return exif


def png_with_header(path: Path, width: int, height: int) -> Path:
    """A valid PNG signature and IHDR declaring ``width``×``height``, then a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    return path


def make(kind: str, folder: Path) -> Path:
    """Write one test picture of ``kind`` into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    base = photo()
    if kind == "png":
        path = folder / "plain.png"
        base.save(path)
    elif kind == "jpeg":
        path = folder / "plain.jpg"
        base.save(path, quality=92)
    elif kind == "jpeg_exif":
        path = folder / "camera.jpg"
        base.save(path, quality=92, exif=camera_exif())
    elif kind == "gif":
        path = folder / "anim.gif"
        frames = [Image.new("RGB", (200, 100), c).convert("P") for c in (RED, (0, 200, 0), (0, 0, 200))]
        frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0)
    elif kind == "bmp":
        path = folder / "plain.bmp"
        base.save(path)
    elif kind == "tiff":
        path = folder / "pages.tif"
        pages = [base, Image.new("RGB", (320, 240), (0, 200, 0)), Image.new("RGB", (320, 240), (0, 0, 200))]
        pages[0].save(path, save_all=True, append_images=pages[1:])  # uncompressed, as scanners write
    elif kind == "webp":
        path = folder / "plain.webp"
        base.save(path, quality=85)
    elif kind == "heic":
        path = folder / "phone.heic"
        base.save(path, "HEIF", quality=85)
    elif kind == "cmyk":
        path = folder / "print.jpg"
        Image.new("CMYK", (W, H), (0, 230, 230, 0)).save(path, quality=92)
    elif kind == "png16":
        path = folder / "deep.png"
        ramp = np.tile(np.linspace(0, 65535, W, dtype=np.float64), (H, 1)).astype(np.uint16)
        Image.fromarray(ramp).save(path)
    elif kind == "palette":
        path = folder / "palette.png"
        base.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(path)
    elif kind == "rgba":
        path = folder / "alpha.png"
        im = base.convert("RGBA")
        alpha = Image.new("L", im.size, 0)
        alpha.paste(255, (0, 0, W // 2, H))  # left half opaque, right half fully transparent
        im.putalpha(alpha)
        im.save(path)
    else:
        raise ValueError(kind)
    return path
