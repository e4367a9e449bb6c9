"""The catalog over folders of real outputs: images and a text-like summary in one table."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from image_samples import make

from jobs import parquet_io
from jobs.catalog import CatalogEntry, build_catalog
from jobs.processors.base import ProcessOptions, no_progress
from jobs.processors.image import process


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for kind in ("jpeg_exif", "png", "gif"):
        process(make(kind, tmp_path / "in"), ProcessOptions(out / "photos"), no_progress)
    # A text job's summary, and one whose column types clash with another file's.
    (out / "texts").mkdir(parents=True)
    parquet_io.write_record(
        {"file": "notes.txt", "format": "text", "bytes": 120, "lines": 3, "words": 20, "seconds": 0.1},
        out / "texts" / "notes_summary.parquet",
    )
    parquet_io.write_record(
        {"file": "sales.csv", "rows": 10, "columns": 4, "words": "n/a"}, out / "sales_summary.parquet"
    )
    (out / "texts" / "notes_words.parquet").write_bytes(b"not a catalog input")
    return out


def test_catalog_of_a_folder(outputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "catalog.parquet"
    assert build_catalog([outputs], target) == 5
    table = pq.read_table(target)
    assert table.column_names[:4] == ["kind", "source", "job_id", "output_file"]
    rows = {Path(r["source"]).name: r for r in table.to_pylist()}
    assert set(rows) == {"camera.jpg", "plain.png", "anim.gif", "notes.txt", "sales.csv"}
    assert rows["camera.jpg"]["kind"] == "image" and rows["camera.jpg"]["has_gps"] is True
    assert rows["anim.gif"]["frames"] == 3 and rows["plain.png"]["width"] == 640
    assert rows["notes.txt"]["kind"] == "text" and rows["notes.txt"]["lines"] == 3
    assert rows["notes.txt"]["width"] is None
    assert rows["sales.csv"]["rows"] == 10
    # "words" is an integer in one file and a string in another: kept, as text.
    assert table.schema.field("words").type == pa.string()
    assert rows["notes.txt"]["words"] == "20"


def test_catalog_of_entries_and_job_outputs(outputs: Path, tmp_path: Path) -> None:
    image = next((outputs / "photos").glob("camera*_image.parquet"))
    thumb = next((outputs / "photos").glob("camera*_thumb.jpg"))
    target = tmp_path / "c.parquet"
    # Every output of a job, as the CLI passes them: only the metadata file counts, once.
    n = build_catalog([CatalogEntry(image, job_id=7), thumb, image], target)
    assert n == 1
    row = pq.read_table(target).to_pylist()[0]
    assert row["job_id"] == "7" and row["camera_model"] == "Canon EOS 5D"
    build_catalog([image], target)  # the named file is replaced, not suffixed
    assert pq.read_table(target).num_rows == 1


def test_catalog_with_nothing_to_read(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"no \*_image\.parquet"):
        build_catalog([tmp_path / "empty"], tmp_path / "c.parquet")
    assert not (tmp_path / "c.parquet").exists()
