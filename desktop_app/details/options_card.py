"""What was detected in a file (encoding, delimiter, header row, decimal mark, date order, sheets), editable,
with Re-run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app import icons
from desktop_app.flow_layout import flow_widget
from jobs.processors.base import MAX_SKIP_LINES
from jobs.states import JobState
from jobs.store.base import Job

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac-roman", "shift_jis", "gb18030")
DELIMITERS = ((",", ", (comma)"), (";", "; (semicolon)"), ("\t", "tab"), ("|", "| (pipe)"))
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class _ShrinkingComboBox(QComboBox):
    """As wide as its longest choice when there is room; narrower (the choice elided) when there is not.

    The card's choices wrap onto a second line before any is cut; this is for a window narrower than one
    choice and its label.
    """

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("M" * 6) + 24), hint.height())


class _HintLabel(QLabel):
    """One line of secondary text, drawn whole or not at all (half a hint, cut off, reads as a glitch); its
    tooltip always holds it."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.fontMetrics().horizontalAdvance(self.text()) > self.width():
            return
        painter = QPainter(self)
        self.style().drawItemText(painter, self.rect(), int(self.alignment()), self.palette(), self.isEnabled(),
                                  self.text(), QPalette.ColorRole.WindowText)


def detected_value(job: Job, key: str) -> Any:
    """The user's choice for ``key`` if any, else what the processor detected and reported."""
    if job.options.get(key) is not None:
        return job.options[key]
    value = job.metrics.get(key)
    if value is None and key == "sheet":
        value = job.metrics.get("sheets")
    return value


