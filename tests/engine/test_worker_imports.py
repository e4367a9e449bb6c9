"""What a worker process keeps out: pandas, which pyarrow would import on first use (0.25 s, 60 MB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str) -> str:
    """What a fresh interpreter prints running ``code`` in the project (asserting it succeeds)."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_pandas_is_kept_out_and_pyarrow_works_from_the_first_call():
    code = (
        "from jobs.nopandas import keep_pandas_out\n"
        "keep_pandas_out()\n"
        "import pyarrow as pa\n"
        "assert pa.array([1, 2]).to_pylist() == [1, 2]  # the first list conversion of the process\n"
        "assert pa.table({'a': [1]}).num_rows == 1\n"
        "try:\n"
        "    import pandas\n"
        "except ImportError:\n"
        "    print('no pandas')\n"
    )
    assert _python(code).strip() == "no pandas"


def test_a_worker_starts_without_the_other_commands():
    # The first job waits for the worker's imports: the pool, the submitter and the CLI commands are not its own.
    code = (
        "import sys\n"
        "from jobs.cli.main import main\n"
        "try:\n"
        "    main(['worker', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "others = ('jobs.cli.run', 'jobs.cli.manage', 'jobs.pool', 'jobs.submit')\n"
        "print(sorted(m for m in others if m in sys.modules))\n"
    )
    printed = _python(code)
    assert "--data-dir" in printed
    assert printed.strip().splitlines()[-1] == "[]"


def test_the_engine_keeps_openblas_threads_from_spinning():
    """Importing the engine first turns off OpenBLAS's spinning threads (one per core), whoever starts the
    process and whatever its environment says."""
    import os

    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip("counts threads in /proc")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = "import os, jobs, numpy\nprint(len(os.listdir('/proc/self/task')))\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"
