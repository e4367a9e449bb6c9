"""Job states: only the allowed transitions happen, in the enum and in the store."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from jobs.states import ALLOWED, JobState, TransitionError, can_transition, check_transition
from jobs.store import NewJob, open_store

ALL_PAIRS = list(itertools.product(JobState, JobState))
FORBIDDEN = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED[a]]


def test_the_documented_life_cycle_is_allowed() -> None:
    path = [JobState.QUEUED, JobState.RUNNING, JobState.PAUSED, JobState.RUNNING, JobState.COMPLETED]
    for old, new in itertools.pairwise(path):
        assert can_transition(old, new)
    for end in (JobState.COMPLETED_WITH_WARNINGS, JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED):
        assert can_transition(JobState.RUNNING, end)
    for old in (JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED):
        assert can_transition(old, JobState.QUEUED)  # retry / automatic re-queue


def test_finished_jobs_never_move_again() -> None:
    for done in (JobState.COMPLETED, JobState.COMPLETED_WITH_WARNINGS):
        assert ALLOWED[done] == frozenset()


@pytest.mark.parametrize(("old", "new"), FORBIDDEN, ids=[f"{a.value}->{b.value}" for a, b in FORBIDDEN])
def test_every_forbidden_transition_is_refused(old: JobState, new: JobState, tmp_path: Path) -> None:
    with pytest.raises(TransitionError):
        check_transition(old, new)
    store = open_store(tmp_path)
    [job_id] = store.add_jobs([NewJob("/x/a.txt", "text", "text", 1, 1, str(tmp_path))])
    # Walk the job to `old` through allowed steps, then try the forbidden one through the store.
    route = {
        JobState.QUEUED: [],
        JobState.RUNNING: [JobState.RUNNING],
        JobState.PAUSED: [JobState.RUNNING, JobState.PAUSED],
        JobState.COMPLETED: [JobState.RUNNING, JobState.COMPLETED],
        JobState.COMPLETED_WITH_WARNINGS: [JobState.RUNNING, JobState.COMPLETED_WITH_WARNINGS],
        JobState.FAILED: [JobState.RUNNING, JobState.FAILED],
        JobState.CANCELLED: [JobState.CANCELLED],
        JobState.INTERRUPTED: [JobState.RUNNING, JobState.INTERRUPTED],
    }[old]
    for step in route:
        store.transition(job_id, step)
    before = store.get(job_id)
    assert before is not None and before.state == old
    with pytest.raises(TransitionError):
        store.transition(job_id, new)
    after = store.get(job_id)
    assert after is not None and after.state == old and after.seq == before.seq
