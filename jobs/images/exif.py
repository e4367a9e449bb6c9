"""The EXIF fields people search photos by, GPS in decimal degrees, and EXIF rewritten for copies.

EXIF is written by thousands of camera firmwares and apps, and hostile files put anything in it: every
field is read defensively and a field that cannot be understood becomes None (with one warning), never a
failed job.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PIL import ExifTags, Image

log = logging.getLogger(__name__)

Base = ExifTags.Base
GPS = ExifTags.GPS

# The same table as ``ImageOps.exif_transpose``; we apply it to the small thumbnail only, not the full image.
TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass
class ExifFields:
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    taken_at: datetime | None = None  # the camera's local clock, as EXIF stores it
    taken_at_offset: str | None = None  # "+02:00" when the camera recorded its offset
    orientation: int | None = None  # 1-8 as recorded, even where the decoder already applied it
    gps_latitude: float | None = None
    gps_longitude: float | None = None
    gps_altitude: float | None = None
    software: str | None = None
    # HEIF decoders rotate the pixels themselves and reset the tag: the thumbnail must not rotate again.
    orientation_applied: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def has_gps(self) -> bool:
        return self.gps_latitude is not None and self.gps_longitude is not None

    @property
    def transpose(self) -> Image.Transpose | None:
        """The transposition that turns the decoded pixels upright, if any."""
        if self.orientation_applied or self.orientation is None:
            return None
        return TRANSPOSE.get(self.orientation)


def read_exif(im: Image.Image) -> ExifFields:
    out = ExifFields()
    try:
        exif = im.getexif()
        ifd = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception as exc:  # any malformed EXIF: the picture itself may still be fine
        log.info("unreadable EXIF: %s", exc)
        out.warnings.append("the EXIF metadata is damaged and was ignored")
        return out
    out.camera_make = _text(exif.get(Base.Make))
    out.camera_model = _text(exif.get(Base.Model))
    out.software = _text(exif.get(Base.Software))
    lens_model = _text(ifd.get(Base.LensModel))
    lens_make = _text(ifd.get(Base.LensMake))
    if lens_model and lens_make and not lens_model.lower().startswith(lens_make.lower()):
        lens_model = f"{lens_make} {lens_model}"
    out.lens = lens_model or lens_make
    out.taken_at = (
        _datetime(ifd.get(Base.DateTimeOriginal))
        or _datetime(ifd.get(Base.DateTimeDigitized))
        or _datetime(exif.get(Base.DateTime))
    )
    out.taken_at_offset = _text(ifd.get(Base.OffsetTimeOriginal)) or _text(ifd.get(Base.OffsetTime))
    if "original_orientation" in im.info:  # pillow-heif: already applied while decoding
        out.orientation = _orientation(im.info.get("original_orientation"))
        out.orientation_applied = True
    else:
        out.orientation = _orientation(exif.get(Base.Orientation))
    if gps:
        try:
            out.gps_latitude = _degrees(gps.get(GPS.GPSLatitude), gps.get(GPS.GPSLatitudeRef), 90.0)
            out.gps_longitude = _degrees(gps.get(GPS.GPSLongitude), gps.get(GPS.GPSLongitudeRef), 180.0)
            out.gps_altitude = _altitude(gps.get(GPS.GPSAltitude), gps.get(GPS.GPSAltitudeRef))
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
            log.info("unreadable GPS: %s", exc)
            out.warnings.append("the GPS position in the EXIF metadata is damaged and was ignored")
            out.gps_latitude = out.gps_longitude = out.gps_altitude = None
        if out.gps_latitude is None or out.gps_longitude is None:
            out.gps_latitude = out.gps_longitude = None
    return out


def exif_for_copy(im: Image.Image, policy: str) -> bytes | None:
    """The EXIF block to write into an optimized copy under the metadata ``policy``.

    ``keep``: unchanged; ``strip_gps``: everything but the GPS directory; ``strip``: nothing.
    """
    raw = im.info.get("exif")
    # Only an EXIF block the file carried counts: for a TIFF, getexif() is the file's own structure
    # (strip offsets, compression), which must not be pasted into another file.
    if policy == "strip" or not isinstance(raw, bytes) or not raw:
        return None
    if policy == "keep":
        return raw
    try:
        exif = im.getexif()
        if not exif:
            return None
        exif.get_ifd(ExifTags.IFD.Exif)  # load the Exif directory so it is written back
        if ExifTags.IFD.GPSInfo in exif:
            del exif[ExifTags.IFD.GPSInfo]
        return exif.tobytes()
    except Exception as exc:  # when the EXIF cannot be rewritten safely, dropping all of it is the safe side
        log.info("EXIF could not be rewritten without GPS, dropped: %s", exc)
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", "").strip()
    return text or None


def _datetime(value: Any) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text[:19], fmt)
        except ValueError:
            continue
    return None  # "0000:00:00 00:00:00" and friends: cameras with an unset clock


def _orientation(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 8 else None


def _degrees(dms: Any, ref: Any, limit: float) -> float | None:
    if dms is None:
        return None
    parts = [float(v) for v in (dms if isinstance(dms, tuple | list) else (dms,))]
    if not parts or len(parts) > 3:
        return None
    value = sum(p / 60**i for i, p in enumerate(parts))
    if not math.isfinite(value) or value > limit:
        return None
    if _text(ref) in ("S", "W"):
        value = -value
    return round(value, 7)  # ~1 cm: more digits are noise


def _altitude(value: Any, ref: Any) -> float | None:
    if value is None:
        return None
    alt = float(value)
    if not math.isfinite(alt):
        return None
    if isinstance(ref, bytes):
        ref = ref[:1] == b"\x01"
    return -alt if ref in (1, True) else alt
