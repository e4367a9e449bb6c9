"""Files the operating system asks Parqueue to open: a drop on the macOS Dock icon, Finder's "Open With".

macOS delivers these as ``QFileOpenEvent`` to the application object, not as command-line arguments.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFileOpenEvent


class FileOpenFilter(QObject):
    """An application event filter that turns file-open events into a signal.

    Signals:
        files_opened(list): the paths (``list[Path]``) the system asked to open.
    """

    files_opened = Signal(list)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file() or event.url().toLocalFile()
            if path:
                self.files_opened.emit([Path(path)])
            return True
        return super().eventFilter(watched, event)
