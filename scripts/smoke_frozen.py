#!/usr/bin/env python3
"""Smoke test of a frozen Parqueue build (not the source): run, check and the window.

    python scripts/smoke_frozen.py DIST_DIR

Runs the built executable on a CSV, an Excel workbook, a text file and an image with `run --json`
(every job must complete and every Parquet output must be readable with pyarrow), then `check`, then
opens the window (offscreen, or on $DISPLAY) and asks it to quit once shown. Exit 0 when all hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = "Parqueue"


def find_executable(dist: Path) -> Path:
    candidates = [dist / APP / "parqueue", dist / APP / f"{APP}.exe", dist / APP / APP,
                  dist / f"{APP}.app" / "Contents" / "MacOS" / APP]
    for c in candidates:
        if c.exists():
            return c
    raise SystemExit(f"no Parqueue executable under {dist}")


def make_inputs(folder: Path) -> list[Path]:
    import openpyxl
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / "sales.csv"
    csv.write_text("id,region,amount,day\n" + "".join(f"{i},R{i % 3},{i * 1.5},2024-01-{i % 28 + 1:02d}\n"
                                                    for i in range(1, 501)), encoding="utf-8")
    xlsx = folder / "budget.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["item", "cost"])
    for i in range(50):
        ws.append([f"item {i}", i * 10])
    wb.save(xlsx)
    txt = folder / "notes.txt"
    txt.write_text("the frozen app counts these words the same\n" * 100, encoding="utf-8")
    png = folder / "logo.png"
    Image.new("RGB", (640, 480), (30, 120, 200)).save(png)
    # An "Export to Excel" HTML table named .xls: lxml's parser must be in the bundle.
    page = folder / "statement.xls"
    page.write_text("<html><body><table><tr><th>day</th><th>amount</th></tr>"
                    + "".join(f"<tr><td>2024-02-{i:02d}<td>$1,{i:03d}.50" for i in range(1, 29))
                    + "</table></body></html>", encoding="utf-8")
    return [csv, xlsx, txt, png, page]


def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    exe = find_executable(dist)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "PARQUEUE_HOME": str(root / "home")}
        inputs = make_inputs(root / "in")
        out = root / "out"
        started = time.perf_counter()
        run = subprocess.run([str(exe), "run", "--json", "--workers", "2", "--out", str(out), *map(str, inputs)],
                             capture_output=True, text=True, timeout=240, env=env, cwd=root)
        records = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
        print(f"run: exit {run.returncode} in {time.perf_counter() - started:.1f} s, {len(records)} records")
        if run.returncode != 0 or len(records) != len(inputs):
            problems.append(f"run exited {run.returncode} with {len(records)} records: {run.stderr[-800:]}")
        import pyarrow.parquet as pq

        for rec in records:
            if rec["status"] not in ("completed", "completed_with_warnings"):
                problems.append(f"{rec['file']}: {rec['status']} ({rec['error']})")
            for output in rec.get("outputs") or []:
                if output.endswith(".parquet"):
                    try:
                        pq.read_table(output)
                    except Exception as exc:
                        problems.append(f"{output} unreadable: {exc}")
            print(f"  {Path(rec['file']).name}: {rec['status']}, {len(rec.get('outputs') or [])} outputs")
        check = subprocess.run([str(exe), "check"], capture_output=True, text=True, timeout=60, env=env)
        print(f"check: exit {check.returncode}")
        if check.returncode != 0:
            problems.append("check failed: " + check.stdout[-800:])
        window_env = {**env}
        if not window_env.get("DISPLAY") and sys.platform.startswith("linux"):
            window_env["QT_QPA_PLATFORM"] = "offscreen"
        started = time.perf_counter()
        gui = subprocess.run([str(exe), "gui", "--quit-when-shown"], capture_output=True, text=True, timeout=60,
                             env=window_env)
        shown = "window shown" in gui.stdout
        print(f"window: exit {gui.returncode}, shown={shown} in {time.perf_counter() - started:.1f} s")
        if gui.returncode != 0 or not shown:
            problems.append(f"window did not start and quit cleanly: {gui.stdout[-400:]} {gui.stderr[-800:]}")
    for p in problems:
        print("problem:", p)
    print("frozen smoke test:", "passed" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
