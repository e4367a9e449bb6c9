"""Parqueue: double-click to open the window; ``main.py run PATH...`` and friends work headless."""

from __future__ import annotations

import multiprocessing
import sys


def open_window(paths: list[str]) -> int:
    try:
        from desktop_app.app import run_app
    except ImportError as exc:
        print(f"The window cannot start ({exc}). Headless commands still work: `main.py run PATH...`, "
              "see `main.py --help`.", file=sys.stderr)
        return 2
    return run_app(paths)


def main() -> int:
    from jobs.cli.main import main as cli_main

    return cli_main(gui=open_window)


if __name__ == "__main__":
    # First thing, so a frozen executable started as a multiprocessing child does not re-run the app.
    multiprocessing.freeze_support()
    sys.exit(main())
