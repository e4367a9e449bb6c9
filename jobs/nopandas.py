"""Keep pandas out of a process that runs processors: none of them uses it, and pyarrow would import it.

pyarrow imports pandas on the first ``pa.array(list)`` of a process whenever pandas is installed: 0.25 s and
60 MB per worker for nothing. Workers call :func:`keep_pandas_out` first (and so does the benchmark, to
measure the processor as it runs in a worker).
"""

from __future__ import annotations

import importlib.abc
import sys
from typing import Any


class _NoPandas(importlib.abc.MetaPathFinder):
    """Makes ``import pandas`` fail with ImportError, as if it were not installed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError(f"{name} is kept out of Parqueue's workers")
        return None


def keep_pandas_out() -> None:
    """Tell Python that pandas is absent (a no-op when it is already imported).

    Not with ``sys.modules["pandas"] = None``: pyarrow's compiled import then receives None instead of an
    ImportError, and the first ``pa.array(list)`` of the process raises AttributeError (a job that got there
    before the warm-up would fail).
    """
    if "pandas" not in sys.modules and not any(isinstance(f, _NoPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoPandas())
