"""What a worker process keeps out: pandas, which pyarrow would import on first use (0.25 s, 60 MB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "no pandas"
