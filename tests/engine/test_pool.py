"""The worker pool with real processes: cancel, pause, queue pause, retry, and recovery from SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from jobs.recovery import recover
from jobs.states import JobState
from jobs.submit import submit_files
from tests.engine.conftest import Engine
from tests.engine.helpers import sha256, wait_final, wait_for, wait_running_with_progress, write_words

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _words(job_outputs: list[str]) -> dict[str, int]:
    [path] = [p for p in job_outputs if p.endswith("_words.parquet")]
    table = pq.read_table(path)
    return dict(zip(table["word"].to_pylist(), table["count"].to_pylist(), strict=True))


def test_jobs_run_in_worker_processes_and_outputs_are_exact(engine: Engine, tmp_path: Path) -> None:
    files = []
    expected = {}
    for i in range(6):
        f = tmp_path / f"doc{i}.txt"
        expected[f.name] = write_words(f, 0.2, seed=i)
        files.append(f)
    hashes = {f: sha256(f) for f in files}
    pool = engine.pool(2)
    assert pool.start()
    submitted = submit_files(engine.store, engine.queue, files, engine.out_dir)
    workers_seen = set()
    for job_id in submitted.new:
        job = wait_final(engine.store, job_id)
        assert job.state == JobState.COMPLETED, job.error
        assert _words(job.outputs) == dict(expected[job.name])
        workers_seen.add(job.worker.split(":")[1])  # type: ignore[union-attr]
    assert str(os.getpid()) not in workers_seen  # processed in workers, not here
    assert all(sha256(f) == h for f, h in hashes.items())


def test_the_same_unchanged_file_is_not_queued_twice(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "once.txt"
    write_words(f, 0.1)
    first = submit_files(engine.store, engine.queue, [f], engine.out_dir)
    second = submit_files(engine.store, engine.queue, [f], engine.out_dir)
    assert len(first.new) == 1 and second.new == [] and [j.id for j in second.duplicates] == first.new


def test_cancel_a_running_job_within_a_second_leaves_no_output(engine: Engine, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    write_words(big, 150)
    engine.pool(1).start()
    [job_id] = submit_files(engine.store, engine.queue, [big], engine.out_dir).new
    wait_running_with_progress(engine.store, job_id)
    asked = time.monotonic()
    engine.store.request_cancel(job_id)
    job = wait_for(engine.store, job_id, lambda j: j.state.is_final, timeout=5)
    took = time.monotonic() - asked
    assert job.state == JobState.CANCELLED and took < 1.0, took
    assert not engine.out_dir.exists() or list(engine.out_dir.iterdir()) == []


def test_a_cancelled_queued_job_never_starts(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "later.txt"
    write_words(f, 0.1)
    [job_id] = submit_files(engine.store, engine.queue, [f], engine.out_dir).new
    engine.store.request_cancel(job_id)
    engine.pool(1).start()
    time.sleep(1.5)
    job = engine.store.get(job_id)
    assert job is not None and job.state == JobState.CANCELLED and job.attempt == 0


def test_pause_holds_a_running_job_and_resume_finishes_it(engine: Engine, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    want = write_words(big, 120)
    engine.pool(1).start()
    [job_id] = submit_files(engine.store, engine.queue, [big], engine.out_dir).new
    wait_running_with_progress(engine.store, job_id)
    engine.store.transition(job_id, JobState.PAUSED)
    time.sleep(0.6)  # the worker reaches its next chunk boundary and holds
    held = engine.store.get(job_id).done  # type: ignore[union-attr]
    time.sleep(1.0)
    job = engine.store.get(job_id)
    assert job is not None and job.state == JobState.PAUSED and job.done == held
    engine.store.transition(job_id, JobState.RUNNING)
    job = wait_final(engine.store, job_id)
    assert job.state == JobState.COMPLETED and _words(job.outputs) == dict(want)


def test_a_paused_queue_starts_no_new_job(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "wait.txt"
    write_words(f, 0.1)
    engine.store.set_queue_paused(True)
    engine.pool(1).start()
    [job_id] = submit_files(engine.store, engine.queue, [f], engine.out_dir).new
    time.sleep(2.0)
    assert engine.store.get(job_id).state == JobState.QUEUED  # type: ignore[union-attr]
    engine.store.set_queue_paused(False)
    assert wait_final(engine.store, job_id).state == JobState.COMPLETED


def test_retry_runs_a_failed_job_again_as_a_new_attempt(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "appears-later.txt"
    engine.pool(1).start()
    [job_id] = submit_files(engine.store, engine.queue, [f], engine.out_dir).new
    job = wait_final(engine.store, job_id)
    assert job.state == JobState.FAILED and "appears-later.txt: file not found" in (job.error or "")
    write_words(f, 0.1)
    engine.store.requeue(job_id, retry=True)
    engine.queue.submit([job_id])
    job = wait_final(engine.store, job_id)
    assert job.state == JobState.COMPLETED and job.attempt == 2


def _busy_worker(pool_pids: list[int]) -> int:
    return max(pool_pids, key=lambda pid: psutil.Process(pid).cpu_times().user)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX; Windows uses TerminateProcess")
def test_a_worker_killed_mid_job_is_replaced_and_the_job_completes(engine: Engine, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    want = write_words(big, 150)
    pool = engine.pool(2)
    pool.start()
    [job_id] = submit_files(engine.store, engine.queue, [big], engine.out_dir).new
    job = wait_running_with_progress(engine.store, job_id)
    victim = int(job.worker.split(":")[1])  # type: ignore[union-attr]
    os.kill(victim, signal.SIGKILL)
    job = wait_final(engine.store, job_id, timeout=120)
    assert job.state == JobState.COMPLETED and job.attempt == 2
    assert _words(job.outputs) == dict(want)
    assert [p.name for p in engine.out_dir.iterdir()] == ["big_summary.parquet", "big_words.parquet"] or sorted(
        p.name for p in engine.out_dir.iterdir()) == ["big_summary.parquet", "big_words.parquet"]
    assert pool.alive == 2 and victim not in pool.pids


def test_a_job_interrupted_three_times_fails_with_a_message(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "cursed.txt"
    write_words(f, 0.1)
    [job_id] = submit_files(engine.store, engine.queue, [f], engine.out_dir).new
    for _ in range(3):
        engine.store.claim(job_id, "elsewhere:999999:dead")
        recover(engine.store, engine.queue)
    job = engine.store.get(job_id)
    assert job is not None and job.state == JobState.FAILED
    assert "interrupted 3 times" in (job.error or "") and "cursed.txt" in (job.error or "")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killing_the_pool_owner_stops_every_worker_and_a_new_pool_resumes(engine: Engine, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    want = write_words(big, 150)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    owner = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "run", "--workers", "2", "--out", str(out), str(big)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    job = wait_for(engine.store, 1, lambda j: j.state == JobState.RUNNING and j.done > 0, timeout=60)
    workers = [c for c in psutil.Process(owner.pid).children(recursive=True)]
    assert len(workers) == 2
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == [], f"workers outlived their parent: {[p.pid for p in alive]}"
    # The job was running when its pool died: the next pool finds it and finishes it.
    engine.pool(2).start()
    job = wait_final(engine.store, job.id, timeout=120)
    assert job.state == JobState.COMPLETED and job.attempt == 2
    assert _words(job.outputs) == dict(want)


def test_a_pool_whose_workers_cannot_start_says_so_instead_of_spinning(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jobs.pool

    monkeypatch.setattr(jobs.pool, "self_command", lambda *a: [sys.executable, "-c", "raise SystemExit(3)"])
    pool = engine.pool(2)
    pool.start()
    deadline = time.monotonic() + 20
    while pool.broken is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pool.broken is not None and "exit right after starting" in pool.broken


def test_only_one_pool_runs_per_data_folder_and_a_passive_one_takes_over(engine: Engine) -> None:
    first = engine.pool(1)
    second = engine.pool(1)
    assert first.start() is True
    assert second.start() is False and second.alive == 0
    first.stop()
    deadline = time.monotonic() + 10
    while not (second.owner and second.alive == 1) and time.monotonic() < deadline:
        time.sleep(0.1)  # the take-over happens on the passive pool's supervisor thread
    assert second.owner and second.alive == 1


def test_a_pool_started_on_one_thread_releases_its_lock_when_stopped_from_another(engine: Engine) -> None:
    import threading

    pool = engine.pool(1)
    starter = threading.Thread(target=pool.start)
    starter.start()
    starter.join()
    assert pool.owner
    pool.stop()
    successor = engine.pool(1)
    assert successor.start() is True
