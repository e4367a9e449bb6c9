"""A per-column profile computed while streaming, in memory that does not grow with the number of rows.

Exact where it is cheap (counts, nulls, min, max, mean, std, string lengths); sketches elsewhere: quantiles and
histograms from a DataSketches KLL sketch, top values (past the rows counted exactly) from a DataSketches
frequent-items sketch of one row in 16, distinct counts from :mod:`jobs.tables.hll`. Each approximate figure
carries its method and error bound in the output.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import datasketches as ds
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.tables.hll import RELATIVE_STD_ERROR, HyperLogLog
from jobs.tables.threads import ticking

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
TOP_N = 10
HIST_BINS = 20
KLL_K = 200
_FREQ_LG = 10  # the frequent-items sketch tracks up to 768 candidates
_EXACT_CAP = 20_000  # distinct values counted exactly before switching to sketches
_FEED_ALL = 512  # a feed with more distinct values than this feeds only its most frequent ones
_FEED_TOP = 64
_FEED_ROWS = 1 << 16  # sampled values fed to the frequent-items sketch together (at the latest)
_SAMPLE_STRIDE = 16
_SAMPLE_SEED = 16_061
# The first rows' exact counts kept when sampling begins: 100x TOP_N, so the top values are among them unless a
# thousand values tie, and a value left out occurred there at most as often as the most frequent one left out.
_HEAD_KEEP = 1024
_KLL_FULL = 1 << 16
# Past the first _KLL_FULL values, one in _KLL_STRIDE feeds the sketch: feeding costs ~25 ns a value, and 1 GB
# still feeds ~700k values a column, whose sampling error (~0.06 % of rank) is small beside KLL's own (~1.3 %).
_KLL_STRIDE = 8
_RETYPE_ROWS = 64 * 1024  # rows per update when a changed column is profiled again (as write_data feeds it)
_MERGE_EVERY = 8  # chunks whose exact value counts are merged in one aggregation
# Chunks shorter than this on average are combined before profiling: each step costs a few µs a call, which for
# a wide table's chunks of a few hundred rows is most of the work.
_COMBINE_BELOW = 8192

COLUMNS_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("type", pa.string()),
        ("unit", pa.string()),  # what amounts were written with ("$", "€", "%"), taken off the values
        ("count", pa.int64()),
        ("nulls", pa.int64()),
        ("null_pct", pa.float64()),
        ("distinct", pa.int64()),
        ("distinct_method", pa.string()),
        ("distinct_rel_error", pa.float64()),
        ("min", pa.string()),
        ("max", pa.string()),
        ("mean", pa.float64()),
        ("std", pa.float64()),
        ("p5", pa.string()),
        ("p25", pa.string()),
        ("p50", pa.string()),
        ("p75", pa.string()),
        ("p95", pa.string()),
        ("quantile_method", pa.string()),
        ("quantile_rank_error", pa.float64()),
        ("top_values", pa.list_(pa.struct([("value", pa.string()), ("count", pa.int64())]))),
        ("top_method", pa.string()),
        ("histogram_edges", pa.list_(pa.float64())),
        ("histogram_counts", pa.list_(pa.int64())),
        ("min_length", pa.int64()),
        ("max_length", pa.int64()),
        ("formula_like", pa.int64()),
    ]
)


def _length_range(values: pa.Array | pa.ChunkedArray) -> tuple[int | None, int | None]:
    """Shortest and longest value in characters. ASCII text (the common case) needs no per-value UTF-8 count:
    its lengths are the offsets' differences, once one reduction over the bytes has shown they are all ASCII."""
    lo: int | None = None
    hi: int | None = None
    for chunk in values.chunks if isinstance(values, pa.ChunkedArray) else [values]:
        if len(chunk) == chunk.null_count:
            continue
        a = b = None
        if type(chunk) is pa.StringArray and chunk.null_count == 0:
            bufs = chunk.buffers()
            offsets = np.frombuffer(bufs[1], np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
            first, end = int(offsets[0]), int(offsets[-1])
            data = np.frombuffer(bufs[2], np.uint8, count=end)[first:] if end else np.empty(0, np.uint8)
            if data.size == 0 or int(data.max()) < 0x80:
                lengths = np.diff(offsets)
                a, b = int(lengths.min()), int(lengths.max())
        if a is None:
            mm = pc.min_max(pc.utf8_length(chunk))
            a, b = mm["min"].as_py(), mm["max"].as_py()
        if a is not None and b is not None:
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
    return lo, hi


_DENSE_SPAN = 1 << 16  # integers (and days) spread over fewer values than this are counted by position


def _by_position(t: pa.DataType) -> bool:
    """Integers and days, which :func:`_dense_counts` counts by their offset from the smallest (uint64 could
    overflow int64)."""
    return (pa.types.is_integer(t) and not pa.types.is_uint64(t)) or pa.types.is_date32(t)


def _dense_counts(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array] | None:
    """Value counts of booleans, or of integers and dates within a small span, without hashing: one
    ``bincount`` (about a tenth of the cost of ``value_counts`` on quantities, codes, flags and days).
    None for anything else."""
    t = arr.type
    if not (pa.types.is_boolean(t) or _by_position(t)):
        return None
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if pa.types.is_boolean(t):
        valid = sum(len(c) - c.null_count for c in chunks)
        true = sum(int(pc.sum(c).as_py() or 0) for c in chunks)
        pairs = [(v, n) for v, n in ((False, valid - true), (True, true)) if n]
        return pa.array([v for v, _ in pairs], t), pa.array([n for _, n in pairs], pa.int64())
    parts = []
    for c in chunks:
        if c.null_count:
            c = c.drop_null()
        if len(c):
            parts.append((c.cast(pa.int32()) if pa.types.is_date32(t) else c).to_numpy().astype(np.int64, copy=False))
    values = np.concatenate(parts) if parts else np.empty(0, np.int64)
    if len(values) == 0:
        return pa.array([], t), pa.array([], pa.int64())
    lo, hi = int(values.min()), int(values.max())
    if hi - lo >= _DENSE_SPAN:
        return None
    counts = np.bincount(values - lo, minlength=hi - lo + 1)
    present = np.flatnonzero(counts)
    keys = pa.array(present + lo)
    keys = keys.cast(pa.int32()).cast(t) if pa.types.is_date32(t) else keys.cast(t)
    return keys, pa.array(counts[present], pa.int64())


def _small_span(arr: pa.Array) -> bool:
    """Integers or dates whose values lie within _DENSE_SPAN of each other (what :func:`_dense_counts` counts)."""
    t = arr.type
    if not _by_position(t):
        return False
    mm = pc.min_max(arr.cast(pa.int32()) if pa.types.is_date32(t) else arr)
    lo, hi = mm["min"].as_py(), mm["max"].as_py()
    return lo is not None and hi - lo < _DENSE_SPAN


def _is_numeric(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t)


def _is_temporal(t: pa.DataType) -> bool:
    return pa.types.is_date32(t) or pa.types.is_timestamp(t)


def _as_float(arr: pa.Array) -> np.ndarray:
    """Non-null values as float64 (days for dates, microseconds for timestamps), without NaN or inf."""
    if arr.null_count:
        arr = pc.drop_null(arr)
    if pa.types.is_date32(arr.type):
        arr = arr.cast(pa.int32())
    elif pa.types.is_timestamp(arr.type):
        arr = arr.cast(pa.int64())
    values = arr.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    if pa.types.is_floating(arr.type):
        values = values[np.isfinite(values)]
    return values


def _finite_with_weights(counts: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """The counted values as float64 (as :func:`_as_float` gives them) and their counts, NaN and inf left out."""
    values, weights = counts.column("value").combine_chunks(), counts.column("n").combine_chunks()
    if pa.types.is_date32(values.type):
        values = values.cast(pa.int32())
    elif pa.types.is_timestamp(values.type):
        values = values.cast(pa.int64())
    floats = values.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    ns = weights.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    keep = np.isfinite(floats)
    return (floats, ns) if keep.all() else (floats[keep], ns[keep])


@dataclass
class ColumnProfile:
    """One column's running profile.

    A column starts "few values" (decided on its first chunk): each chunk is dictionary-encoded once and
    everything that depends only on the values (distinct, top values, lengths, min/max of text) is computed on
    the dictionary, with exact counts. Past _EXACT_CAP distinct values it switches to sketches for good.
    """

    name: str
    type: pa.DataType
    count: int = 0
    nulls: int = 0
    # Made when first needed: 16 KiB a column is 80 MB for 5,000 columns, most of which count exactly.
    _hll: HyperLogLog | None = None
    _kll: Any = None
    _freq: Any = None
    _counts: pa.Table | None = None  # exact value counts (value, n) while the column has few values
    _pending: list[pa.Table] = field(default_factory=list)  # chunks' counts not merged into _counts yet
    _pending_rows: int = 0
    _decided: bool = False
    _chunks: int = 0
    _n: int = 0  # finite numeric values seen (mean/std)
    _mean: float = 0.0
    _m2: float = 0.0
    _min: Any = None
    _max: Any = None
    _min_len: int | None = None
    _max_len: int | None = None
    _formulas: int = 0
    _kll_offset: int = 0
    # Past _KLL_FULL values a column is fed one value in _KLL_STRIDE, into a sketch of its own: those values each
    # stand for _KLL_STRIDE, and weighing them as one (one sketch for both) put the first rows' values 8x over
    # the rest (the median of a sorted id column came out at an eighth of its range).
    _kll_sampled: Any = None
    # Top values of a column with many values: the rows counted in full before sampling began (the first chunk,
    # or the rows counted while values were few) are the head, kept as exact counts and never scaled; past it
    # one row in _SAMPLE_STRIDE feeds the frequent-items sketch, and only that part is scaled (by _freq_seen
    # over _freq_fed). Scaling the head too counted the first rows' values twice over.
    _head: pa.Table | None = None  # (value, n): the head's _HEAD_KEEP most frequent values
    _head_rows: int = 0
    _head_cut: int = 0  # the largest count left out of _head: a value not in it occurred at most this often there
    _freq_seen: int = 0  # values past the head
    _freq_fed: int = 0  # ... of which sampled
    _rng: np.random.Generator | None = None
    _feed_cut: int = 0  # per feed, the largest count not fed to the sketch, added up
    _sampled: list[pa.Array] = field(default_factory=list)  # sampled values not fed to the sketch yet
    _sampled_rows: int = 0
    _sampled_chunks: int = 0

    def __post_init__(self) -> None:
        if _is_numeric(self.type) or _is_temporal(self.type):
            self._kll = ds.kll_doubles_sketch(KLL_K)

    @property
    def _is_string(self) -> bool:
        return pa.types.is_string(self.type)

    def _distinct_sketch(self) -> HyperLogLog:
        if self._hll is None:
            self._hll = HyperLogLog()
        return self._hll

    def update(self, arr: pa.Array | pa.ChunkedArray) -> None:
        if isinstance(arr, pa.ChunkedArray) and arr.num_chunks > 1 and len(arr) < _COMBINE_BELOW * arr.num_chunks:
            # Short chunks (a wide table's): one copy, then one call per step instead of one per chunk.
            arr = arr.combine_chunks()
        self.count += len(arr)
        self.nulls += arr.null_count
        valid = len(arr) - arr.null_count
        if valid == 0:
            return
        self._chunks += 1
        if not self._decided:
            self._decided = True
            if pa.types.is_boolean(arr.type):
                few = True
            else:
                distinct = pc.count_distinct(arr).as_py()
                # Integers and days within a small span are counted by position (one bincount), so counting
                # them exactly costs less than the sketches, however many of them differ: a decade of days, codes.
                few = distinct <= max(1024, valid // 8) or (distinct <= _EXACT_CAP // 2 and _small_span(arr))
            if few:
                self._counts = pa.table({"value": pa.array([], arr.type), "n": pa.array([], pa.int64())})
        few = self._counts is not None
        if few:
            self._update_few(arr)  # may hand the counts to the sketches: ``few`` is what this chunk was counted as
        else:
            self._update_many(arr)
        if self._kll is not None:
            if not few:
                # Few values: min, max, quantiles and the histogram come from the exact counts instead.
                mm = pc.min_max(arr)
                self._extend(mm["min"].as_py(), mm["max"].as_py())
                self._feed_kll(arr)
            if not _is_temporal(self.type):
                self._arrow_moments(arr, valid)
        elif pa.types.is_boolean(arr.type):
            self._merge_moments(pc.drop_null(arr).to_numpy(zero_copy_only=False).astype(np.float64))

    def _arrow_moments(self, arr: pa.Array, valid: int) -> None:
        """Mean and variance in Arrow (two passes, no float copy); numpy only when NaN or inf are present."""
        mean = pc.mean(arr).as_py()
        if mean is None or not math.isfinite(mean):
            self._merge_moments(_as_float(arr))
            return
        var = pc.variance(arr, ddof=0).as_py() or 0.0
        self._merge_summary(valid, mean, var * valid)

    def _feed_kll(self, arr: pa.Array) -> None:
        chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
        for chunk in chunks:
            if self._kll.n < _KLL_FULL or len(chunk) < 4 * _KLL_STRIDE:
                values, sketch = _as_float(chunk), self._kll
            else:
                # One value in _KLL_STRIDE, chosen before the conversion to float so only those are copied.
                self._kll_offset = (self._kll_offset + 1) % _KLL_STRIDE
                values = _as_float(chunk.take(pa.array(np.arange(self._kll_offset, len(chunk), _KLL_STRIDE))))
                if self._kll_sampled is None:
                    self._kll_sampled = ds.kll_doubles_sketch(KLL_K)
                sketch = self._kll_sampled
            if len(values):
                sketch.update(values)

    def _feed_kll_counts(self, counts: pa.Table) -> None:
        """The quantile sketch takes over from exact counts: each value fed as often as it occurred."""
        values, weights = _finite_with_weights(counts)
        for start in range(0, len(values), 4096):  # in slices, so the repeated values stay a few MB
            self._kll.update(np.repeat(values[start:start + 4096], weights[start:start + 4096]))

    def _extend(self, lo: Any, hi: Any) -> None:
        if lo is not None:
            self._min = lo if self._min is None else min(self._min, lo)
            self._max = hi if self._max is None else max(self._max, hi)

    @property
    def max_length(self) -> int | None:
        """The longest text value so far (None: not text, or no value yet)."""
        return self._max_len

    def _text_stats(self, values: pa.Array, weights: np.ndarray | None) -> None:
        """Lengths, min/max and formula-looking values of text (weights: occurrences of each value)."""
        mm = pc.min_max(values)
        self._extend(mm["min"].as_py(), mm["max"].as_py())
        lo, hi = _length_range(values)
        if lo is not None:
            self._min_len = lo if self._min_len is None else min(self._min_len, lo)
            self._max_len = hi if self._max_len is None else max(self._max_len, hi)
        # Values Excel would run as formulas (CSV injection): stored as-is, counted here.
        formulas = pc.starts_with(values, "=")
        if weights is None:
            self._formulas += pc.sum(formulas).as_py() or 0
        elif pc.any(formulas).as_py():
            self._formulas += int(weights[formulas.to_numpy(zero_copy_only=False)].sum())

    def _update_few(self, arr: pa.Array) -> None:
        assert self._counts is not None
        dense = _dense_counts(arr)
        if dense is not None:
            values, ns = dense
        else:
            counts = pc.value_counts(arr).flatten()  # hashing in C++; the values are few by construction
            values, ns = counts[0], counts[1]
            if values.null_count:
                keep = pc.is_valid(values)
                values, ns = values.filter(keep), ns.filter(keep)
        if self._is_string:
            self._text_stats(values, ns.to_numpy())
        else:
            mm = pc.min_max(values)
            self._extend(mm["min"].as_py(), mm["max"].as_py())
        self._pending.append(pa.table({"value": values, "n": ns.cast(pa.int64())}))
        self._pending_rows += len(values)
        # Merging costs a hash aggregation per call whatever its size: merge a few chunks' counts at a time.
        if len(self._pending) >= _MERGE_EVERY or self._pending_rows > _EXACT_CAP:
            self._merge_counts()

    def _merge_counts(self) -> None:
        if self._counts is None or not self._pending:
            return
        parts = [self._counts, *self._pending] if self._counts.num_rows else self._pending
        self._pending, self._pending_rows = [], 0
        if len(parts) == 1:
            self._counts = parts[0]  # one chunk's counts: its values are distinct already
        else:
            # One hashing pass in C++ numbers the values, a bincount adds their counts: no Python loop over
            # the values, and ~20x less fixed cost than a group_by (an Acero plan a call: ~0.3 ms, which a
            # wide table paid per column).
            merged = pa.concat_tables(parts)
            encoded = pc.dictionary_encode(merged.column("value").combine_chunks())
            ns = merged.column("n").combine_chunks().to_numpy(zero_copy_only=False)
            sums = np.bincount(encoded.indices.to_numpy(zero_copy_only=False), weights=ns,
                               minlength=len(encoded.dictionary))
            self._counts = pa.table({"value": encoded.dictionary, "n": pa.array(sums.astype(np.int64))})
        if self._counts.num_rows > _EXACT_CAP:
            # Too many values to count exactly: the counts so far become the head (exact, the most frequent
            # kept), and the values so far go to the distinct-count sketch (while counts were exact it was not
            # needed).
            self._set_head(self._counts["value"].combine_chunks(), self._counts["n"].combine_chunks())
            self._distinct_sketch().update(self._counts["value"].combine_chunks())
            if self._kll is not None:
                self._feed_kll_counts(self._counts)
            self._counts = None

    def _update_many(self, arr: pa.Array) -> None:
        self._distinct_sketch().update(arr)
        if self._is_string:
            self._text_stats(arr, None)
        elif self._kll is None:
            mm = pc.min_max(arr)
            self._extend(mm["min"].as_py(), mm["max"].as_py())
        if self._head is None:
            # Many values from the first chunk on: that chunk, counted in full, is the head.
            counts = pc.value_counts(arr)
            self._set_head(counts.field("values"), counts.field("counts"))
            return
        self._freq_seen += len(arr) - arr.null_count
        # Mostly-unique columns: exact per-chunk counting is what makes profilers slow, and their top values
        # have tiny counts anyway. One row in _SAMPLE_STRIDE is counted, one at random from each run of that many,
        # so every row is sampled alike: whole chunks (one in _SAMPLE_STRIDE) missed values that came after the
        # first chunk past the head in files of fewer than 17 chunks, and a fixed stride would alias with rows
        # that repeat in a cycle. _top scales by what was sampled.
        if self._rng is None:
            self._rng = np.random.default_rng(_SAMPLE_SEED)  # a fixed seed: the same file, the same profile
        picks = np.arange(0, len(arr), _SAMPLE_STRIDE)
        picks += self._rng.integers(0, _SAMPLE_STRIDE, len(picks))
        sample = pc.drop_null(arr.take(pa.array(picks[picks < len(arr)])))
        self._freq_fed += len(sample)
        self._sampled.extend(sample.chunks if isinstance(sample, pa.ChunkedArray) else [sample])
        self._sampled_rows += len(sample)
        self._sampled_chunks += 1
        if self._sampled_rows >= _FEED_ROWS or self._sampled_chunks >= _SAMPLE_STRIDE:
            self._feed_sampled()

    def _feed_sampled(self) -> None:
        """The sampled values so far into the frequent-items sketch, counted together: feeding costs a Python
        call a value, so it comes once in _SAMPLE_STRIDE chunks (or _FEED_ROWS sampled values), as often as
        when whole chunks were sampled."""
        if not self._sampled:
            return
        counts = pc.value_counts(pa.chunked_array(self._sampled, self.type))
        self._sampled, self._sampled_rows, self._sampled_chunks = [], 0, 0
        if len(counts) > _FEED_ALL:
            # The repeated values (up to _FEED_ALL), or at least the _FEED_TOP most frequent: of many alike values
            # (300 codes) only the top few fed counted each only where it was luckiest, ~20 % high.
            n = counts.field("counts").to_numpy()
            keep = max(_FEED_TOP, min(_FEED_ALL, int(np.count_nonzero(n > 1))))
            if keep < len(n):
                order = np.argpartition(-n, keep)
                self._feed_cut += int(n[order[keep]])
                counts = counts.take(pa.array(order[:keep]))
        if self._freq is None:
            self._freq = ds.frequent_items_sketch(_FREQ_LG)
        for value, c in zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True):
            self._freq.update(value, int(c))

    def _set_head(self, values: pa.Array, ns: pa.Array) -> None:
        """The rows counted in full so far become the head: their _HEAD_KEEP most frequent values, exact."""
        if values.null_count:
            keep = pc.is_valid(values)
            values, ns = values.filter(keep), ns.filter(keep)
        n = ns.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        self._head_rows = int(n.sum())
        if len(n) > _HEAD_KEEP:
            order = np.argpartition(-n, _HEAD_KEEP)
            self._head_cut = int(n[order[_HEAD_KEEP]])
            take = pa.array(order[:_HEAD_KEEP])
            values, n = values.take(take), n[order[:_HEAD_KEEP]]
        self._head = pa.table({"value": values, "n": pa.array(n, pa.int64())})

    def _merge_moments(self, values: np.ndarray) -> None:
        if len(values):
            mean_b = float(values.mean())
            self._merge_summary(len(values), mean_b, float(((values - mean_b) ** 2).sum()))

    def _merge_summary(self, n_b: int, mean_b: float, m2_b: float) -> None:
        """Chan's parallel update: numerically stable mean and variance over chunks."""
        n = self._n + n_b
        delta = mean_b - self._mean
        self._mean += delta * n_b / n
        self._m2 += m2_b + delta * delta * self._n * n_b / n
        self._n = n

    def result(self) -> dict[str, Any]:
        self._merge_counts()
        self._feed_sampled()
        valid = self.count - self.nulls
        exact = self._counts is not None
        if exact:
            assert self._counts is not None
            distinct, method, err = self._counts.num_rows, "exact", 0.0
        else:
            est = self._hll.estimate() if self._hll is not None else 0.0
            distinct, method, err = min(round(est), valid), "hyperloglog (lg_k=14)", RELATIVE_STD_ERROR
        row: dict[str, Any] = {
            "name": self.name,
            "type": str(self.type),
            "unit": None,
            "count": self.count,
            "nulls": self.nulls,
            "null_pct": 100.0 * self.nulls / self.count if self.count else 0.0,
            "distinct": distinct,
            "distinct_method": method,
            "distinct_rel_error": err,
            "min": _render(self._min, self.type),
            "max": _render(self._max, self.type),
            "mean": None,
            "std": None,
            "min_length": self._min_len,
            "max_length": self._max_len,
            "formula_like": self._formulas if self._is_string else None,
        }
        numeric = self._kll is not None or pa.types.is_boolean(self.type)
        if self._n and not _is_temporal(self.type) and numeric:
            row["mean"] = self._mean
            row["std"] = math.sqrt(self._m2 / (self._n - 1)) if self._n > 1 else 0.0
        row.update(self._quantiles())
        row.update(self._top(valid))
        return row

    def _quantiles(self) -> dict[str, Any]:
        out: dict[str, Any] = {f"p{round(q * 100)}": None for q in QUANTILES}
        out.update(quantile_method=None, quantile_rank_error=None, histogram_edges=None, histogram_counts=None)
        if self._kll is None:
            return out
        if self._counts is not None:
            values, weights = _finite_with_weights(self._counts)
            return self._weighted_quantiles(out, values, weights, "exact", 0.0)
        # The sketches' retained values with their weights; past _KLL_FULL values a column feeds one value in
        # _KLL_STRIDE to a sketch of its own, whose values each stand for _KLL_STRIDE.
        sketches = [(sk, w) for sk, w in ((self._kll, 1), (self._kll_sampled, _KLL_STRIDE))
                    if sk is not None and not sk.is_empty()]
        if not sketches:
            return out
        estimated = self._kll_sampled is not None or self._kll.is_estimation_mode()
        method = "exact"
        if estimated:
            method = f"kll (k={KLL_K})" + (
                f", the first {_KLL_FULL:,} values and then 1 in {_KLL_STRIDE} (weighted {_KLL_STRIDE})"
                if self._kll_sampled is not None else "")
        error = max(sk.normalized_rank_error(False) for sk, _ in sketches) if estimated else 0.0
        if len(sketches) == 1:
            return self._sketch_quantiles(out, sketches[0][0], method, error)
        # Two sketches of different weights: their retained values, weighted, make one distribution.
        items = [(v, w * weight) for sketch, weight in sketches for v, w in sketch]
        values = np.fromiter((v for v, _ in items), np.float64, len(items))
        weights = np.fromiter((w for _, w in items), np.int64, len(items))
        bounds = (min(sk.get_min_value() for sk, _ in sketches), max(sk.get_max_value() for sk, _ in sketches))
        return self._weighted_quantiles(out, values, weights, method, error, self.count - self.nulls, bounds)

    def _sketch_quantiles(self, out: dict[str, Any], sketch: Any, method: str, error: float) -> dict[str, Any]:
        """What :meth:`_weighted_quantiles` gives for one sketch's retained values, from the sketch's own
        quantile and CDF queries (inclusive, as there): iterating its values in Python cost ~0.3 ms a column,
        most of the end of a wide table's job."""
        quantiles = sketch.get_quantiles(list(QUANTILES), inclusive=True)
        return self._distribution(
            out, quantiles, method, error, (float(sketch.get_min_value()), float(sketch.get_max_value())),
            self.count - self.nulls, lambda inner: sketch.get_cdf(inner.tolist(), inclusive=True),
        )

    def _weighted_quantiles(
        self, out: dict[str, Any], values: np.ndarray, weights: np.ndarray, method: str, error: float,
        scale_to: int | None = None, bounds: tuple[float, float] | None = None,
    ) -> dict[str, Any]:
        """Quantiles and histogram of values with weights (exact counts, or sketches' retained values), as KLL
        gives them: the smallest value whose cumulative weight reaches q of the total; a value on a bin edge
        counts in the bin below. ``scale_to``: the histogram's counts add up to this many values; ``bounds``: its
        range (default: the values' own)."""
        if not len(values):
            return out
        order = np.argsort(values, kind="stable")
        values, weights = values[order], weights[order]
        cum = np.cumsum(weights)
        total = int(cum[-1])
        last = len(values) - 1
        quantiles = [float(values[min(int(np.searchsorted(cum, q * total, side="left")), last)]) for q in QUANTILES]

        def cdf(inner: np.ndarray) -> np.ndarray:  # share of the weight at or below each edge, then 1
            below = np.concatenate([[0], cum])[np.searchsorted(values, inner, side="right")]
            return np.append(below / total, 1.0)

        lo_hi = bounds if bounds is not None else (float(values[0]), float(values[-1]))
        return self._distribution(out, quantiles, method, error, lo_hi, total if scale_to is None else scale_to, cdf)

    def _distribution(
        self, out: dict[str, Any], quantiles: list[float], method: str, error: float, lo_hi: tuple[float, float],
        total: int, cdf: Callable[[np.ndarray], Any],
    ) -> dict[str, Any]:
        """The quantiles rendered in the column's terms, and a histogram of ``total`` values over ``lo_hi`` from
        ``cdf`` (the share at or below each inner bin edge, then 1)."""
        for q, value in zip(QUANTILES, quantiles, strict=True):
            out[f"p{round(q * 100)}"] = _render_float(float(value), self.type)
        out["quantile_method"] = method
        out["quantile_rank_error"] = error
        lo, hi = lo_hi
        if hi > lo:
            edges = np.linspace(lo, hi, HIST_BINS + 1)
            shares = np.asarray(cdf(edges[1:-1]), np.float64)
            counts = np.rint(np.diff(shares, prepend=0.0) * total).astype(np.int64)
        else:
            edges = np.array([lo, hi])
            counts = np.array([total], np.int64)
        out["histogram_edges"] = [float(e) for e in edges]
        out["histogram_counts"] = [int(c) for c in counts]
        return out

    def _top(self, valid: int) -> dict[str, Any]:
        if self._counts is not None:
            values, ns = self._counts["value"], self._counts["n"].to_numpy().astype(np.float64)
            chosen = _first(lambda rows: values.take(pa.array(rows)).to_pylist(), ns, np.zeros(len(ns)))
            items = [(v, int(c)) for v, c, _ in chosen]
            method = "exact"
        elif self._head is not None:
            items, method = self._estimated_top(valid)
        else:
            items, method = [], "exact"
        top = [{"value": _render(v, self.type), "count": int(c)} for v, c in items]
        return {"top_values": top, "top_method": method}

    def _estimated_top(self, valid: int) -> tuple[list[tuple[Any, int]], str]:
        """Top values of a column with many values: a value's exact count in the head, plus its count in the
        sampled chunks scaled by the values past the head over those sampled (unbiased as far as the sampled
        chunks are like the others). The sampled count is the middle of the sketch's bounds for a value it
        tracks, 0 for one it does not. The result is at least what was seen and at most what is possible.

        Worked out in numpy over the head's values and the sketch's (up to ~1,800 per column): a wide table
        asks this of thousands of columns at the end of the job, when nothing else runs."""
        assert self._head is not None
        head_values = self._head["value"]
        rows = len(head_values)
        h = self._head["n"].to_numpy().astype(np.float64)
        tracked_values: list[Any] = []
        bounds = np.zeros((0, 2))
        at = np.zeros(0, np.int64)
        if self._freq is not None:
            items = self._freq.get_frequent_items(ds.frequent_items_error_type.NO_FALSE_NEGATIVES, 0)
            tracked_values = [value for value, _, _, _ in items]
            bounds = np.array([(lo, hi) for _, _, lo, hi in items], np.float64).reshape(-1, 2)
            # Which head row each tracked value is (a hash lookup in Arrow; -1: not in the head).
            where = pc.index_in(pa.array(tracked_values, head_values.type), value_set=head_values)
            at = pc.fill_null(where, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        # The sketch's bounds are a fixed gap apart: what it may lack of any value, tracked or not.
        offset = float(bounds[0, 1] - bounds[0, 0]) if len(bounds) else 0.0
        extra = np.flatnonzero(at < 0)  # tracked values not in the head: rows of their own
        size = rows + len(extra)
        in_head = np.arange(size) < rows
        h = np.concatenate([h, np.zeros(len(extra))])
        lo, hi = np.zeros(size), np.full(size, offset)
        tracked = np.zeros(size, bool)
        for rows_at, picked in ((at[at >= 0], at >= 0), (rows + np.arange(len(extra)), extra)):
            lo[rows_at], hi[rows_at], tracked[rows_at] = bounds[picked, 0], bounds[picked, 1], True
        unseen = self._freq_seen - self._freq_fed  # values past the head in chunks that were not sampled
        scale = self._freq_seen / self._freq_fed if self._freq_fed else 1.0
        # A value seen once is no evidence of a repeat: in a mostly-unique column (order ids) scaling those up
        # would list values that occur once as frequent.
        keep = (h + lo > 1) if unseen else np.ones(size, bool)
        sampled = np.where(tracked, (lo + hi) / 2, 0.0)
        estimate = h + scale * sampled
        # Left out of the head, left unfed from sampled chunks, every unsampled value this one.
        possible = np.where(in_head, h, self._head_cut) + hi + self._feed_cut + unseen
        # How far the counting (not the sampling) may be off: the sketch, the unfed counts, the head's cut.
        error = scale * (np.maximum(sampled - lo, hi - sampled) + self._feed_cut) + np.where(in_head, 0, self._head_cut)
        count = np.minimum(np.minimum(np.rint(estimate), possible), valid)
        kept = np.flatnonzero(keep)

        def values_at(picked: np.ndarray) -> list[Any]:
            at_rows = kept[picked]
            from_head = head_values.take(pa.array(at_rows[at_rows < rows], pa.int64())).to_pylist()
            it = iter(from_head)
            return [next(it) if r < rows else tracked_values[extra[r - rows]] for r in at_rows]

        chosen = _first(values_at, count[kept], error[kept])
        top = [(value, int(c)) for value, c, _ in chosen]
        error_max = max((e for _, _, e in chosen), default=0.0)
        if not unseen and error_max < 0.5:
            return top, "exact"
        method = f"estimated: the first {self._head_rows:,} values counted exactly"
        if self._freq_seen:
            method += (f", then {self._freq_fed:,} of the next {self._freq_seen:,} (one row in {_SAMPLE_STRIDE}) "
                       f"by a frequent items sketch and scaled by {scale:.4g}")
        if error_max >= 0.5:
            method += f"; counting error up to {round(error_max):,} besides sampling"
        if unseen:
            method += "; single sightings left out"
        return top, method


def _first(
    values_at: Callable[[np.ndarray], list[Any]], counts: np.ndarray, errors: np.ndarray, n: int = TOP_N
) -> list[tuple[Any, float, float]]:
    """The ``n`` most frequent (value, count, error), ties by the value's text: only the rows that can make it
    (a count at least the ``n``-th largest) become Python objects and are sorted. ``values_at(rows)``: their
    values."""
    if not len(counts):
        return []
    cut = np.partition(counts, len(counts) - n)[len(counts) - n] if len(counts) > n else counts.min()
    near = np.flatnonzero(counts >= cut)
    rows = list(zip(values_at(near), counts[near].tolist(), errors[near].tolist(), strict=True))
    return sorted(rows, key=lambda it: (-it[1], str(it[0])))[:n]


def _render(value: Any, t: pa.DataType) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _render_float(value: float, t: pa.DataType) -> str:
    """A quantile (a float from the sketch) rendered in the column's own terms."""
    if pa.types.is_date32(t):
        return pa.scalar(round(value), pa.int32()).cast(pa.date32()).as_py().isoformat()
    if pa.types.is_timestamp(t):
        return pa.scalar(round(value), pa.int64()).cast(t).as_py().isoformat()
    if pa.types.is_integer(t):
        return str(round(value))
    return repr(value)


class TableProfile:
    def __init__(self, schema: pa.Schema) -> None:
        self.columns = [ColumnProfile(f.name, f.type) for f in schema]

    def update(self, batch: pa.RecordBatch | pa.Table) -> None:
        for col, arr in zip(self.columns, batch.columns, strict=True):
            col.update(arr)

    def retype(self, schema: pa.Schema, tables: Iterable[pa.Table]) -> None:
        """Columns whose type changed in ``schema`` start over, fed their values from ``tables`` (the rows
        written so far, cast; each table holds at least those columns)."""
        changed = [i for i, (col, f) in enumerate(zip(self.columns, schema, strict=True)) if col.type != f.type]
        fresh = {i: ColumnProfile(schema.field(i).name, schema.field(i).type) for i in changed}
        for table in tables:
            for col in fresh.values():
                for batch in table.column(col.name).chunks:
                    for start in range(0, len(batch), _RETYPE_ROWS):
                        col.update(batch.slice(start, _RETYPE_ROWS))
        for i, col in fresh.items():
            self.columns[i] = col

    def table(self, tick: Callable[[], None] | None = None, units: Mapping[str, str] | None = None) -> pa.Table:
        """One row per column; ``tick`` is called every few hundred columns (a cancel check); ``units``: the
        unit of each column of amounts, by name."""
        rows = [col.result() for col in ticking(self.columns, tick)]
        for row in rows:
            row["unit"] = (units or {}).get(row["name"])
        return pa.Table.from_pylist(rows, schema=COLUMNS_SCHEMA)
