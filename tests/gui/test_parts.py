"""The window's parts without worker processes: model updates, details pane, translations, errors, settings."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app import i18n
from desktop_app.details.loaders import read_output, read_profile
from desktop_app.details.pane import DetailsPane
from desktop_app.errors import ErrorReporter
from desktop_app.job_model import COL_PROGRESS, COL_STATUS, JOB_ROLE, JobTableModel
from desktop_app.notifications import BatchTracker
from desktop_app.settings import Settings
from desktop_app.settings_dialog import SettingsDialog
from desktop_app.status_bar import StatusSummary
from jobs.preview import preview
from jobs.states import JobState
from jobs.store.base import Job

from .conftest import write_text


def make_job(job_id: int, state: JobState = JobState.QUEUED, **fields: object) -> Job:
    return Job(id=job_id, path=f"/data/file{job_id}.txt", kind="text", processor="text", size=1000,
               mtime_ns=0, state=state, total=1000, **fields)  # type: ignore[arg-type]


def test_model_inserts_in_blocks_and_updates_only_changed_rows(qtbot: QtBot) -> None:
    model = JobTableModel()
    inserted: list[tuple[int, int]] = []
    changed: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.dataChanged.connect(lambda a, b, _roles=None: changed.append((a.row(), b.row())))
    for i in range(1, 1001):
        model.upsert(make_job(i))
    model.flush()
    assert model.rowCount() == 1000 and inserted == [(0, 999)]

    for i in (10, 11, 12, 500):
        model.upsert(make_job(i, JobState.RUNNING, done=500))
    model.flush()
    assert changed == [(9, 11), (499, 499)]
    assert model.index(499, COL_STATUS).data() == "Running"
    assert model.index(499, COL_PROGRESS).data(JOB_ROLE).fraction == 0.5

    model.drop(1)
    model.drop(2)
    model.drop(700)
    with qtbot.waitSignal(model.flushed, timeout=2000):
        pass  # the throttle timer applies the removals by itself
    assert model.rowCount() == 997 and model.row_of(3) == 0 and model.row_of(701) == 697
    assert model.job(model.row_of(701) or 0) is not None
    assert model.rowCount(model.index(0, 0)) == 0 and model.rowCount(QModelIndex()) == 997


def test_batch_tracker_reports_progress_and_the_end() -> None:
    tracker = BatchTracker()
    progress: list[tuple[int, int]] = []
    ended: list[dict[JobState, int]] = []
    tracker.progressChanged.connect(lambda d, t: progress.append((d, t)))
    tracker.batchFinished.connect(ended.append)
    tracker.update_counts({JobState.COMPLETED: 4})  # history, no batch
    tracker.update_counts({JobState.COMPLETED: 4, JobState.QUEUED: 3})
    tracker.update_counts({JobState.COMPLETED: 5, JobState.RUNNING: 1, JobState.QUEUED: 1})
    tracker.update_counts({JobState.COMPLETED: 6, JobState.FAILED: 1})
    assert progress == [(0, 3), (1, 3), (0, 0)]
    assert ended == [{JobState.COMPLETED: 2, JobState.FAILED: 1}]


def test_text_preview_and_table_fallback(tmp_path: Path) -> None:
    text = tmp_path / "latin.txt"
    text.write_bytes("café olé ñandú\n".encode("cp1252") * 10)
    result = preview(text)
    assert result.kind == "text" and "ñandú" in (result.text or "") and result.encoding
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,2\n")
    table = preview(csv)
    assert table.kind in ("table", "text")  # a table once the CSV processor has preview(), text until then
    missing = preview(tmp_path / "gone.txt")
    assert missing.kind == "none" and "not there" in (missing.message or "")


def _columns_parquet(path: Path) -> Path:
    pq.write_table(pa.table({
        "name": ["id", "city"],
        "type": ["int64", "string"],
        "nulls": [0, 2],
        "null_pct": [0.0, 20.0],
        "distinct": [10, 3],
        "min": ["1", "Lima"],
        "max": ["10", "Quito"],
        "mean": [5.5, None],
        "top_values": [None, [{"value": "Lima", "count": 5}, {"value": "Quito", "count": 3}]],
        "histogram_bins": [[1.0, 4.0, 7.0], None],
        "histogram_counts": [[3, 3, 4], None],
    }), path)
    return path


def test_profile_and_output_readers_are_defensive(tmp_path: Path) -> None:
    columns = _columns_parquet(tmp_path / "cities_columns.parquet")
    profile = read_profile([str(tmp_path / "cities.parquet"), str(columns)])
    assert [c.name for c in profile.columns] == ["id", "city"]
    assert profile.columns[0].counts == [3, 3, 4] and profile.columns[0].mean == "5.5"
    assert profile.columns[1].top == [("Lima", 5), ("Quito", 3)] and profile.columns[1].null_pct == 20.0
    info = read_output(columns)
    assert info.rows == 2 and ("name", "string") in info.schema and info.grid and len(info.grid.rows) == 2
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 nope")
    assert read_output(broken).error


def test_details_pane_shows_preview_profile_output_and_log(qtbot: QtBot, tmp_path: Path, home: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show()
    source = write_text(tmp_path / "notes.txt")
    columns = _columns_parquet(tmp_path / "notes_columns.parquet")
    job = make_job(7, JobState.RUNNING)
    job = dataclasses.replace(job, path=str(source))
    pane.set_job(job)
    # The preview comes from the source file at once, before the job finishes.
    qtbot.waitUntil(lambda: pane.preview.loaded is not None, timeout=10_000)
    assert "alpha" in pane.preview.text.toPlainText() or "beta" in pane.preview.text.toPlainText()
    assert pane.profile.model.rowCount() == 0

    done = dataclasses.replace(job, state=JobState.COMPLETED_WITH_WARNINGS, outputs=[str(columns)],
                               warnings=["column city: 2 values were not dates"], error=None)
    pane.set_job(done)
    qtbot.waitUntil(lambda: pane.profile.model.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: pane.output.files.count() == 1, timeout=10_000)
    assert "2 rows" in pane.output.summary.text()
    assert "2 values were not dates" in pane.log.text.toPlainText()
    assert pane.note.isVisibleTo(pane) and pane.note.text() == "column city: 2 values were not dates"
    failed = dataclasses.replace(done, state=JobState.FAILED, error="x" * 400, warnings=[])
    pane.set_job(failed)
    assert pane.note.text().endswith("…") and len(pane.note.text()) < 320 and pane.note.toolTip() == "x" * 400
    pane.set_job(dataclasses.replace(done, warnings=["first", "second", "third"]))
    assert pane.note.text() == "first (and 2 more in the Log tab)"
    pane.set_job(dataclasses.replace(done, state=JobState.COMPLETED, warnings=[]))
    assert not pane.note.isVisibleTo(pane)
    pane.set_job(done)
    pane.tabs.setCurrentWidget(pane.profile)
    assert not pane.grab().isNull()  # the chart delegate paints without errors
    pane.log.copy()
    assert "notes.txt" in QApplication.clipboard().text()


def test_profile_tab_names_types_as_people_do(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop_app.details.profile import COL_P_TOP, COL_P_TYPE, ProfileTab
    from jobs.processors import csv as csv_processor
    from jobs.processors.base import ProcessOptions, no_progress

    source = tmp_path / "orders.csv"
    source.write_text("order_id;shop;total;day\n" + "".join(
        f"{1000 + i};{('North', 'South')[i % 2]};{i},50;2024-03-{1 + i % 28:02d}\n" for i in range(40)))
    result = csv_processor.process(source, ProcessOptions(tmp_path / "out"), no_progress)
    tab = ProfileTab()
    qtbot.addWidget(tab)
    tab.show_outputs(1, [str(p) for p in result.outputs], finished=True)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=10_000)
    model = tab.model

    def shown(row: int, column: int) -> str:
        return model.data(model.index(row, column))

    assert [shown(r, COL_P_TYPE) for r in range(4)] == ["Whole number", "Text", "Number", "Date"]
    assert model.data(model.index(0, COL_P_TYPE), Qt.ItemDataRole.ToolTipRole) == "int64"  # the exact type
    assert shown(0, COL_P_TOP) == "No value repeats"  # every order_id differs
    assert shown(1, COL_P_TOP) == "North (20), South (20)"


def test_profile_tab_names_the_unit_of_amounts(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop_app.details.profile import COL_P_MEAN, COL_P_TYPE, ProfileTab
    from jobs.processors import csv as csv_processor
    from jobs.processors.base import ProcessOptions, no_progress

    source = tmp_path / "till.csv"
    source.write_text('item,price,margin\nTea,"$1,003.50",12%\nCake,$4.50,8%\n')
    result = csv_processor.process(source, ProcessOptions(tmp_path / "out"), no_progress)
    tab = ProfileTab()
    qtbot.addWidget(tab)
    tab.show_outputs(1, [str(p) for p in result.outputs], finished=True)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=10_000)
    model = tab.model
    assert [model.data(model.index(r, COL_P_TYPE)) for r in range(3)] == ["Text", "Amount ($)", "Percentage"]
    assert model.data(model.index(1, COL_P_MEAN)).startswith("504")  # numbers: the mean of the amounts
    tip = model.data(model.index(2, COL_P_TYPE), Qt.ItemDataRole.ToolTipRole)
    assert "fraction" in tip


def test_profile_tab_names_times_and_hours_worked(qtbot: QtBot, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    from desktop_app.details.profile import COL_P_MEAN, COL_P_TYPE, ProfileTab
    from jobs.processors import excel as excel_processor
    from jobs.processors.base import ProcessOptions, no_progress

    wb = openpyxl.Workbook()
    for row in [["Start", "Hours"], [dt.time(8, 30), dt.timedelta(hours=38.5)], [dt.time(9), dt.timedelta(hours=40)]]:
        wb.active.append(row)
    wb.save(tmp_path / "week.xlsx")
    result = excel_processor.process(tmp_path / "week.xlsx", ProcessOptions(tmp_path / "out"), no_progress)
    tab = ProfileTab()
    qtbot.addWidget(tab)
    tab.show_outputs(1, [str(p) for p in result.outputs], finished=True)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=10_000)
    model = tab.model
    assert [model.data(model.index(r, COL_P_TYPE)) for r in range(2)] == ["Time of day", "Duration (hours)"]
    assert model.data(model.index(1, COL_P_MEAN)).startswith("39.2")


def test_options_card_rerun_emits_the_edited_options(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    job = dataclasses.replace(make_job(3, JobState.COMPLETED), path=str(tmp_path / "sales.csv"), kind="table",
                              metrics={"encoding": "utf-8", "delimiter": ";", "header": True, "decimal": ","})
    pane.set_job(job)
    card = pane.options
    assert card.delimiter.currentData() == ";" and card.decimal.currentData() == ","
    card.encoding.setCurrentText("cp1252")
    card.header.setCurrentIndex(1)
    with qtbot.waitSignal(pane.rerunRequested) as blocker:
        card.rerun.click()
    assert blocker.args == [3, {"encoding": "cp1252", "delimiter": ";", "header": False, "decimal": ","}]


def test_options_card_offers_the_date_order(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    job = dataclasses.replace(make_job(5, JobState.COMPLETED_WITH_WARNINGS), path=str(tmp_path / "kasse.csv"),
                              kind="table", metrics={"encoding": "utf-8", "delimiter": ",", "decimal": "."})
    pane.set_job(job)
    card = pane.options
    assert card.dates.isVisibleTo(card) and card.dates.currentData() is None  # nothing told: the values decide
    assert "date_order" not in card.options()
    card.dates.setCurrentIndex(card.dates.findData("mdy"))
    with qtbot.waitSignal(pane.rerunRequested) as blocker:
        card.rerun.click()
    assert blocker.args[1]["date_order"] == "mdy"
    told = dataclasses.replace(job, id=6, metrics={**job.metrics, "date_order": "dmy"})
    pane.set_job(told)
    assert card.dates.currentText() == "day first (31/12)"
    pane.set_job(dataclasses.replace(job, id=7, kind="text", path=str(tmp_path / "notes.txt")))
    assert not card.dates.isVisibleTo(card)


def test_options_card_of_an_html_table_named_xls_offers_a_csvs_choices(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    metrics = {"encoding": "cp1252", "delimiter": None, "decimal": ",", "markup": "html", "skip_lines": 1}
    job = dataclasses.replace(make_job(9, JobState.COMPLETED_WITH_WARNINGS), path=str(tmp_path / "bank.xls"),
                              kind="table", metrics=metrics)
    pane.set_job(job)
    card = pane.options
    shown = {name: getattr(card, name).isVisibleTo(card)
             for name in ("encoding", "delimiter", "decimal", "dates", "skip_lines", "sheets")}
    assert shown == {"encoding": True, "delimiter": False, "decimal": True, "dates": True, "skip_lines": True,
                     "sheets": False}
    assert card.encoding.currentText() == "cp1252" and card.decimal.currentData() == ","
    xml = dataclasses.replace(job, id=15, metrics={"markup": "spreadsheetml", "sheets": ["Orders", "Stock"],
                                                   "encoding": "utf-8", "decimal": "."})
    pane.set_job(xml)  # it declares its encoding and writes plain numbers: only its sheets and the text's rules
    shown = {name: getattr(card, name).isVisibleTo(card) for name in ("encoding", "decimal", "dates", "sheets")}
    assert shown == {"encoding": False, "decimal": False, "dates": True, "sheets": True}
    assert card.sheets.text() == "Orders, Stock"
    workbook = dataclasses.replace(job, id=10, metrics={"sheets": ["Budget"], "encoding": None})
    pane.set_job(workbook)  # a real workbook of the same name: its sheets, none of a text file's choices
    assert card.sheets.isVisibleTo(card) and not card.encoding.isVisibleTo(card)
    queued = dataclasses.replace(make_job(16, JobState.QUEUED), path=str(tmp_path / "orders.xml"), kind="table")
    pane.set_job(queued)  # Excel's own name for an XML Spreadsheet: its choices before it has run, too
    shown = {name: getattr(card, name).isVisibleTo(card) for name in ("encoding", "delimiter", "decimal", "sheets")}
    assert shown == {"encoding": False, "delimiter": False, "decimal": False, "sheets": True}


def test_options_card_offers_to_read_totals_lines_as_rows(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    plain = dataclasses.replace(make_job(11, JobState.COMPLETED), path=str(tmp_path / "orders.csv"), kind="table",
                                metrics={"encoding": "utf-8", "delimiter": ",", "totals": 0})
    pane.set_job(plain)
    card = pane.options
    assert not card.totals.isVisibleTo(card)  # nothing was set aside: nothing to choose
    ended = dataclasses.replace(plain, id=12, state=JobState.COMPLETED_WITH_WARNINGS,
                                metrics={**plain.metrics, "totals": 1})
    pane.set_job(ended)
    assert card.totals.isVisibleTo(card) and card.totals.currentText() == "set aside"
    assert "keep_totals" not in card.options()
    card.totals.setCurrentIndex(card.totals.findData(True))
    with qtbot.waitSignal(pane.rerunRequested) as blocker:
        card.rerun.click()
    assert blocker.args[1]["keep_totals"] is True
    rerun = dataclasses.replace(ended, id=13, options={"keep_totals": True}, metrics={**plain.metrics})
    pane.set_job(rerun)  # read as rows: no totals set aside, and the choice stays on show to be undone
    assert card.totals.isVisibleTo(card) and card.totals.currentText() == "read as rows"


def test_options_card_wraps_its_choices_instead_of_widening_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    job = dataclasses.replace(make_job(14, JobState.COMPLETED_WITH_WARNINGS), path=str(tmp_path / "konto.csv"),
                              kind="table", metrics={"encoding": "cp1252", "delimiter": ";", "totals": 1})
    pane.set_job(job)
    card = pane.options
    fields = [card._fields[e] for e in (card.encoding, card.delimiter, card.header, card.decimal, card.dates,
                                        card.skip_lines, card.totals)]
    assert card.minimumSizeHint().width() < 640  # every choice on show, and still a small window's width
    pane.resize(560, 400)
    pane.show()
    qtbot.waitUntil(lambda: fields[-1].y() > fields[0].y(), timeout=5_000)  # a second line
    # None cut short: they wrapped instead (once the layout has caught up with the polished sizes).
    qtbot.waitUntil(lambda: all(f.width() >= f.sizeHint().width() for f in fields), timeout=5_000)
    pane.resize(1600, 400)
    qtbot.waitUntil(lambda: fields[-1].y() == fields[0].y(), timeout=5_000)  # one line when there is room
    assert card.summary.text() == "as detected"
    qtbot.waitUntil(lambda: card.summary.width() >= card.summary.sizeHint().width() > 0, timeout=5_000)  # shown


def test_options_card_skip_lines(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    job = dataclasses.replace(make_job(8, JobState.COMPLETED_WITH_WARNINGS), path=str(tmp_path / "konto.csv"),
                              kind="table", metrics={"encoding": "cp1252", "delimiter": ";", "skip_lines": 3})
    pane.set_job(job)
    card = pane.options
    assert card.skip_lines.isVisibleTo(card) and card.skip_lines.value() == 3
    assert "skip_lines" not in card.options()  # shown as detected: the next run detects again
    card.skip_lines.setValue(0)
    with qtbot.waitSignal(pane.rerunRequested) as blocker:
        card.rerun.click()
    assert blocker.args[1]["skip_lines"] == 0
    pane.set_job(dataclasses.replace(job, id=9, path=str(tmp_path / "book.xlsx")))
    assert not card.skip_lines.isVisibleTo(card)  # workbooks find their title rows themselves


def test_options_card_of_a_running_job_says_when_detection_shows(qtbot: QtBot, tmp_path: Path) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    running = dataclasses.replace(make_job(4, JobState.RUNNING), path=str(tmp_path / "sales.csv"), kind="table")
    pane.set_job(running)
    assert pane.options.summary.text() == "what was detected shows when the job finishes"
    assert pane.options.title() == "Detected — shows when the job finishes"  # seen however narrow the window
    assert not pane.options.rerun.isEnabled()
    done = dataclasses.replace(running, state=JobState.COMPLETED, metrics={"encoding": "utf-8", "delimiter": ","})
    pane.set_job(done)
    assert pane.options.summary.text() == "as detected" and pane.options.rerun.isEnabled()


def test_spanish_translation_is_chosen_from_the_locale(qapp: QApplication) -> None:
    loaded = i18n.install(qapp, QLocale("es_ES"))
    try:
        assert any(p.endswith("parqueue_es.qm") for p in loaded)
        assert QCoreApplication.translate("DropZone", "Drop files or folders here") == "Suelta aquí archivos o carpetas"
        assert QCoreApplication.translate("JobState", "Completed with warnings") == "Completado con avisos"
    finally:
        i18n.remove(qapp)
    assert QCoreApplication.translate("JobState", "Queued") == "Queued"


def test_unexpected_errors_show_a_copyable_dialog(qtbot: QtBot) -> None:
    reporter = ErrorReporter()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        reporter.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5000)
    assert reporter.dialog is not None
    assert "RuntimeError: boom" in reporter.dialog.details.toPlainText()
    reporter.dialog.copy_details()
    assert "boom" in QApplication.clipboard().text()
    reporter.dialog.close()


def test_settings_persist(home: Path, qtbot: QtBot) -> None:
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.workers.setValue(3)
    dialog.compression.setCurrentIndex(1)
    dialog.output.setText(str(home / "elsewhere"))
    with qtbot.waitSignal(settings.workersChanged) as blocker:
        dialog.accept()
    assert blocker.args == [3]
    again = Settings()
    assert again.workers == 3 and again.compression == "snappy" and again.output_dir == home / "elsewhere"
    assert again.job_options()["compression"] == "snappy"


@pytest.mark.parametrize("value", [0, 1, 2])
def test_row_actions_follow_the_state(value: int) -> None:
    from desktop_app.delegates import row_actions

    states = [JobState.RUNNING, JobState.PAUSED, JobState.COMPLETED]
    expected = [("pause", "cancel"), ("resume", "cancel"), ("export", "open-folder", "remove")]
    assert row_actions(states[value]) == expected[value]


def test_many_signal_emits_do_not_exhaust_true() -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to True per emit(); qt_fixes guards against it."""
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        ping = Signal(object)

    emitter = Emitter()
    received: list[object] = []
    emitter.ping.connect(received.append)
    for i in range(50_000):
        emitter.ping.emit(i)
    assert len(received) == 50_000 and sys.getrefcount(True) > 1000


