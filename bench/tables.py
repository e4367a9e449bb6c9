"""Benchmark of the table processors against the tools people would otherwise use.

    python bench/tables.py                 # 1 GB CSV (+ 100 MB and a drift copy) and a 200,000 × 10 xlsx
    python bench/tables.py --mb 100        # quicker: everything scaled down
    python bench/tables.py --skip-pandas --skip-excel
    python bench/tables.py --rounds 3         # more rounds: ratios are taken round by round, then the median
    python bench/tables.py --skip-csv --skip-excel --wide 2000   # only a 2,000-column CSV, and 3x its rows
    python bench/tables.py --skip-csv --skip-excel --html 300000 # only an HTML table saved as .xls

Data is generated once, seeded, under bench/data/ (git-ignored). Every contender runs in its own child process,
one after the other, so each wall time and peak RSS (from wait4) is its own; compare ratios within one run, as
the machine is shared. Contenders: Parqueue's processor (convert + full profile + sample), DuckDB COPY to
Parquet, DuckDB COPY + SUMMARIZE, polars sink_parquet, pandas read_csv(chunksize=10_000) + ParquetWriter; for
Excel, Parqueue, pandas + openpyxl, and the raw calamine read (python-calamine, and fastexcel); for an HTML
table saved as .xls (what "Export to Excel" buttons write), Parqueue and pandas ``read_html`` (lxml) +
``to_parquet``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SEED = 1234
CATEGORIES = ["electronics", "grocery", "clothing", "toys", "books", "garden", "sports", "beauty"]
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "NO", "FI", "DK", "PL", "CZ", "AT", "CH", "BE", "PT",
             "IE", "CA", "MX", "BR", "JP", "KR", "AU", "IN"]
DRIFT_VALUE = "ABC-17"


# ------------------------------------------------------------------------------------------------ data
def _comment_pool(rng, n: int = 50_000) -> list[str]:
    words = ["the", "of", "and", "order", "late", "box", "great", "fine", "ok", "return", "color", "size", "fast",
             "slow", "price", "gift", "again", "never", "always", "broken"]
    pool = []
    for i in range(n):
        k = int(rng.integers(3, 18))
        text = " ".join(words[j] for j in rng.integers(0, len(words), k))
        r = rng.random()
        if r < 0.3:
            text = text.replace(" ", ", ", 1)
        elif r < 0.4:
            text = f'"{text}" he said'
        if rng.random() < 0.003:
            text = text.replace(" ", "\n", 1)
        pool.append(text.capitalize() + f" #{i}")
    return pool


def make_csv(path: Path, mb: float, drift_at: float | None = None, sustained: bool = False) -> int:
    """A mixed-type CSV of about ``mb`` MB.

    ``drift_at``: where (share of rows) the quantity column changes type: one stray text value there, or, with
    ``sustained``, one value in 100 from there to the end (a column that turns to codes like "ABC-17").
    """
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(SEED)
    pool = pa.array(_comment_pool(rng))
    rows_per_mb = 5200  # measured for this layout
    total = int(mb * rows_per_mb)
    drift_row = int(total * drift_at) if drift_at is not None else -1
    chunk = 200_000

    def tables() -> Iterator[pa.Table]:
        for start in range(0, total, chunk):
            n = min(chunk, total - start)
            crng = np.random.default_rng([SEED, start])
            amount = np.round(crng.gamma(2.0, 40.0, n), 2)
            score = crng.normal(0.5, 0.2, n)
            qty = crng.integers(1, 500, n).astype(str).astype(object)
            if start <= drift_row < start + n:
                qty[drift_row - start] = DRIFT_VALUE
            if sustained and drift_row >= 0 and start + n > drift_row:
                first = max(drift_row, start) - start
                qty[first::100] = DRIFT_VALUE
            yield pa.table({
                "id": pa.array(np.arange(start + 1, start + n + 1)),
                "user_id": pa.array(crng.integers(1, 1_000_001, n)),
                "amount": pa.array(amount, mask=crng.random(n) < 0.03),
                "score": pa.array(score, mask=crng.random(n) < 0.10),
                "category": pa.array(np.array(CATEGORIES)[crng.integers(0, 8, n)]),
                "country": pa.array(np.array(COUNTRIES)[np.minimum(crng.zipf(1.6, n) - 1, 24)]),
                "comment": pool.take(pa.array(crng.integers(0, len(pool), n))),
                "order_date": pa.array(crng.integers(16436, 20454, n).astype("int32")).cast(pa.date32()),
                "created_at": pa.array(crng.integers(1420070400, 1767225600, n) * 1_000_000).cast(
                    pa.timestamp("us")),
                "is_active": pa.array(crng.random(n) < 0.7),
                "session_token": pa.array([f"s{t:x}-{start + i}" for i, t in enumerate(
                    crng.integers(0, 2**62, n).tolist())]),
                "quantity": pa.array(qty.tolist(), pa.string()),
            })

    _write_csv(path, tables())
    return total


def make_wide(path: Path, mb: float, columns: int) -> int:
    """A CSV of ``columns`` columns (integers, numbers, words with blanks, dates in turn), about ``mb`` MB."""
    import numpy as np
    import pyarrow as pa

    words = pa.array(["yes", "no", "maybe", "", "n/a", "pending"])
    rows = int(mb * 1e6 / (columns * 5.6))  # ~5.6 bytes a cell for this mix

    def tables() -> Iterator[pa.Table]:
        for start in range(0, rows, 2000):
            n = min(2000, rows - start)
            rng = np.random.default_rng([SEED, start])
            cols = {}
            for i in range(columns):
                kind = i % 4
                if kind == 0:
                    cols[f"q{i}"] = pa.array(rng.integers(0, 1000, n))
                elif kind == 1:
                    cols[f"q{i}"] = pa.array(np.round(rng.random(n) * 100, 2))
                elif kind == 2:
                    cols[f"q{i}"] = words.take(pa.array(rng.integers(0, len(words), n)))
                else:
                    cols[f"q{i}"] = pa.array(rng.integers(18000, 20000, n).astype("int32")).cast(pa.date32())
            yield pa.table(cols)

    _write_csv(path, tables())
    return rows


def _write_csv(path: Path, tables: Iterator[pa.Table]) -> None:
    """The tables, one after the other, as one CSV; written under a temporary name, then renamed."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    tmp = path.with_suffix(".tmp")
    with pa.OSFile(str(tmp), "wb") as sink:
        writer = None
        for table in tables:
            if writer is None:
                writer = pacsv.CSVWriter(sink, table.schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
            writer.write_table(table)
        assert writer is not None
        writer.close()
    tmp.rename(path)


def make_xlsx(path: Path, rows: int) -> None:
    import datetime as dt

    import numpy as np
    from openpyxl import Workbook

    rng = np.random.default_rng(SEED)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["id", "amount", "category", "note", "order_date", "created_at", "is_active", "discount",
               "quantity", "customer"])
    base_d, base_t = dt.date(2015, 1, 1), dt.datetime(2015, 1, 1)
    for i in range(rows):
        ws.append([i + 1, round(float(rng.gamma(2.0, 40.0)), 2), CATEGORIES[i % 8], f"note {i % 977} text",
                   base_d + dt.timedelta(days=int(rng.integers(0, 4000))),
                   base_t + dt.timedelta(seconds=int(rng.integers(0, 340_000_000))),
                   bool(rng.random() < 0.7), None if rng.random() < 0.1 else round(float(rng.random()) * 0.3, 3),
                   int(rng.integers(1, 500)), f"C{int(rng.integers(0, 2**40)):011d}"])
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.rename(path)


