"""Parqueue's desktop window (PySide6).

Everything Qt lives here; the engine in :mod:`jobs` never imports this package. The window reads the job
store through :class:`desktop_app.job_watcher.JobWatcher` and changes jobs through
:class:`desktop_app.engine.Engine`; nothing else touches the engine.
"""

from desktop_app import qt_fixes

qt_fixes.apply()
