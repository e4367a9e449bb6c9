"""Parqueue: double-click to open the window; ``main.py run PATH...`` and friends work headless."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First thing, so a frozen executable started as a multiprocessing child does not re-run the app.
    multiprocessing.freeze_support()
    from jobs.cli.main import main

    sys.exit(main())
