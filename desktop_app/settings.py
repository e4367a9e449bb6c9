"""The user's preferences, persisted with QSettings in Parqueue's config folder (an INI file).

An INI file under :func:`jobs.paths.config_dir` (not the platform registry) keeps tests and portable
builds isolated by ``PARQUEUE_HOME``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from jobs import paths
from jobs.pool import default_workers

COMPRESSIONS = ("zstd", "snappy", "gzip", "none")
OVERWRITE_POLICIES = ("rename", "replace")  # never silently overwrite by default: a new name is chosen


class Settings(QObject):
    """Typed access to the persisted preferences.

    Signals:
        changed(): emitted after :meth:`apply` stored new values.
        workersChanged(int): the number of workers changed (the pool resizes live).
    """

    changed = Signal()
    workersChanged = Signal(int)

    def __init__(self, parent: QObject | None = None, file: Path | None = None) -> None:
        super().__init__(parent)
        self.file = file or paths.config_dir() / "parqueue.ini"
        self._qs = QSettings(str(self.file), QSettings.Format.IniFormat)

    # -- values -------------------------------------------------------------------------------------

    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self._qs.value(key, default)
        try:
            if kind is bool:
                return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
            return kind(value)
        except (TypeError, ValueError):
            return default

    @property
    def output_dir(self) -> Path:
        value = self._get("output/folder", "", str)
        return Path(value) if value else paths.default_output_dir()

    @property
    def workers(self) -> int:
        return max(1, min(64, self._get("queue/workers", default_workers(), int)))

    @property
    def thumbnails(self) -> bool:
        return bool(self._get("output/thumbnails", True, bool))

    @property
    def compression(self) -> str:
        value = self._get("output/compression", "zstd", str)
        return value if value in COMPRESSIONS else "zstd"

    @property
    def overwrite(self) -> str:
        value = self._get("output/overwrite", "rename", str)
        return value if value in OVERWRITE_POLICIES else "rename"

    @property
    def notify_when_done(self) -> bool:
        return bool(self._get("notify/when_done", True, bool))

    def job_options(self) -> dict[str, Any]:
        """Options every new job carries (processors read what concerns them)."""
        return {"thumbnails": self.thumbnails, "compression": self.compression, "overwrite": self.overwrite}

    def apply(
        self, *, output_dir: Path | None = None, workers: int | None = None, thumbnails: bool | None = None,
        compression: str | None = None, overwrite: str | None = None, notify_when_done: bool | None = None,
    ) -> None:
        old_workers = self.workers
        if output_dir is not None:
            self._qs.setValue("output/folder", str(output_dir))
        if workers is not None:
            self._qs.setValue("queue/workers", int(workers))
        if thumbnails is not None:
            self._qs.setValue("output/thumbnails", bool(thumbnails))
        if compression is not None:
            self._qs.setValue("output/compression", compression)
        if overwrite is not None:
            self._qs.setValue("output/overwrite", overwrite)
        if notify_when_done is not None:
            self._qs.setValue("notify/when_done", bool(notify_when_done))
        self._qs.sync()
        self.changed.emit()
        if self.workers != old_workers:
            self.workersChanged.emit(self.workers)

    # -- window state ---------------------------------------------------------------------------------

    def value(self, key: str, default: Any = None) -> Any:
        return self._qs.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._qs.setValue(key, value)
