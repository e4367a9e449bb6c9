"""Job states and the only transitions allowed between them.

Every change of a job's state goes through :func:`check_transition`, so a job can never jump from, say,
``completed`` back to ``running``.
"""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    COMPLETED_WITH_WARNINGS = "completed_with_warnings"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES

    @property
    def is_active(self) -> bool:
        """Queued or in a worker's hands: the job will still make progress without the user."""
        return self in ACTIVE_STATES

    @property
    def succeeded(self) -> bool:
        return self in (JobState.COMPLETED, JobState.COMPLETED_WITH_WARNINGS)


FINAL_STATES = frozenset(
    {JobState.COMPLETED, JobState.COMPLETED_WITH_WARNINGS, JobState.FAILED, JobState.CANCELLED}
)
ACTIVE_STATES = frozenset({JobState.QUEUED, JobState.RUNNING, JobState.PAUSED, JobState.INTERRUPTED})

_FINISH = {
    JobState.COMPLETED,
    JobState.COMPLETED_WITH_WARNINGS,
    JobState.FAILED,
    JobState.CANCELLED,
}

ALLOWED: dict[JobState, frozenset[JobState]] = {
    # A queued job can fail without running: its file vanished, or its attempts ran out.
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.CANCELLED, JobState.FAILED}),
    JobState.RUNNING: frozenset({JobState.PAUSED, JobState.INTERRUPTED} | _FINISH),
    JobState.PAUSED: frozenset({JobState.RUNNING, JobState.INTERRUPTED, JobState.CANCELLED, JobState.FAILED}),
    # A dead worker's job goes back to the queue (a new attempt), or fails when attempts ran out.
    JobState.INTERRUPTED: frozenset({JobState.QUEUED, JobState.FAILED, JobState.CANCELLED}),
    # Retry: a failed or cancelled job runs again as a new attempt.
    JobState.FAILED: frozenset({JobState.QUEUED}),
    JobState.CANCELLED: frozenset({JobState.QUEUED}),
    JobState.COMPLETED: frozenset(),
    JobState.COMPLETED_WITH_WARNINGS: frozenset(),
}


class TransitionError(ValueError):
    """A state change that the job's life cycle forbids."""

    def __init__(self, job_id: int | None, old: JobState, new: JobState) -> None:
        who = f"job {job_id}" if job_id is not None else "job"
        super().__init__(f"{who} cannot go from {old.value} to {new.value}")
        self.job_id = job_id
        self.old = old
        self.new = new


def can_transition(old: JobState, new: JobState) -> bool:
    return new in ALLOWED[old]


def check_transition(old: JobState, new: JobState, job_id: int | None = None) -> None:
    if not can_transition(old, new):
        raise TransitionError(job_id, old, new)