class OptionsCard(QGroupBox):
    """Shown for table (and text) jobs.

    Signals:
        rerunRequested(int, object): the job id and the options to run it with (``dict``).
    """

    rerunRequested = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Detected"), parent)
        self.encoding = _ShrinkingComboBox()
        self.encoding.setEditable(True)
        self.encoding.addItems(list(ENCODINGS))
        self.delimiter = _ShrinkingComboBox()
        for value, label in DELIMITERS:
            self.delimiter.addItem(label, value)
        self.header = _ShrinkingComboBox()
        self.header.addItem(self.tr("Names in first row"), True)
        self.header.addItem(self.tr("No header row"), False)
        self.decimal = _ShrinkingComboBox()
        self.decimal.addItem(self.tr(". (point)"), ".")
        self.decimal.addItem(self.tr(", (comma)"), ",")
        # Only dates whose values all read both ways wait for this: a day above 12 tells the order by itself.
        self.dates = _ShrinkingComboBox()
        self.dates.addItem(self.tr("as the values tell"), None)
        self.dates.addItem(self.tr("day first (31/12)"), "dmy")
        self.dates.addItem(self.tr("month first (12/31)"), "mdy")
        self.dates.setToolTip(self.tr("Which comes first in dates such as 01/02/2024, which read both ways. "
                                      "A date with a day above 12 tells by itself; without one, such dates "
                                      "stay text unless chosen here."))
        # Title and account lines above the header (bank statements, reports): detected; 0 keeps every line.
        self.skip_lines = QSpinBox()
        self.skip_lines.setRange(0, MAX_SKIP_LINES)
        self.skip_lines.setToolTip(self.tr("Lines above the header that are no part of the table, such as a "
                                           "title or an account number."))
        self._skip_shown = 0
        # Shown when totals lines ended the table (or the user kept them): set aside unless read as rows.
        self.totals = _ShrinkingComboBox()
        self.totals.addItem(self.tr("set aside"), False)
        self.totals.addItem(self.tr("read as rows"), True)
        self.totals.setToolTip(self.tr("Lines such as 'Total;;1.234,56' at the end of the table: set aside in the "
                                       "rejects file, or read as rows of data."))
        self.sheets = QLineEdit()
        self.sheets.setMinimumWidth(160)
        self.sheets.setPlaceholderText(self.tr("all sheets"))
        self.rerun = QPushButton(icons.action_icon("rerun"), self.tr("Re-run"))
        self.rerun.clicked.connect(self._rerun)
        self.summary = _HintLabel()
        self.summary.setEnabled(False)  # drawn as secondary text
        # The last item of the flow below: it wraps like a choice. (An "Ignored" width, as in the one-row card,
        # gives a flow item no width at all: the hint never showed.) As tall as a choice, its text level with
        # theirs: the flow puts items at the top of their line.
        self.summary.setMinimumHeight(self.encoding.sizeHint().height())
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # One row when it fits: the card sits above the preview and the profile, which need the height more.
        # When it does not (a narrow window, longer labels in another language, every choice on show) the
        # choices wrap onto a second line rather than push the window's minimum width past the screen.
        row = QHBoxLayout()
        row.setSpacing(6)
        choices, flow = flow_widget(spacing=0)
        self._fields: dict[QWidget, QWidget] = {}
        for label, editor in (
            (self.tr("Encoding:"), self.encoding),
            (self.tr("Delimiter:"), self.delimiter),
            (self.tr("Header:"), self.header),
            (self.tr("Decimal mark:"), self.decimal),
            (self.tr("Dates:"), self.dates),
            (self.tr("Skip lines:"), self.skip_lines),
            (self.tr("Totals:"), self.totals),
            (self.tr("Sheets:"), self.sheets),
        ):
            field = QWidget()
            pair = QHBoxLayout(field)
            pair.setContentsMargins(0, 0, 8, 0)
            caption = QLabel(label)
            caption.setBuddy(editor)
            pair.addWidget(caption)
            pair.addWidget(editor)
            flow.addWidget(field)
            self._fields[editor] = field
        flow.addWidget(self.summary)
        row.addWidget(choices, 1)
        row.addWidget(self.rerun, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 4, 9, 4)
        layout.addLayout(row)
        self.job: Job | None = None

    def _set_row_visible(self, editor: QWidget, visible: bool) -> None:
        self._fields[editor].setVisible(visible)

    def _row_visible(self, editor: QWidget) -> bool:
        return self._fields[editor].isVisibleTo(self)  # whether or not the card itself is on screen

    def show_job(self, job: Job | None) -> None:
        """Refill the fields only when the job or its state changed, so edits in progress survive."""
        previous = self.job
        self.job = job
        if job is None or job.kind not in ("table", "text"):
            self.hide()
            return
        self.show()
        self.rerun.setEnabled(job.state.is_final or job.state == JobState.INTERRUPTED)
        self.rerun.setToolTip("" if self.rerun.isEnabled() else self.tr("Available when the job has finished."))
        if previous is not None and previous.id == job.id and previous.state == job.state:
            return
        # An HTML table or XML Spreadsheet named .xls is read as text: its choices are a CSV's, less the delimiter.
        suffix = Path(job.path).suffix.lower()
        # A .xml job is an XML Spreadsheet (the registry queues no other XML), known before it has run.
        markup = job.metrics.get("markup") or ("spreadsheetml" if suffix == ".xml" else None)
        is_excel = suffix in EXCEL_SUFFIXES and not markup
        is_table = job.kind == "table"
        # An XML Spreadsheet declares its encoding and writes numbers plainly: neither is the user's to choose.
        self._set_row_visible(self.encoding, not is_excel and markup != "spreadsheetml")
        self._set_row_visible(self.delimiter, is_table and not is_excel and not markup)
        self._set_row_visible(self.header, is_table)
        self._set_row_visible(self.decimal, is_table and not is_excel and markup != "spreadsheetml")
        self._set_row_visible(self.dates, is_table)
        self._set_row_visible(self.skip_lines, is_table and not is_excel)
        self._set_row_visible(self.sheets, is_excel or markup == "spreadsheetml")
        kept = bool(job.options.get("keep_totals"))
        self._set_row_visible(self.totals, is_table and (kept or bool(job.metrics.get("totals"))))
        self.totals.setCurrentIndex(int(kept))
        # In the title too: on a narrow window the hint beside Re-run gives up its room.
        self.setTitle(self.tr("Detected — change and Re-run") if job.state.is_final
                      else self.tr("Detected — shows when the job finishes"))
        encoding = detected_value(job, "encoding")
        self.encoding.setCurrentText(str(encoding) if encoding else "utf-8")
        delimiter = detected_value(job, "delimiter")
        index = self.delimiter.findData(delimiter) if delimiter is not None else 0
        self.delimiter.setCurrentIndex(max(0, index))
        header = detected_value(job, "header")
        self.header.setCurrentIndex(0 if header is None or bool(header) else 1)
        decimal = detected_value(job, "decimal")
        self.decimal.setCurrentIndex(1 if decimal == "," else 0)
        self.dates.setCurrentIndex(max(0, self.dates.findData(detected_value(job, "date_order"))))
        self._skip_shown = int(detected_value(job, "skip_lines") or 0)
        self.skip_lines.setValue(self._skip_shown)
        sheets = detected_value(job, "sheet")
        self.sheets.setText(", ".join(map(str, sheets)) if isinstance(sheets, list) else str(sheets or ""))
        known = [k for k in ("encoding", "delimiter", "header", "decimal", "sheets") if k in job.metrics]
        if known:
            self.summary.setText(self.tr("as detected"))
        elif not job.state.is_final:
            self.summary.setText(self.tr("what was detected shows when the job finishes"))
        else:
            self.summary.setText(self.tr("defaults: nothing detected yet"))

    def options(self) -> dict[str, Any]:
        job = self.job
        if job is None:
            return {}
        out: dict[str, Any] = {}
        if self._row_visible(self.encoding):
            out["encoding"] = self.encoding.currentText().strip() or None
        if self._row_visible(self.delimiter):
            out["delimiter"] = self.delimiter.currentData()
        if self._row_visible(self.header):
            out["header"] = bool(self.header.currentData())
        if self._row_visible(self.decimal):
            out["decimal"] = self.decimal.currentData()
        if self._row_visible(self.dates):
            out["date_order"] = self.dates.currentData()
        # Only a change is the user's: passing what was shown would turn the look for title lines off.
        if self._row_visible(self.skip_lines) and (
            self.skip_lines.value() != self._skip_shown or job.options.get("skip_lines") is not None
        ):
            out["skip_lines"] = self.skip_lines.value()
        if self._row_visible(self.totals) and self.totals.currentData():
            out["keep_totals"] = True
        if self._row_visible(self.sheets):
            names = [s.strip() for s in self.sheets.text().split(",") if s.strip()]
            out["sheet"] = names or None
        return {k: v for k, v in out.items() if v is not None}

    def _rerun(self) -> None:
        if self.job is not None:
            self.rerunRequested.emit(self.job.id, self.options())
