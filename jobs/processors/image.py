"""Images: a thumbnail, an optimized copy and one Parquet row of metadata per picture.

Options (``ProcessOptions.extra``; all optional):

``thumbnails``       bool, default True: write ``{stem}_thumb.jpg`` (``.png`` when the picture has alpha).
``thumb_size``       int, default 300: the thumbnail fits ``thumb_size``×``thumb_size``.
``optimized``        bool, default True: write ``{stem}_optimized.<ext>``.
``optimize_format``  "same" (default; BMP becomes PNG) or "webp".
``metadata``         "keep" (default), "strip" or "strip_gps": EXIF/XMP in the optimized copy.
``max_pixels``       int, default 178,956,970: pictures declaring more pixels are refused before decoding
                     (0: no limit).
``owner``            the job id, passed to :class:`OutputSet` so a retry sweeps a killed attempt's files.

Outputs, in order: ``{stem}_image.parquet`` (one row, :data:`SCHEMA`), the thumbnail, the optimized copy.
Progress is reported in bytes of the input, at every step; the callback may raise ``Cancelled``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from PIL import Image

from jobs import parquet_io
from jobs.images import hashing, safety
from jobs.images.exif import ExifFields, read_exif
from jobs.images.optimize import FORMAT_OPTIONS, METADATA_OPTIONS, Target, target_for, write_optimized
from jobs.images.probe import PILLOW_FORMATS, Probe, open_image
from jobs.images.thumbnail import (
    DEFAULT_SIZE,
    has_alpha,
    make_thumbnail,
    request_reduced_decode,
    save_thumbnail,
    thumbnail_suffix,
)
from jobs.processors.base import ProcessingError, ProcessOptions, ProcessResult, ProgressCallback

SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("file_name", pa.string()),
        ("format", pa.string()),  # the real format, from the content
        ("extension", pa.string()),
        ("width", pa.int32()),  # as stored; an orientation of 5-8 shows it turned by 90°
        ("height", pa.int32()),
        ("mode", pa.string()),  # Pillow's mode: RGB, RGBA, L, P, CMYK, I;16 …
        ("bits", pa.int16()),  # bits per sample in the file
        ("frames", pa.int32()),
        ("animated", pa.bool_()),
        ("has_alpha", pa.bool_()),
        ("has_icc_profile", pa.bool_()),
        ("bytes_in", pa.int64()),
        ("bytes_out", pa.int64()),  # the optimized copy; null without one
        ("saving", pa.float64()),  # 1 - bytes_out / bytes_in
        ("optimized_format", pa.string()),
        ("metadata_policy", pa.string()),
        ("thumb_width", pa.int32()),
        ("thumb_height", pa.int32()),
        ("camera_make", pa.string()),
        ("camera_model", pa.string()),
        ("lens", pa.string()),
        ("software", pa.string()),
        ("taken_at", pa.timestamp("s")),  # the camera's local time, no zone (EXIF has none)
        ("taken_at_offset", pa.string()),
        ("orientation", pa.int8()),
        ("gps_latitude", pa.float64()),  # decimal degrees, south negative
        ("gps_longitude", pa.float64()),  # decimal degrees, west negative
        ("gps_altitude", pa.float64()),  # metres
        ("has_gps", pa.bool_()),
        ("sha256", pa.string()),
        ("perceptual_hash", pa.string()),  # 64-bit dHash, 16 hex digits (imagehash.dhash compatible)
        ("perceptual_hash_int", pa.int64()),  # the same bits, signed: bit_count(xor(a, b)) in SQL
        ("warnings", pa.string()),
    ]
)

# Share of the progress bar each step ends at: bytes do not flow evenly through an image job.
_STEP_END = {"probe": 0.02, "hash": 0.15, "decode": 0.55, "thumbnail": 0.65, "optimize": 0.95, "metadata": 1.0}


@dataclass(frozen=True)
class _Settings:
    thumbnails: bool
    thumb_size: int
    optimized: bool
    optimize_format: str
    metadata: str
    max_pixels: int | None


def _settings(options: ProcessOptions) -> _Settings:
    fmt = str(options.get("optimize_format", "same")).lower()
    policy = str(options.get("metadata", "keep")).lower()
    if fmt not in FORMAT_OPTIONS:
        raise ProcessingError(f"optimize_format must be one of {', '.join(FORMAT_OPTIONS)}, not {fmt!r}")
    if policy not in METADATA_OPTIONS:
        raise ProcessingError(f"metadata must be one of {', '.join(METADATA_OPTIONS)}, not {policy!r}")
    try:
        size = int(options.get("thumb_size", DEFAULT_SIZE))
        max_pixels = int(options.get("max_pixels", safety.DEFAULT_MAX_PIXELS))
    except (TypeError, ValueError):
        raise ProcessingError("thumb_size and max_pixels must be whole numbers") from None
    if not 16 <= size <= 4096:
        raise ProcessingError(f"thumb_size must be between 16 and 4096 pixels, not {size}")
    return _Settings(
        thumbnails=bool(options.get("thumbnails", True)),
        thumb_size=size,
        optimized=bool(options.get("optimized", True)),
        optimize_format=fmt,
        metadata=policy,
        max_pixels=max_pixels if max_pixels > 0 else None,
    )


def process(source: Path, options: ProcessOptions, progress: ProgressCallback) -> ProcessResult:
    settings = _settings(options)
    source = Path(source)
    try:
        total = source.stat().st_size
    except OSError as exc:
        raise ProcessingError(f"the file cannot be read ({exc.strerror or exc})") from None

    def step(name: str) -> None:
        progress(int(total * _STEP_END[name]), total)

    progress(0, total)
    im, probe = open_image(source, settings.max_pixels)
    try:
        warnings = list(probe.warnings)
        step("probe")
        sha256 = hashing.sha256_file(
            source, lambda done: progress(int(total * _STEP_END["probe"] + done * 0.13), total)
        )
        step("hash")
        exif = read_exif(im)
        warnings.extend(exif.warnings)
        with options.outputs(source.stem) as outs:
            parquet_tmp = outs.path("_image.parquet")  # reserved first: the Parquet leads the outputs
            if not settings.optimized:
                # Only a thumbnail is needed: let JPEG decode at 1/2, 1/4 or 1/8 scale.
                request_reduced_decode(im, settings.thumb_size)
            im, decode_warning = _load(im, source, settings, probe)
            if decode_warning:
                warnings.append(decode_warning)
            step("decode")
            thumb = make_thumbnail(im, settings.thumb_size, exif.transpose, probe.bits)
            if settings.thumbnails:
                save_thumbnail(thumb, outs.path(thumbnail_suffix(thumb)), im.info.get("icc_profile"))
            step("thumbnail")
            bytes_out: int | None = None
            target: Target | None = None
            if settings.optimized:
                target = target_for(probe, settings.optimize_format)
                copy_path = outs.path(target.suffix)
                copy_warnings = _optimize(im, copy_path, target, probe, exif, settings, source)
                warnings.extend(copy_warnings)
                bytes_out = copy_path.stat().st_size if copy_path.exists() else None
            step("optimize")
            perceptual = hashing.dhash(thumb)
            record = _record(source, total, probe, exif, im, thumb, sha256, perceptual, bytes_out, target,
                             settings, warnings)
            parquet_io.write_record(record, parquet_tmp, SCHEMA, options.compression)
            step("metadata")
            outputs = outs.commit()
    finally:
        im.close()
    metrics = {
        key: record[key]
        for key in ("width", "height", "frames", "format", "mode", "bits", "bytes_in", "bytes_out", "saving",
                    "has_gps", "animated")
    }
    return ProcessResult(outputs=outputs, warnings=warnings, metrics=metrics)


def _load(im: Image.Image, source: Path, settings: _Settings, probe: Probe) -> tuple[Image.Image, str | None]:
    """Decode frame 0; a truncated file is decoded again tolerantly and kept if a picture came out."""
    try:
        im.load()
        return im, None
    except Image.DecompressionBombError as exc:
        raise safety.from_pillow_bomb(exc, settings.max_pixels) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if not safety.is_truncation(exc):
            raise ProcessingError(f"the {probe.format} data is damaged and cannot be decoded ({exc})") from None
        exc_text = str(exc)
    im.close()
    retry = Image.open(source, formats=PILLOW_FORMATS)
    try:
        if not settings.optimized:
            request_reduced_decode(retry, settings.thumb_size)
        safety.tolerating_truncation(retry.load)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        retry.close()
        raise ProcessingError(f"the {probe.format} file is truncated and cannot be decoded ({exc})") from None
    share = safety.decoded_share(retry)
    if share < safety.MIN_DECODED_SHARE:
        retry.close()
        raise ProcessingError(f"the {probe.format} file is truncated before its picture data ({exc_text})")
    missing = "" if share >= 1.0 else f"; only the top {share:.0%} of the picture could be decoded"
    return retry, f"the file is truncated or damaged ({exc_text}){missing}"


def _optimize(
    im: Image.Image, path: Path, target: Target, probe: Probe, exif: ExifFields, settings: _Settings,
    source: Path,
) -> list[str]:
    frames_pixels = probe.frames * probe.width * probe.height
    if probe.frames > 1 and settings.max_pixels and frames_pixels > settings.max_pixels:
        # Animated writers hold every frame in memory: the limit applies to all of them together.
        return [
            f"no optimized copy: its {probe.frames} frames hold {safety.megapixels(frames_pixels)} in all, "
            f"more than the limit of {safety.megapixels(settings.max_pixels)}"
        ]
    try:
        return write_optimized(im, path, target, probe, exif, settings.metadata, source)
    except Image.DecompressionBombError:
        path.unlink(missing_ok=True)
        return ["no optimized copy: a later frame declares a size above the limit"]
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        path.unlink(missing_ok=True)
        if probe.frames > 1 and safety.is_truncation(exc):
            return ["no optimized copy: a later frame of the file is damaged"]
        raise ProcessingError(f"the optimized {target.format} copy could not be written ({exc})") from None


def _record(
    source: Path, bytes_in: int, probe: Probe, exif: ExifFields, im: Image.Image, thumb: Image.Image,
    sha256: str, perceptual: int, bytes_out: int | None, target: Target | None, settings: _Settings,
    warnings: list[str],
) -> dict[str, Any]:
    saving = round(1 - bytes_out / bytes_in, 4) if bytes_out is not None and bytes_in else None
    return {
        "source": str(source.resolve()),
        "file_name": source.name,
        "format": probe.format,
        "extension": source.suffix.lower(),
        "width": probe.width,
        "height": probe.height,
        "mode": probe.mode,
        "bits": probe.bits,
        "frames": probe.frames,
        "animated": probe.animated,
        "has_alpha": has_alpha(im),
        "has_icc_profile": bool(im.info.get("icc_profile")),
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
        "saving": saving,
        "optimized_format": target.format if target and bytes_out is not None else None,
        "metadata_policy": settings.metadata if settings.optimized else None,
        "thumb_width": thumb.width if settings.thumbnails else None,
        "thumb_height": thumb.height if settings.thumbnails else None,
        "camera_make": exif.camera_make,
        "camera_model": exif.camera_model,
        "lens": exif.lens,
        "software": exif.software,
        "taken_at": exif.taken_at,
        "taken_at_offset": exif.taken_at_offset,
        "orientation": exif.orientation,
        "gps_latitude": exif.gps_latitude,
        "gps_longitude": exif.gps_longitude,
        "gps_altitude": exif.gps_altitude,
        "has_gps": exif.has_gps,
        "sha256": sha256,
        "perceptual_hash": hashing.to_hex(perceptual),
        "perceptual_hash_int": hashing.to_signed64(perceptual),
        "warnings": "; ".join(warnings) or None,
    }


def preview(source: Path, max_side: int = 512) -> Image.Image:
    """A fast upright preview fitting ``max_side``×``max_side`` (JPEG decoded at reduced scale).

    Raises :class:`ProcessingError` for files that are not readable pictures or exceed the default
    size limit. Returns an L, LA, RGB or RGBA image the caller owns.
    """
    settings = _Settings(True, max_side, False, "same", "keep", safety.DEFAULT_MAX_PIXELS)
    im, probe = open_image(Path(source), settings.max_pixels)
    try:
        exif = read_exif(im)
        request_reduced_decode(im, max_side)
        im, _ = _load(im, Path(source), settings, probe)
        return make_thumbnail(im, max_side, exif.transpose, probe.bits)
    finally:
        im.close()
