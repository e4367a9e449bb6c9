"""User settings shared by the window and the command line (a JSON file in the user config folder).

The window edits them in its Settings dialog; ``run`` and ``serve`` read them for their defaults, and
flags override them. ``PARQUEUE_WORKERS`` overrides the worker count for one process tree.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from jobs import paths

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"


@dataclass
class Settings:
    workers: int | None = None  # None: one per CPU
    output_dir: str | None = None  # None: paths.default_output_dir()
    compression: str = "zstd"
    overwrite: str = "rename"  # "rename": a new name when a file exists; "replace": replace it atomically
    thumbnails: bool = True
    thumb_size: int = 300
    optimize_format: str = "same"
    metadata: str = "keep"
    notify_when_done: bool = True

    def worker_count(self) -> int:
        env = os.environ.get("PARQUEUE_WORKERS")
        if env and env.isdigit() and int(env) > 0:
            return int(env)
        return self.workers or max(1, os.cpu_count() or 1)

    def out_dir(self) -> Path:
        return Path(self.output_dir).expanduser() if self.output_dir else paths.default_output_dir()

    def job_options(self) -> dict[str, Any]:
        """The settings that become per-job processor options."""
        return {"compression": self.compression, "overwrite": self.overwrite, "thumbnails": self.thumbnails,
                "thumb_size": self.thumb_size,
                "optimize_format": self.optimize_format, "metadata": self.metadata}


def settings_file() -> Path:
    return paths.config_dir() / FILE_NAME


def load() -> Settings:
    path = settings_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings file %s: %s", path, exc)
        return Settings()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in raw.items() if k in known})


def save(settings: Settings) -> None:
    path = settings_file()
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    os.replace(tmp, path)
