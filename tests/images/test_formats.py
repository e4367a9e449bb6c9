"""Every supported format through the real processor, with exact expected values read back from Parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from image_samples import RED, H, W, camera_exif, photo
from PIL import ExifTags, Image

from jobs.processors.base import ProcessResult

KEPT_ORIGINAL = "the original was already well compressed; the optimized copy is the original file"
Run = Callable[..., ProcessResult]
Make = Callable[[str], Path]

# kind: (format, width, height, mode, bits, frames, thumb suffix, optimized suffix)
CASES = {
    "png": ("PNG", W, H, "RGB", 8, 1, "_thumb.jpg", "_optimized.png"),
    "jpeg": ("JPEG", W, H, "RGB", 8, 1, "_thumb.jpg", "_optimized.jpg"),
    "gif": ("GIF", 200, 100, "P", 8, 3, "_thumb.jpg", "_optimized.gif"),
    "bmp": ("BMP", W, H, "RGB", 8, 1, "_thumb.jpg", "_optimized.png"),
    "tiff": ("TIFF", W, H, "RGB", 8, 3, "_thumb.jpg", "_optimized.tif"),
    "webp": ("WEBP", W, H, "RGB", 8, 1, "_thumb.jpg", "_optimized.webp"),
    "heic": ("HEIF", W, H, "RGB", 8, 1, "_thumb.jpg", "_optimized.heic"),
    "cmyk": ("JPEG", W, H, "CMYK", 8, 1, "_thumb.jpg", "_optimized.jpg"),
    "png16": ("PNG", W, H, "I;16", 16, 1, "_thumb.jpg", "_optimized.png"),
    "palette": ("PNG", W, H, "P", 8, 1, "_thumb.jpg", "_optimized.png"),
    "rgba": ("PNG", W, H, "RGBA", 8, 1, "_thumb.png", "_optimized.png"),
}


def row(result: ProcessResult) -> dict[str, object]:
    assert result.outputs[0].name.endswith("_image.parquet")
    rows = pq.read_table(result.outputs[0]).to_pylist()
    assert len(rows) == 1
    return rows[0]


def output(result: ProcessResult, suffix: str) -> Path:
    found = [p for p in result.outputs if p.name.endswith(suffix)]
    assert found, f"no {suffix} in {[p.name for p in result.outputs]}"
    return found[0]


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 30) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("kind", list(CASES))
def test_every_format(kind: str, make_image: Make, run: Run) -> None:
    fmt, width, height, mode, bits, frames, thumb_suffix, copy_suffix = CASES[kind]
    source = make_image(kind)
    result = run(source)
    # A tiny three-colour GIF cannot be beaten: the original itself is then the optimized copy.
    assert result.warnings == ([KEPT_ORIGINAL] if kind == "gif" else [])
    assert len(result.outputs) == 3
    record = row(result)
    assert (record["format"], record["width"], record["height"]) == (fmt, width, height)
    assert (record["mode"], record["bits"], record["frames"]) == (mode, bits, frames)
    assert record["bytes_in"] == source.stat().st_size
    assert record["bytes_out"] == output(result, copy_suffix).stat().st_size
    assert record["saving"] == pytest.approx(1 - record["bytes_out"] / record["bytes_in"], abs=1e-4)
    assert len(record["sha256"]) == 64 and len(record["perceptual_hash"]) == 16
    for key in ("width", "height", "frames", "format", "mode", "bytes_in", "bytes_out", "saving"):
        assert result.metrics[key] == record[key]

    with Image.open(output(result, thumb_suffix)) as thumb:
        assert max(thumb.size) == 300 or (width < 300 and height < 300)
        assert thumb.size == (record["thumb_width"], record["thumb_height"])
        assert thumb.mode in ("RGB", "L", "RGBA")
        corner = thumb.convert("RGBA").getpixel((2, 2))
        center = thumb.convert("RGBA").getpixel((thumb.width // 2, thumb.height // 2))
    with Image.open(output(result, copy_suffix)) as copy:
        assert copy.size == (width, height)
        assert getattr(copy, "n_frames", 1) == (frames if kind in ("gif", "tiff") else 1)

    # The picture itself must survive: colours, depth and transparency as the source shows them.
    if kind in ("png", "jpeg", "bmp", "tiff", "webp", "heic", "palette", "rgba"):
        assert close(corner[:3], RED, 40), corner
    if kind in ("gif", "cmyk"):
        assert close(center[:3], RED, 45), center
    if kind == "png16":
        assert 100 <= center[0] <= 155, center  # a mid-grey ramp, not clipped to white
    if kind == "rgba":
        assert corner[3] == 255 and thumb.getpixel((thumb.width - 2, 2))[3] == 0


def test_jpeg_exif_orientation_and_gps(make_image: Make, run: Run) -> None:
    result = run(make_image("jpeg_exif"))
    record = row(result)
    assert (record["width"], record["height"], record["orientation"]) == (W, H, 6)
    assert record["camera_make"] == "Canon" and record["camera_model"] == "Canon EOS 5D"
    assert record["lens"] == "EF24-70mm f/2.8L"
    assert str(record["taken_at"]) == "2023-07-14 15:30:45" and record["taken_at_offset"] == "+02:00"
    assert record["has_gps"] is True
    assert record["gps_latitude"] == pytest.approx(48 + 51 / 60 + 29.64 / 3600, abs=1e-7)
    assert record["gps_longitude"] == pytest.approx(-(2 + 17 / 60 + 40.2 / 3600), abs=1e-7)
    with Image.open(output(result, "_thumb.jpg")) as thumb:
        # Orientation 6: the stored top-left corner is shown top-right, and the picture stands upright.
        assert thumb.size == (225, 300)
        assert close(thumb.getpixel((thumb.width - 3, 3)), RED, 40)
        assert not close(thumb.getpixel((3, 3)), RED, 40)
    with Image.open(output(result, "_optimized.jpg")) as copy:
        exif = copy.getexif()
        assert exif[ExifTags.Base.Orientation] == 6 and exif.get_ifd(ExifTags.IFD.GPSInfo)


def test_strip_gps_keeps_the_rest(make_image: Make, run: Run) -> None:
    result = run(make_image("jpeg_exif"), metadata="strip_gps")
    with Image.open(output(result, "_optimized.jpg")) as copy:
        exif = copy.getexif()
        assert exif[ExifTags.Base.Make] == "Canon"
        assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.LensModel] == "EF24-70mm f/2.8L"
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert row(result)["has_gps"] is True  # the catalog still records where the original was taken


def test_strip_turns_pixels_upright(make_image: Make, run: Run) -> None:
    result = run(make_image("jpeg_exif"), metadata="strip")
    with Image.open(output(result, "_optimized.jpg")) as copy:
        assert not copy.getexif() and "exif" not in copy.info
        assert copy.size == (H, W)  # the orientation tag is gone, so the pixels were turned instead
        assert close(copy.getpixel((H - 5, 5)), RED, 40)


def test_webp_copy_and_options(make_image: Make, run: Run) -> None:
    result = run(make_image("gif"), optimize_format="webp", thumb_size=64)
    record = row(result)
    with Image.open(output(result, "_optimized.webp")) as copy:
        assert copy.format == "WEBP" and copy.n_frames == 3
    with Image.open(output(result, "_thumb.jpg")) as thumb:
        assert thumb.size == (64, 32)
    assert record["optimized_format"] == "WEBP"


def test_thumbnail_only_decodes_at_reduced_size(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "big.jpg"
    photo((2400, 1800)).save(source, quality=90)
    result = run(source, optimized=False)
    assert [p.name for p in result.outputs] == ["big_image.parquet", "big_thumb.jpg"]
    record = row(result)
    assert record["bytes_out"] is None and record["saving"] is None and record["width"] == 2400
    with Image.open(source) as im:
        from jobs.images.thumbnail import request_reduced_decode

        request_reduced_decode(im, 300)
        assert im.size == (300, 225)  # 1/8 scale: DCT scaling, not a full 4.3 MP decode


def test_no_thumbnail_option(make_image: Make, run: Run) -> None:
    result = run(make_image("png"), thumbnails=False)
    assert [p.name.split("_")[-1] for p in result.outputs] == ["image.parquet", "optimized.png"]
    assert row(result)["thumb_width"] is None


def test_preview_is_small_and_upright(make_image: Make) -> None:
    from jobs.processors.image import preview

    im = preview(make_image("jpeg_exif"), max_side=128)
    assert im.size == (96, 128) and im.mode == "RGB"


def test_duplicates_share_perceptual_hash(tmp_path: Path, run: Run) -> None:
    from jobs.images.hashing import hamming
    original = tmp_path / "a.png"
    photo().save(original)
    smaller = tmp_path / "b.jpg"
    photo().resize((320, 240)).save(smaller, quality=70)
    other = tmp_path / "c.png"
    photo().transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(other)
    a, b, c = (row(run(p))["perceptual_hash_int"] for p in (original, smaller, other))
    assert hamming(a, b) <= 6
    assert hamming(a, c) > 20


def test_heic_orientation_is_applied_once(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "turned.heic"
    photo().save(source, "HEIF", quality=80, exif=camera_exif(orientation=6, gps=False).tobytes())
    result = run(source, optimized=False)
    record = row(result)
    assert record["orientation"] == 6 and record["camera_make"] == "Canon"
    with Image.open(output(result, "_thumb.jpg")) as thumb:
        assert thumb.size == (225, 300)  # turned by the decoder, not turned again by us
        assert close(thumb.getpixel((thumb.width - 3, 3)), RED, 40)


def test_cmyk_with_profile_to_webp_drops_the_cmyk_profile(tmp_path: Path, run: Run) -> None:
    from PIL import ImageCms

    # Pillow ships no CMYK profile: an sRGB one relabelled CMYK in its header shows whether the copy
    # carries it (the unusable profile also sends the conversion down the plain-formula fallback).
    source = tmp_path / "print.jpg"
    fake_cmyk_icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    fake_cmyk_icc[16:20] = b"CMYK"
    Image.new("CMYK", (200, 100), (0, 230, 230, 0)).save(source, quality=92, icc_profile=bytes(fake_cmyk_icc))
    result = run(source, optimize_format="webp")
    with Image.open(output(result, "_optimized.webp")) as copy:
        assert copy.mode == "RGB" and "icc_profile" not in copy.info
        assert close(copy.getpixel((100, 50)), RED, 45)
