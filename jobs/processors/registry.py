"""The processors Parqueue knows, keyed by file extension (the shape of Picard's ``formats/registry.py``).

Every consumer of "which files can Parqueue read" asks this one registry: ``run``'s folder scan, the
window's file dialog filters, the macOS document types in ``build.spec``. Processor modules are imported
lazily, so listing extensions costs nothing and a worker only loads the readers it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jobs.processors.base import ProcessFunction

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class ProcessorInfo:
    name: str
    kind: str  # "table", "text" or "image": what the user sees
    module: str  # imported on first use; must define ``process``
    extensions: tuple[str, ...]  # lower case, with the dot; compound ones like ".csv.gz" allowed
    description: str
    # Extensions that files Parqueue cannot read share too (".xml" is every configuration file): such a file is
    # claimed only when ``claims`` ("module:function", given its first bytes) says its content is ours.
    sniffed: tuple[str, ...] = ()
    claims: str | None = None

    def claimed(self, path: Path, ext: str) -> bool:
        if ext not in self.sniffed or self.claims is None:
            return True
        module, func = self.claims.split(":")
        try:
            with open(path, "rb") as fh:
                head = fh.read(SNIFF_BYTES)
        except OSError:
            return False  # unreadable (or gone): nothing says it is ours
        accepts: Callable[[bytes], bool] = getattr(importlib.import_module(module), func)
        return accepts(head)

    @property
    def associated(self) -> tuple[str, ...]:
        """The extensions the operating system may open with Parqueue: not those shared with other files."""
        return tuple(e for e in self.extensions if e not in self.sniffed)

    def load(self) -> ProcessFunction:
        module = importlib.import_module(self.module)
        func: ProcessFunction = module.process
        return func


_REGISTRY: dict[str, ProcessorInfo] = {}
_BY_EXTENSION: dict[str, list[ProcessorInfo]] = {}


def register(info: ProcessorInfo) -> None:
    _REGISTRY[info.name] = info
    for ext in info.extensions:
        candidates = _BY_EXTENSION.setdefault(ext, [])
        candidates.append(info)
        # A processor that must read the file to claim it is asked first; one that takes the name alone is
        # what is left (a .txt that is no tab-separated table is a text document).
        candidates.sort(key=lambda candidate: ext not in candidate.sniffed)


def processors() -> Iterator[ProcessorInfo]:
    return iter(_REGISTRY.values())


def by_name(name: str) -> ProcessorInfo:
    return _REGISTRY[name]


def extensions() -> list[str]:
    return sorted(_BY_EXTENSION)


def _suffixes(path: Path) -> Iterable[str]:
    """Candidate extensions, longest first: ``a.csv.gz`` gives ``.csv.gz`` then ``.gz``."""
    name = path.name.lower()
    parts = name.split(".")
    for i in range(1, len(parts)):
        yield "." + ".".join(parts[i:])


def for_path(path: Path) -> ProcessorInfo | None:
    """The processor for a file by its extension (and, for a shared one like ``.xml``, its first bytes), or None
    when Parqueue does not read that kind of file."""
    for ext in _suffixes(path):
        candidates = _BY_EXTENSION.get(ext)
        if candidates:
            return next((info for info in candidates if info.claimed(path, ext)), None)
    return None


def is_supported(path: Path) -> bool:
    return for_path(path) is not None


def kinds() -> dict[str, list[str]]:
    """Extensions per kind, for file dialogs: each under the kind that takes it by name (.txt: text), or under
    the only one that reads it (.xml: tables)."""
    out: dict[str, list[str]] = {}
    for info in _REGISTRY.values():
        out.setdefault(info.kind, []).extend(
            ext for ext in info.extensions if ext not in info.sniffed or len(_BY_EXTENSION[ext]) == 1)
    return out


register(
    ProcessorInfo(
        name="text",
        kind="text",
        module="jobs.processors.text",
        extensions=(".txt", ".md", ".markdown", ".log", ".json", ".rtf", ".pdf"),
        description="Text documents",
    )
)
register(
    ProcessorInfo(
        name="csv",
        kind="table",
        module="jobs.processors.table",  # the bytes pick the reader: csv, or excel for a renamed workbook
        extensions=(
            *(base + comp for base in (".csv", ".tsv", ".psv", ".tab") for comp in ("", ".gz", ".zst", ".bz2")),
            ".txt",
        ),
        description="Delimited text tables",
        # Excel's "Text (Tab delimited)" and "Unicode Text" are .txt: those are tables, other .txt are text.
        sniffed=(".txt",),
        claims="jobs.tables.tabtext:is_tab_table",
    )
)
register(
    ProcessorInfo(
        name="excel",
        kind="table",
        module="jobs.processors.table",
        extensions=(".xlsx", ".xlsm", ".xls", ".ods", ".xml"),
        description="Spreadsheets",
        # Excel saves an "XML Spreadsheet 2003" as .xml: those are read, any other XML is not a table.
        sniffed=(".xml",),
        claims="jobs.tables.markup:is_spreadsheetml",
    )
)
register(
    ProcessorInfo(
        name="image",
        kind="image",
        module="jobs.processors.image",
        extensions=(
            ".png", ".jpg", ".jpeg", ".jpe", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif",
        ),
        description="Images",
    )
)
