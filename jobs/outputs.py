"""Atomic output files: written under a temporary name, renamed into place only when a job succeeds.

A job's outputs form one set: either all of them appear or none does (a cancel, a failure or a crash
leaves at most ``.partial`` files, which the next start sweeps away). An existing file is never
overwritten: the whole set moves to the first free suffix (``report-2.parquet``, ``report-2_summary…``).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_name(name: str, fallback: str = "output") -> str:
    """A file-name-safe version of ``name`` on every platform (no separators, no reserved characters)."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned[:150] or fallback


def part_suffixes(names: Sequence[str], fallback: str = "sheet") -> list[str]:
    """``__{name}`` for each part of one job's outputs (a workbook's sheets), file-safe and all different, also
    where the file system ignores case: "P&L <2024>" and "P&L >2024" both clean to "P&L _2024_", and one set
    reserving a name twice would write both sheets into one file. The later one gets "-2"."""
    seen: set[str] = set()
    out = []
    for name in names:
        base = candidate = safe_name(name, fallback)
        n = 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate.casefold())
        out.append(f"__{candidate}")
    return out


class OutputSet:
    """Reserve temporary paths for a job's outputs, then publish them all at once.

    Use as a context manager: leaving it with an exception removes every temporary file; leaving it
    normally keeps them unpublished until :meth:`commit` is called (usually by the processor's last step).
    """

    def __init__(
        self, out_dir: Path, stem: str, owner: str | None = None, overwrite: bool = False,
        compression: str = "zstd",
    ) -> None:
        self.out_dir = Path(out_dir)
        # The Parquet codec the user chose travels with the set, so every writer of the job uses it.
        self.compression = compression
        self.stem = safe_name(stem)
        # The user's explicit "replace existing outputs" setting; the default never replaces a file.
        self.overwrite = overwrite
        # The owner tag (the job) lets a new attempt sweep what a killed attempt left behind.
        self._token = f"{owner or 'p'}-{uuid.uuid4().hex[:8]}"
        self._pending: list[tuple[str, Path]] = []
        self._scratch: list[Path] = []
        self.committed: list[Path] = []

    def __enter__(self) -> OutputSet:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None or not self.committed:
            self.discard()

    def path(self, suffix: str) -> Path:
        """A temporary path for the output ``{stem}{suffix}`` (e.g. ``_summary.parquet``)."""
        tmp = self.out_dir / f".{self.stem}{suffix}.{self._token}{PARTIAL_SUFFIX}"
        self._pending.append((suffix, tmp))
        return tmp

    def scratch(self, suffix: str) -> Path:
        """A temporary path for a working file of the job: never published, removed with the set."""
        tmp = self.out_dir / f".{self.stem}{suffix}.{self._token}{PARTIAL_SUFFIX}"
        self._scratch.append(tmp)
        return tmp

    def discard(self) -> None:
        self._remove_scratch()
        for _, tmp in self._pending:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove temporary output %s", tmp)
        self._pending.clear()

    def _remove_scratch(self) -> None:
        for tmp in self._scratch:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:  # still open elsewhere (Windows): the next start's sweep removes it
                log.warning("could not remove working file %s", tmp)
        self._scratch.clear()

    def commit(self) -> list[Path]:
        """Publish every output under its final name; returns the final paths in reservation order."""
        self._remove_scratch()
        written = [(suffix, tmp) for suffix, tmp in self._pending if tmp.exists()]
        if self.overwrite:
            finals = [self.out_dir / f"{self.stem}{suffix}" for suffix, _ in written]
            for (_, tmp), final in zip(written, finals, strict=True):
                os.replace(tmp, final)  # atomic: readers see the old file or the new one, never half
            self._pending.clear()
            self.committed = finals
            return finals
        for attempt in range(1, 10_000):
            stem = self.stem if attempt == 1 else f"{self.stem}-{attempt}"
            finals = [self.out_dir / f"{stem}{suffix}" for suffix, _ in written]
            if any(f.exists() for f in finals):
                continue
            published: list[Path] = []
            try:
                for (_, tmp), final in zip(written, finals, strict=True):
                    _publish(tmp, final)
                    published.append(final)
            except FileExistsError:
                # Another job took one of these names between our check and our rename: undo, try the next.
                for final, (_, tmp) in zip(published, written, strict=False):
                    os.replace(final, tmp)
                continue
            self._pending.clear()
            self.committed = finals
            return finals
        raise OSError(errno.EEXIST, f"no free output name for {self.stem} in {self.out_dir}")


def _publish(tmp: Path, final: Path) -> None:
    """Rename without ever replacing an existing file (``os.rename`` silently replaces on POSIX)."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares): fall back to a checked rename.
        if final.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(final)) from None
        os.rename(tmp, final)
        return
    tmp.unlink()


def sweep_partials(out_dir: Path, owner: str) -> int:
    """Remove the temporary outputs an earlier, killed attempt of ``owner`` left; returns how many."""
    removed = 0
    if not out_dir.is_dir():
        return 0
    for tmp in out_dir.glob(f".*.{owner}-*{PARTIAL_SUFFIX}"):
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed
