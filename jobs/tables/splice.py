"""One Parquet file assembled from the column chunks of others, without decoding or re-encoding them.

When a column turns out late to need a wider type (an integer column with "ABC-17" at 90 %), the rows already
written hold it as the narrower type. Re-encoding them all would cost most of a second pass (Parquet encoding
and zstd are ~40 % of the CPU of a table job); yet every other column's bytes are already final. So the rows
are kept in *segments*, each a complete Parquet file with its own schema. The columns a segment holds in an
older type are re-encoded alone (read, cast, written with the same row groups) into a *patch* file, usually as
soon as the change is seen (:func:`patch_tables`). At the end the first segment, which is the output file and
most of its rows, is extended in place: the patches' and later segments' column chunks are appended byte for
byte, and one footer (the last segment's schema) points at every chunk where it now is.

Only pyarrow writes the pieces; this module moves bytes and rewrites the footer's offset and size fields
(:mod:`jobs.tables.thrift`). Page indexes and bloom filters, whose offsets would also move, are not written by
the table writer; a piece that has them is refused rather than spliced wrong.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from jobs.tables import thrift
from jobs.tables.thrift import T_I16, T_I64, Struct

log = logging.getLogger(__name__)

MAGIC = b"PAR1"
_COPY_BLOCK = 8 << 20

# Field ids of parquet.thrift.
_FMD_NUM_ROWS, _FMD_ROW_GROUPS = 3, 4
_RG_COLUMNS, _RG_TOTAL_BYTE_SIZE, _RG_NUM_ROWS, _RG_FILE_OFFSET, _RG_TOTAL_COMPRESSED, _RG_ORDINAL = 1, 2, 3, 5, 6, 7
_CC_FILE_OFFSET, _CC_META = 2, 3
_CC_PAGE_INDEX = (4, 5, 6, 7)  # offset index and column index offsets and lengths
_MD_UNCOMPRESSED, _MD_COMPRESSED, _MD_DATA_PAGE, _MD_INDEX_PAGE, _MD_DICT_PAGE = 6, 7, 9, 10, 11
_MD_BLOOM = (14, 15)


class SpliceError(RuntimeError):
    """A piece cannot be spliced (unexpected layout); the caller falls back to rewriting."""


@dataclass
class Segment:
    """A finished Parquet file holding consecutive rows of the output, and the schema it was written with."""

    path: Path
    schema: pa.Schema


def read_footer(path: Path) -> Struct:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        if size < 12:
            raise SpliceError(f"{path.name} is too short for a Parquet file")
        fh.seek(size - 8)
        tail = fh.read(8)
        if tail[4:] != MAGIC:
            raise SpliceError(f"{path.name} does not end like a Parquet file")
        (length,) = struct.unpack("<i", tail[:4])
        fh.seek(size - 8 - length)
        return thrift.decode(fh.read(length))


def _chunk_range(meta: Struct) -> tuple[int, int]:
    """Where a column chunk's pages start, and their total size (page headers included)."""
    start = meta.get_value(_MD_DATA_PAGE)
    dictionary = meta.get_value(_MD_DICT_PAGE)
    if dictionary is not None and 0 < dictionary < start:
        start = dictionary
    return start, meta.get_value(_MD_COMPRESSED)


def _check_plain(chunk: Struct) -> None:
    meta = chunk.get_value(_CC_META)
    if meta is None or any(fid in chunk for fid in _CC_PAGE_INDEX) or any(fid in meta for fid in _MD_BLOOM):
        raise SpliceError("a column chunk has a page index or bloom filter, or no metadata")


@dataclass
class Patch:
    """A segment's changed columns already re-encoded (for ``schema``, the output's schema at the time)."""

    schema: pa.Schema
    path: Path


