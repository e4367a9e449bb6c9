"""Dispatch of Parqueue's sub-commands; ``main.py`` and the frozen executable both end up here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jobs import __version__


def build_parser() -> argparse.ArgumentParser:
    from jobs.cli import manage, run

    parser = argparse.ArgumentParser(
        prog="parqueue",
        description="Parqueue turns CSV, Excel, text and image files into typed Parquet. "
        "Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"Parqueue {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="process files and folders headless, with live progress",
                       description="Queue files and folders (recursively) and wait for them. "
                       "Exit 0 when every job completed, 1 when any failed, 2 for a usage error.")
    run.add_arguments(p)
    p.set_defaults(func=run.execute)

    p = sub.add_parser("jobs", help="list jobs and their states", description="List jobs and their states.")
    manage.add_list_arguments(p)
    p.set_defaults(func=manage.list_jobs)

    for action, text in (("cancel", "cancel jobs (a running one stops at its next step)"),
                         ("pause", "pause running jobs, or the whole queue with --queue"),
                         ("resume", "resume paused jobs, or the queue with --queue"),
                         ("retry", "run failed, cancelled or interrupted jobs again")):
        p = sub.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        manage.add_id_arguments(p)
        p.set_defaults(func=lambda a, action=action: manage.steer(action, a))

    p = sub.add_parser("check", help="check versions, folders, databases, workers and disk space",
                       description="Check that this installation is healthy; exit 1 on a problem.")
    p.add_argument("--out", type=Path, help="also check this output folder")
    p.set_defaults(func=_check)

    from jobs.cli import serve

    p = sub.add_parser("serve", help="run the worker pool headless until stopped",
                       description="Hold the worker pool without a window (servers, background mode).")
    serve.add_arguments(p)
    p.set_defaults(func=serve.execute)

    p = sub.add_parser("catalog", help="one Parquet catalog of processed images, tables and texts",
                       description="Write one Parquet with a row per image (and per table/text job) "
                       "from job ids or output folders.")
    p.add_argument("sources", nargs="+", metavar="JOB_OR_FOLDER")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.parquet")
    p.set_defaults(func=_catalog)

    _add_worker(sub)

    p = sub.add_parser("gui", help="open the window (the default)", description="Open the window.")
    p.add_argument("paths", nargs="*", type=Path, help="files to queue at once")
    p.add_argument("--quit-when-shown", action="store_true",
                   help="print 'window shown' and quit once the window is up (smoke tests, start-up timing)")
    p.set_defaults(func=_gui)
    return parser


def _add_worker(sub: Any) -> None:
    p = sub.add_parser("worker", help="(internal) one worker process of the pool",
                       description="Run one worker process; the window and `run` start these themselves.")
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--parent-pid", type=int, default=None)
    p.add_argument("--threads", type=int, default=1)
    p.set_defaults(func=_worker)


def _worker_parser() -> argparse.ArgumentParser:
    """Only the worker command: a worker starts without importing the other commands (and the pool, the
    submitter and friends they bring), so the first job starts ~50 ms sooner."""
    parser = argparse.ArgumentParser(prog="parqueue")
    _add_worker(parser.add_subparsers(dest="command", metavar="COMMAND"))
    return parser


def _worker(args: argparse.Namespace) -> int:
    from jobs.logsetup import setup_logging
    from jobs.worker import serve

    setup_logging("workers.log")
    return serve(args.data_dir, args.parent_pid, args.threads)


def _check(args: argparse.Namespace) -> int:
    from jobs.cli import check  # importlib.metadata and friends: only when asked

    return check.execute(args)


def _catalog(args: argparse.Namespace) -> int:
    from jobs.cli.catalog import execute

    return execute(args)


GuiLauncher = Callable[[list[str]], int]
_gui_launcher: GuiLauncher | None = None


def _gui(args: argparse.Namespace) -> int:
    if _gui_launcher is None:
        print("The window is not part of this installation. Use `parqueue run PATH...` for headless work; "
              "see `parqueue --help`.", file=sys.stderr)
        return 2
    if args.quit_when_shown:
        # Read by the window at start-up; an environment variable keeps the launcher's signature plain.
        os.environ["PARQUEUE_QUIT_WHEN_SHOWN"] = "1"
    return _gui_launcher([str(p) for p in args.paths])


def main(argv: list[str] | None = None, gui: GuiLauncher | None = None) -> int:
    """``gui`` opens the window; the engine cannot import Qt itself, so the entry point passes it in."""
    global _gui_launcher
    _gui_launcher = gui
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _worker_parser() if argv[:1] == ["worker"] else build_parser()
    if not argv:
        argv = ["gui"]
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command not in ("worker", "gui"):
        from jobs.logsetup import setup_logging

        setup_logging()
    return int(args.func(args) or 0)
