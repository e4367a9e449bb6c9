"""Where Parqueue keeps its data, logs and outputs.

One module decides every location so that tests, portable builds and several users on one machine never
collide. ``PARQUEUE_HOME`` moves everything (data, logs, default outputs) under one folder; the
finer ``PARQUEUE_DATA_DIR``, ``PARQUEUE_LOG_DIR`` and ``PARQUEUE_OUTPUT_DIR`` override one location each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from jobs import APP_NAME

_APP_DIRS = platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def home_override() -> Path | None:
    return _env_path("PARQUEUE_HOME")


def data_dir() -> Path:
    """The folder holding the job store and the queue; created on first use."""
    path = _env_path("PARQUEUE_DATA_DIR") or _env_path("PARQUEUE_DATA")
    if path is None:
        home = home_override()
        path = home / "data" if home else Path(_APP_DIRS.user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = _env_path("PARQUEUE_LOG_DIR")
    if path is None:
        home = home_override()
        path = home / "logs" if home else Path(_APP_DIRS.user_log_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_output_dir() -> Path:
    """Outputs land here unless a run or the settings choose another folder (created when first written)."""
    path = _env_path("PARQUEUE_OUTPUT_DIR")
    if path is None:
        home = home_override()
        path = home / "output" if home else Path(platformdirs.user_documents_dir()) / APP_NAME
    return path


def config_dir() -> Path:
    path = _env_path("PARQUEUE_CONFIG_DIR")
    if path is None:
        home = home_override()
        path = home / "config" if home else Path(_APP_DIRS.user_config_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource_root() -> Path:
    """The ``resources/`` folder, found the same way from a source checkout and from the frozen app."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
