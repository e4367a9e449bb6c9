"""How sizes, rates and durations read in the window (translated, locale-aware where Qt offers it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from jobs.states import JobState

_SIZE_UNITS = ("B", "KB", "MB", "GB", "TB")


def human_size(n: int | float | None) -> str:
    """Decimal units, as file managers show them: ``1.2 MB``."""
    if n is None:
        return ""
    value = float(n)
    for unit in _SIZE_UNITS:
        if abs(value) < 1000 or unit == _SIZE_UNITS[-1]:
            if unit == "B":
                return f"{int(value)} B"
            return f"{QLocale().toString(value, 'f', 1)} {unit}"
        value /= 1000
    return f"{value:.1f} TB"  # pragma: no cover - the loop always returns


def human_rate(rate: float, unit: str = "bytes") -> str:
    if rate <= 0:
        return ""
    if unit == "bytes":
        return f"{human_size(rate)}/s"
    per_second = QCoreApplication.translate("Format", "{n} rows/s")
    return per_second.format(n=QLocale().toString(round(rate)))


def human_duration(seconds: float | None) -> str:
    """``0.4 s``, ``12 s``, ``3 min 05 s``, ``1 h 02 min``."""
    if seconds is None:
        return ""
    if seconds < 10:
        return f"{QLocale().toString(seconds, 'f', 1)} s"
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def state_label(state: JobState) -> str:
    """The user-facing name of a job state."""
    t = QCoreApplication.translate
    labels = {
        JobState.QUEUED: t("JobState", "Queued"),
        JobState.RUNNING: t("JobState", "Running"),
        JobState.PAUSED: t("JobState", "Paused"),
        JobState.COMPLETED: t("JobState", "Completed"),
        JobState.COMPLETED_WITH_WARNINGS: t("JobState", "Completed with warnings"),
        JobState.FAILED: t("JobState", "Failed"),
        JobState.CANCELLED: t("JobState", "Cancelled"),
        JobState.INTERRUPTED: t("JobState", "Interrupted"),
    }
    return labels[state]


def kind_label(kind: str) -> str:
    t = QCoreApplication.translate
    return {"table": t("JobKind", "Table"), "text": t("JobKind", "Text"), "image": t("JobKind", "Image")}.get(
        kind, kind
    )
