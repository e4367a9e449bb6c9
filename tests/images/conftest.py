"""Fixtures for the image tests: a picture factory and a processor runner writing into tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from image_samples import make

from jobs.processors.base import ProcessOptions, ProcessResult, no_progress
from jobs.processors.image import process


@pytest.fixture
def make_image(tmp_path: Path) -> Callable[[str], Path]:
    return lambda kind: make(kind, tmp_path / "in")


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., ProcessResult]:
    def _run(source: Path, **extra: object) -> ProcessResult:
        return process(source, ProcessOptions(tmp_path / "out", extra), no_progress)

    return _run
