"""A preference set in the window holds for the command line too: one settings file."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.settings import Settings
from jobs import config


def test_window_settings_are_the_engine_settings(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings()
    with qtbot.waitSignal(settings.workersChanged, timeout=1000):
        settings.apply(workers=3 if settings.workers != 3 else 4, output_dir=tmp_path / "exports",
                       compression="snappy", overwrite="replace")
    shared = config.load()
    assert shared.worker_count() == settings.workers
    assert shared.out_dir() == tmp_path / "exports"
    assert shared.job_options()["compression"] == "snappy" and shared.job_options()["overwrite"] == "replace"
