"""Outputs appear all at once, never overwrite, and vanish on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs.outputs import OutputSet, part_suffixes, safe_name, sweep_partials


def test_outputs_appear_only_on_commit(tmp_path: Path) -> None:
    with OutputSet(tmp_path, "report") as out:
        a = out.path("_summary.parquet")
        b = out.path("_words.parquet")
        a.write_text("a")
        b.write_text("b")
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == []
        finals = out.commit()
    assert [p.name for p in finals] == ["report_summary.parquet", "report_words.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report_summary.parquet", "report_words.parquet"]


def test_working_files_are_never_published_and_go_with_the_set(tmp_path: Path) -> None:
    with OutputSet(tmp_path, "export", owner="job7") as out:
        out.scratch(".0.tsv").write_text("a\tb\n")
        out.path(".parquet").write_text("data")
        finals = out.commit()
    assert [p.name for p in finals] == ["export.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.parquet"]
    with pytest.raises(RuntimeError), OutputSet(tmp_path / "failed", "export", owner="job8") as out:
        work = out.scratch(".0.tsv")
        work.write_text("x")
        raise RuntimeError("cancelled")
    assert not work.exists()
    assert sweep_partials(tmp_path / "failed", "job8") == 0  # nothing left for the next start to sweep


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "report_summary.parquet").write_text("old")
    with OutputSet(tmp_path, "report") as out:
        out.path("_summary.parquet").write_text("new")
        out.path("_words.parquet").write_text("new")
        finals = out.commit()
    assert [p.name for p in finals] == ["report-2_summary.parquet", "report-2_words.parquet"]
    assert (tmp_path / "report_summary.parquet").read_text() == "old"


def test_a_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), OutputSet(tmp_path, "report") as out:
        out.path("_summary.parquet").write_text("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_a_new_attempt_sweeps_what_a_killed_one_left(tmp_path: Path) -> None:
    out = OutputSet(tmp_path, "report", owner="job7")
    out.path("_summary.parquet").write_text("half")
    other = OutputSet(tmp_path, "report", owner="job8")
    other.path("_summary.parquet").write_text("someone else's")
    assert sweep_partials(tmp_path, "job7") == 1
    assert len(list(tmp_path.iterdir())) == 1


def test_names_are_made_safe() -> None:
    assert safe_name('a/b:c*?"<>|') == "a_b_c_"
    assert safe_name("...") == "output"


def test_the_replace_policy_replaces_atomically(tmp_path: Path) -> None:
    (tmp_path / "report_summary.parquet").write_text("old")
    with OutputSet(tmp_path, "report", overwrite=True) as out:
        out.path("_summary.parquet").write_text("new")
        finals = out.commit()
    assert [p.name for p in finals] == ["report_summary.parquet"]
    assert (tmp_path / "report_summary.parquet").read_text() == "new"
    assert len(list(tmp_path.iterdir())) == 1


def test_part_suffixes_never_share_a_file_name() -> None:
    names = ["P&L <2024>", "P&L >2024<", "Data", "data", "Data-2", ""]
    suffixes = part_suffixes(names)
    assert suffixes == ["__P&L _2024_", "__P&L _2024_-2", "__Data", "__data-2", "__Data-2-2", "__sheet"]
    assert len({s.casefold() for s in suffixes}) == len(names)  # distinct where the file system ignores case
