"""Work-arounds for bugs in the Qt binding itself, applied once when :mod:`desktop_app` is imported.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a new reference to it. On
Python 3.12+ ``True`` is immortal and nothing happens; on 3.11 every ``emit()`` from Python drops one
reference, and after a few thousand signals the interpreter aborts with "Fatal Python error:
bool_dealloc". We probe for the leak and, where it exists, give ``True`` a reference count so large that
no session can exhaust it, which is what Python 3.12 does for every built-in singleton.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_applied = False


class _Probe(QObject):
    fired = Signal()


def emit_leaks_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    return sys.getrefcount(True) < before


def apply() -> bool:
    """Returns True when the work-around was needed (and is now in place)."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _applied
    if emit_leaks_true():
        ctypes.c_ssize_t.from_address(id(True)).value += 1 << 40  # ob_refcnt is PyObject's first field
        _applied = True
        log.debug("PySide6 Signal.emit() leaks references to True; guarded")
    return _applied
