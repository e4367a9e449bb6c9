"""Settings shared by the window and the command line."""

from __future__ import annotations

import pytest

from jobs import config


def test_settings_round_trip_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.load() == config.Settings()
    config.save(config.Settings(workers=3, thumb_size=128))
    loaded = config.load()
    assert loaded.workers == 3 and loaded.worker_count() == 3 and loaded.job_options()["thumb_size"] == 128
    monkeypatch.setenv("PARQUEUE_WORKERS", "5")
    assert loaded.worker_count() == 5


def test_a_damaged_settings_file_falls_back_to_defaults() -> None:
    config.settings_file().write_text("{not json")
    assert config.load() == config.Settings()
