"""Every test gets its own Parqueue home (data, logs, outputs) so nothing touches the user's folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt aborts without a display unless told otherwise, and must be told before it is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def parqueue_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "parqueue-home"
    monkeypatch.setenv("PARQUEUE_HOME", str(home))
    for var in ("PARQUEUE_DATA_DIR", "PARQUEUE_DATA", "PARQUEUE_LOG_DIR", "PARQUEUE_OUTPUT_DIR",
                "PARQUEUE_CONFIG_DIR", "PARQUEUE_REDIS_URL"):
        monkeypatch.delenv(var, raising=False)
    yield home
