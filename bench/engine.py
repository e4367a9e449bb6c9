"""Engine benchmark: queue throughput, pickup latency and queue overhead, measured against the processor
called directly in the same run (the machine is shared: compare ratios, not absolute times).

    python bench/engine.py [--files 1000] [--workers 2]

Prints: jobs per second for N small text files through the worker pool (the whole `main.py run`
command, start-up included, and the pool alone once warm); time from queueing a job to its first progress
report; and the pool's time against a single-process loop calling the text processor directly.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_files(folder: Path, n: int) -> None:
    rnd = random.Random(1000)
    vocab = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9))) for _ in range(3000)]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lines = [" ".join(rnd.choice(vocab) for _ in range(12)) for _ in range(30)]
        (folder / f"note_{i:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def direct(folder: Path, out: Path) -> float:
    from jobs.processors.base import ProcessOptions, no_progress
    from jobs.processors.text import process

    start = time.perf_counter()
    for f in sorted(folder.iterdir()):
        process(f, ProcessOptions(out), no_progress)
    return time.perf_counter() - start


def whole_command(folder: Path, out: Path, home: Path, workers: int) -> float:
    env = {**os.environ, "PARQUEUE_HOME": str(home)}
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "run", "--json", "--workers", str(workers),
                    "--out", str(out), str(folder)], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def warm_pool(folder: Path, out: Path, home: Path, workers: int) -> tuple[float, float]:
    """(seconds for all jobs once the pool is up, median seconds from queueing to first progress)."""
    os.environ["PARQUEUE_HOME"] = str(home)
    from jobs import paths
    from jobs.pool import WorkerPool
    from jobs.queue import JobQueue
    from jobs.store import open_store
    from jobs.submit import submit_files

    data = paths.data_dir()
    store, queue = open_store(data), JobQueue(data)
    pool = WorkerPool(data, store, queue, workers)
    pool.start()
    try:
        # Warm up, then measure pickup latency one job at a time on an idle pool.
        latencies = []
        probe = sorted(folder.iterdir())[:5]
        for f in probe:
            queued = time.perf_counter()
            [job_id] = submit_files(store, queue, [f], out / "probe").new
            while True:
                job = store.get(job_id)
                if job is not None and (job.started_at or job.state.is_final):
                    break
                time.sleep(0.002)
            latencies.append(time.perf_counter() - queued)
            while not store.get(job_id).state.is_final:  # type: ignore[union-attr]
                time.sleep(0.01)
        start = time.perf_counter()
        ids = submit_files(store, queue, sorted(folder.iterdir()), out / "all").new
        remaining = set(ids)
        seq = 0
        while remaining:
            seq, changed = store.changed_since(seq)
            remaining -= {j.id for j in changed if j.state.is_final}
            time.sleep(0.01)
        return time.perf_counter() - start, statistics.median(latencies[1:])
    finally:
        pool.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        folder = tmpdir / "in"
        make_files(folder, args.files)
        t_direct = direct(folder, tmpdir / "direct")
        t_cmd = whole_command(folder, tmpdir / "cmd", tmpdir / "home-cmd", args.workers)
        t_pool, latency = warm_pool(folder, tmpdir / "pool", tmpdir / "home-pool", args.workers)
    n = args.files
    print(f"direct processor loop (1 process): {t_direct:.2f} s, {n / t_direct:.0f} files/s")
    print(f"`main.py run` whole command, {args.workers} workers: {t_cmd:.2f} s, {n / t_cmd:.0f} jobs/s, "
          f"{t_cmd / t_direct:.2f}x the direct loop")
    print(f"warm pool, {args.workers} workers: {t_pool:.2f} s, {n / t_pool:.0f} jobs/s, "
          f"queue overhead {t_pool / t_direct:.2f}x the direct loop")
    print(f"queueing to first progress on an idle pool: {latency * 1000:.0f} ms (median)")


if __name__ == "__main__":
    main()