# ------------------------------------------------------------------------------------------------ tasks
def make_html(path: Path, rows: int) -> None:
    """An HTML table as web apps export it for Excel: a title table, then the data, decimal commas."""
    import random

    rng = random.Random(SEED)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write('<html><head><meta charset="utf-8"><style>td {mso-number-format:"\\@";}</style></head><body>'
                 "<table><tr><td><b>Orders export</b></td></tr></table>\n<table border=1>\n<tr><th>order_id</th>"
                 "<th>day</th><th>country</th><th>category</th><th>quantity</th><th>amount</th></tr>\n")
        for i in range(rows):
            fh.write(f"<tr><td>{100_000 + i}</td><td>2024-{1 + i % 12:02d}-{1 + i % 28:02d}</td>"
                     f"<td>{rng.choice(COUNTRIES)}</td><td>{rng.choice(CATEGORIES)}</td><td>{rng.randint(1, 20)}</td>"
                     f"<td>{rng.uniform(1, 2000):.2f}</td></tr>\n")
        fh.write("</table></body></html>\n")
    os.replace(tmp, path)


def task(name: str, src: str, out: str) -> dict[str, object]:
    """Runs in the child process."""
    Path(out).mkdir(parents=True, exist_ok=True)
    target = str(Path(out) / "out.parquet")
    if name == "parqueue_html":
        sys.path.insert(0, str(ROOT))
        from jobs.nopandas import keep_pandas_out

        keep_pandas_out()
        from jobs.processors import table
        from jobs.processors.base import ProcessOptions

        result = table.process(Path(src), ProcessOptions(out_dir=Path(out)), lambda d, t: None)
        return {"rows": result.metrics["rows"], "warnings": len(result.warnings)}
    if name == "pandas_read_html":
        import pandas as pd

        df = pd.read_html(src, flavor="lxml", header=0)[-1]  # the data table, after the title's
        df.to_parquet(target, compression="zstd")
        return {"rows": len(df)}
    if name in ("parqueue", "parqueue_excel"):
        sys.path.insert(0, str(ROOT))
        from jobs.nopandas import keep_pandas_out

        keep_pandas_out()  # as in a worker: pyarrow would import pandas on first use (0.25 s, 60 MB)
        from jobs.processors import csv, excel
        from jobs.processors.base import ProcessOptions

        proc = excel if name == "parqueue_excel" else csv
        result = proc.process(Path(src), ProcessOptions(out_dir=Path(out)), lambda d, t: None)
        return {"rows": result.metrics["rows"], "warnings": len(result.warnings)}
    if name.startswith("duckdb"):
        import duckdb

        con = duckdb.connect()
        q = "'" + src.replace("'", "''") + "'"
        con.execute(f"COPY (SELECT * FROM read_csv({q})) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        if name == "duckdb_summarize":
            con.execute(f"SUMMARIZE SELECT * FROM read_parquet('{target}')").fetchall()
        return {}
    if name == "polars":
        import polars as pl

        pl.scan_csv(src).sink_parquet(target, compression="zstd")
        return {}
    if name == "pandas_chunked":
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        rows = 0
        for df in pd.read_csv(src, chunksize=10_000):
            table = pa.Table.from_pandas(df, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema, compression="zstd")
            writer.write_table(table.cast(writer.schema, safe=False))
            rows += len(df)
        assert writer is not None
        writer.close()
        return {"rows": rows}
    if name == "pandas_openpyxl":
        import pandas as pd

        df = pd.read_excel(src, engine="openpyxl")
        df.to_parquet(target, compression="zstd")
        return {"rows": len(df)}
    if name == "calamine_raw":
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(src).get_sheet_by_index(0).to_python()
        return {"rows": len(rows) - 1}
    if name == "fastexcel_raw":
        import fastexcel

        return {"rows": fastexcel.read_excel(src).load_sheet(0).to_arrow().num_rows}
    raise SystemExit(f"unknown task {name}")


def measure(name: str, src: Path, timeout: float = 3600) -> dict[str, object]:
    """Run one task in a child process: wall seconds and the child's peak RSS (wait4)."""
    out = DATA / "out" / name
    subprocess.run(["rm", "-rf", str(out)], check=False)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--task", name, "--input", str(src), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    subprocess.run(["rm", "-rf", str(out)], check=False)
    ok = os.waitstatus_to_exitcode(status) == 0
    info = json.loads(stdout.strip().splitlines()[-1]) if ok and stdout.strip() else {}
    return {"name": name, "input": src.name, "ok": ok, "seconds": wall, "peak_mb": usage.ru_maxrss / 1024,
            "info": info, "error": "" if ok else stderr.strip().splitlines()[-1:]}


def _line(r: dict[str, object]) -> str:
    status = "" if r["ok"] else f"  FAILED: {r['error']}"
    return f"  {r['name']:<18} {r['input']:<28} {r['seconds']:7.2f} s  peak {r['peak_mb']:6.0f} MB{status}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1000, help="size of the main CSV (default 1000)")
    ap.add_argument("--xlsx-rows", type=int, default=200_000)
    ap.add_argument("--skip-pandas", action="store_true", help="skip the (slow) chunked pandas CSV run")
    ap.add_argument("--skip-excel", action="store_true")
    ap.add_argument("--skip-csv", action="store_true", help="skip the mixed-type CSV runs")
    ap.add_argument("--wide", type=int, metavar="COLUMNS",
                    help="also a wide CSV of this many columns (--wide-mb) and one with 3x its rows")
    ap.add_argument("--wide-mb", type=float, default=180,
                    help="size of the wide CSV (default 180: by then the peak has settled)")
    ap.add_argument("--html", type=int, metavar="ROWS",
                    help="also an HTML table of this many rows saved as .xls (300000: ~40 MB)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of every contender in turn (default 2)")
    ap.add_argument("--make", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.make:
        kind, path, size = a.make
        if kind == "xlsx":
            make_xlsx(Path(path), int(size))
        elif kind == "html":
            make_html(Path(path), int(size))
        elif kind.startswith("wide"):
            make_wide(Path(path), float(size), int(kind[4:]))
        else:
            make_csv(Path(path), float(size), 0.9 if kind.startswith("drift") else None, kind == "drift_sustained")
        return
    if a.task:
        print(json.dumps(task(a.task, a.input, a.out)))
        return
    DATA.mkdir(parents=True, exist_ok=True)
    if not a.skip_csv:
        _bench_csv(a)
    if a.wide:
        _bench_wide(a)
    if not a.skip_excel:
        _bench_excel(a)
    if a.html:
        _bench_html(a)


def _ensure(path: Path, kind: str, size: float) -> None:
    """Generate ``path`` unless it exists, in a child process: a parent grown by the data would inflate every
    child's peak RSS (ru_maxrss counts the parent's pages a child inherits at fork)."""
    if not path.exists():
        print(f"generating {path.name} …", flush=True)
        subprocess.run([sys.executable, __file__, "--make", kind, str(path), str(size)], check=True)


def median_ratio(rounds: list[dict[str, dict[str, object]]], num: str, den: str, field: str = "seconds") -> str:
    """Ratio taken round by round (the machine's speed drifts), then the median over rounds."""
    values = [float(res[num][field]) / float(res[den][field])  # type: ignore[arg-type]
              for res in rounds if res.get(num, {}).get("ok") and res.get(den, {}).get("ok")]
    return f"{statistics.median(values):.2f}x" if values else "n/a"


def _bench_wide(a: argparse.Namespace) -> None:
    cols, mb = a.wide, a.wide_mb
    one = DATA / f"wide_{cols}c_{mb:g}mb.csv"
    three = DATA / f"wide_{cols}c_{3 * mb:g}mb.csv"
    for path, size in ((one, mb), (three, 3 * mb)):
        _ensure(path, f"wide{cols}", size)
    print(f"Wide CSV {one.name} ({one.stat().st_size / 1e6:.0f} MB, {cols} columns), {a.rounds} round(s):")
    rounds: list[dict[str, dict[str, object]]] = []
    for _ in range(a.rounds):
        res: dict[str, dict[str, object]] = {}
        for key, name, src in (("parqueue", "parqueue", one), ("duckdb_copy", "duckdb_copy", one),
                               ("polars", "polars", one), ("parqueue_x3", "parqueue", three)):
            res[key] = measure(name, src)
            print(_line(res[key]), flush=True)
        rounds.append(res)
    print(f"  vs DuckDB COPY {median_ratio(rounds, 'parqueue', 'duckdb_copy')}, "
          f"vs polars {median_ratio(rounds, 'parqueue', 'polars')}; peak RSS with 3x the rows: "
          f"{median_ratio(rounds, 'parqueue_x3', 'parqueue', 'peak_mb')} the peak of the file itself; "
          f"peak vs DuckDB's {median_ratio(rounds, 'parqueue', 'duckdb_copy', 'peak_mb')}")


def _bench_csv(a: argparse.Namespace) -> None:
    mb = a.mb
    big = DATA / f"tables_{mb:g}mb.csv"
    small = DATA / f"tables_{mb / 10:g}mb.csv"
    drift = DATA / f"tables_{mb:g}mb_drift90.csv"
    sustained = DATA / f"tables_{mb:g}mb_drift90_sustained.csv"
    for path, size, kind in ((big, mb, "csv"), (small, mb / 10, "csv"), (drift, mb, "drift"),
                             (sustained, mb, "drift_sustained")):
        _ensure(path, kind, size)
    print(f"CSV {big.name} ({big.stat().st_size / 1e6:.0f} MB), {a.rounds} round(s), contenders in turn:")
    order = ["parqueue", "duckdb_copy", "duckdb_summarize", "polars"] + ([] if a.skip_pandas else ["pandas_chunked"])
    rounds: list[dict[str, dict[str, object]]] = []
    for r in range(a.rounds):
        results: dict[str, dict[str, object]] = {}
        for name in order:
            results[name] = measure(name, big)
            print(_line(results[name]), flush=True)
        for key, src in (("parqueue_drift", drift), ("parqueue_sustained", sustained), ("parqueue_small", small)):
            results[key] = measure("parqueue", src)
            print(_line(results[key]), flush=True)
        rounds.append(results)
        if a.rounds > 1:
            print(f"  (round {r + 1} of {a.rounds} done)", flush=True)

    print("ratios, median over rounds (Parqueue time / other time; below 1 means Parqueue is faster):")
    print(f"  vs DuckDB COPY {median_ratio(rounds, 'parqueue', 'duckdb_copy')}, "
          f"vs COPY+SUMMARIZE {median_ratio(rounds, 'parqueue', 'duckdb_summarize')}, "
          f"vs polars {median_ratio(rounds, 'parqueue', 'polars')}, "
          f"vs chunked pandas {median_ratio(rounds, 'parqueue', 'pandas_chunked')}")
    print(f"  type change at 90 % / clean: one stray value {median_ratio(rounds, 'parqueue_drift', 'parqueue')}, "
          f"from there on {median_ratio(rounds, 'parqueue_sustained', 'parqueue')}")
    peak = statistics.median(float(res["parqueue"]["peak_mb"]) for res in rounds)  # type: ignore[arg-type]
    print(f"  peak RSS {peak:.0f} MB ({median_ratio(rounds, 'parqueue', 'parqueue_small', 'peak_mb')} the "
          f"{mb / 10:g} MB file's)")


def _bench_excel(a: argparse.Namespace) -> None:
    xlsx = DATA / f"sheet_{a.xlsx_rows}.xlsx"
    _ensure(xlsx, "xlsx", a.xlsx_rows)
    print(f"Excel {xlsx.name}:")
    xrounds: list[dict[str, dict[str, object]]] = []
    for _ in range(a.rounds):
        res: dict[str, dict[str, object]] = {}
        for name in ("parqueue_excel", "calamine_raw", "fastexcel_raw") + (() if xrounds else ("pandas_openpyxl",)):
            res[name] = measure(name, xlsx)
            print(_line(res[name]), flush=True)
        xrounds.append(res)
    slow = xrounds[0]["pandas_openpyxl"]  # ~30 s a run: once is enough for a ratio near 0.07
    rounds = [{**res, "pandas_openpyxl": slow} for res in xrounds]
    print(f"  Parqueue vs raw calamine {median_ratio(rounds, 'parqueue_excel', 'calamine_raw')}, "
          f"vs fastexcel {median_ratio(rounds, 'parqueue_excel', 'fastexcel_raw')}, "
          f"vs pandas+openpyxl {median_ratio(rounds, 'parqueue_excel', 'pandas_openpyxl')} "
          "(pandas+openpyxl run once)")

def _bench_html(a: argparse.Namespace) -> None:
    page = DATA / f"orders_{a.html}.xls"
    _ensure(page, "html", a.html)
    print(f"HTML table saved as .xls, {page.name} ({page.stat().st_size / 1e6:.0f} MB):")
    rounds: list[dict[str, dict[str, object]]] = []
    for _ in range(a.rounds):
        res = {name: measure(name, page) for name in ("parqueue_html", "pandas_read_html")}
        for r in res.values():
            print(_line(r), flush=True)
        rounds.append(res)
    print(f"  Parqueue (convert + full profile + sample) vs pandas read_html + to_parquet "
          f"{median_ratio(rounds, 'parqueue_html', 'pandas_read_html')}, peak "
          f"{median_ratio(rounds, 'parqueue_html', 'pandas_read_html', 'peak_mb')}")


if __name__ == "__main__":
    main()
