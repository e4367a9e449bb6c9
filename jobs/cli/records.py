"""One job as the JSON object ``run --json`` and ``jobs --json`` print."""

from __future__ import annotations

from typing import Any

from jobs.store.base import Job

_BASE_KEYS = ("id", "file", "kind", "status", "error", "warnings", "outputs", "rows", "columns", "seconds",
              "attempts")


def job_record(job: Job) -> dict[str, Any]:
    metrics = dict(job.metrics)
    record: dict[str, Any] = {
        "id": job.id,
        "file": job.path,
        "kind": job.kind,
        "status": job.state.value,
        "error": job.error,
        "warnings": job.warnings,
        "outputs": job.outputs,
        "rows": metrics.pop("rows", None),
        "columns": metrics.pop("columns", None),
        "seconds": metrics.pop("seconds", job.seconds),
        "attempts": job.attempt,
        "bytes": job.size,
    }
    for key, value in metrics.items():
        if key not in _BASE_KEYS:
            record[key] = value
    return record
