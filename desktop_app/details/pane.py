"""The details pane: a header for the selected job, the options card, and the four tabs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_app import icons
from desktop_app.details.log import LogTab
from desktop_app.details.options_card import OptionsCard
from desktop_app.details.output import OutputTab
from desktop_app.details.preview import PreviewTab
from desktop_app.details.profile import ProfileTab
from desktop_app.formatting import human_size, kind_label, state_label
from jobs.states import JobState
from jobs.store.base import Job

NOTE_CHARS = 300  # of an error or warning in the header; the tooltip and the Log tab have it whole


class DetailsPane(QWidget):
    """Follows the selected job.

    Signals:
        rerunRequested(int, object): from the options card (job id, options dict).
        exportRequested(str): from the Output tab (the output file's path).
    """

    rerunRequested = Signal(int, object)
    exportRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel()
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle.setWordWrap(True)
        head_text = QVBoxLayout()
        head_text.setSpacing(0)
        # Why a job failed, or its first warning: what a person wants to know first, without opening the Log tab.
        self.note = QLabel()
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setWordWrap(True)
        self.note.hide()
        head_text.addWidget(self.title)
        head_text.addWidget(self.subtitle)
        head_text.addWidget(self.note)
        head = QHBoxLayout()
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(head_text, 1)
        self.options = OptionsCard()
        self.options.rerunRequested.connect(self.rerunRequested)
        self.preview = PreviewTab()
        self.profile = ProfileTab()
        self.output = OutputTab()
        self.output.exportRequested.connect(self.exportRequested)
        self.log = LogTab()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.preview, self.tr("Preview"))
        self.tabs.addTab(self.profile, self.tr("Profile"))
        self.tabs.addTab(self.output, self.tr("Output"))
        self.tabs.addTab(self.log, self.tr("Log"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(head)
        layout.addWidget(self.options)
        layout.addWidget(self.tabs, 1)
        self.job: Job | None = None
        self.set_job(None)

    def set_job(self, job: Job | None) -> None:
        self.job = job
        if job is None:
            self.icon.clear()
            self.title.setText(self.tr("No job selected"))
            self.subtitle.setText(self.tr("Select a row to see its preview, profile, output and log."))
        else:
            self.icon.setPixmap(icons.status_icon(job.state).pixmap(QSize(32, 32), self.devicePixelRatioF()))
            self.title.setText(job.name)
            parts = [kind_label(job.kind), human_size(job.size), state_label(job.state)]
            self.subtitle.setText(" · ".join(p for p in parts if p) + "\n" + str(Path(job.path).parent))
        self._show_note(job)
        self.options.show_job(job)
        self.preview.show_source(Path(job.path) if job is not None else None)
        finished = job is not None and job.state.succeeded
        outputs = list(job.outputs) if job is not None else []
        self.profile.show_outputs(job.id if job else None, outputs, finished)
        self.output.show_outputs(job.id if job else None, outputs)
        self.log.show_job(job)

    def _show_note(self, job: Job | None) -> None:
        text, more = "", 0
        if job is not None and job.state == JobState.FAILED and job.error:
            text = job.error
        elif job is not None and job.warnings:
            text, more = job.warnings[0], len(job.warnings) - 1
        if not text:
            self.note.hide()
            return
        shown = text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS].rstrip() + "…"
        if more:
            shown += " " + self.tr("(and %n more in the Log tab)", "", more)
        self.note.setText(shown)
        self.note.setToolTip(text)
        self.note.show()