def patch_tables(
    segment: Segment, final: pa.Schema, changed: list[str], path: Path, writer_options: dict[str, object]
) -> Iterator[pa.Table]:
    """Write the ``changed`` columns of ``segment`` cast to their ``final`` types, with the segment's row
    groups, to ``path``; yields each row group's cast columns on the way (the profile needs the same values)."""
    schema = pa.schema([final.field(name) for name in changed])
    options = dict(writer_options)
    if isinstance(options.get("use_dictionary"), list):
        options["use_dictionary"] = [n for n in options["use_dictionary"] if n in changed]  # type: ignore[union-attr]
    with (
        pq.ParquetFile(str(segment.path)) as source,
        pq.ParquetWriter(str(path), schema, **options) as writer,  # type: ignore[arg-type]
    ):
        for i in range(source.num_row_groups):
            table = source.read_row_group(i, columns=changed).cast(schema)
            writer.write_table(table, row_group_size=max(1, table.num_rows))
            yield table


def changed_columns(segment: Segment, final: pa.Schema) -> list[str]:
    return [f.name for f, g in zip(segment.schema, final, strict=True) if f.type != g.type]


def splice(
    segments: list[Segment],
    out: Path,
    patch_path: Callable[[int], Path],
    writer_options: dict[str, object],
    ready: dict[int, Patch] | None = None,
) -> int:
    """Write ``out`` from ``segments`` (in row order); the last segment's schema is the output's. Returns rows.

    ``patch_path(i)``: a scratch path for segment ``i``'s re-encoded columns (removed here after use).
    ``ready``: patches written earlier; one made for the final schema is used as it is.

    When ``out`` is the first segment itself (usually most of the rows), it is extended in place rather than
    copied: its column chunks stay where they are, the rest is appended, and a new footer goes at the end. The
    old footer and the replaced chunks stay behind as unreferenced bytes, as in fastparquet's append; readers
    follow the footer's offsets. On any failure the file is cut back to what it was.
    """
    final = segments[-1].schema
    pieces: list[tuple[Segment, Struct, list[int]]] = []
    for segment in segments:  # every check before the first byte is written
        if segment.schema.names != final.names:
            raise SpliceError("segments with different columns")
        footer = read_footer(segment.path)
        for group in footer.get_value(_FMD_ROW_GROUPS).items:
            for chunk in group.get_value(_RG_COLUMNS).items:
                _check_plain(chunk)
        pieces.append((segment, footer, [final.names.index(c) for c in changed_columns(segment, final)]))
    in_place = segments[0].path == out
    row_groups: list[Struct] = []
    total_rows = 0
    with open(out, "r+b" if in_place else "wb") as sink:
        original = sink.seek(0, 2) if in_place else 0
        try:
            if not in_place:
                sink.write(MAGIC)
            for i, (segment, footer, patched) in enumerate(pieces):
                patch: Struct | None = None
                patch_file = None
                if patched:
                    early = (ready or {}).get(i)
                    if early is not None and early.schema.equals(final):
                        patch_file = early.path
                    else:
                        patch_file = patch_path(i)
                        changed = [final.names[k] for k in patched]
                        for _ in patch_tables(segment, final, changed, patch_file, writer_options):
                            pass
                    patch = read_footer(patch_file)
                    for group in patch.get_value(_FMD_ROW_GROUPS).items:
                        for chunk in group.get_value(_RG_COLUMNS).items:
                            _check_plain(chunk)
                try:
                    total_rows += _copy_row_groups(
                        sink, segment.path, footer, patch_file, patch, patched, row_groups, in_place and i == 0
                    )
                finally:
                    if patch_file is not None:
                        patch_file.unlink(missing_ok=True)
            template = pieces[-1][1]  # the last segment's footer: its schema and metadata are the output's
            template.set_value(_FMD_NUM_ROWS, T_I64, total_rows)
            template[_FMD_ROW_GROUPS].value.items = row_groups
            body = thrift.encode(template)
            sink.write(body)
            sink.write(struct.pack("<i", len(body)))
            sink.write(MAGIC)
        except BaseException:
            if in_place:
                sink.truncate(original)  # the first segment as it was: the caller can still rewrite from it
            raise
    return total_rows


