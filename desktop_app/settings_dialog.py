"""The Settings dialog: output folder, workers, what to produce, overwrite policy, notifications."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.settings import COMPRESSIONS, Settings


class SettingsDialog(QDialog):
    """Edits :class:`~desktop_app.settings.Settings`; OK applies (workers change live)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Parqueue Settings"))
        self.output = QLineEdit(str(settings.output_dir))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        self.workers = QSpinBox()
        self.workers.setRange(1, 64)
        self.workers.setValue(settings.workers)
        self.thumbnails = QCheckBox(self.tr("Make thumbnails of pictures"))
        self.thumbnails.setChecked(settings.thumbnails)
        self.compression = QComboBox()
        for name in COMPRESSIONS:
            self.compression.addItem(name, name)
        self.compression.setCurrentIndex(COMPRESSIONS.index(settings.compression))
        self.overwrite = QComboBox()
        self.overwrite.addItem(self.tr("Keep both: give the new file another name"), "rename")
        self.overwrite.addItem(self.tr("Replace the existing file"), "replace")
        self.overwrite.setCurrentIndex(max(0, self.overwrite.findData(settings.overwrite)))
        self.notify = QCheckBox(self.tr("Notify me when a batch is done"))
        self.notify.setChecked(settings.notify_when_done)
        form = QFormLayout()
        form.addRow(self.tr("Output folder:"), out_row)
        form.addRow(self.tr("Workers:"), self.workers)
        form.addRow(self.tr("Parquet compression:"), self.compression)
        form.addRow(self.tr("Existing files:"), self.overwrite)
        form.addRow("", self.thumbnails)
        form.addRow("", self.notify)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Output folder"), self.output.text())
        if folder:
            self.output.setText(folder)

    def accept(self) -> None:
        self.settings.apply(
            output_dir=Path(self.output.text()).expanduser() if self.output.text().strip() else None,
            workers=self.workers.value(),
            thumbnails=self.thumbnails.isChecked(),
            compression=str(self.compression.currentData()),
            overwrite=str(self.overwrite.currentData()),
            notify_when_done=self.notify.isChecked(),
        )
        super().accept()
