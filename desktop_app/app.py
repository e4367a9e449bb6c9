"""Starting the window: ``run_app()`` is what ``python main.py`` (no arguments) calls.

The window shows before anything slow happens: the worker pool starts, and the job store is read, only
once the event loop runs; pyarrow and Pillow load on first use in worker threads.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from jobs import APP_ID, APP_NAME, __version__
from jobs.logsetup import TailHandler, setup_logging

if TYPE_CHECKING:
    from desktop_app.main_window import MainWindow

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    return QApplication(argv if argv is not None else sys.argv[:1])


def build_window(app: QApplication, tail: TailHandler | None = None) -> MainWindow:
    """Translations, icons, error reporting and the window itself (shown by the caller)."""
    from desktop_app import i18n, icons
    from desktop_app.engine import Engine
    from desktop_app.main_window import MainWindow
    from desktop_app.settings import Settings

    i18n.install(app)
    app.setWindowIcon(icons.app_icon())
    settings = Settings(app)
    engine = Engine(settings, parent=app)
    return MainWindow(engine, settings, tail)


def _since_launch(now: float) -> float:
    import psutil

    return now - psutil.Process().create_time()


def _quit_once_shown(window: MainWindow) -> None:
    """``gui --quit-when-shown``: smoke tests of the built app check the window starts and quits cleanly."""
    from desktop_app.close_dialog import CloseChoice

    def quit_now() -> None:
        print(f"window shown: {window.windowTitle()}; launch to shown {_since_launch(shown_at):.2f} s", flush=True)
        window.ask_close = lambda: CloseChoice.STOP  # type: ignore[method-assign]
        window.close()

    shown_at = time.time()
    QTimer.singleShot(500, quit_now)


def _quit_on_signals(window: MainWindow) -> None:
    """SIGTERM/SIGINT close the window without asking (running jobs resume at the next start).

    Python runs signal handlers only between bytecodes, so a light timer gives it the chance while Qt's
    event loop waits.
    """
    from desktop_app.close_dialog import CloseChoice

    def handler(signum: int, frame: object) -> None:
        log.info("signal %s: closing", signum)
        window.ask_close = lambda: CloseChoice.STOP  # type: ignore[method-assign]
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    ticker = QTimer(window)
    ticker.setInterval(250)
    ticker.timeout.connect(lambda: None)
    ticker.start()


def run_app(paths: list[str]) -> int:
    """Open the window, queue ``paths`` (files given on the command line or by the OS), run until closed."""
    tail = setup_logging()
    from desktop_app.errors import ErrorReporter, route_qt_messages

    route_qt_messages()
    app = create_application()
    reporter = ErrorReporter(app)
    reporter.install()
    window = build_window(app, tail)
    from desktop_app.file_open import FileOpenFilter

    file_opener = FileOpenFilter(app)
    file_opener.files_opened.connect(window.queue_paths)
    app.installEventFilter(file_opener)
    window.show()

    def after_shown() -> None:
        window.start()
        window.queue_paths([Path(p) for p in paths])

    QTimer.singleShot(0, after_shown)
    _quit_on_signals(window)
    if os.environ.get("PARQUEUE_QUIT_WHEN_SHOWN"):
        _quit_once_shown(window)
    log.info("Parqueue %s window open", __version__)
    code = app.exec()
    reporter.uninstall()
    return int(code)
