"""How to start Parqueue itself as a child process, from source and from the frozen app alike."""

from __future__ import annotations

import subprocess
import sys
from typing import Any


def self_command(*args: str) -> list[str]:
    if getattr(sys, "frozen", False):
        # The frozen executable dispatches sub-commands itself (main.py's entry point).
        return [sys.executable, *args]
    return [sys.executable, "-m", "jobs.cli", *args]


def detached_kwargs() -> dict[str, Any]:
    """Start children in their own process group, so a Ctrl-C meant for the parent does not kill a job
    mid-write; the parent stops them itself, and they watch the parent in case it is killed."""
    if sys.platform == "win32":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(subprocess, "CREATE_NO_WINDOW", 0)
        return {"creationflags": flags}
    return {"start_new_session": True}
