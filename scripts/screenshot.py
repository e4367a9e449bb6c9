#!/usr/bin/env python3
"""Refresh docs/screenshot.png: the real window under Xvfb, files dropped on it, jobs in several states.

A second picture, docs/screenshot-profile.png, shows the same table job's Profile tab.

    python scripts/screenshot.py [--out docs/screenshot.png] [--offscreen]

Without a display it re-runs itself under ``xvfb-run`` (apt: xvfb xauth and the xcb libraries Qt needs;
see the README). ``--offscreen`` renders with Qt's offscreen platform instead (no X server needed).
Everything is written under a temporary PARQUEUE_HOME; the user's data is never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("river stone parquet column table queue worker batch profile schema value field row cloud "
         "light north south harbour market garden signal").split()


def _relaunch_under_xvfb(argv: list[str]) -> int | None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") or "--offscreen" in argv:
        return None
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("xvfb-run not found; rendering offscreen instead", file=sys.stderr)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    cmd = [xvfb, "-a", "-s", "-screen 0 1400x900x24", sys.executable, __file__, *argv]
    return subprocess.call(cmd)


def _make_inputs(folder: Path) -> dict[str, list[Path]]:
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)

    def text(name: str, lines: int) -> Path:
        path = folder / name
        path.write_text("\n".join(" ".join(rng.choice(WORDS) for _ in range(11)) for _ in range(lines)) + "\n")
        return path

    def big(name: str, megabytes: int) -> Path:
        block = ("\n".join(" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(20_000)) + "\n").encode()
        path = folder / name
        with path.open("wb") as fh:
            while fh.tell() < megabytes * 1_000_000:
                fh.write(block)
        return path

    quick = [text("meeting-notes.md", 900), text("README.txt", 300), text("server.log", 4000),
             text("chapter-01.txt", 2500), text("interview.txt", 1200)]
    empty = folder / "empty-export.txt"
    empty.write_text("")
    quick.append(empty)
    try:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (960, 640))
        draw = ImageDraw.Draw(image)
        for y in range(640):  # a dusk sky over hills
            draw.line([(0, y), (960, y)], fill=(30 + y // 5, 70 + y // 6, 150 + y // 10))
        draw.ellipse((640, 120, 760, 240), fill=(240, 200, 90))
        draw.polygon([(0, 640), (0, 420), (260, 330), (520, 450), (760, 360), (960, 470), (960, 640)],
                     fill=(20, 90, 70))
        photo = folder / "harbour-at-dusk.png"
        image.save(photo)
        quick.append(photo)
    except ImportError:
        pass
    quick.append(_sales_csv(folder / "sales-2024.csv", rng))
    workbook = _stock_workbook(folder / "stock-count.xlsx", rng)
    if workbook is not None:
        quick.append(workbook)
    (folder / "slides.key").write_bytes(b"not a kind Parqueue reads")
    quick.append(folder / "slides.key")
    slow = [big("archive-2019.txt", 150), big("archive-2020.txt", 150), big("archive-2021.txt", 40),
            big("archive-2022.txt", 40)]
    return {"quick": quick, "slow": slow}


def _sales_csv(path: Path, rng: random.Random) -> Path:
    """A shop's export as people get them: a title line, `;`, amounts in euros with decimal commas, day-first
    dates, ZIP codes with leading zeros, a few blanks, and the total at the end."""
    shops = ["Harbour Street", "Market Square", "North Garden", "Riverside"]
    lines = ["Harbour Shops: orders 2024;;;;;;", "order_id;date;total;shop;zip;items;paid"]
    totals: list[float] = []
    for i in range(2400):
        amount = round(rng.lognormvariate(3.4, 0.7), 2)
        totals.append(amount)
        total = f"{amount:.2f} €".replace(".", ",")
        paid = rng.choice(["yes", "yes", "yes", "no", ""])
        lines.append(f"{10_000 + i};{1 + i % 28:02d}.{1 + i % 12:02d}.2024;{total};{rng.choice(shops)};"
                     f"0{rng.randint(1000, 9999)};{rng.randint(1, 9)};{paid}")
    lines.append(f"Total;;{sum(totals):.2f} €;;;;".replace(".", ","))  # the sum the shop's system adds
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stock_workbook(path: Path, rng: random.Random) -> Path | None:
    try:
        from openpyxl import Workbook
    except ImportError:
        return None
    book = Workbook()
    sheet = book.active
    sheet.title = "Stock"
    sheet.append(["sku", "product", "on_hand", "unit_price"])
    for i in range(300):
        sheet.append([f"SKU-{i:04d}", rng.choice(WORDS).title(), rng.randint(0, 400), round(rng.uniform(1, 90), 2)])
    book.save(path)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--offscreen", action="store_true", help="render with Qt's offscreen platform")
    args = parser.parse_args(argv)
    code = _relaunch_under_xvfb(argv)
    if code is not None:
        return code
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    work = Path(tempfile.mkdtemp(prefix="parqueue-shot-"))
    os.environ["PARQUEUE_HOME"] = str(work / "home")
    sys.path.insert(0, str(ROOT))
    try:
        return _shoot(work, args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _shoot(work: Path, out: Path) -> int:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication

    from desktop_app.app import build_window, create_application
    from desktop_app.close_dialog import CloseChoice
    from desktop_app.settings import Settings
    from jobs.logsetup import setup_logging
    from jobs.states import JobState

    inputs = _make_inputs(work / "Downloads")
    tail = setup_logging()
    app = create_application()
    Settings().apply(workers=2)
    window = build_window(app, tail)
    window.ask_close = lambda: CloseChoice.STOP  # type: ignore[method-assign]
    window.resize(1280, 800)
    window.show()
    window.start()

    def drop(paths: list[Path]) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        pos = QPointF(window.rect().center())
        app.sendEvent(window, QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))
        app.sendEvent(window, QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                         Qt.KeyboardModifier.NoModifier))

    def state_of(name: str) -> JobState | None:
        job = next((j for j in window.model.jobs() if j.name == name), None)
        return job.state if job else None

    current: dict[str, object] = {"step": "quick", "ticks": 0}
    result = {"code": 1}

    def tick() -> None:
        current["ticks"] += 1
        step = current["step"]
        if current["ticks"] > 600:  # 2 minutes: give up, but still save what is there
            step = "shoot"
        if step == "quick":
            drop(inputs["quick"])
            current["step"] = "wait-quick"
        elif step == "wait-quick":
            quick_names = [p.name for p in inputs["quick"] if p.suffix != ".key"]
            if all(state_of(n) is not None and state_of(n).is_final for n in quick_names):  # type: ignore[union-attr]
                current["step"] = "slow"
        elif step == "slow":
            drop(inputs["slow"])
            current["step"] = "wait-slow"
        elif step == "wait-slow":
            if state_of("archive-2020.txt") == JobState.RUNNING and state_of("archive-2019.txt") == JobState.RUNNING:
                window.apply_action("pause", [j for j in window.model.jobs() if j.name == "archive-2020.txt"])
                window.apply_action("cancel", [j for j in window.model.jobs() if j.name == "archive-2022.txt"])
                current["step"] = "wait-states"
        elif step == "wait-states":
            job = next((j for j in window.model.jobs() if j.name == "archive-2019.txt"), None)
            if (state_of("archive-2020.txt") == JobState.PAUSED and state_of("archive-2022.txt") == JobState.CANCELLED
                    and job is not None and job.fraction > 0.2):
                current["step"] = "select"
        elif step == "select":
            row = next(r for r, j in enumerate(window.model.jobs()) if j.name == "sales-2024.csv")
            window.view.selectRow(row)
            window.details.tabs.setCurrentWidget(window.details.preview)
            current["step"] = "wait-preview"
        elif step == "wait-preview":
            if window.details.preview.loaded is not None:
                current["step"] = "shoot-soon"
                current["ticks_at"] = current["ticks"]
        elif step == "shoot-soon":
            if current["ticks"] - current.get("ticks_at", 0) >= 4:  # let rates and the status bar settle
                current["step"] = "shoot"
        elif step == "profile":
            window.details.tabs.setCurrentWidget(window.details.profile)
            window.splitter.setSizes([250, 450])  # as a user drags it to read the profile
            current["step"] = "wait-profile"
        elif step == "wait-profile":
            if window.details.profile.model.rowCount() > 0 or current["ticks"] > 600:
                current["step"] = "shoot-profile"
        elif step in ("shoot", "shoot-profile"):
            out.parent.mkdir(parents=True, exist_ok=True)
            screen = QGuiApplication.primaryScreen()
            pixmap = None
            if os.environ.get("QT_QPA_PLATFORM") != "offscreen" and screen is not None:
                geometry = window.frameGeometry()
                pixmap = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
            if pixmap is None or pixmap.isNull():
                pixmap = window.grab()
            target = out if step == "shoot" else out.with_name(f"{out.stem}-profile{out.suffix}")
            pixmap.save(str(target), "PNG")
            print(f"saved {target} ({pixmap.width()}×{pixmap.height()})")
            if step == "shoot":
                current["step"] = "profile"
                return
            result["code"] = 0
            timer.stop()
            window.close()

    timer = QTimer()
    timer.setInterval(200)
    timer.timeout.connect(tick)
    timer.start()
    app.exec()
    return result["code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
