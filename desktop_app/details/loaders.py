"""Reading what the details pane shows, off the GUI thread: output files, profiles, previews as plain data.

Qt-free apart from the picture conversion; pyarrow is imported on first use so the window starts light.
Profile files come from processors written separately, so their columns are looked up by several likely
names and anything missing is simply left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobs.preview import Preview, preview

GRID_ROWS = 50
CELL_CHARS = 200


@dataclass
class Grid:
    headers: list[str]
    rows: list[list[str]]
    types: list[str] = field(default_factory=list)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return f"{value:.6g}"
    if isinstance(value, bytes):
        return value[:32].hex() + ("…" if len(value) > 32 else "")
    text = str(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…"


def table_to_grid(table: Any, max_rows: int = GRID_ROWS) -> Grid:
    """A pyarrow table's first rows as strings (so the GUI thread only displays)."""
    head = table.slice(0, max_rows)
    columns = [head.column(i).to_pylist() for i in range(head.num_columns)]
    rows = [[cell_text(col[r]) for col in columns] for r in range(head.num_rows)]
    return Grid([str(n) for n in head.column_names], rows, [str(t) for t in head.schema.types])


# -- outputs ----------------------------------------------------------------------------------------------

@dataclass
class OutputInfo:
    path: Path
    size: int = 0
    rows: int | None = None
    columns: int | None = None
    schema: list[tuple[str, str]] = field(default_factory=list)
    grid: Grid | None = None
    error: str | None = None


def read_output(path: Path, rows: int = GRID_ROWS) -> OutputInfo:
    info = OutputInfo(Path(path))
    try:
        info.size = info.path.stat().st_size
    except OSError as exc:
        info.error = exc.strerror or str(exc)
        return info
    if info.path.suffix.lower() != ".parquet":
        return info
    try:
        import pyarrow.parquet as pq

        with pq.ParquetFile(str(info.path)) as pf:
            info.rows = pf.metadata.num_rows
            schema = pf.schema_arrow
            info.columns = len(schema)
            info.schema = [(f.name, str(f.type)) for f in schema]
            batches = pf.iter_batches(batch_size=rows)
            first = next(batches, None)
            import pyarrow as pa

            table = pa.Table.from_batches([first]) if first is not None else schema.empty_table()
            info.grid = table_to_grid(table, rows)
    except Exception as exc:  # a damaged or foreign file: say so in the pane
        info.error = f"{type(exc).__name__}: {exc}"
    return info


def read_outputs(paths: Iterable[str]) -> list[OutputInfo]:
    return [read_output(Path(p)) for p in paths]


# -- profiles -------------------------------------------------------------------------------------------

@dataclass
class ColumnProfile:
    name: str
    type: str = ""
    unit: str = ""  # what the amounts were written with ("$", "€", "%"), taken off the values
    nulls: int | None = None
    null_pct: float | None = None
    distinct: int | None = None
    minimum: str = ""
    maximum: str = ""
    mean: str = ""
    top: list[tuple[str, int]] = field(default_factory=list)
    bins: list[float] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)


@dataclass
class Profile:
    columns: list[ColumnProfile] = field(default_factory=list)
    source: Path | None = None
    note: str | None = None


def _pick(row: dict[str, Any], *names: str) -> Any:
    lowered = {k.lower(): v for k, v in row.items()}
    for name in names:
        if name in lowered and lowered[name] is not None:
            return lowered[name]
    return None


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _top_values(row: dict[str, Any]) -> list[tuple[str, int]]:
    raw = _pick(row, "top_values", "top", "most_frequent", "frequent_values", "top_k")
    counts = _pick(row, "top_counts", "top_values_counts", "frequent_counts")
    out: list[tuple[str, int]] = []
    if isinstance(raw, list):
        for i, item in enumerate(raw):
            if isinstance(item, dict):
                value = _pick(item, "value", "item", "key", "name")
                count = _pick(item, "count", "n", "frequency", "estimate")
                out.append((cell_text(value), int(_number(count) or 0)))
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                out.append((cell_text(item[0]), int(_number(item[1]) or 0)))
            else:
                count = counts[i] if isinstance(counts, list) and i < len(counts) else 0
                out.append((cell_text(item), int(_number(count) or 0)))
    elif isinstance(raw, str) and raw:
        out = [(part.strip(), 0) for part in raw.split(",")[:10]]
    return out[:10]


