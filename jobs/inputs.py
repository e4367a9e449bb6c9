"""Checks every input passes before a processor opens it.

Opening a named pipe blocks forever and opening a folder fails with a cryptic error, so the runner
looks at what the path really is first and turns each problem into one plain sentence.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jobs.processors.base import ProcessingError


def check_input(path: Path) -> os.stat_result:
    """Return the file's stat, or raise ProcessingError saying why it cannot be read."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ProcessingError("file not found (moved or deleted after it was queued?)") from None
    except PermissionError:
        raise ProcessingError("permission denied: cannot look at the file") from None
    except OSError as exc:
        raise ProcessingError(f"cannot open: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ProcessingError("is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ProcessingError("is not a regular file (a pipe, socket or device), so it cannot be read")
    if not os.access(path, os.R_OK):
        raise ProcessingError("permission denied: the file cannot be read")
    if st.st_size == 0:
        raise ProcessingError("the file is empty")
    return st
