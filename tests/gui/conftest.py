"""Fixtures for the window's tests: offscreen Qt, a private PARQUEUE_HOME per test, real worker pools.

``QT_QPA_PLATFORM`` must be set before anything imports Qt, or Qt looks for a display and aborts.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.close_dialog import CloseChoice
from desktop_app.engine import Engine
from desktop_app.main_window import MainWindow
from desktop_app.settings import Settings
from jobs.states import JobState
from jobs.store.base import Job

WAIT_MS = 60_000  # generous: two shared cores, real worker processes

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


@pytest.fixture
def home(parqueue_home: Path) -> Path:
    """Everything Parqueue writes (data, logs, outputs, settings) goes under this test's folder
    (the suite-wide ``parqueue_home`` fixture in tests/conftest.py sets it up)."""
    return parqueue_home


def write_text(path: Path, lines: int = 200, seed: int = 0) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(lines)) + "\n")
    return path


def write_big_text(path: Path, megabytes: int = 60) -> Path:
    """A text file big enough that its job runs for a few seconds (pause, cancel, interrupt)."""
    rng = random.Random(1)
    block = ("\n".join(" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(20_000)) + "\n").encode()
    with path.open("wb") as fh:
        while fh.tell() < megabytes * 1_000_000:
            fh.write(block)
    return path


def drop(target: QWidget, paths: list[Path]) -> None:
    """A real drag-enter and drop of file URLs, as the window system would deliver them."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(target.rect().center())
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the window refused the drag"
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    assert event.isAccepted(), "the window refused the drop"


def job_named(window: MainWindow, name: str) -> Job | None:
    return next((j for j in window.model.jobs() if j.name == name), None)


def wait_state(qtbot: QtBot, window: MainWindow, name: str, *states: JobState, timeout: int = WAIT_MS) -> Job:
    def check() -> None:
        job = job_named(window, name)
        assert job is not None, f"no row for {name}"
        assert job.state in states, f"{name} is {job.state.value}"

    qtbot.waitUntil(check, timeout=timeout)
    job = job_named(window, name)
    assert job is not None
    return job


def select(window: MainWindow, *names: str) -> None:
    view = window.view
    view.clearSelection()
    for name in names:
        row = next(r for r, j in enumerate(window.model.jobs()) if j.name == name)
        index = window.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        view.selectionModel().select(index, flags)
        view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)


MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot, home: Path) -> Iterator[MakeWindow]:
    """Build windows the way the app does; every one is closed and its pool stopped at teardown."""
    windows: list[MainWindow] = []

    def make(workers: int = 2, start: bool = True) -> MainWindow:
        settings = Settings()
        settings.apply(workers=workers)
        engine = Engine(settings)
        window = MainWindow(engine, settings)
        window.ask_close = lambda: CloseChoice.STOP  # type: ignore[method-assign]
        window.show()
        qtbot.waitExposed(window)
        if start:
            window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.ask_close = lambda: CloseChoice.STOP  # type: ignore[method-assign]
        window.close()
        window.engine.shutdown()
        assert window.engine.pool.alive == 0
        window.deleteLater()
