"""Top-value counts of columns with many values: exact where every occurrence was counted, estimated (and said so)
where rows were sampled, never above what the column holds. Checked against plain counts of the generated values."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pyarrow as pa

from jobs.tables.profile import _SAMPLE_STRIDE, TOP_N, ColumnProfile


def _csv(header: str, columns: list[list[str]]) -> bytes:
    lines = [header, *(",".join(row) for row in zip(*columns, strict=True))]
    return ("\n".join(lines) + "\n").encode()


def _sampling_tolerance(true: int, counting_error: int) -> float:
    """Past the first rows, one row in _SAMPLE_STRIDE is counted (one at random in each run of that many) and
    scaled by _SAMPLE_STRIDE: for a value occurring ``true`` times the estimate's variance is at most the
    binomial one, true * (stride - 1). Four standard errors (a miss about once in 16,000 per value for another
    seed), plus the counting error the profile itself states."""
    return 4 * math.sqrt(true * (_SAMPLE_STRIDE - 1)) + counting_error


def _counting_error(method: str) -> int:
    found = re.search(r"counting error up to ([\d,]+)", method)
    return int(found.group(1).replace(",", "")) if found else 0


def test_counts_of_values_seen_only_in_the_first_rows_are_exact(run_csv):
    # The reported case: 100 codes 1,000 times each in the first 100,000 rows, then 900,000 unique ids. The
    # codes were counted in full and never occur again; scaling their counts by the sampling ratio gave 1,913.
    values = [f"C{i % 100}" if i < 100_000 else f"ID{i}" for i in range(1_000_000)]
    run = run_csv(_csv("code", [values]), name="top_scaled.csv")
    col = run.columns["code"]
    truth = Counter(values)
    top = col["top_values"]
    assert len(top) == TOP_N
    assert all(item["count"] == truth[item["value"]] == 1000 for item in top), top
    assert [item["count"] for item in top] == sorted(truth.values(), reverse=True)[:TOP_N]
    # Rows past the first chunk were sampled: the profile says the counts are estimates, and how they were made.
    assert col["top_method"].startswith("estimated") and f"one row in {_SAMPLE_STRIDE}" in col["top_method"]


def test_sampled_counts_are_unbiased_and_never_above_the_rows(run_csv):
    # 1,000,000 rows (~4 profile chunks): "code" mixes 50 codes of Zipf frequencies with unique ids all along;
    # "late" is unique ids for 400,000 rows and then only 20 codes (its frequent values appear past the first
    # chunk only, so all their counts are estimates: sampling one whole chunk in 16 never saw them and listed
    # none); "shift" has 100 codes in its first 300,000 rows (counted exactly while values are few), then unique
    # ids (its codes came out at 6,267 for 3,000, scaled as if sampled).
    n = 1_000_000
    rng = np.random.default_rng(7)
    zipf50 = 1 / np.arange(1, 51)
    codes = rng.choice(50, size=n, p=zipf50 / zipf50.sum())
    is_code = rng.random(n) < 0.6
    zipf20 = 1 / np.arange(1, 21)
    late_codes = rng.choice(20, size=n, p=zipf20 / zipf20.sum())
    code = [f"K{c}" if k else f"u{i}" for i, (c, k) in enumerate(zip(codes.tolist(), is_code.tolist(), strict=True))]
    late = [f"v{i}" if i < 400_000 else f"L{c}" for i, c in enumerate(late_codes.tolist())]
    shift = [f"S{i % 100}" if i < 300_000 else f"w{i}" for i in range(n)]
    run = run_csv(_csv("code,late,shift", [code, late, shift]))
    assert run.data.num_rows == n

    for name, values in (("code", code), ("late", late)):
        col = run.columns[name]
        truth = Counter(values)
        top = col["top_values"]
        method = col["top_method"]
        assert method.startswith("estimated"), (name, method)
        assert len(top) == TOP_N, (name, top)
        error = _counting_error(method)
        for item in top:
            true = truth[item["value"]]
            assert abs(item["count"] - true) <= _sampling_tolerance(true, error), (name, item, true, method)
            assert item["count"] <= n
        # The five most frequent are far enough apart (>= 20 %) to come out in order.
        expected = [value for value, _ in truth.most_common(5)]
        assert [item["value"] for item in top[:5]] == expected, (name, top)
        assert [item["count"] for item in top] == sorted((item["count"] for item in top), reverse=True)
        # Unbiased: over the ten listed values the errors do not add up the way a bias in one direction would.
        total_true = sum(truth[item["value"]] for item in top)
        total_est = sum(item["count"] for item in top)
        assert abs(total_est - total_true) <= _sampling_tolerance(total_true, TOP_N * error), (name, top)

    shift = run.columns["shift"]
    assert shift["top_method"].startswith("estimated")
    # Counted exactly before the column had too many values, and never seen again: exact, not scaled.
    assert [(item["value"][0], item["count"]) for item in shift["top_values"]] == [("S", 3000)] * TOP_N


def test_counts_handed_over_from_exact_counting_stay_exact():
    # The same hand-over with chunks of a known size: 4 chunks of 100 codes (counted exactly), then unique ids
    # (past 20,000 distinct values the column switches to sampling). The codes keep their exact 2,000.
    col = ColumnProfile("code", pa.string())
    for c in range(4):
        col.update(pa.array([f"S{i % 100}" for i in range(c * 50_000, (c + 1) * 50_000)]))
    for c in range(4):
        col.update(pa.array([f"w{c}-{i}" for i in range(50_000)]))
    row = col.result()
    assert row["distinct_method"].startswith("hyperloglog")
    assert [(item["value"][0], item["count"]) for item in row["top_values"]] == [("S", 2000)] * TOP_N
    assert row["top_method"].startswith("estimated")


def test_no_rows_past_the_exact_ones_reports_exact():
    # A column that passes 20,000 distinct values only in its last chunk was counted in full: exact, and so said.
    col = ColumnProfile("code", pa.string())
    values = [f"S{i % 30}" for i in range(90_000)] + [f"w{i}" for i in range(30_000)]
    for start in range(0, len(values), 30_000):
        col.update(pa.array(values[start:start + 30_000]))
    row = col.result()
    truth = Counter(values)
    assert row["top_method"] == "exact"
    assert all(item["count"] == truth[item["value"]] == 3000 for item in row["top_values"])


def test_many_values_of_similar_frequency_reach_the_sketch():
    # 300 codes of equal frequency among unique ids, in 20 chunks. A feed that passed only the 64 most frequent
    # sampled values fed each code only when it was among the luckiest: the listed ones came out ~20 % high
    # and the stated counting error was ~1,800. Every repeated sampled value is fed now.
    rng = np.random.default_rng(3)
    col = ColumnProfile("code", pa.string())
    values: list[str] = []
    for c in range(20):
        codes = rng.integers(0, 300, 50_000).tolist()
        chunk = [f"code{k}" if i % 2 else f"u{c}-{i}" for i, k in enumerate(codes)]
        values.extend(chunk)
        col.update(pa.array(chunk))
    row = col.result()
    truth = Counter(values)
    error = _counting_error(row["top_method"])
    assert len(row["top_values"]) == TOP_N and row["top_method"].startswith("estimated")
    # Only the unique ids were left unfed (one sighting each, per feed, scaled by 16).
    assert error <= 4 * _SAMPLE_STRIDE
    for item in row["top_values"]:
        true = truth[item["value"]]
        # The ten listed are the largest of 300 alike estimates, ~3 standard errors high by selection alone:
        # five allowed here.
        assert abs(item["count"] - true) <= 5 * math.sqrt(true * (_SAMPLE_STRIDE - 1)) + error, (item, true)