def _histogram(row: dict[str, Any]) -> tuple[list[float], list[int]]:
    counts = _pick(row, "histogram_counts", "hist_counts", "counts", "histogram")
    bins = _pick(row, "histogram_bins", "hist_bins", "bins", "bin_edges", "histogram_edges")
    if isinstance(counts, list) and counts and isinstance(counts[0], dict):  # list<struct<bin,count>>
        bins = [_number(_pick(c, "bin", "lower", "edge", "start")) or 0.0 for c in counts]
        counts = [_pick(c, "count", "n") for c in counts]
    if not isinstance(counts, list):
        return [], []
    clean_counts = [int(_number(c) or 0) for c in counts]
    clean_bins = [float(_number(b) or 0.0) for b in bins] if isinstance(bins, list) else []
    return clean_bins, clean_counts


def _column_profile(row: dict[str, Any]) -> ColumnProfile:
    nulls = _number(_pick(row, "nulls", "null_count", "null"))
    null_pct = _number(_pick(row, "null_pct", "null_percent", "nulls_pct", "null_fraction"))
    if null_pct is not None and "null_fraction" in {k.lower() for k in row}:
        null_pct *= 100
    mean = _number(_pick(row, "mean", "avg", "average"))
    bins, counts = _histogram(row)
    distinct = _number(_pick(row, "distinct", "distinct_count", "n_distinct", "approx_distinct", "unique"))
    return ColumnProfile(
        name=cell_text(_pick(row, "name", "column", "column_name", "field")),
        type=cell_text(_pick(row, "type", "arrow_type", "dtype", "data_type")),
        unit=cell_text(_pick(row, "unit")),
        nulls=int(nulls) if nulls is not None else None,
        null_pct=null_pct,
        distinct=int(distinct) if distinct is not None else None,
        minimum=cell_text(_pick(row, "min", "minimum")),
        maximum=cell_text(_pick(row, "max", "maximum")),
        mean=cell_text(mean) if mean is not None else "",
        top=_top_values(row),
        bins=bins,
        counts=counts,
    )


def read_profile(outputs: Sequence[str]) -> Profile:
    """The profile among a job's outputs: ``*_columns.parquet`` for tables, top words for texts."""
    import pyarrow.parquet as pq

    paths = [Path(p) for p in outputs]
    columns_file = next((p for p in paths if p.name.endswith("_columns.parquet")), None)
    if columns_file is not None:
        table = pq.read_table(str(columns_file))
        # In slices: one to_pylist of a 5,000-column profile holds the GIL (and so the window) for ~60 ms.
        rows = [r for at in range(0, table.num_rows, 256) for r in table.slice(at, 256).to_pylist()]
        return Profile([_column_profile(r) for r in rows], columns_file)
    words_file = next((p for p in paths if p.name.endswith("_words.parquet")), None)
    if words_file is not None:
        table = pq.read_table(str(words_file))
        names = table.column_names
        word_col = "word" if "word" in names else names[0]
        count_col = "count" if "count" in names else names[1]
        top = table.sort_by([(count_col, "descending")]).slice(0, 10)
        values = list(zip(top.column(word_col).to_pylist(), top.column(count_col).to_pylist(), strict=True))
        profile = ColumnProfile(
            name="words", type="text", distinct=table.num_rows,
            top=[(cell_text(w), int(c or 0)) for w, c in values],
        )
        return Profile([profile], words_file, note="Most frequent words")
    return Profile(note="No profile for this job.")


# -- previews -------------------------------------------------------------------------------------------

@dataclass
class PreviewData:
    """A :class:`jobs.preview.Preview` made ready for the GUI thread (grid strings, a QImage)."""

    preview: Preview
    grid: Grid | None = None
    image: Any = None  # QImage


def load_preview(source: Path) -> PreviewData:
    result = preview(source)
    data = PreviewData(result)
    if result.table is not None:
        data.grid = table_to_grid(result.table)
    if result.image is not None:
        data.image = pil_to_qimage(result.image)
    return data


def pil_to_qimage(image: Any) -> Any:
    """QImage is safe to build off the GUI thread (QPixmap is not); the copy owns its pixels."""
    from PySide6.QtGui import QImage

    rgba = image.convert("RGBA")
    raw = rgba.tobytes("raw", "RGBA")
    qimage = QImage(raw, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return qimage.copy()
