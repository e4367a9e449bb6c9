"""Parqueue's main window: drop zone, job list, details pane, toolbar, menus and status bar.

The window wires the parts together and handles what the user asks; it holds no job logic. Files dropped
anywhere on it are queued in the background (:meth:`Engine.add_paths`), so a drop returns at once.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QItemSelection, QPoint, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app import icons
from desktop_app.actions import JobActions, applies
from desktop_app.close_dialog import CloseChoice, ask_close
from desktop_app.delegates import CANCEL, EXPORT, OPEN_FOLDER, PAUSE, REMOVE, RESUME, RETRY
from desktop_app.details.pane import DetailsPane
from desktop_app.drop_zone import DropHighlight, DropZone, paths_from_mime
from desktop_app.engine import Engine
from desktop_app.job_model import JobTableModel
from desktop_app.job_view import JobView
from desktop_app.job_watcher import JobWatcher
from desktop_app.notice_bar import NoticeBar
from desktop_app.notifications import BatchTracker, Notifier, batch_message
from desktop_app.scanner import ScanReport
from desktop_app.settings import Settings
from desktop_app.settings_dialog import SettingsDialog
from desktop_app.status_bar import StatusSummary, queue_eta
from desktop_app.threads import run_in_background
from jobs import __version__
from jobs.logsetup import TailHandler
from jobs.processors import registry
from jobs.states import JobState
from jobs.store.base import Job

log = logging.getLogger(__name__)

APP_TITLE = "Parqueue"


def file_dialog_filter() -> str:
    """"Supported files (*.csv *.xlsx …);;Tables (…);;…" from the processor registry."""
    kinds = registry.kinds()
    every = " ".join(f"*{ext}" for exts in kinds.values() for ext in exts)
    names = {
        "table": QCoreApplication.translate("MainWindow", "Tables"),
        "text": QCoreApplication.translate("MainWindow", "Text documents"),
        "image": QCoreApplication.translate("MainWindow", "Images"),
    }
    parts = [QCoreApplication.translate("MainWindow", "Supported files") + f" ({every})"]
    parts += [f"{names.get(kind, kind)} ({' '.join('*' + e for e in exts)})" for kind, exts in kinds.items()]
    parts.append(QCoreApplication.translate("MainWindow", "All files") + " (*)")
    return ";;".join(parts)


def free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or ``stem-2.suffix`` and up when it is taken: exports never overwrite."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


class MainWindow(QMainWindow):
    """The window a person double-clicks.

    Emits no signals of its own; the parts it owns do (see :class:`JobWatcher`, :class:`Engine`).
    """

    def __init__(self, engine: Engine, settings: Settings, log_tail: TailHandler | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.log_tail = log_tail
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self.resize(1180, 760)

        self.model = JobTableModel(self)
        self.watcher = JobWatcher(engine.store, self)
        self.watcher.jobsChanged.connect(self.model.apply_batch)
        self.batch = BatchTracker(self)
        self.watcher.countsChanged.connect(self.batch.update_counts)
        self.notifier = Notifier(self)

        self.view = JobView(self.model)
        self.details = DetailsPane()
        self.drop_zone = DropZone()
        self.notice = NoticeBar()
        self.summary = StatusSummary()
        self.job_actions = JobActions(self)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.stack = QStackedWidget()
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(splitter)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.highlight = DropHighlight(central)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self.statusBar().addPermanentWidget(self.summary)
        self.statusBar().setSizeGripEnabled(True)
        self._connect()
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(1000)
        self._progress_timer.timeout.connect(self._update_progress)
        self._update_empty_state()
        self._restore_geometry()
        self._started = False

    # -- construction -------------------------------------------------------------------------------

    def _action(self, icon: str, text: str, slot: object, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(icons.action_icon(icon), text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.add_files_action = self._action("add-files", self.tr("Add files…"), self.add_files,
                                             QKeySequence(QKeySequence.StandardKey.Open))
        self.add_folder_action = self._action("add-folder", self.tr("Add folder…"), self.add_folder,
                                              QKeySequence("Ctrl+Shift+O"))
        self.pause_queue_action = self._action("pause", self.tr("Pause queue"), self.toggle_queue_pause,
                                               QKeySequence("Ctrl+Shift+Space"))
        self.retry_failed_action = self._action("retry", self.tr("Retry failed"), self.retry_failed)
        self.clear_finished_action = self._action("clear", self.tr("Clear finished"), self.clear_finished)
        self.open_output_action = self._action("open-folder", self.tr("Open output folder"), self.open_output_folder)
        self.settings_action = self._action("settings", self.tr("Settings…"), self.show_settings,
                                            QKeySequence(QKeySequence.StandardKey.Preferences))
        self.about_action = self._action("about", self.tr("About Parqueue"), self.show_about)
        self.catalog_action = self._action("export", self.tr("Catalog of selected jobs…"), self.make_catalog,
                                           QKeySequence("Ctrl+Shift+E"))
        self.quit_action = self._action("quit", self.tr("Quit"), self.close,
                                        QKeySequence(QKeySequence.StandardKey.Quit))
        remove = self.job_actions[REMOVE]
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # Delete in a text field edits text
        self.view.addActions(list(self.job_actions.actions.values()))

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Main"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.add_files_action)
        bar.addAction(self.add_folder_action)
        bar.addSeparator()
        bar.addAction(self.pause_queue_action)
        bar.addAction(self.retry_failed_action)
        bar.addAction(self.clear_finished_action)
        bar.addSeparator()
        bar.addAction(self.job_actions[EXPORT])
        bar.addAction(self.open_output_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.settings_action)
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_menus(self) -> None:
        menubar = self.menuBar()
        file_menu = menubar.addMenu(self.tr("&File"))
        file_menu.addAction(self.add_files_action)
        file_menu.addAction(self.add_folder_action)
        file_menu.addSeparator()
        file_menu.addAction(self.open_output_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        queue_menu = menubar.addMenu(self.tr("&Queue"))
        queue_menu.addAction(self.pause_queue_action)
        queue_menu.addAction(self.retry_failed_action)
        queue_menu.addAction(self.clear_finished_action)
        self.job_menu = menubar.addMenu(self.tr("&Job"))
        self._fill_job_menu(self.job_menu)
        help_menu = menubar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _fill_job_menu(self, menu: QMenu) -> None:
        a = self.job_actions
        for name in (EXPORT, OPEN_FOLDER):
            menu.addAction(a[name])
        menu.addSeparator()
        for name in (PAUSE, RESUME, CANCEL, RETRY):
            menu.addAction(a[name])
        menu.addSeparator()
        menu.addAction(self.catalog_action)
        menu.addSeparator()
        menu.addAction(a[REMOVE])

    def _connect(self) -> None:
        self.drop_zone.addFilesRequested.connect(self.add_files)
        self.drop_zone.addFolderRequested.connect(self.add_folder)
        self.job_actions.triggered.connect(self.run_job_action)
        self.view.actions_delegate.actionClicked.connect(self._row_action)
        self.view.removeRequested.connect(lambda: self.run_job_action(REMOVE))
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.view.doubleClicked.connect(lambda _index: self.run_job_action(OPEN_FOLDER))
        self.model.rowsInserted.connect(self._update_empty_state)
        self.model.rowsRemoved.connect(self._update_empty_state)
        self.model.flushed.connect(self._model_flushed)
        self.watcher.countsChanged.connect(self.summary.set_counts)
        self.watcher.countsChanged.connect(self._counts_changed)
        self.watcher.workersChanged.connect(self.summary.set_workers)
        self.watcher.queuePausedChanged.connect(self._queue_paused_changed)
        self.batch.progressChanged.connect(self._batch_progress)
        self.batch.batchFinished.connect(self._batch_finished)
        self.notifier.fallback.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.engine.scanStarted.connect(self._scan_started)
        self.engine.scanProgress.connect(self._scan_progress)
        self.engine.scanFinished.connect(self._scan_finished)
        self.engine.actionFailed.connect(self._action_failed)
        self.engine.poolStarted.connect(self._pool_started)
        self.details.rerunRequested.connect(self._rerun)
        self.details.exportRequested.connect(self.export_file)

    # -- life cycle -----------------------------------------------------------------------------------

    def start(self) -> None:
        """After the window is shown: read the store, start the workers."""
        if self._started:
            return
        self._started = True
        self.watcher.start()
        self.engine.start_pool()
        self._progress_timer.start()
        QTimer.singleShot(300, self._warm_up)

    def _warm_up(self) -> None:
        """Show the job-list page once, unseen, so its first real appearance (on the first drop, often a
        big one) does not pay for polishing and laying out the details pane right then."""
        if self.stack.currentWidget() is self.drop_zone:
            self.stack.setCurrentWidget(self.splitter)
            self.stack.setCurrentWidget(self.drop_zone)

    def ask_close(self) -> CloseChoice:
        """What to do with running jobs; a method so tests can answer for the user."""
        return ask_close(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        keep = False
        if self._started and self.engine.has_active_jobs():
            choice = self.ask_close()
            if choice == CloseChoice.CANCEL:
                event.ignore()
                return
            keep = choice == CloseChoice.BACKGROUND
        self._save_geometry()
        self.hide()
        self._progress_timer.stop()
        self.watcher.stop()
        self.notifier.hide()
        self.engine.shutdown(keep_processing=keep)
        event.accept()

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/splitter")
        if state is None or not self.splitter.restoreState(state):
            self.splitter.setSizes([430, 300])

    def _save_geometry(self) -> None:
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.set_value("window/splitter", self.splitter.saveState())

    # -- adding files ---------------------------------------------------------------------------------

    def queue_paths(self, paths: list[Path]) -> None:
        if paths:
            self.engine.add_paths(paths)

    @Slot()
    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add files"), "", file_dialog_filter())
        self.queue_paths([Path(f) for f in files])

    @Slot()
    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add folder"))
        if folder:
            self.queue_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if paths_from_mime(event.mimeData()):
            event.acceptProposedAction()
            self._set_drag_highlight(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drag_highlight(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drag_highlight(False)
        paths = paths_from_mime(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.queue_paths(paths)  # returns at once: the scan runs in the background

    def _set_drag_highlight(self, on: bool) -> None:
        if self.stack.currentWidget() is self.drop_zone:
            self.drop_zone.set_active(on)
        elif on:
            self.highlight.cover(self.stack)
        if not on:
            self.highlight.hide()

    @Slot()
    def _scan_started(self) -> None:
        self.statusBar().showMessage(self.tr("Adding files…"))
        self._update_empty_state()

    @Slot(int)
    def _scan_progress(self, queued: int) -> None:
        self.statusBar().showMessage(self.tr("Adding files… {0} queued").format(queued))

    @Slot(object)
    def _scan_finished(self, report: ScanReport) -> None:
        parts = [self.tr("1 file queued") if report.queued == 1 else
                 self.tr("{0} files queued").format(report.queued)]
        if report.duplicates:
            parts.append(self.tr("{0} already in the queue, not added twice").format(report.duplicates))
        self.statusBar().showMessage("; ".join(parts), 10000)
        problems: list[str] = []
        details: list[str] = []
        if report.unsupported_count:
            problems.append(
                self.tr("1 file was skipped: Parqueue does not read its type.") if report.unsupported_count == 1
                else self.tr("{0} files were skipped: Parqueue does not read their type.")
                .format(report.unsupported_count))
            details += [str(p) for p in report.unsupported]
            if report.unsupported_count > len(report.unsupported):
                details.append(self.tr("… and {0} more").format(report.unsupported_count - len(report.unsupported)))
        if report.missing:
            problems.append(self.tr("1 file was not found.") if len(report.missing) == 1
                            else self.tr("{0} files were not found.").format(len(report.missing)))
            details += [str(p) for p in report.missing]
        if report.duplicates:
            problems.append(self.tr("1 file is already queued.") if report.duplicates == 1
                            else self.tr("{0} files are already queued.").format(report.duplicates))
        if problems:
            self.notice.show_notice(" ".join(problems), "\n".join(details), self.tr("Files not added"))
        self._update_empty_state()

    @Slot(str)
    def _action_failed(self, message: str) -> None:
        self.notice.show_notice(message)

    @Slot(bool)
    def _pool_started(self, owner: bool) -> None:
        if not owner:
            self.statusBar().showMessage(
                self.tr("Another Parqueue process is running the workers; this window follows its progress."), 10000
            )

    # -- the list and the selection -----------------------------------------------------------------

    @Slot()
    def _update_empty_state(self) -> None:
        has_rows = self.model.rowCount() > 0 or self.model.pending
        self.stack.setCurrentWidget(self.splitter if has_rows else self.drop_zone)

    def selected_jobs(self) -> list[Job]:
        return self.view.selected_jobs()

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, *_: object) -> None:
        self.job_actions.update_for(self.selected_jobs())

    def _show_current(self) -> None:
        self.details.set_job(self.view.current_job())

    @Slot()
    def _model_flushed(self) -> None:
        current = self.view.current_job()
        if current is not None and current is not self.details.job:
            self.details.set_job(current)
        if len(self.view.selectionModel().selectedRows()) <= 2000:
            self.job_actions.update_for(self.selected_jobs())
        self._update_empty_state()

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        self._fill_job_menu(menu)
        menu.popup(self.view.viewport().mapToGlobal(pos))
        self._last_menu = menu

    @Slot(str, int)
    def _row_action(self, name: str, job_id: int) -> None:
        job = self.model.job_by_id(job_id)
        if job is not None:
            self.apply_action(name, [job])

    @Slot(str)
    def run_job_action(self, name: str) -> None:
        self.apply_action(name, self.selected_jobs())

    def apply_action(self, name: str, jobs: list[Job]) -> None:
        """Apply ``name`` to the given jobs where it makes sense (multi-select skips the others)."""
        targets = [j for j in jobs if applies(name, j)]
        if not targets:
            return
        ids = [j.id for j in targets]
        if name == EXPORT:
            self.export_jobs(targets)
        elif name == OPEN_FOLDER:
            self.open_folders(targets)
        elif name == PAUSE:
            self.engine.pause(ids)
        elif name == RESUME:
            self.engine.resume(ids)
        elif name == CANCEL:
            self.engine.cancel(ids)
        elif name == RETRY:
            self.engine.retry(ids)
        elif name == REMOVE:
            self.engine.remove(ids)

    # -- export and folders ---------------------------------------------------------------------------

    def export_jobs(self, jobs: list[Job]) -> None:
        outputs = [Path(o) for j in jobs for o in j.outputs if o.lower().endswith(".parquet")]
        if not outputs:
            return
        if len(outputs) == 1:
            self.export_file(str(outputs[0]))
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export {0} Parquet files to").format(len(outputs)))
        if not folder:
            return
        target = Path(folder)

        def copy_all() -> list[Path]:
            done = []
            for src in outputs:
                dst = free_name(target, src.name)
                shutil.copy2(src, dst)
                done.append(dst)
            return done

        run_in_background(copy_all, self._exported, self)

    @Slot(str)
    def export_file(self, source: str) -> None:
        src = Path(source)
        dest, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export Parquet"), str(Path.home() / src.name), self.tr("Parquet files (*.parquet)")
        )
        if not dest:
            return
        target = Path(dest)
        if target.suffix.lower() != ".parquet":
            target = target.with_name(target.name + ".parquet")

        def copy_one() -> list[Path]:
            if target.resolve() != src.resolve():
                shutil.copy2(src, target)  # the save dialog already asked before replacing a file
            return [target]

        run_in_background(copy_one, self._exported, self)

    def _exported(self, done: list[Path] | None, error: BaseException | None) -> None:
        if error is not None or not done:
            self.notice.show_notice(self.tr("Export failed: {0}").format(error))
            return
        where = done[0] if len(done) == 1 else done[0].parent
        self.statusBar().showMessage(self.tr("Exported {0} file(s) to {1}").format(len(done), where), 10000)

    @Slot()
    def make_catalog(self) -> None:
        """One Parquet with a row per selected image (and per table or text job): a searchable table."""
        jobs = [j for j in self.selected_jobs() if j.state.succeeded] or [
            j for j in self.model.jobs() if j.state.succeeded]
        if not jobs:
            self.notice.show_notice(self.tr("No finished job to catalog yet."))
            return
        dest, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save catalog"), str(self.settings.output_dir / "catalog.parquet"),
            self.tr("Parquet files (*.parquet)"))
        if not dest:
            return
        target = Path(dest) if dest.lower().endswith(".parquet") else Path(dest + ".parquet")

        def build() -> list[Path]:
            from jobs.catalog import CatalogEntry, build_catalog

            entries = [CatalogEntry(Path(o), job_id=j.id, source=j.path, kind=j.kind)
                       for j in jobs for o in j.outputs if o.endswith(("_image.parquet", "_summary.parquet"))]
            build_catalog(entries, target)
            return [target]

        run_in_background(build, self._exported, self)

    def open_folders(self, jobs: list[Job]) -> None:
        folders: list[Path] = []
        for job in jobs:
            folder = Path(job.outputs[0]).parent if job.outputs else Path(job.out_dir or job.path).parent
            if job.out_dir and not job.outputs:
                folder = Path(job.out_dir)
            if folder not in folders:
                folders.append(folder)
        for folder in folders[:5]:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @Slot()
    def open_output_folder(self) -> None:
        folder = self.settings.output_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- queue-wide actions ---------------------------------------------------------------------------

    @Slot()
    def toggle_queue_pause(self) -> None:
        self.engine.set_queue_paused(not bool(self.watcher.queue_paused))

    @Slot(bool)
    def _queue_paused_changed(self, paused: bool) -> None:
        action = self.pause_queue_action
        action.setText(self.tr("Resume queue") if paused else self.tr("Pause queue"))
        action.setIcon(icons.action_icon("resume" if paused else "pause"))
        if paused:
            self.statusBar().showMessage(self.tr("Queue paused: no new job starts."), 5000)

    @Slot()
    def retry_failed(self) -> None:
        self.engine.retry_failed()

    @Slot()
    def clear_finished(self) -> None:
        self.engine.clear_finished()

    @Slot(int, object)
    def _rerun(self, job_id: int, options: dict[str, object]) -> None:
        self.engine.rerun(job_id, options)
        self.statusBar().showMessage(self.tr("Queued again with the new options."), 5000)

    # -- progress, title, notifications ----------------------------------------------------------------

    @Slot(object)
    def _counts_changed(self, counts: dict[JobState, int]) -> None:
        self.retry_failed_action.setEnabled(counts.get(JobState.FAILED, 0) > 0)
        finished = sum(n for s, n in counts.items() if s.is_final)
        self.clear_finished_action.setEnabled(finished > 0)

    @Slot(int, int)
    def _batch_progress(self, done: int, total: int) -> None:
        if total:
            percent = round(100 * done / total)
            self.setWindowTitle(f"{APP_TITLE} — {done}/{total} ({percent} %)")
        else:
            self.setWindowTitle(APP_TITLE)

    @Slot(object)
    def _batch_finished(self, ended: dict[JobState, int]) -> None:
        if self.settings.notify_when_done:
            self.notifier.notify(self.tr("Parqueue: batch finished"), batch_message(ended))

    @Slot()
    def _update_progress(self) -> None:
        rate, seconds_left = queue_eta(self.model.active_jobs())
        self.summary.set_progress(rate, seconds_left)

    # -- dialogs --------------------------------------------------------------------------------------

    @Slot()
    def show_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings_dialog = dialog

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Parqueue"),
            self.tr("<h3>Parqueue {0}</h3><p>Drop files, get clean typed Parquet.</p>"
                    "<p>CSV, Excel, text and images become Parquet with a profile, through a crash-safe "
                    "job queue.</p>").format(__version__),
        )

