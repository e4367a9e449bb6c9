"""The headless command line, run as a user would: real processes, real files, exit codes, JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.engine.helpers import sha256, write_words

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"id", "file", "kind", "status", "error", "warnings", "outputs", "rows", "columns", "seconds",
            "attempts", "encoding", "lines", "words"}


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL)


def records(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


@pytest.mark.slow
def test_run_processes_folders_recursively_and_prints_json(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    write_words(src / "a.txt", 0.05, seed=1)
    write_words(src / "sub" / "b.md", 0.05, seed=2)
    (src / "sub" / "notes.xyz").write_text("not for us")
    before = sha256(src / "a.txt")
    result = cli("run", "--json", "--workers", "2", "--out", str(tmp_path / "out"), str(src))
    assert result.returncode == 0, result.stderr
    recs = records(result.stdout)
    assert sorted(Path(str(r["file"])).name for r in recs) == ["a.txt", "b.md"]
    for rec in recs:
        assert rec.keys() >= REQUIRED
        assert rec["status"] == "completed" and rec["attempts"] == 1 and rec["kind"] == "text"
        for out in rec["outputs"]:  # type: ignore[attr-defined]
            assert pq.read_table(out).num_rows >= 1
    assert "notes.xyz" in result.stderr  # unsupported files are listed, not silently skipped
    assert sha256(src / "a.txt") == before


@pytest.mark.slow
def test_run_takes_xml_spreadsheets_from_a_folder_and_leaves_other_xml(tmp_path: Path) -> None:
    src = tmp_path / "exports"
    src.mkdir()
    ns = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
    rows = "".join(f'<Row><Cell><Data ss:Type="{t}">{v}</Data></Cell></Row>' for t, v in
                   (("String", "qty"), ("Number", 3), ("Number", 5)))
    (src / "stock.xml").write_text(f'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook {ns}>'
                                   f'<Worksheet ss:Name="Stock"><Table>{rows}</Table></Worksheet></Workbook>')
    (src / "app.config.xml").write_text('<?xml version="1.0"?>\n<configuration/>')
    (src / "~$stock.xlsx").write_bytes(b"\x05Maria" + b"\x00" * 50)  # Excel's lock file while stock is open
    result = cli("run", "--json", "--workers", "1", "--out", str(tmp_path / "out"), str(src))
    assert result.returncode == 0, result.stderr
    [rec] = records(result.stdout)
    assert Path(str(rec["file"])).name == "stock.xml" and rec["status"] == "completed", rec
    assert rec["kind"] == "table" and rec["sheets"] == ["Stock"] and rec["rows"] == 2
    assert "app.config.xml" in result.stderr  # listed as not read, not queued to fail
    assert "~$stock.xlsx" not in result.stdout + result.stderr  # skipped like a hidden file


@pytest.mark.slow
def test_run_table_flags_reach_the_job_and_its_json_line(tmp_path: Path) -> None:
    src = tmp_path / "kasse.csv"
    src.write_bytes(b"Datum|Betrag\n01/02/2024|1.234,5\n03/04/2024|-2,25\n")  # dates that read both ways
    result = cli("run", "--json", "--workers", "1", "--out", str(tmp_path / "out"), "--delimiter", "|",
                 "--decimal", ",", "--date-order", "dmy", "--encoding", "cp1252", str(src))
    assert result.returncode == 0, result.stderr
    [rec] = records(result.stdout)
    assert rec["status"] == "completed", rec
    assert (rec["delimiter"], rec["decimal"], rec["date_order"], rec["encoding"]) == ("|", ",", "dmy", "cp1252")
    assert rec["column_names"] == ["Datum", "Betrag"] and rec["sheets"] == []
    data = pq.read_table(rec["outputs"][0])  # type: ignore[index]
    assert [str(d) for d in data.column("Datum").to_pylist()] == ["2024-02-01", "2024-04-03"]
    assert data.column("Betrag").to_pylist() == [1234.5, -2.25]
    bad = cli("run", "--date-order", "ymd", str(src))
    assert bad.returncode == 2 and "--date-order" in bad.stderr


@pytest.mark.slow
def test_run_sets_totals_aside_unless_told_to_keep_them(tmp_path: Path) -> None:
    src = tmp_path / "orders.csv"
    src.write_bytes(b"order,amount\n1001,$5.50\n1002,$7.25\nTotal,$12.75\n")
    result = cli("run", "--json", "--workers", "1", "--out", str(tmp_path / "out"), str(src))
    [rec] = records(result.stdout)
    assert (rec["status"], rec["rows"], rec["totals"], rec["rejected_rows"]) == ("completed_with_warnings", 2, 1, 1)
    assert rec["column_types"] == ["int64", "double"] and rec["column_units"] == {"amount": "$"}
    kept = cli("run", "--json", "--workers", "1", "--out", str(tmp_path / "kept"), "--keep-totals", str(src))
    [rec] = records(kept.stdout)
    assert (rec["status"], rec["rows"], rec["totals"]) == ("completed", 3, 0)
    assert rec["column_types"] == ["string", "double"]


@pytest.mark.slow
def test_run_exits_1_when_a_job_fails_with_a_one_line_message(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("fine words here")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    result = cli("run", "--json", "--workers", "1", "--out", str(tmp_path / "out"), str(good), str(empty),
                 str(binary), str(tmp_path / "gone.txt"))
    assert result.returncode == 1
    by_name = {Path(str(r["file"])).name: r for r in records(result.stdout)}
    assert by_name["good.txt"]["status"] == "completed"
    assert by_name["empty.txt"]["error"] == "empty.txt: the file is empty"
    assert "photo.txt: looks like a binary file" in str(by_name["photo.txt"]["error"])
    assert "gone.txt: file not found" in str(by_name["gone.txt"]["error"])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good_summary.parquet", "good_words.parquet"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert cli("run").returncode == 2
    assert cli("run", "--workers", "0", str(tmp_path)).returncode == 2
    (tmp_path / "x.xyz").write_text("?")
    nothing = cli("run", str(tmp_path / "x.xyz"))
    assert nothing.returncode == 2 and "nothing to process" in nothing.stderr
    (tmp_path / "prices.csv").write_text("a;b\n1;2\n")
    doubled = cli("run", "--delimiter", ";;", str(tmp_path / "prices.csv"))
    assert doubled.returncode == 2 and "--delimiter: one character" in doubled.stderr


@pytest.mark.parametrize("command", ["run", "jobs", "cancel", "pause", "resume", "retry", "check", "catalog",
                                     "worker", "serve"])
def test_every_command_has_help(command: str) -> None:
    result = cli(command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


@pytest.mark.slow
def test_jobs_steering_and_check(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("one two two")
    assert cli("run", "--out", str(tmp_path / "out"), str(f)).returncode == 0
    listing = cli("jobs", "--json")
    [rec] = records(listing.stdout)
    assert rec["status"] == "completed" and rec["words"] == 3
    assert "completed" in cli("jobs").stdout
    refused = cli("cancel", str(rec["id"]))
    assert refused.returncode == 1 and "cannot cancel" in refused.stderr
    assert cli("retry", "999").returncode == 1
    assert cli("pause", "--queue").returncode == 0
    assert "paused" in cli("check").stdout
    assert cli("resume", "--queue").returncode == 0
    check = cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "job store" in check.stdout and "all checks passed" in check.stdout
