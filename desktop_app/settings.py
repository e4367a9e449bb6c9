"""The user's preferences: the engine's settings file (shared with ``run`` and ``serve``) plus window state.

Preferences that change what jobs do (output folder, workers, compression, overwrite policy,
thumbnails, notifications) live in :mod:`jobs.config`, so a setting made in the window holds for the
command line too. Window geometry and other view state stay in an INI file through QSettings under
:func:`jobs.paths.config_dir` (not the platform registry), which keeps tests and portable builds isolated
by ``PARQUEUE_HOME``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from jobs import config, paths

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

    @staticmethod
    def _cfg() -> config.Settings:
        return config.load()

    @property
    def output_dir(self) -> Path:
        return self._cfg().out_dir()

    @property
    def workers(self) -> int:
        return max(1, min(64, self._cfg().worker_count()))

    @property
    def thumbnails(self) -> bool:
        return bool(self._cfg().thumbnails)

    @property
    def compression(self) -> str:
        value = self._cfg().compression
        return value if value in COMPRESSIONS else "zstd"

    @property
    def overwrite(self) -> str:
        value = self._cfg().overwrite
        return value if value in OVERWRITE_POLICIES else "rename"

    @property
    def notify_when_done(self) -> bool:
        return bool(self._cfg().notify_when_done)

    def job_options(self) -> dict[str, Any]:
        """Options every new job carries (processors read what concerns them)."""
        return self._cfg().job_options()

    def apply(
        self, *, output_dir: Path | None = None, workers: int | None = None, thumbnails: bool | None = None,
        compression: str | None = None, overwrite: str | None = None, notify_when_done: bool | None = None,
    ) -> None:
        old_workers = self.workers
        cfg = self._cfg()
        if output_dir is not None:
            cfg.output_dir = str(output_dir)
        if workers is not None:
            cfg.workers = int(workers)
        if thumbnails is not None:
            cfg.thumbnails = bool(thumbnails)
        if compression is not None:
            cfg.compression = compression
        if overwrite is not None:
            cfg.overwrite = overwrite
        if notify_when_done is not None:
            cfg.notify_when_done = bool(notify_when_done)
        config.save(cfg)
        self.changed.emit()
        if self.workers != old_workers:
            self.workersChanged.emit(self.workers)

    # -- window state ---------------------------------------------------------------------------------

    def value(self, key: str, default: Any = None) -> Any:
        return self._qs.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._qs.setValue(key, value)