def test_status_bar_counts_a_worker_busy_as_soon_as_its_job_runs(qtbot: QtBot) -> None:
    summary = StatusSummary()
    qtbot.addWidget(summary)
    summary.set_counts({JobState.RUNNING: 1})
    assert summary.workers.text() == ""  # the workers were not polled yet
    summary.set_workers(0, 2)  # the worker's heartbeat has not named its job yet
    assert summary.workers.text() == "Workers 1/2"
    summary.set_counts({JobState.RUNNING: 1, JobState.PAUSED: 2})
    assert summary.workers.text() == "Workers 2/2"  # never more than there are
    summary.set_counts({JobState.COMPLETED: 3})
    assert summary.workers.text() == "Workers 0/2"


def test_output_tab_names_a_few_fields_of_a_wide_table_and_escapes_them(qtbot: QtBot, tmp_path: Path) -> None:
    # 2,000 fields listed above the grid filled the pane and left the grid two rows; names are text, not markup.
    import pyarrow as pa
    import pyarrow.parquet as pq

    from desktop_app.details.output import SCHEMA_FIELDS, OutputTab

    path = tmp_path / "wide.parquet"
    pq.write_table(pa.table({"a<b>": [1], **{f"q{i}": [i] for i in range(1999)}}), path)
    tab = OutputTab()
    qtbot.addWidget(tab)
    tab.show_outputs(1, [str(path)])
    qtbot.waitUntil(lambda: tab.files.count() == 1, timeout=10_000)
    text = tab.schema.text()
    assert "<b>a&lt;b&gt;</b> int64" in text and f"<b>q{SCHEMA_FIELDS - 2}</b>" in text
    assert f"<b>q{SCHEMA_FIELDS - 1}</b>" not in text and text.endswith(f"and {2000 - SCHEMA_FIELDS:,} more")
    assert tab.grid.grid_model.columnCount() == 2000
