"""CI launches the real app under Xvfb, drops files on it and takes a screenshot (scripts/screenshot.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xvfb-run") is None and not os.environ.get("CI"),
                    reason="needs Xvfb (apt: xvfb xauth and Qt's xcb libraries; .ci/run installs them)")
def test_the_screenshot_script_shows_jobs_in_several_states(tmp_path: Path) -> None:
    out = tmp_path / "screenshot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshot.py"), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    image = QImage(str(out))
    assert out.stat().st_size > 20_000 and image.width() >= 800 and image.height() >= 500
    profile = tmp_path / "screenshot-profile.png"  # the table job's Profile tab
    assert profile.stat().st_size > 20_000 and QImage(str(profile)).width() >= 800
