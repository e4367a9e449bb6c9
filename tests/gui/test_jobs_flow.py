"""The window with real worker processes: drops, progress to completion, and every row action."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.delegates import CANCEL, EXPORT, OPEN_FOLDER, PAUSE, REMOVE, RESUME, RETRY
from jobs.states import JobState

from .conftest import MakeWindow, drop, job_named, select, wait_state, write_big_text, write_text

DONE = (JobState.COMPLETED, JobState.COMPLETED_WITH_WARNINGS)


def test_window_starts_empty_with_a_drop_zone(make_window: MakeWindow) -> None:
    window = make_window(start=False)
    assert "Parqueue" in window.windowTitle()
    assert window.stack.currentWidget() is window.drop_zone
    assert window.drop_zone.add_files.isVisible() and window.drop_zone.add_folder.isVisible()


def test_dropped_files_and_folders_go_from_queued_to_completed(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window()
    seen: dict[str, set[JobState]] = {}
    window.watcher.jobChanged.connect(lambda job: seen.setdefault(job.name, set()).add(job.state))
    # Queue paused first, so every row is seen queued before a worker takes it.
    window.engine.set_queue_paused(True).result()
    qtbot.waitUntil(lambda: window.watcher.queue_paused is True, timeout=10_000)
    assert window.pause_queue_action.text() == "Resume queue"
    loose = [write_text(tmp_path / "in" / f"loose{i}.txt", seed=i) for i in range(2)]
    folder = tmp_path / "in" / "folder"
    for i in range(3):
        write_text(folder / "sub" / f"nested{i}.md", seed=10 + i)
    (folder / "photo.xyz").write_bytes(b"not a kind Parqueue reads")
    (folder / "notes.docx").write_bytes(b"nor this")

    started = time.perf_counter()
    drop(window, [*loose, folder])
    assert time.perf_counter() - started < 0.5, "a drop must return at once"

    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=20_000)
    assert window.stack.currentWidget() is window.splitter
    assert all(j.state == JobState.QUEUED for j in window.model.jobs())
    # One notice for every unsupported file, not one each.
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=10_000)
    assert "2 files were skipped" in window.notice.message.text()

    window.pause_queue_action.trigger()  # "Resume queue"
    for name in ("loose0.txt", "loose1.txt", "nested0.md", "nested1.md", "nested2.md"):
        job = wait_state(qtbot, window, name, *DONE)
        assert JobState.QUEUED in seen[name]
        assert job.outputs and all(Path(o).exists() for o in job.outputs)
    # The batch ends: a notification (tray, or the status bar where there is none) with the counts.
    qtbot.waitUntil(lambda: window.notifier.last_message is not None, timeout=10_000)
    assert "5 completed" in (window.notifier.last_message or "")
    assert window.windowTitle() == "Parqueue"
    assert window.summary.count_text(JobState.COMPLETED) == "5"


def test_export_and_open_folder(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    source = write_text(tmp_path / "report.txt")
    drop(window, [source])
    job = wait_state(qtbot, window, "report.txt", *DONE)
    assert len(job.outputs) == 2  # summary and words
    select(window, "report.txt")
    assert window.job_actions[EXPORT].isEnabled()

    # Several outputs: the export asks for a folder and copies them all.
    export_dir = tmp_path / "exported"
    export_dir.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(export_dir)))
    window.job_actions[EXPORT].trigger()
    qtbot.waitUntil(lambda: len(list(export_dir.glob("*.parquet"))) == 2, timeout=10_000)
    assert sorted(p.name for p in export_dir.iterdir()) == sorted(Path(o).name for o in job.outputs)

    # The Output tab exports the file the user is looking at, through a save dialog.
    output = window.details.output
    qtbot.waitUntil(lambda: output.files.count() == 2, timeout=10_000)
    assert output.infos[0].rows is not None and output.infos[0].schema
    target = tmp_path / "chosen.parquet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    output.export.click()
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_bytes() == Path(output.current_path() or "").read_bytes()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    window.job_actions[OPEN_FOLDER].trigger()
    assert [Path(u.toLocalFile()) for u in opened] == [Path(job.outputs[0]).parent]


def test_pause_resume_and_cancel_a_running_job(qtbot: QtBot, make_window: MakeWindow, tmp_path: Path) -> None:
    window = make_window(workers=1)
    big = write_big_text(tmp_path / "big.txt", megabytes=60)
    drop(window, [big])
    wait_state(qtbot, window, "big.txt", JobState.RUNNING)
    select(window, "big.txt")
    qtbot.waitUntil(lambda: window.job_actions[PAUSE].isEnabled(), timeout=5_000)
    window.job_actions[PAUSE].trigger()
    paused = wait_state(qtbot, window, "big.txt", JobState.PAUSED, timeout=20_000)
    assert not paused.state.is_final
    time.sleep(0.6)
    qtbot.wait(300)
    held = job_named(window, "big.txt")
    assert held is not None and held.state == JobState.PAUSED and held.done < held.total

    qtbot.waitUntil(lambda: window.job_actions[RESUME].isEnabled(), timeout=5_000)
    window.job_actions[RESUME].trigger()
    wait_state(qtbot, window, "big.txt", JobState.RUNNING, timeout=20_000)

    # Cancel from the row's own button (the delegate's click signal).
    window.view.actions_delegate.actionClicked.emit(CANCEL, held.id)
    cancelled = wait_state(qtbot, window, "big.txt", JobState.CANCELLED, timeout=20_000)
    assert not cancelled.outputs
    assert not list((window.settings.output_dir).glob("big*.parquet"))


def test_retry_a_failed_job_then_remove_rows_with_delete(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    good = write_text(tmp_path / "good.txt")
    drop(window, [empty, good])
    failed = wait_state(qtbot, window, "empty.txt", JobState.FAILED)
    assert failed.error and "empty" in failed.error
    wait_state(qtbot, window, "good.txt", *DONE)
    qtbot.waitUntil(lambda: window.retry_failed_action.isEnabled(), timeout=5_000)

    write_text(empty)  # fixed by the user: retry runs it again as a new attempt
    select(window, "empty.txt")
    qtbot.waitUntil(lambda: window.job_actions[RETRY].isEnabled(), timeout=5_000)
    window.job_actions[RETRY].trigger()
    retried = wait_state(qtbot, window, "empty.txt", *DONE)
    assert retried.attempt == 2 and retried.error is None

    select(window, "empty.txt", "good.txt")
    window.view.setFocus()
    qtbot.waitUntil(lambda: window.job_actions[REMOVE].isEnabled(), timeout=5_000)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=10_000)
    assert window.stack.currentWidget() is window.drop_zone


def test_history_survives_a_restart_and_interrupted_jobs_resume(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    first = make_window(workers=1)
    small = write_text(tmp_path / "small.txt")
    drop(first, [small])
    wait_state(qtbot, first, "small.txt", *DONE)
    big = write_big_text(tmp_path / "long.txt", megabytes=40)
    drop(first, [big])
    wait_state(qtbot, first, "long.txt", JobState.RUNNING)
    first.close()  # "stop, resume next time" (the fixture answers the question)
    assert not first.isVisible()

    second = make_window(workers=1)
    qtbot.waitUntil(lambda: second.model.rowCount() == 2, timeout=20_000)
    done = job_named(second, "small.txt")
    assert done is not None and done.state in DONE
    resumed = wait_state(qtbot, second, "long.txt", *DONE)
    assert resumed.attempt >= 2  # interrupted by the close, then run again by itself


def test_close_can_keep_processing_in_the_background(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.close_dialog import CloseChoice
    from jobs.store import open_store

    window = make_window(workers=1)
    big = write_big_text(tmp_path / "bg.txt", megabytes=30)
    drop(window, [big])
    wait_state(qtbot, window, "bg.txt", JobState.RUNNING, JobState.QUEUED)
    procs = []
    original = window.engine.start_background_process

    def spy():  # type: ignore[no-untyped-def]
        proc = original()
        procs.append(proc)
        return proc

    monkeypatch.setattr(window.engine, "start_background_process", spy)
    window.ask_close = lambda: CloseChoice.BACKGROUND  # type: ignore[method-assign]
    window.close()
    assert len(procs) == 1 and procs[0] is not None
    store = open_store()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job = next(j for j in store.list_jobs() if j.name == "bg.txt")
            if job.state in DONE:
                break
            time.sleep(0.3)
        assert job.state in DONE, job.state
        procs[0].wait(timeout=30)  # `serve --until-idle` ends once the queue is empty
    finally:
        if procs[0].poll() is None:
            procs[0].kill()
        store.close()


def test_add_files_dialog_context_menu_and_live_worker_count(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(workers=1)
    qtbot.waitUntil(lambda: window.engine.pool.alive == 1, timeout=20_000)
    files = [write_text(tmp_path / f"picked{i}.txt", seed=i) for i in range(2)]
    seen_filter: list[str] = []

    def pick(*args: object, **kwargs: object) -> tuple[list[str], str]:
        seen_filter.append(str(args[3] if len(args) > 3 else kwargs.get("filter", "")))
        return [str(f) for f in files], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(pick))
    window.drop_zone.add_files.click()
    assert "*.csv" in seen_filter[0] and "*.txt" in seen_filter[0]  # filters come from the registry
    for f in files:
        wait_state(qtbot, window, f.name, *DONE)

    # The context menu offers the job actions for the selection.
    select(window, "picked0.txt")
    window._context_menu(window.view.visualRect(window.model.index(0, 0)).center())
    menu = window._last_menu
    texts = [a.text() for a in menu.actions() if a.text()]
    assert "Export Parquet…" in texts and "Remove" in texts
    menu.close()

    # Changing the number of workers applies at once, without a restart.
    window.settings.apply(workers=2)
    qtbot.waitUntil(lambda: window.engine.pool.alive == 2, timeout=20_000)
    qtbot.waitUntil(lambda: len(window.watcher.workers) == 2, timeout=20_000)
    assert window.summary.workers.text().endswith("/2")


def test_retry_failed_and_clear_finished_from_the_toolbar(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window()
    broken = tmp_path / "broken.txt"
    broken.write_text("")
    drop(window, [broken, write_text(tmp_path / "fine.txt")])
    wait_state(qtbot, window, "broken.txt", JobState.FAILED)
    wait_state(qtbot, window, "fine.txt", *DONE)
    write_text(broken)
    qtbot.waitUntil(lambda: window.retry_failed_action.isEnabled(), timeout=5_000)
    window.retry_failed_action.trigger()
    wait_state(qtbot, window, "broken.txt", *DONE)
    qtbot.waitUntil(lambda: window.clear_finished_action.isEnabled(), timeout=5_000)
    window.clear_finished_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=10_000)
