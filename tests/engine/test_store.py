"""The SQLite job store: change counter, duplicates, several writing processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from jobs.states import JobState
from jobs.store import NewJob, open_store


def _job(tmp: Path, name: str = "a.txt", size: int = 10) -> NewJob:
    return NewJob(str(tmp / name), "text", "text", size, 123, str(tmp / "out"))


def test_readers_see_only_what_changed(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    a, b = store.add_jobs([_job(tmp_path, "a.txt"), _job(tmp_path, "b.txt")])
    seq, changed = store.changed_since(0)
    assert {j.id for j in changed} == {a, b}
    # Nothing changed: nothing returned, counter unchanged.
    assert store.changed_since(seq) == (seq, [])
    store.claim(b, "w")
    seq2, changed = store.changed_since(seq)
    assert seq2 > seq and [j.id for j in changed] == [b]
    store.remove([a])
    _, changed = store.changed_since(seq2)
    assert [(j.id, j.removed, j.state) for j in changed] == [(a, True, JobState.CANCELLED)]
    assert [j.id for j in store.list_jobs()] == [b]


def test_a_job_record_holds_everything_the_issue_names(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    [job_id] = store.add_jobs([_job(tmp_path)])
    job = store.claim(job_id, "host:1:x")
    assert job is not None and job.attempt == 1 and job.started_at and job.worker == "host:1:x"
    state, cancel = store.report_progress(job_id, 5, 10, 2.5)
    assert (state, cancel) == (JobState.RUNNING, False)
    done = store.transition(job_id, JobState.COMPLETED_WITH_WARNINGS, outputs=["o.parquet"], warnings=["w"],
                            metrics={"rows": 3})
    assert done.finished_at and done.outputs == ["o.parquet"] and done.warnings == ["w"]
    assert (done.done, done.total, done.rate, done.kind, done.size) == (5, 10, 2.5, "text", 10)
    assert done.queued_at and done.heartbeat and done.metrics == {"rows": 3}


def test_duplicate_detection_only_for_unchanged_active_files(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    [job_id] = store.add_jobs([_job(tmp_path)])
    assert store.find_active_duplicate(str(tmp_path / "a.txt"), 10, 123).id == job_id  # type: ignore[union-attr]
    assert store.find_active_duplicate(str(tmp_path / "a.txt"), 11, 123) is None  # changed file
    store.request_cancel(job_id)
    assert store.find_active_duplicate(str(tmp_path / "a.txt"), 10, 123) is None  # finished


def test_cancel_of_a_queued_job_is_immediate_and_of_a_running_one_is_a_request(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    a, b = store.add_jobs([_job(tmp_path, "a.txt"), _job(tmp_path, "b.txt")])
    assert store.request_cancel(a).state == JobState.CANCELLED
    assert store.claim(a, "w") is None  # a cancelled queued job never starts
    store.claim(b, "w")
    job = store.request_cancel(b)
    assert job.state == JobState.RUNNING and job.cancel_requested
    assert store.report_progress(b, 1, 10, 1.0) == (JobState.RUNNING, True)


def test_retry_gives_a_fresh_attempt_allowance(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    [job_id] = store.add_jobs([_job(tmp_path)])
    for _ in range(3):
        store.claim(job_id, "w")
        store.transition(job_id, JobState.INTERRUPTED)
        if store.get(job_id).attempt < 3:  # type: ignore[union-attr]
            store.requeue(job_id)
    store.transition(job_id, JobState.FAILED)
    job = store.requeue(job_id, retry=True)
    assert job.state == JobState.QUEUED and job.error is None and job.max_attempts == 6


def _hammer(db: str, job_ids: list[int], n: int) -> int:
    store = open_store(Path(db))
    errors = 0
    for i in range(n):
        for job_id in job_ids:
            try:
                store.report_progress(job_id, i, n, 1.0)
            except Exception:
                errors += 1
    return errors


def test_several_processes_write_at_once_without_lock_errors(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    ids = store.add_jobs([_job(tmp_path, f"{i}.txt") for i in range(4)])
    for job_id in ids:
        store.claim(job_id, "w")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        errors = pool.starmap(_hammer, [(str(tmp_path), [job_id], 300) for job_id in ids])
    assert errors == [0, 0, 0, 0]
    assert all(store.get(i).done == 299 for i in ids)  # type: ignore[union-attr]
    journal = store._conn().execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


def test_a_job_shows_done_only_once_its_outputs_are_written(tmp_path: Path) -> None:
    # All input read, outputs still being written (a wide table's profile): 99 %, never 100 %, until it succeeds.
    store = open_store(tmp_path)
    [job_id] = store.add_jobs([_job(tmp_path)])
    store.claim(job_id, "w")
    store.report_progress(job_id, 5, 10, 1.0)
    assert store.get(job_id).fraction == 0.5
    store.report_progress(job_id, 10, 10, 1.0)
    assert store.get(job_id).fraction == 0.99
    assert store.transition(job_id, JobState.COMPLETED).fraction == 1.0
