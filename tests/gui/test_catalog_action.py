"""The window's catalog: selected jobs become one searchable Parquet table."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PIL import Image
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from jobs.states import JobState

from .conftest import MakeWindow, drop, select, wait_state, write_text

DONE = (JobState.COMPLETED, JobState.COMPLETED_WITH_WARNINGS)


def test_catalog_of_selected_jobs(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    photo = tmp_path / "harbour.png"
    Image.new("RGB", (320, 200), (20, 90, 160)).save(photo)
    notes = write_text(tmp_path / "notes.txt")
    drop(window, [photo, notes])
    wait_state(qtbot, window, "harbour.png", *DONE)
    wait_state(qtbot, window, "notes.txt", *DONE)
    select(window, "harbour.png", "notes.txt")
    target = tmp_path / "my catalog.parquet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.catalog_action.trigger()
    qtbot.waitUntil(target.exists, timeout=15_000)
    table = pq.read_table(target)
    rows = {Path(r["source"]).name: r for r in table.to_pylist()}
    assert set(rows) == {"harbour.png", "notes.txt"}
    assert rows["harbour.png"]["kind"] == "image" and rows["harbour.png"]["width"] == 320
    assert rows["notes.txt"]["kind"] == "text"
