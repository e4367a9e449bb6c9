"""``catalog``: one Parquet with a row per processed file, from job ids or output folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jobs import paths
from jobs.store import open_store


def execute(args: argparse.Namespace) -> int:
    try:
        from jobs.catalog import build_catalog
    except ImportError:
        print("parqueue catalog: not available in this build", file=sys.stderr)
        return 2
    sources: list[Path] = []
    store = None
    for item in args.sources:
        if item.isdigit() and not Path(item).exists():
            store = store or open_store(paths.data_dir())
            job = store.get(int(item))
            if job is None:
                print(f"parqueue catalog: no job {item}", file=sys.stderr)
                return 2
            sources.extend(Path(o) for o in job.outputs)
        else:
            sources.append(Path(item))
    try:
        rows = build_catalog(sources, args.out)
    except (OSError, ValueError) as exc:
        print(f"parqueue catalog: {exc}", file=sys.stderr)
        return 1
    print(f"{rows} rows written to {args.out}")
    return 0
