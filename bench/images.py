"""Image processor speed against vipsthumbnail and ImageMagick, in the same run.

    .venv/bin/python bench/images.py [--n 100] [--procs 2] [--rounds 2]

Generates (once, seeded) N 12 MP JPEGs under ``bench/data/`` (git-ignored), then, alternating per round:

* thumbnails: our processor with ``optimized=False`` (thumbnail + hash + EXIF + Parquet row) on PROCS
  spawned processes, ``vipsthumbnail -s 300x300`` and ImageMagick ``mogrify -thumbnail 300x300`` (plain,
  and with the ``jpeg:size`` hint that lets libjpeg scale while decoding), each on PROCS processes;
* the whole job: our processor (thumbnail + optimized JPEG copy + Parquet row) against vips making the
  same two images (``vipsthumbnail`` + ``vips jpegsave --Q 85 --optimize-coding``).

Wall times include process start-up for every contender. Ratios are ours / peer (below 1: we are
faster); goals from issue 5: thumbnails ≤ 1.5× vipsthumbnail and < 1× ImageMagick, the whole job ≤ 1.2×
vips. A peer that is not installed is skipped with a note (``apt-get install libvips-tools imagemagick``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def photo(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    """Smooth gradients, soft shapes and mild noise: compresses like a photo (as the acceptance data)."""
    sw, sh = width // 4, height // 4
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    x /= sw
    y /= sh
    img = np.empty((sh, sw, 3), np.float32)
    for c in range(3):
        a, b, f, ph = rng.random(4)
        img[..., c] = 255 * (0.25 + 0.35 * a * x + 0.35 * b * y + 0.1 * np.sin(2 * np.pi * (f * 2 * x + ph)))
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(8, 20))):
        x0, y0 = int(rng.integers(0, sw)), int(rng.integers(0, sh))
        rw, rh = int(rng.integers(sw // 20, sw // 3)), int(rng.integers(sh // 20, sh // 3))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        draw.ellipse([x0, y0, x0 + rw, y0 + rh], fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(3)).resize((width, height), Image.Resampling.BICUBIC)
    arr = np.asarray(im).astype(np.int16) + rng.normal(0, 4, (height, width, 1)).astype(np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _generate_one(args: tuple[Path, int, int, int, int]) -> None:
    path, seed, index, width, height = args
    photo(np.random.default_rng([seed, 100, index]), width, height).save(path, quality=90)


def generate(folder: Path, n: int, width: int, height: int, seed: int, procs: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"photo_{i:03d}.jpg" for i in range(n)]
    todo = [(p, seed, i, width, height) for i, p in enumerate(paths) if not p.exists()]
    if todo:
        print(f"generating {len(todo)} JPEGs of {width}×{height} in {folder} …", flush=True)
        with multiprocessing.get_context("spawn").Pool(procs) as pool:
            pool.map(_generate_one, todo)
    return paths


def _ours(args: tuple[list[Path], Path, bool]) -> int:
    # Imported in the child: the spawned worker pays its own imports, like a real worker process.
    from jobs.processors.base import ProcessOptions, no_progress
    from jobs.processors.image import process

    files, out, optimized = args
    for path in files:
        process(path, ProcessOptions(out, {"optimized": optimized}), no_progress)
    return len(files)


def split(files: list[Path], procs: int) -> list[list[Path]]:
    per = -(-len(files) // procs)
    return [files[i : i + per] for i in range(0, len(files), per)]


def run_ours(files: list[Path], out: Path, procs: int, optimized: bool) -> float:
    fresh(out)
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        done = sum(pool.map(_ours, [(chunk, out, optimized) for chunk in split(files, procs)]))
    elapsed = time.perf_counter() - started
    assert done == len(files) and len(list(out.glob("*_thumb.jpg"))) == len(files)
    return elapsed


def run_shell(script: str, out: Path, files: list[Path], procs: int) -> float:
    fresh(out)
    per = -(-len(files) // procs)
    started = time.perf_counter()
    subprocess.run(
        ["sh", "-c", script, "sh", str(files[0].parent), str(out), str(procs), str(per)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return time.perf_counter() - started


VIPS_THUMB = 'ls "$1"/*.jpg | xargs -P "$3" -n "$4" vipsthumbnail -s 300x300 -o "$2/%s_thumb.jpg[Q=85]"'
VIPS_COPY = (
    VIPS_THUMB + ' && ls "$1"/*.jpg | xargs -P "$3" -I{} sh -c '
    "'vips jpegsave \"$1\" \"$2/$(basename \"$1\" .jpg)_opt.jpg\" --Q 85 --optimize-coding' _ {} \"$2\""
)
MAGICK = 'ls "$1"/*.jpg | xargs -P "$3" -n "$4" mogrify -path "$2" -quality 85 -thumbnail 300x300'
MAGICK_HINT = (
    'ls "$1"/*.jpg | xargs -P "$3" -n "$4" mogrify -path "$2" -quality 85 -define jpeg:size=600x600 '
    "-thumbnail 300x300"
)


def fresh(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-magick", action="store_true", help="skip ImageMagick (the slowest peer)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    files = generate(DATA / f"jpeg{args.n}_{args.width}x{args.height}_s{args.seed}", args.n, args.width,
                     args.height, args.seed, args.procs)
    out = DATA / "out"
    contenders: dict[str, Callable[[], float]] = {
        "ours thumbnails": lambda: run_ours(files, out / "ours_thumb", args.procs, optimized=False),
        "ours whole job": lambda: run_ours(files, out / "ours_job", args.procs, optimized=True),
    }
    if shutil.which("vipsthumbnail") and shutil.which("vips"):
        contenders["vipsthumbnail"] = lambda: run_shell(VIPS_THUMB, out / "vips", files, args.procs)
        contenders["vips thumb+copy"] = lambda: run_shell(VIPS_COPY, out / "vips_copy", files, args.procs)
    else:
        print("note: vipsthumbnail/vips not installed (apt-get install libvips-tools): vips skipped")
    if args.no_magick:
        print("note: ImageMagick skipped (--no-magick)")
    elif shutil.which("mogrify"):
        contenders["imagemagick"] = lambda: run_shell(MAGICK, out / "magick", files, args.procs)
        contenders["imagemagick+hint"] = lambda: run_shell(MAGICK_HINT, out / "magick_hint", files, args.procs)
    else:
        print("note: ImageMagick (mogrify) not installed (apt-get install imagemagick): skipped")

    times: dict[str, list[float]] = {name: [] for name in contenders}
    for round_no in range(1, args.rounds + 1):
        for name, run in contenders.items():
            times[name].append(run())
        print(f"round {round_no}: " + ", ".join(f"{name} {t[-1]:.2f} s" for name, t in times.items()),
              flush=True)
    shutil.rmtree(out, ignore_errors=True)

    n = len(files)
    print(f"\n{n} JPEGs of {args.width}×{args.height}, {args.procs} processes, median of {args.rounds} rounds")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:18s} {median:6.2f} s  {n / median:6.1f} img/s")

    def ratio(ours: str, peer: str, goal: float | None) -> None:
        if peer not in times:
            return
        pairs = [a / b for a, b in zip(times[ours], times[peer], strict=True)]
        value = statistics.median(pairs)
        met = "met" if goal is not None and value <= goal else "MISSED"
        verdict = "" if goal is None else f"  (goal ≤ {goal:.2f}: {met})"
        print(f"ratio {ours} / {peer}: {value:.2f}x{verdict}")

    ratio("ours thumbnails", "vipsthumbnail", 1.5)
    ratio("ours thumbnails", "imagemagick", 1.0)
    ratio("ours thumbnails", "imagemagick+hint", None)
    ratio("ours whole job", "vips thumb+copy", 1.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
