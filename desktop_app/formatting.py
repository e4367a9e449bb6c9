"""How sizes, rates, durations and column types read in the window (translated, locale-aware where Qt offers it)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

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
    if seconds < 0.05:
        return "< 0.1 s"
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


_STATE_LABELS = {
    JobState.QUEUED: QT_TRANSLATE_NOOP("JobState", "Queued"),
    JobState.RUNNING: QT_TRANSLATE_NOOP("JobState", "Running"),
    JobState.PAUSED: QT_TRANSLATE_NOOP("JobState", "Paused"),
    JobState.COMPLETED: QT_TRANSLATE_NOOP("JobState", "Completed"),
    JobState.COMPLETED_WITH_WARNINGS: QT_TRANSLATE_NOOP("JobState", "Completed with warnings"),
    JobState.FAILED: QT_TRANSLATE_NOOP("JobState", "Failed"),
    JobState.CANCELLED: QT_TRANSLATE_NOOP("JobState", "Cancelled"),
    JobState.INTERRUPTED: QT_TRANSLATE_NOOP("JobState", "Interrupted"),
}
_KIND_LABELS = {
    "table": QT_TRANSLATE_NOOP("JobKind", "Table"),
    "text": QT_TRANSLATE_NOOP("JobKind", "Text"),
    "image": QT_TRANSLATE_NOOP("JobKind", "Image"),
}


def state_label(state: JobState) -> str:
    """The user-facing name of a job state."""
    return QCoreApplication.translate("JobState", _STATE_LABELS[state])


def kind_label(kind: str) -> str:
    label = _KIND_LABELS.get(kind)
    return QCoreApplication.translate("JobKind", label) if label else kind


# Arrow's type names, by prefix, as people who never met Arrow call them (the exact name is the tooltip).
_TYPE_LABELS = (
    ("int", QT_TRANSLATE_NOOP("ColumnType", "Whole number")),
    ("uint", QT_TRANSLATE_NOOP("ColumnType", "Whole number")),
    ("double", QT_TRANSLATE_NOOP("ColumnType", "Number")),
    ("float", QT_TRANSLATE_NOOP("ColumnType", "Number")),
    ("decimal", QT_TRANSLATE_NOOP("ColumnType", "Decimal")),
    ("bool", QT_TRANSLATE_NOOP("ColumnType", "Yes / no")),
    ("date", QT_TRANSLATE_NOOP("ColumnType", "Date")),
    ("timestamp", QT_TRANSLATE_NOOP("ColumnType", "Date and time")),
    ("time", QT_TRANSLATE_NOOP("ColumnType", "Time of day")),
    ("string", QT_TRANSLATE_NOOP("ColumnType", "Text")),
    ("large_string", QT_TRANSLATE_NOOP("ColumnType", "Text")),
    ("binary", QT_TRANSLATE_NOOP("ColumnType", "Bytes")),
    ("null", QT_TRANSLATE_NOOP("ColumnType", "Empty")),
)


# "timestamp" before "time", "uint" before "int" ...
_TYPE_LABELS_LONGEST_FIRST = sorted(_TYPE_LABELS, key=lambda pair: -len(pair[0]))


def type_label(arrow_type: str) -> str:
    """``int64`` reads "Whole number", ``timestamp[us, tz=UTC]`` "Date and time"; unknown names stay as they are."""
    name = arrow_type.strip().lower()
    for prefix, label in _TYPE_LABELS_LONGEST_FIRST:
        if name.startswith(prefix):
            return QCoreApplication.translate("ColumnType", label)
    return arrow_type
