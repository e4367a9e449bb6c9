"""Cold start of the frozen app against the source run, in the same session.

    python bench/startup.py --dist dist        (build first: python scripts/build.py --no-archive)

Prints, for each, the median of N launches: process start to the window shown (offscreen Qt unless
$DISPLAY is set), and `--version` (the cost every worker process pays before its own work, including the
PySide6 runtime hook that the frozen app runs in every process).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def frozen_exe(dist: Path) -> Path:
    for c in (dist / "Parqueue" / "parqueue", dist / "Parqueue" / "Parqueue.exe",
              dist / "Parqueue.app" / "Contents" / "MacOS" / "Parqueue"):
        if c.exists():
            return c
    raise SystemExit(f"no frozen app under {dist}; build it with scripts/build.py --no-archive")


def window_seconds(cmd: list[str], env: dict[str, str]) -> float:
    out = subprocess.run([*cmd, "gui", "--quit-when-shown"], capture_output=True, text=True, env=env,
                         timeout=120).stdout
    match = re.search(r"launch to shown ([0-9.]+) s", out)
    if not match:
        raise SystemExit(f"window did not report being shown: {out!r}")
    return float(match.group(1))


def version_seconds(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*cmd, "--version"], capture_output=True, env=env, check=True, timeout=60)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    contenders = {"source": [sys.executable, str(ROOT / "main.py")], "frozen": [str(frozen_exe(args.dist))]}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PARQUEUE_HOME": home}
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        results: dict[str, dict[str, list[float]]] = {k: {"window": [], "version": []} for k in contenders}
        for _ in range(args.runs):  # alternate, so both see the same machine
            for name, cmd in contenders.items():
                results[name]["window"].append(window_seconds(cmd, env))
                results[name]["version"].append(version_seconds(cmd, env))
    for name, r in results.items():
        print(f"{name:6}: launch to window shown {statistics.median(r['window']):.2f} s, "
              f"process start (--version) {statistics.median(r['version']):.2f} s")
    ratio = statistics.median(results["frozen"]["window"]) / statistics.median(results["source"]["window"])
    print(f"frozen / source, window shown: {ratio:.2f}x")


if __name__ == "__main__":
    main()
