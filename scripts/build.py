#!/usr/bin/env python3
"""Build the Parqueue app for this platform with one command, from build.spec.

    python3 scripts/build.py [--dist DIR] [--work DIR] [--no-archive]

Installs PyInstaller into the running environment if it is missing (run it inside the project's
environment: `python3 dev.py setup`, then `.venv/bin/python scripts/build.py`), builds the onedir app,
adds the platform's integration files, and packs it: a .tar.gz on Linux, a .zip of the .app on macOS, a
.zip on Windows. Prints the bundle size and the build time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jobs import APP_ID, APP_NAME, __version__  # noqa: E402


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def ensure_pyinstaller() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pyinstaller>=6.6"], check=True)


def windows_version_file() -> Path:
    """PyInstaller's version resource, generated from the package version."""
    parts = [int(p) for p in __version__.split(".")[:3]]
    nums = ", ".join(str(n) for n in [*parts, 0, 0, 0, 0][:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers=({nums}), prodvers=({nums}), mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', '{APP_NAME}'),
      StringStruct('FileDescription', '{APP_NAME}: files to typed Parquet'),
      StringStruct('FileVersion', '{__version__}'),
      StringStruct('InternalName', '{APP_NAME}'),
      StringStruct('OriginalFilename', '{APP_NAME}.exe'),
      StringStruct('ProductName', '{APP_NAME}'),
      StringStruct('ProductVersion', '{__version__}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])]
)
"""
    path = ROOT / "build" / "version_info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def linux_integration(app_dir: Path) -> None:
    """The .desktop file and icons travel inside the archive, with an install script for the user's menu."""
    share = app_dir / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "resources" / "linux" / f"{APP_ID}.desktop", share / "applications")
    icons = ROOT / "resources" / "icons"
    for size in (16, 32, 48, 64, 128, 256):
        png = icons / f"parqueue-{size}.png"
        if png.exists():
            target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(png, target / f"{APP_ID}.png")
    svg = icons / "parqueue.svg"
    if svg.exists():
        target = share / "icons" / "hicolor" / "scalable" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(svg, target / f"{APP_ID}.svg")
    shutil.copy2(ROOT / "resources" / "linux" / "install.sh", app_dir / "install.sh")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-archive", action="store_true")
    args = parser.parse_args()
    ensure_pyinstaller()
    if sys.platform == "win32":
        windows_version_file()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(args.dist), "--workpath", str(args.work), str(ROOT / "build.spec")],
                   check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    app_dir = args.dist / APP_NAME
    if sys.platform.startswith("linux"):
        linux_integration(app_dir)
    size = folder_size(app_dir)
    print(f"built {app_dir} in {seconds:.0f} s: {size / 1e6:.0f} MB")
    if args.no_archive:
        return 0
    arch = platform.machine().lower()
    if sys.platform.startswith("linux"):
        archive = args.dist / f"{APP_NAME}-{__version__}-linux-{arch}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(app_dir, arcname=f"{APP_NAME}-{__version__}")
    else:
        source = args.dist / f"{APP_NAME}.app" if sys.platform == "darwin" else app_dir
        system = "macos" if sys.platform == "darwin" else "windows"
        archive = Path(shutil.make_archive(str(args.dist / f"{APP_NAME}-{__version__}-{system}-{arch}"), "zip",
                                           source.parent, source.name))
    print(f"packed {archive}: {archive.stat().st_size / 1e6:.0f} MB")
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as fh:
            fh.write(f"archive={archive}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
