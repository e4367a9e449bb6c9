"""CSV: types over the whole file, null tokens, numbers that are not numbers, drift, and the profile's numbers."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest


def test_types_values_and_nulls(run_csv):
    data = (
        b"id,price,flag,day,at,name,zip\n"
        b"1,1.5,true,2024-01-05,2024-01-05T10:00:00,Ann,01234\n"
        b"2,N/A,FALSE,2024-02-29,2024-01-05 11:30:00,Bob,90210\n"
        b"3,,True,,2024-01-06T00:00:01.250000,,00501\n"
        b"4,-2.25,,2023-12-31,,#N/A,12345\n"
    )
    run = run_csv(data)
    t = run.data
    assert t.schema.types == [
        pa.int64(), pa.float64(), pa.bool_(), pa.date32(), pa.timestamp("us"), pa.string(), pa.string()
    ]
    assert t.column("id").to_pylist() == [1, 2, 3, 4]
    assert t.column("price").to_pylist() == [1.5, None, None, -2.25]
    assert t.column("flag").to_pylist() == [True, False, True, None]
    assert t.column("day").to_pylist() == [dt.date(2024, 1, 5), dt.date(2024, 2, 29), None, dt.date(2023, 12, 31)]
    assert t.column("at").to_pylist()[2] == dt.datetime(2024, 1, 6, 0, 0, 1, 250000)
    # In a text column only "" is missing: "#N/A" stays, as it could be data.
    assert t.column("name").to_pylist() == ["Ann", "Bob", None, "#N/A"]
    assert t.column("zip").to_pylist() == ["01234", "90210", "00501", "12345"]
    m = run.result.metrics
    assert m["rows"] == 4 and m["columns"] == 7 and m["header"] is True
    assert m["column_names"] == ["id", "price", "flag", "day", "at", "name", "zip"]
    assert m["delimiter"] == "," and m["encoding"] == "utf-8" and m["decimal"] == "."
    cols = run.columns
    assert cols["price"]["nulls"] == 2 and cols["price"]["null_pct"] == 50.0


@pytest.mark.parametrize(
    "values, expected_type",
    [
        (["007", "12", "3"], pa.string()),  # leading zeros: article numbers, not numbers
        (["0x10", "1"], pa.string()),  # Arrow alone would read hex
        (["123456789012345678901234567", "1"], pa.string()),  # beyond 64 bits: never wrapped or rounded
        (["9223372036854775807", "-9223372036854775808"], pa.int64()),
        (["12345678901234567", "1.5"], pa.string()),  # a float would round the integer
        (["+1 555 0100", "+44 20 7946 0000"], pa.string()),  # phone numbers
        (["0", "0.5", "-0.25", "1e3"], pa.float64()),
        (["+5", "-3", "+0"], pa.int64()),  # signed changes: integers, not floats
        (["+5", "++5"], pa.string()),
    ],
)
def test_numbers_that_are_not_numbers(run_csv, values, expected_type):
    run = run_csv(("v\n" + "\n".join(values) + "\n").encode())
    col = run.data.column("v")
    assert col.type == expected_type
    if expected_type == pa.string():
        assert col.to_pylist() == values  # exactly as written
    elif expected_type == pa.int64():
        assert col.to_pylist() == [int(v) for v in values]


def test_dates_in_other_formats_are_not_guessed(run_csv):
    run = run_csv(b"d\n05/01/2024\n2024-01-06\n")
    assert run.data.column("d").to_pylist() == ["05/01/2024", "2024-01-06"]


def test_date_times_with_a_zone_are_instants_in_utc(run_csv):
    run = run_csv(b"at,local,mixed\n"
                  b"2024-01-02T10:00:00Z,2024-01-02 10:00:00,2024-01-02T10:00:00Z\n"
                  b"2024-01-02 12:30:00+02:00,2024-01-02 11:00:00,2024-01-02 11:00:00\n")
    utc = dt.UTC
    assert run.data.schema.field("at").type == pa.timestamp("us", tz="UTC")
    at = [v.astimezone(utc).replace(tzinfo=None) for v in run.data.column("at").to_pylist()]
    assert at == [dt.datetime(2024, 1, 2, 10), dt.datetime(2024, 1, 2, 10, 30)]
    assert run.data.schema.field("local").type == pa.timestamp("us")
    # A zone on some values and none on others: which zone would the others be in? Not guessed: text.
    assert run.data.column("mixed").to_pylist() == ["2024-01-02T10:00:00Z", "2024-01-02 11:00:00"]
    assert run.columns["at"]["min"].startswith("2024-01-02T10:00:00")


def _drift_csv(rows: int, at: int, stray: str) -> bytes:
    lines = ["n,qty,label"]
    for i in range(rows):
        lines.append(f"{i},{stray if i == at else i % 500},item {i}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("stray, expected", [("ABC-17", pa.string()), ("3.25", pa.float64())])
def test_late_type_change_widens_the_whole_column(run_csv, stray, expected):
    rows, at = 400_000, 360_000  # past the first chunks, so some rows were already converted
    run = run_csv(_drift_csv(rows, at, stray))
    t = run.data
    assert t.num_rows == rows and t.schema.field("qty").type == expected
    qty = t.column("qty").to_pylist()
    if expected == pa.string():
        assert qty[:3] == ["0", "1", "2"] and qty[at] == stray and qty[-1] == str((rows - 1) % 500)
    else:
        assert qty[:3] == [0.0, 1.0, 2.0] and qty[at] == 3.25
    assert t.column("n").type == pa.int64()
    warning = next(w for w in run.result.warnings if "qty" in w)
    assert f"row {at + 1}" in warning and repr(stray) in warning


def test_null_token_late_is_not_drift(run_csv):
    run = run_csv(_drift_csv(300_000, 290_000, "n/a"))
    t = run.data
    assert t.schema.field("qty").type == pa.int64()
    assert t.column("qty").null_count == 1 and not run.result.warnings


@pytest.mark.slow
def test_drift_found_by_the_spread_look(run_csv):
    # > 8 MB: blocks spread over the file see the change before conversion starts (no second attempt).
    run = run_csv(_drift_csv(900_000, 880_000, "ABC-17"))
    assert run.data.schema.field("qty").type == pa.string()
    assert any("row 880001" in w for w in run.result.warnings)


def test_profile_matches_pandas(run_csv, tmp_path):
    n = 5000
    rows = ["i,x,cat,when,ok,txt"]
    for k in range(n):
        x = "" if k % 7 == 0 else f"{(k * 37 % 1000) / 8:.3f}"
        rows.append(f"{k},{x},{'abc'[k % 3]}{k % 5},2024-01-{1 + k % 28:02d},{'true' if k % 4 else 'false'},t{k % 97}")
    run = run_csv(("\n".join(rows) + "\n").encode())
    t = run.data
    cols = run.columns
    df = t.to_pandas()
    x = cols["x"]
    assert x["count"] == n and x["nulls"] == int(df["x"].isna().sum())
    assert float(x["min"]) == df["x"].min() and float(x["max"]) == df["x"].max()
    assert math.isclose(x["mean"], df["x"].mean(), rel_tol=1e-9)
    assert math.isclose(x["std"], df["x"].std(), rel_tol=1e-9)
    assert x["distinct"] == df["x"].nunique() and x["distinct_method"] == "exact"
    for q in (5, 25, 50, 75, 95):
        exact = df["x"].quantile(q / 100)
        assert abs(float(x[f"p{q}"]) - exact) <= 0.03 * (df["x"].max() - df["x"].min())
    assert sum(x["histogram_counts"]) == n - x["nulls"]
    i = cols["i"]
    assert abs(i["distinct"] - n) <= 3 * i["distinct_rel_error"] * n and int(i["min"]) == 0
    assert int(i["max"]) == n - 1
    assert pc.sum(t.column("i")).as_py() == n * (n - 1) // 2
    top = cols["cat"]["top_values"]
    expected = df["cat"].value_counts()
    assert len(top) == 10 and top[0]["count"] == expected.max()
    assert all(v["count"] == expected[v["value"]] for v in top)
    assert [v["count"] for v in top] == sorted((v["count"] for v in top), reverse=True)
    assert cols["cat"]["distinct"] == df["cat"].nunique()
    assert cols["txt"]["min_length"] == df["txt"].str.len().min()
    assert cols["txt"]["max_length"] == df["txt"].str.len().max()
    assert cols["when"]["min"] == "2024-01-01" and cols["when"]["max"] == "2024-01-28"
    assert math.isclose(cols["ok"]["mean"], df["ok"].mean())
    assert isinstance(pd.Series(cols["i"]["histogram_edges"]).iloc[0], float)


def test_distinct_estimate_for_many_values(run_csv):
    n = 60_000
    run = run_csv(("k,s\n" + "".join(f"{i},token-{i * 7919}\n" for i in range(n))).encode())
    for name in ("k", "s"):
        col = run.columns[name]
        assert abs(col["distinct"] - n) <= 3 * col["distinct_rel_error"] * n + 1
        assert col["distinct_method"].startswith("hyperloglog")


def test_formula_like_values_are_data(run_csv):
    run = run_csv(b'a\n=cmd|"/c calc"!A1\n@SUM(1)\nplain\n')
    assert run.data.column("a").to_pylist() == ['=cmd|"/c calc"!A1', "@SUM(1)", "plain"]
    assert run.columns["a"]["formula_like"] == 1


def test_sample_is_uniform_seeded_and_from_the_file(run_csv, tmp_path):
    n = 20_000
    data = ("k\n" + "".join(f"{i}\n" for i in range(n))).encode()
    first = run_csv(data).sample.column("k").to_pylist()
    again = run_csv(data, name="again.csv").sample.column("k").to_pylist()
    assert len(first) == 1000 and first == again
    assert len(set(first)) == 1000 and all(0 <= k < n for k in first)
    assert max(first) > 0.9 * n and min(first) < 0.1 * n  # spread over the file, not the head


def test_fast_prefix_tests_agree_with_arrow_kernels():
    # Leading zeros and null tokens are tested on numpy views of plain string arrays; every other array type
    # takes the Arrow-kernel path. Both must give the same answers on awkward values.
    import random

    import pyarrow as pa

    from jobs.tables import infer

    rng = random.Random(7)
    alphabet = ["0", "1", "-", "+", ".", ",", "e", "E", "x", "N", "n", "#", "A", "/", "a", " ", "é"]
    for _ in range(3000):
        values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 6))]
        arr = pa.array(values, pa.string())
        for part in (arr, arr.slice(1), arr.slice(0, len(arr) - 1)):
            if len(part) == 0:
                continue
            large = part.cast(pa.large_string())  # not a plain StringArray: the kernel path
            for decimal in (".", ","):
                assert infer._leading_zero(part, decimal) == infer._leading_zero(large, decimal), part
            assert infer.null_mask(part).to_pylist() == infer.null_mask(large).to_pylist(), part


def test_top_values_of_codes_days_and_flags_match_pandas(run_csv):
    # Few distinct integers, days and booleans are counted by position (bincount), not hashed: same answers.
    n = 150_000  # several chunks and profile groups
    rows = ["code,day,flag,wide"]
    for k in range(n):
        code = "" if k % 11 == 0 else str((k * 7919) % 300 - 40)  # negative values too
        flag = "" if k % 13 == 0 else ("true" if (k * 31) % 7 < 3 else "false")
        rows.append(f"{code},2023-{1 + k % 12:02d}-{1 + (k * 3) % 28:02d},{flag},{(k % 50) * 1_000_003}")
    run = run_csv(("\n".join(rows) + "\n").encode())
    df = run.data.to_pandas(types_mapper=pd.ArrowDtype)

    def render(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        return v.isoformat() if hasattr(v, "isoformat") else str(v)

    for name in ("code", "day", "flag", "wide"):
        col = run.columns[name]
        expected = df[name].dropna().value_counts()
        counts = {render(k): int(c) for k, c in expected.items()}
        assert col["distinct"] == len(counts) and col["distinct_method"] == "exact", name
        assert col["nulls"] == int(df[name].isna().sum()), name
        assert all(counts[item["value"]] == item["count"] for item in col["top_values"]), name
        assert [v["count"] for v in col["top_values"]] == sorted(counts.values(), reverse=True)[:10], name


def test_quantiles_of_a_column_with_few_values_are_exact(run_csv):
    # 3,000 rows of 37 distinct integers and 20 distinct dates: counted exactly, so quantiles are exact too.
    n = 3000
    rows = ["k,day"] + [f"{(i * 7919) % 37},2024-03-{1 + (i * 13) % 20:02d}" for i in range(n)]
    run = run_csv(("\n".join(rows) + "\n").encode())
    col = run.columns["k"]
    values = np.array([(i * 7919) % 37 for i in range(n)])
    assert col["quantile_method"] == "exact" and col["quantile_rank_error"] == 0.0
    for q in (5, 25, 50, 75, 95):
        assert float(col[f"p{q}"]) == np.quantile(values, q / 100, method="inverted_cdf")
    edges = np.array(col["histogram_edges"])
    assert edges[0] == values.min() and edges[-1] == values.max() and len(edges) == 21
    # A value on an inner edge counts in the bin below (as KLL's inclusive split points do).
    expected = np.bincount(np.searchsorted(edges[1:-1], values, side="left"), minlength=20)
    assert col["histogram_counts"] == expected.tolist()
    day = run.columns["day"]
    assert day["quantile_method"] == "exact" and day["p50"].startswith("2024-03-")


def test_the_quantile_sketch_takes_over_from_exact_counts():
    from jobs.tables.profile import ColumnProfile

    # Few values at first (counted exactly), then > 20,000 distinct: the sketch starts from the counts so far.
    first = np.arange(200_000) % 50
    later = 1000 + np.arange(40_000)
    col = ColumnProfile("v", pa.int64())
    for part in [*np.split(first, 4), *np.split(later, 4)]:
        col.update(pa.array(part))
    row = col.result()
    values = np.concatenate([first, later])
    assert row["distinct_method"].startswith("hyperloglog") and row["quantile_method"].startswith("kll")
    assert abs(sum(row["histogram_counts"]) - len(values)) <= 20  # every value, not only those the sketch saw
    for q in (5, 25, 50, 75, 95):
        got = float(row[f"p{q}"])
        rank = np.searchsorted(np.sort(values), got, side="right") / len(values)
        assert abs(rank - q / 100) <= 3 * row["quantile_rank_error"] + 1 / 50, (q, got, rank)


def test_quantiles_of_a_sorted_column_weigh_every_part_of_the_file_alike():
    from jobs.tables.profile import ColumnProfile

    # Past the first 65,536 values the sketch is fed 1 value in 8: those must count 8 times, or the first rows
    # dominate (the median of sorted ids came out at an eighth of their range).
    ids = np.arange(1, 2_000_001)
    col = ColumnProfile("id", pa.int64())
    for part in np.array_split(ids, 31):
        col.update(pa.array(part))
    row = col.result()
    for q in (5, 25, 50, 75, 95):
        assert abs(float(row[f"p{q}"]) / len(ids) - q / 100) <= 3 * row["quantile_rank_error"], (q, row[f"p{q}"])
    counts = row["histogram_counts"]
    assert abs(sum(counts) - len(ids)) <= 20
    assert max(counts) / min(counts) < 1.5  # flat reads flat (weighted 1 for 8, the first bin held 4.7x the rest)


@pytest.mark.parametrize("kind", ["float", "int", "date"])
def test_quantiles_from_one_sketch_are_those_of_its_retained_values(kind):
    from jobs.tables.profile import QUANTILES, ColumnProfile

    # Under 65,536 values one sketch holds the column: its own quantile and CDF queries give the quantiles and
    # the histogram, and they must be what the retained values, weighted, give (the path for two sketches).
    rng = np.random.default_rng(7)
    n = 30_000
    if kind == "float":
        arr = pa.array(np.where(rng.random(n) < 0.05, np.nan, rng.normal(50, 10, n)))
    elif kind == "int":
        arr = pa.array(rng.integers(0, 10**9, n))
    else:
        arr = pa.array(rng.integers(0, 100_000, n).astype("int32")).cast(pa.date32())  # 270 years: sketched
    col = ColumnProfile("x", arr.type)
    for start in range(0, n, 4000):
        col.update(arr.slice(start, 4000))
    assert col._kll_sampled is None and col._counts is None
    row = col.result()
    sketch = col._kll
    items = list(sketch)
    values = np.array([v for v, _ in items])
    weights = np.array([w for _, w in items], np.int64)
    empty = {f"p{round(q * 100)}": None for q in QUANTILES}
    bounds = (sketch.get_min_value(), sketch.get_max_value())
    expected = col._weighted_quantiles(empty, values, weights, row["quantile_method"], row["quantile_rank_error"],
                                       col.count - col.nulls, bounds)
    for key, value in expected.items():
        assert row[key] == value, key
    assert abs(sum(row["histogram_counts"]) - n) <= 10  # scaled to every value (NaN too), then rounded per bin


def test_days_of_a_decade_are_counted_exactly_though_the_first_rows_hardly_repeat():
    from jobs.tables.profile import ColumnProfile

    # 2,500 rows over 3,650 days: most first values differ, but a decade of days is counted by position
    # (a bincount), so distinct values, quantiles and top values are exact, not sketched.
    rng = np.random.default_rng(5)
    days = rng.integers(18_000, 21_650, 40_000).astype("int32")
    col = ColumnProfile("d", pa.date32())
    for start in range(0, len(days), 2_500):
        col.update(pa.array(days[start:start + 2_500]).cast(pa.date32()))
    row = col.result()
    assert row["distinct_method"] == "exact" and row["distinct"] == len(np.unique(days))
    assert row["quantile_method"] == "exact"
    epoch = dt.date(1970, 1, 1)
    for q in (5, 25, 50, 75, 95):
        expected = int(np.quantile(days, q / 100, method="inverted_cdf"))
        assert row[f"p{q}"] == (epoch + dt.timedelta(days=expected)).isoformat()
    _, counts = np.unique(days, return_counts=True)
    assert row["top_values"][0]["count"] == counts.max() and row["top_method"] == "exact"
