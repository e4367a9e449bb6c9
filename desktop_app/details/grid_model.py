"""A read-only grid of strings (first rows of a table or a Parquet output)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_app.details.loaders import Grid

Index = QModelIndex | QPersistentModelIndex


class GridModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grid = Grid([], [])

    def set_grid(self, grid: Grid | None) -> None:
        self.beginResetModel()
        self._grid = grid or Grid([], [])
        self.endResetModel()

    @property
    def grid(self) -> Grid:
        return self._grid

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._grid.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._grid.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._grid.rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self._grid.headers[section] if section < len(self._grid.headers) else None
            return section + 1
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            types = self._grid.types
            return types[section] if section < len(types) else None
        return None


class GridView(QTableView):
    """A compact, copyable table for previews."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_model = GridModel(self)
        self.setModel(self.grid_model)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(120)

    def set_grid(self, grid: Grid | None) -> None:
        self.grid_model.set_grid(grid)
        if grid is not None and len(grid.headers) <= 30:
            self.resizeColumnsToContents()
            for col in range(len(grid.headers)):
                self.setColumnWidth(col, min(self.columnWidth(col), 260))