def _copy_row_groups(
    sink: BinaryIO, seg_path: Path, footer: Struct, patch_path: Path | None, patch: Struct | None,
    patched: list[int], row_groups: list[Struct], keep: bool,
) -> int:
    """Append ``seg_path``'s row groups to ``sink`` (``keep``: they are already in it, where they are), with
    the ``patched`` columns taken from ``patch_path``; their metadata goes to ``row_groups``."""
    seg_groups = footer.get_value(_FMD_ROW_GROUPS).items
    patch_groups = patch.get_value(_FMD_ROW_GROUPS).items if patch is not None else []
    if patch is not None and len(patch_groups) != len(seg_groups):
        raise SpliceError("the patch's row groups do not line up with the segment's")
    rows = 0
    with (
        (_Nothing() if keep else open(seg_path, "rb")) as seg,
        (open(patch_path, "rb") if patch_path else _Nothing()) as pat,
    ):
        for g, group in enumerate(seg_groups):
            columns: list[Struct] = list(group.get_value(_RG_COLUMNS).items)
            sources = [seg] * len(columns)
            if patch is not None:
                pgroup = patch_groups[g]
                if pgroup.get_value(_RG_NUM_ROWS) != group.get_value(_RG_NUM_ROWS):
                    raise SpliceError("the patch's row groups do not line up with the segment's")
                for k, index in enumerate(patched):
                    columns[index] = pgroup.get_value(_RG_COLUMNS).items[k]
                    sources[index] = pat
            compressed = uncompressed = 0
            starts = []
            for chunk, src in zip(columns, sources, strict=True):
                meta: Struct = chunk.get_value(_CC_META)
                start, size = _chunk_range(meta)
                if src is None:  # kept in place
                    delta = 0
                else:
                    delta = sink.tell() - start
                    _copy(src, sink, start, size)
                for fid in (_MD_DATA_PAGE, _MD_INDEX_PAGE, _MD_DICT_PAGE):
                    if meta.get_value(fid):
                        meta.set_value(fid, T_I64, meta.get_value(fid) + delta)
                if chunk.get_value(_CC_FILE_OFFSET):
                    chunk.set_value(_CC_FILE_OFFSET, T_I64, chunk.get_value(_CC_FILE_OFFSET) + delta)
                starts.append(start + delta)
                compressed += size
                uncompressed += meta.get_value(_MD_UNCOMPRESSED)
            group[_RG_COLUMNS].value.items = columns
            group.set_value(_RG_FILE_OFFSET, T_I64, starts[0])
            group.set_value(_RG_TOTAL_COMPRESSED, T_I64, compressed)
            group.set_value(_RG_TOTAL_BYTE_SIZE, T_I64, uncompressed)
            if _RG_ORDINAL in group:  # optional (used by encryption): renumbered, or dropped past an i16
                if len(row_groups) < 1 << 15:
                    group.set_value(_RG_ORDINAL, T_I16, len(row_groups))
                else:
                    del group[_RG_ORDINAL]
            row_groups.append(group)
            rows += group.get_value(_RG_NUM_ROWS)
    return rows


def _copy(src: BinaryIO, sink: BinaryIO, start: int, size: int) -> None:
    src.seek(start)
    left = size
    while left:
        block = src.read(min(left, _COPY_BLOCK))
        if not block:
            raise SpliceError("a piece is shorter than its footer says")
        sink.write(block)
        left -= len(block)


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def rewrite(segments: list[Segment], out: Path, writer_options: dict[str, object]) -> int:
    """The general way to the same file: decode every row group, cast it, encode it again."""
    final = segments[-1].schema
    rows = 0
    with pq.ParquetWriter(str(out), final, **writer_options) as writer:  # type: ignore[arg-type]
        for segment in segments:
            with pq.ParquetFile(str(segment.path)) as source:
                for i in range(source.num_row_groups):
                    table = source.read_row_group(i).cast(final)
                    writer.write_table(table, row_group_size=max(1, table.num_rows))
                    rows += table.num_rows
    return rows
