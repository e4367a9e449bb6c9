"""One searchable Parquet over many jobs: a row per image and a row per table or text job.

The catalog is built from what the jobs already wrote, never from the inputs again: each image job's
``{stem}_image.parquet`` (one row) and each table/text job's ``{stem}_summary.parquet`` (one row of its
summary fields). Schemas differ between kinds, so they are unified by column name: a column one kind lacks
is null for its rows, and a column whose types disagree between files is widened (int → float, anything
→ string as a last resort) rather than refused.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from jobs import parquet_io

log = logging.getLogger(__name__)

IMAGE_SUFFIX = "_image.parquet"
SUMMARY_SUFFIX = "_summary.parquet"
_TEXT_COLUMNS = frozenset({"words", "lines", "characters", "unique_words"})
LEADING = ("kind", "source", "job_id", "output_file")


@dataclass(frozen=True)
class CatalogEntry:
    """One job's metadata file, with what the caller knows about it (the job id, its input)."""

    path: Path  # a *_image.parquet or *_summary.parquet file
    job_id: int | str | None = None
    source: str | None = None  # the job's input; otherwise read from the file's own columns
    kind: str | None = None  # "image", "table" or "text"; otherwise told by the file


def build_catalog(entries: Iterable[CatalogEntry | Path | str], out_file: Path) -> int:
    """Write one Parquet catalog of ``entries`` to ``out_file``; returns the number of rows.

    ``entries`` may mix :class:`CatalogEntry` objects, metadata files and folders (searched recursively
    for ``*_image.parquet`` and ``*_summary.parquet``). Other paths, such as a job's thumbnails or
    ``_words.parquet`` when the caller passes every output of a job, are skipped silently; each file is
    read once even when named twice. ``out_file`` is replaced atomically when it exists (the user named
    it). Every row starts with ``kind``, ``source``, ``job_id`` and ``output_file``, then the union of
    all metadata columns.

    Raises ``ValueError`` when no metadata file was found or none could be read, ``OSError`` when the
    catalog cannot be written. Unreadable metadata files are logged and skipped.
    """
    out_file = Path(out_file)
    tables: list[pa.Table] = []
    seen: set[Path] = set()
    skipped = 0
    for entry in _expand(entries):
        key = entry.path.resolve()
        if key in seen or key == out_file.resolve():
            continue
        seen.add(key)
        try:
            tables.append(_read(entry))
        except (OSError, pa.ArrowException, ValueError) as exc:
            skipped += 1
            log.warning("catalog: skipped unreadable %s: %s", entry.path, exc)
    if not tables:
        what = f"none of the {skipped} metadata files could be read" if skipped else (
            "no *_image.parquet or *_summary.parquet files found"
        )
        raise ValueError(what)
    catalog = _unify(tables)
    columns = [c for c in LEADING if c in catalog.column_names]
    catalog = catalog.select(columns + [c for c in catalog.column_names if c not in LEADING])
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_name(f".{out_file.name}.{os.getpid()}.partial")
    try:
        parquet_io.write_table(catalog, tmp)
        os.replace(tmp, out_file)
    finally:
        tmp.unlink(missing_ok=True)
    return catalog.num_rows


def _expand(entries: Iterable[CatalogEntry | Path | str]) -> Iterator[CatalogEntry]:
    for item in entries:
        if isinstance(item, CatalogEntry):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            found = [p for p in path.rglob("*.parquet") if _is_metadata(p)]
            yield from (CatalogEntry(p) for p in sorted(found))
        elif _is_metadata(path):
            yield CatalogEntry(path)
        elif not path.exists():
            raise ValueError(f"{path} does not exist")


def _is_metadata(path: Path) -> bool:
    name = path.name
    return (name.endswith((IMAGE_SUFFIX, SUMMARY_SUFFIX)) and not name.startswith(".")) and path.is_file()


def _read(entry: CatalogEntry) -> pa.Table:
    table = pq.read_table(entry.path)
    names = set(table.column_names)
    n = table.num_rows
    kind = entry.kind
    if kind is None and "kind" not in names:  # a file with its own ``kind`` column keeps it
        kind = "image" if entry.path.name.endswith(IMAGE_SUFFIX) else (
            "text" if names & _TEXT_COLUMNS else "table"
        )
    if kind is not None:
        table = _put(table, "kind", pa.array([kind] * n, pa.string()))
    if entry.source is not None:
        table = _put(table, "source", pa.array([entry.source] * n, pa.string()))
    elif "source" not in names:
        fallback = table.column("file") if "file" in names else pa.array([None] * n, pa.string())
        table = _put(table, "source", fallback.cast(pa.string()))
    job = None if entry.job_id is None else str(entry.job_id)
    table = _put(table, "job_id", pa.array([job] * n, pa.string()))
    return _put(table, "output_file", pa.array([str(entry.path.resolve())] * n, pa.string()))


def _put(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, values)
    return table.append_column(name, values)


def _unify(tables: list[pa.Table]) -> pa.Table:
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    # Types that cannot be widened into one another (a list here, a string there): fall back to text.
    types: dict[str, set[pa.DataType]] = {}
    for table in tables:
        for field in table.schema:
            if not pa.types.is_null(field.type):
                types.setdefault(field.name, set()).add(field.type)
    clashing = {name for name, kinds in types.items() if len(kinds) > 1}
    fixed = []
    for table in tables:
        for name in clashing & set(table.column_names):
            table = _put(table, name, _as_text(table.column(name)))
        fixed.append(table)
    return pa.concat_tables(fixed, promote_options="permissive")


def _as_text(column: pa.ChunkedArray) -> pa.Array:
    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array(
            [None if v is None else json.dumps(v, default=str) for v in column.to_pylist()], pa.string()
        )
