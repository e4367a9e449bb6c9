"""The frozen app: build it from build.spec and smoke-test the binary, not the source.

Slow (a PyInstaller build takes about a minute), so it runs when CI is set or PARQUEUE_TEST_FROZEN=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (os.environ.get("CI") or os.environ.get("PARQUEUE_TEST_FROZEN")),
                       reason="builds the app (~1 min): set PARQUEUE_TEST_FROZEN=1 or CI=true"),
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("frozen")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--dist", str(base / "dist"), "--work",
         str(base / "work"), "--no-archive"],
        capture_output=True, text=True, timeout=1200, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    print(result.stdout.strip().splitlines()[-1])
    return base / "dist"


@pytest.mark.timeout(1500)
def test_the_frozen_app_runs_every_kind_checks_and_opens_its_window(dist: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARQUEUE_")}
    env["PARQUEUE_HOME"] = os.environ["PARQUEUE_HOME"]
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "smoke_frozen.py"), str(dist)],
                            capture_output=True, text=True, timeout=600, env=env)
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "frozen smoke test: passed" in result.stdout
