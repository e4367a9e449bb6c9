"""The Profile tab: one row per column with type, nulls, distinct, min/max/mean, top values and a small chart.

The chart is drawn per row by :class:`ChartDelegate`: a histogram where the profile has bins, otherwise
bars of the most frequent values, because people would rather look than read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.details.loaders import ColumnProfile, Profile, read_profile
from desktop_app.formatting import type_label
from desktop_app.threads import run_in_background

Index = QModelIndex | QPersistentModelIndex

COL_P_NAME, COL_P_TYPE, COL_P_NULLS, COL_P_DISTINCT, COL_P_MIN, COL_P_MAX, COL_P_MEAN, COL_P_CHART, COL_P_TOP = range(9)
PROFILE_ROLE = Qt.ItemDataRole.UserRole + 10
CHART_COLOUR = QColor("#0072B2")


class ProfileModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile = Profile()
        self._headers = [
            self.tr("Column"), self.tr("Type"), self.tr("Nulls"), self.tr("Distinct"), self.tr("Min"),
            self.tr("Max"), self.tr("Mean"), self.tr("Distribution"), self.tr("Top values"),
        ]

    def set_profile(self, profile: Profile) -> None:
        self.beginResetModel()
        self.profile = profile
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.profile.columns)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.profile.columns[index.row()]
        if role == PROFILE_ROLE:
            return col
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(col, index.column(), role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_P_NULLS, COL_P_DISTINCT, COL_P_MEAN):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _type_text(self, col: ColumnProfile, tooltip: bool) -> str:
        if col.unit == "%":
            if tooltip:
                return self.tr("{0}: percentages, stored as fractions (12 % is 0.12)").format(col.type)
            return self.tr("Percentage")
        if col.unit == "h":
            if tooltip:
                return self.tr("{0}: durations in hours, stored as numbers (38:30 is 38.5)").format(col.type)
            return self.tr("Duration (hours)")
        if col.unit:
            if tooltip:
                return self.tr("{0}: amounts written with {1}, stored as numbers").format(col.type, col.unit)
            return self.tr("Amount ({0})").format(col.unit)
        return col.type if tooltip else type_label(col.type)

    def _text(self, col: ColumnProfile, column: int, tooltip: bool) -> str:
        if column == COL_P_NAME:
            return col.name
        if column == COL_P_TYPE:
            return self._type_text(col, tooltip)
        if column == COL_P_NULLS:
            if col.null_pct is not None:
                return f"{col.null_pct:.1f} %"
            return "" if col.nulls is None else str(col.nulls)
        if column == COL_P_DISTINCT:
            return "" if col.distinct is None else f"{col.distinct:,}"
        if column == COL_P_MIN:
            return col.minimum
        if column == COL_P_MAX:
            return col.maximum
        if column == COL_P_MEAN:
            return col.mean
        if column == COL_P_TOP:
            if col.top and all(c == 1 for _, c in col.top) and col.distinct and col.distinct > len(col.top):
                return self.tr("No value repeats")  # a key or an id: its first ten values say nothing
            sep = "\n" if tooltip else ", "
            return sep.join(f"{v} ({c:,})" if c else v for v, c in col.top)
        if column == COL_P_CHART and tooltip:
            if col.counts:
                return self.tr("Histogram: {0} bins").format(len(col.counts))
            return "\n".join(f"{v}: {c:,}" for v, c in col.top)
        return ""


class ChartDelegate(QStyledItemDelegate):
    """A histogram (bins) or bars of the most frequent values, in the cell's rectangle."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(140, 40)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        col: ColumnProfile | None = index.data(PROFILE_ROLE)
        if col is None:
            return
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        colour = QColor(CHART_COLOUR)
        if option.palette.color(QPalette.ColorRole.Base).lightness() < 128:
            colour = QColor("#56B4E9")  # lighter blue on dark backgrounds
        painter.setBrush(colour)
        if col.counts:
            self._histogram(painter, rect, col.counts)
        elif col.top and any(c for _, c in col.top):
            self._bars(painter, rect, [c for _, c in col.top[:5]])
        painter.restore()

    @staticmethod
    def _histogram(painter: QPainter, rect: QRectF, counts: list[int]) -> None:
        peak = max(counts) or 1
        width = rect.width() / len(counts)
        for i, count in enumerate(counts):
            height = max(1.0, rect.height() * count / peak) if count else 0.0
            painter.drawRect(QRectF(rect.left() + i * width + 0.5, rect.bottom() - height,
                                    max(1.0, width - 1.0), height))

    @staticmethod
    def _bars(painter: QPainter, rect: QRectF, counts: list[int]) -> None:
        peak = max(counts) or 1
        height = rect.height() / len(counts)
        for i, count in enumerate(counts):
            painter.drawRoundedRect(QRectF(rect.left(), rect.top() + i * height + 0.5,
                                           max(2.0, rect.width() * count / peak), max(1.0, height - 1.5)), 1, 1)


class ProfileTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.model = ProfileModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(COL_P_CHART, ChartDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(42)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(COL_P_CHART, 140)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        self._key: tuple[int, tuple[str, ...]] | None = None

    def show_outputs(self, job_id: int | None, outputs: list[str], finished: bool) -> None:
        key = (job_id or 0, tuple(outputs))
        if key == self._key:
            return
        self._key = key
        self.model.set_profile(Profile())
        if job_id is None:
            self.note.setText("")
            return
        if not finished or not outputs:
            self.note.setText(self.tr("The profile appears when the job has finished."))
            return
        self.note.setText(self.tr("Reading the profile…"))
        run_in_background(lambda: read_profile(outputs), lambda r, e: self._loaded(key, r, e), self)

    def _loaded(self, key: tuple[int, tuple[str, ...]], profile: Profile | None, error: BaseException | None) -> None:
        if key != self._key:
            return
        if error is not None or profile is None:
            self.note.setText(self.tr("The profile could not be read: {0}").format(error))
            return
        self.model.set_profile(profile)
        if profile.columns:
            self.note.setText(self.tr("{0} columns").format(len(profile.columns)) if profile.note is None
                              else self.tr("Most frequent words"))
            self.view.resizeColumnToContents(COL_P_NAME)
            self.view.resizeColumnToContents(COL_P_TYPE)
        else:
            self.note.setText(self.tr("No profile for this job."))
