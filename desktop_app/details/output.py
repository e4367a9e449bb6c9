"""The Output tab: each produced Parquet file with its schema, row count, size and first rows."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app import icons
from desktop_app.details.grid_model import GridView
from desktop_app.details.loaders import OutputInfo, read_outputs
from desktop_app.formatting import human_size
from desktop_app.threads import run_in_background

# Fields named above the grid: a wide table's 2,000 would fill the pane and squeeze the grid to two rows (and
# laying out that much rich text stalls the window); the grid's headers name every column.
SCHEMA_FIELDS = 30


class OutputTab(QWidget):
    """Signals:
        exportRequested(str): the user wants a copy of this output file.
    """

    exportRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files = QListWidget()
        self.files.currentRowChanged.connect(self._show_file)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.schema = QLabel()
        self.schema.setWordWrap(True)
        self.schema.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.grid = GridView()
        self.export = QPushButton(icons.action_icon("export"), self.tr("Export this file…"))
        self.export.setEnabled(False)
        self.export.clicked.connect(self._export)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export)
        right_layout.addLayout(top)
        right_layout.addWidget(self.schema)
        right_layout.addWidget(self.grid, 1)
        splitter = QSplitter()
        splitter.addWidget(self.files)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([180, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.infos: list[OutputInfo] = []
        self._key: tuple[int, tuple[str, ...]] | None = None

    def show_outputs(self, job_id: int | None, outputs: list[str]) -> None:
        key = (job_id or 0, tuple(outputs))
        if key == self._key:
            return
        self._key = key
        self.infos = []
        self.files.clear()
        self.grid.set_grid(None)
        self.schema.clear()
        self.export.setEnabled(False)
        if not outputs:
            self.summary.setText(self.tr("No output yet.") if job_id is not None else "")
            return
        self.summary.setText(self.tr("Reading outputs…"))
        run_in_background(lambda: read_outputs(outputs), lambda r, e: self._loaded(key, r, e), self)

    def _loaded(self, key: tuple[int, tuple[str, ...]], infos: list[OutputInfo] | None,
                error: BaseException | None) -> None:
        if key != self._key:
            return
        if error is not None or infos is None:
            self.summary.setText(self.tr("The outputs could not be read: {0}").format(error))
            return
        self.infos = infos
        for info in infos:
            item = QListWidgetItem(f"{info.path.name}\n{human_size(info.size)}")
            item.setToolTip(str(info.path))
            self.files.addItem(item)
        self.files.setCurrentRow(0)

    def _show_file(self, row: int) -> None:
        if not 0 <= row < len(self.infos):
            return
        info = self.infos[row]
        self.export.setEnabled(info.error is None)
        if info.error:
            self.summary.setText(f"{info.path.name}: {info.error}")
            self.schema.clear()
            self.grid.set_grid(None)
            return
        parts = [info.path.name, human_size(info.size)]
        if info.rows is not None:
            parts.append(self.tr("{0} rows").format(f"{info.rows:,}"))
        if info.columns is not None:
            parts.append(self.tr("{0} columns").format(info.columns))
        self.summary.setText(" · ".join(parts))
        shown = info.schema[:SCHEMA_FIELDS]
        text = ", ".join(f"<b>{html.escape(name)}</b> {html.escape(kind)}" for name, kind in shown)
        if len(info.schema) > SCHEMA_FIELDS:
            text += self.tr(", … and {0} more").format(f"{len(info.schema) - SCHEMA_FIELDS:,}")
        self.schema.setText(text)
        self.grid.set_grid(info.grid)

    def current_path(self) -> str | None:
        row = self.files.currentRow()
        return str(self.infos[row].path) if 0 <= row < len(self.infos) else None

    def _export(self) -> None:
        path = self.current_path()
        if path:
            self.exportRequested.emit(path)
