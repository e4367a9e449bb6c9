"""The Log tab: a job's errors and warnings in full, with its attempts and measurements; copyable."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app import icons
from desktop_app.formatting import human_duration, state_label
from jobs.store.base import Job


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "—"


def job_report(job: Job, log_lines: list[str] | None = None) -> str:
    lines = [
        f"{job.name} — {state_label(job.state)}",
        f"file: {job.path}",
        f"job {job.id} · attempt {job.attempt} of {job.max_attempts}",
        f"queued {_when(job.queued_at)} · started {_when(job.started_at)} · finished {_when(job.finished_at)}",
    ]
    if job.seconds is not None:
        lines.append(f"took {human_duration(job.seconds)}")
    if job.error:
        lines += ["", "ERROR", job.error]
    if job.warnings:
        lines += ["", f"WARNINGS ({len(job.warnings)})", *job.warnings]
    if job.outputs:
        lines += ["", "OUTPUTS", *job.outputs]
    if job.metrics:
        lines += ["", "MEASURED", json.dumps(job.metrics, indent=2, default=str, ensure_ascii=False)]
    if job.options:
        lines += ["", "OPTIONS", json.dumps(job.options, indent=2, default=str, ensure_ascii=False)]
    if log_lines:
        lines += ["", "LOG", *log_lines]
    return "\n".join(lines)


class LogTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        copy = QPushButton(icons.action_icon("copy"), self.tr("Copy"))
        copy.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)

    def show_job(self, job: Job | None, log_lines: list[str] | None = None) -> None:
        text = job_report(job, log_lines) if job is not None else ""
        if text != self.text.toPlainText():
            self.text.setPlainText(text)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
