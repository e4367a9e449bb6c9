#!/usr/bin/env python3
"""Render the app icon (resources/icons/parqueue.svg) into the raster files each platform wants.

    python scripts/make_icons.py

Writes parqueue-{16..1024}.png (Linux hicolor theme), parqueue.ico (Windows, 16-256 px) and
parqueue.icns (macOS) beside the SVG. Run it after changing the SVG and commit the results.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Path:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    path = ICONS / f"parqueue-{size}.png"
    image.save(str(path))
    return path


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841  (Qt needs one before painting)
    svg = ICONS / "parqueue.svg"
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        print(f"cannot read {svg}", file=sys.stderr)
        return 1
    pngs = {size: render(renderer, size) for size in SIZES}
    largest = Image.open(pngs[1024]).convert("RGBA")
    largest.save(ICONS / "parqueue.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    largest.save(ICONS / "parqueue.icns")
    for size in (24, 512, 1024):  # only the .ico/.icns need these; the hicolor theme does not
        pngs[size].unlink()
    print(f"wrote {len(SIZES) - 3} PNGs, parqueue.ico and parqueue.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
