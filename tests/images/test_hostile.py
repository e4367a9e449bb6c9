"""Hostile and damaged files: refused with a plain message (or kept with a warning), never a crash or a leak."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from image_samples import make, photo, png_with_header
from PIL import Image

from jobs.processors.base import Cancelled, ProcessingError, ProcessOptions, ProcessResult
from jobs.processors.image import process

Run = Callable[..., ProcessResult]


def leftovers(out_dir: Path) -> list[str]:
    return sorted(os.listdir(out_dir)) if out_dir.exists() else []


@pytest.mark.parametrize(("width", "height"), [(30_000, 30_000), (100_000, 100_000)])
def test_bomb_refused_before_decoding(tmp_path: Path, run: Run, width: int, height: int) -> None:
    # 900 Mpx is past our limit only; 10 Gpx is past Pillow's own guard too: same plain message.
    source = png_with_header(tmp_path / "bomb.png", width, height)
    assert source.stat().st_size < 200
    tracemalloc.start()
    with pytest.raises(ProcessingError, match=r"megapixels.*max_pixels") as err:
        run(source)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000  # nothing near width × height was ever allocated
    assert "decompression bomb" in str(err.value)
    assert leftovers(tmp_path / "out") == []


def test_limit_is_configurable(tmp_path: Path, run: Run) -> None:
    source = make("png", tmp_path / "in")
    with pytest.raises(ProcessingError, match=r"limit of 0\.1 megapixels"):
        run(source, max_pixels=100_000)
    assert run(source, max_pixels=400_000).metrics["width"] == 640


def test_truncated_jpeg_completes_with_warning(tmp_path: Path, run: Run) -> None:
    data = make("jpeg", tmp_path / "in").read_bytes()
    source = tmp_path / "cut.jpg"
    source.write_bytes(data[: len(data) * 6 // 10])
    result = run(source)
    assert any("truncated" in w for w in result.warnings)
    record = pq.read_table(result.outputs[0]).to_pylist()[0]
    assert record["width"] == 640 and "truncated" in record["warnings"]
    assert any(p.name == "cut_thumb.jpg" for p in result.outputs)


def test_truncated_before_any_picture_fails(tmp_path: Path, run: Run) -> None:
    data = make("jpeg", tmp_path / "in").read_bytes()
    sos = data.index(b"\xff\xda")  # start of scan: everything after it is picture data
    source = tmp_path / "header_only.jpg"
    source.write_bytes(data[: sos + 20])
    with pytest.raises(ProcessingError, match="truncated"):
        run(source)
    assert leftovers(tmp_path / "out") == []


def test_truncated_png(tmp_path: Path, run: Run) -> None:
    data = make("png", tmp_path / "in").read_bytes()
    source = tmp_path / "cut.png"
    source.write_bytes(data[: len(data) // 2])
    result = run(source)
    assert any("truncated" in w for w in result.warnings)


def test_random_bytes_named_png(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "noise.png"
    source.write_bytes(os.urandom(5000))
    with pytest.raises(ProcessingError, match="not a picture"):
        run(source)
    assert leftovers(tmp_path / "out") == []


def test_pdf_named_jpg_says_what_it_is(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "scan.jpg"
    source.write_bytes(b"%PDF-1.7\n" + b"0" * 100)
    with pytest.raises(ProcessingError, match="PDF document"):
        run(source)


def test_empty_file(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "empty.png"
    source.write_bytes(b"")
    with pytest.raises(ProcessingError, match="empty"):
        run(source)


def test_corrupt_png_data_fails_plainly(tmp_path: Path, run: Run) -> None:
    data = bytearray(make("png", tmp_path / "in").read_bytes())
    start = data.index(b"IDAT") + 40
    data[start : start + 2000] = os.urandom(2000)
    source = tmp_path / "garbled.png"
    source.write_bytes(bytes(data))
    try:
        result = run(source)
    except ProcessingError as exc:
        assert "PNG" in str(exc)
    else:  # zlib sometimes survives garbage; then the damage must at least be reported
        assert result.warnings


def test_extension_mismatch_is_a_warning(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "really_png.jpg"
    photo().save(source, "PNG")
    result = run(source)
    assert result.warnings == ["the file is a PNG picture though its name ends in .jpg; it was read as PNG"]
    assert result.metrics["format"] == "PNG"
    assert [p.name for p in result.outputs] == [
        "really_png_image.parquet", "really_png_thumb.jpg", "really_png_optimized.png",
    ]


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    source = make("jpeg_exif", tmp_path / "in")
    out = tmp_path / "out"
    for cancel_at in range(1, 9):
        calls = 0

        def progress(done: int, total: int) -> None:
            nonlocal calls
            calls += 1
            assert 0 <= done <= total
            if calls == cancel_at:  # noqa: B023 - read during this iteration's call only
                raise Cancelled()

        with pytest.raises(Cancelled):
            process(source, ProcessOptions(out), progress)
        assert leftovers(out) == [], f"cancelled at call {cancel_at}"


def test_progress_reaches_total_at_each_step(tmp_path: Path) -> None:
    source = make("jpeg", tmp_path / "in")
    seen: list[tuple[int, int]] = []
    process(source, ProcessOptions(tmp_path / "out"), lambda d, t: seen.append((d, t)))
    total = source.stat().st_size
    assert len(seen) >= 6 and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_bad_options(tmp_path: Path, run: Run) -> None:
    source = make("png", tmp_path / "in")
    with pytest.raises(ProcessingError, match="optimize_format"):
        run(source, optimize_format="avif")
    with pytest.raises(ProcessingError, match="metadata"):
        run(source, metadata="maybe")


def test_existing_outputs_are_never_overwritten(tmp_path: Path, run: Run) -> None:
    source = make("png", tmp_path / "in")
    first = run(source)
    second = run(source)
    assert second.outputs[0].name == "plain-2_image.parquet"
    assert all(p.exists() for p in first.outputs + second.outputs)


def test_animated_gif_over_the_limit_keeps_thumbnail(tmp_path: Path, run: Run) -> None:
    source = make("gif", tmp_path / "in")  # 3 frames of 200×100: 60,000 pixels in all
    result = run(source, max_pixels=50_000)
    assert [p.name.split("_")[-1] for p in result.outputs] == ["image.parquet", "thumb.jpg"]
    assert any("no optimized copy" in w for w in result.warnings)
    with Image.open(result.outputs[1]) as thumb:
        assert thumb.size == (200, 100)
