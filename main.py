"""Parqueue: double-click to open the window; ``main.py run PATH...`` and friends work headless."""

from __future__ import annotations

import multiprocessing
import sys


def _no_display() -> bool:
    import os

    return (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"))


def open_window(paths: list[str]) -> int:
    if _no_display():
        # Qt would abort the process; a server user wants to hear about the headless commands instead.
        print("No display to open the window on. Headless commands work here: `main.py run PATH...`, "
              "see `main.py --help`.", file=sys.stderr)
        return 2
    try:
        from desktop_app.app import run_app
    except ImportError as exc:
        print(f"The window cannot start ({exc}). Headless commands still work: `main.py run PATH...`, "
              "see `main.py --help`.", file=sys.stderr)
        return 2
    return run_app(paths)


def _give_windowed_app_a_console() -> None:
    """The Windows app is built without a console (no black window behind the GUI); when it is started
    from a terminal with a command (``Parqueue.exe run ...``), print to that terminal instead."""
    if sys.platform != "win32" or not getattr(sys, "frozen", False) or sys.stdout is not None:
        return
    import ctypes
    import os

    attached = len(sys.argv) > 1 and ctypes.windll.kernel32.AttachConsole(-1)  # ATTACH_PARENT_PROCESS
    target = "CONOUT$" if attached else os.devnull
    sys.stdout = open(target, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    sys.stderr = open(target, "w", encoding="utf-8", buffering=1)  # noqa: SIM115


def main() -> int:
    _give_windowed_app_a_console()
    from jobs.cli.main import main as cli_main

    return cli_main(gui=open_window)


if __name__ == "__main__":
    # First thing, so a frozen executable started as a multiprocessing child does not re-run the app.
    multiprocessing.freeze_support()
    sys.exit(main())
