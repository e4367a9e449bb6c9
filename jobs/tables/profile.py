"""A per-column profile computed while streaming, in memory that does not grow with the number of rows.

Exact where it is cheap (counts, nulls, min, max, mean, std, string lengths); sketches elsewhere: quantiles and
histograms from a DataSketches KLL sketch, top values from a DataSketches frequent-items sketch, distinct counts
from :mod:`jobs.tables.hll`. Each approximate figure carries its method and error bound in the output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import datasketches as ds
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jobs.tables.hll import RELATIVE_STD_ERROR, HyperLogLog

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
TOP_N = 10
HIST_BINS = 20
KLL_K = 200
_FREQ_LG = 10  # up to 768 tracked items: columns with fewer distinct values are counted exactly
_FEED_ALL = 512  # a chunk with more distinct values than this feeds only its most frequent ones
_FEED_TOP = 64
# Columns that look unique (ids, tokens) are counted on one chunk in _SAMPLE_STRIDE: their "top values" all
# have tiny counts, and exact per-chunk counting is what makes profilers slow.
_SAMPLE_STRIDE = 16
_UNIQUE_RATIO = 0.5

COLUMNS_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("type", pa.string()),
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


@dataclass
class ColumnProfile:
    name: str
    type: pa.DataType
    count: int = 0
    nulls: int = 0
    _hll: HyperLogLog = field(default_factory=HyperLogLog)
    _kll: Any = None
    _freq: Any = None
    _freq_exact: bool = True
    _chunks: int = 0
    _unique_like: bool = False
    _n: int = 0  # finite numeric values seen (mean/std)
    _mean: float = 0.0
    _m2: float = 0.0
    _min: Any = None
    _max: Any = None
    _min_len: int | None = None
    _max_len: int | None = None
    _formulas: int = 0

    def __post_init__(self) -> None:
        self._freq = ds.frequent_items_sketch(_FREQ_LG)
        if _is_numeric(self.type) or _is_temporal(self.type):
            self._kll = ds.kll_doubles_sketch(KLL_K)

    @property
    def _is_string(self) -> bool:
        return pa.types.is_string(self.type)

    def update(self, arr: pa.Array) -> None:
        self.count += len(arr)
        self.nulls += arr.null_count
        valid = len(arr) - arr.null_count
        if valid == 0:
            return
        self._hll.update(arr)
        self._update_top(arr, valid)
        if pa.types.is_floating(arr.type):
            mm = pc.min_max(arr, skip_nulls=True)  # Arrow's min/max skip NaN
        else:
            mm = pc.min_max(arr)
        lo, hi = mm["min"].as_py(), mm["max"].as_py()
        if lo is not None:
            self._min = lo if self._min is None else min(self._min, lo)
            self._max = hi if self._max is None else max(self._max, hi)
        if self._kll is not None:
            values = _as_float(arr)
            if len(values):
                self._kll.update(values)
                self._merge_moments(values)
        elif pa.types.is_boolean(arr.type):
            values = pc.drop_null(arr).to_numpy(zero_copy_only=False).astype(np.float64)
            self._merge_moments(values)
        if self._is_string:
            lengths = pc.min_max(pc.utf8_length(arr))
            lo_len, hi_len = lengths["min"].as_py(), lengths["max"].as_py()
            self._min_len = lo_len if self._min_len is None else min(self._min_len, lo_len)
            self._max_len = hi_len if self._max_len is None else max(self._max_len, hi_len)
            # Values Excel would run as formulas (CSV injection): stored as-is, counted here.
            self._formulas += pc.sum(pc.starts_with(arr, "=")).as_py() or 0

    def _merge_moments(self, values: np.ndarray) -> None:
        """Chan's parallel update: numerically stable mean and variance over chunks."""
        n_b = len(values)
        if n_b == 0:
            return
        mean_b = float(values.mean())
        m2_b = float(((values - mean_b) ** 2).sum())
        n = self._n + n_b
        delta = mean_b - self._mean
        self._mean += delta * n_b / n
        self._m2 += m2_b + delta * delta * self._n * n_b / n
        self._n = n

    def _update_top(self, arr: pa.Array, valid: int) -> None:
        self._chunks += 1
        if self._unique_like and self._chunks % _SAMPLE_STRIDE:
            return
        counts = pc.value_counts(arr)
        distinct = len(counts) - (1 if arr.null_count else 0)
        if self._chunks <= 2 and valid >= 1000 and distinct > _UNIQUE_RATIO * valid:
            self._unique_like = True
            self._freq_exact = False
        weight = _SAMPLE_STRIDE if self._unique_like and self._chunks > 2 else 1
        if len(counts) > _FEED_ALL:
            self._freq_exact = False
            n = counts.field("counts").to_numpy()
            counts = counts.take(pa.array(np.argpartition(-n, _FEED_TOP)[:_FEED_TOP]))
        values = counts.field("values").to_pylist()
        ns = counts.field("counts").to_pylist()
        for v, c in zip(values, ns, strict=True):
            if v is not None:
                self._freq.update(v, int(c) * weight)

    def result(self) -> dict[str, Any]:
        valid = self.count - self.nulls
        exact = self._freq_exact and self._freq.num_active_items < 0.75 * (1 << _FREQ_LG)
        if exact:
            distinct, method, err = self._freq.num_active_items, "exact", 0.0
        else:
            est = self._hll.estimate()
            distinct, method, err = min(round(est), valid), "hyperloglog (lg_k=14)", RELATIVE_STD_ERROR
        row: dict[str, Any] = {
            "name": self.name,
            "type": str(self.type),
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
        if self._n and (self._kll is not None or pa.types.is_boolean(self.type)):
            if not _is_temporal(self.type):
                row["mean"] = self._mean
                row["std"] = math.sqrt(self._m2 / (self._n - 1)) if self._n > 1 else 0.0
        row.update(self._quantiles())
        row.update(self._top(valid, exact))
        return row

    def _quantiles(self) -> dict[str, Any]:
        out: dict[str, Any] = {f"p{round(q * 100)}": None for q in QUANTILES}
        out.update(quantile_method=None, quantile_rank_error=None, histogram_edges=None, histogram_counts=None)
        if self._kll is None or self._kll.is_empty():
            return out
        qs = self._kll.get_quantiles(list(QUANTILES))
        for q, v in zip(QUANTILES, qs, strict=True):
            out[f"p{round(q * 100)}"] = _render_float(v, self.type)
        estimated = self._kll.is_estimation_mode()
        out["quantile_method"] = "kll (k=200)" if estimated else "exact"
        out["quantile_rank_error"] = self._kll.normalized_rank_error(False) if estimated else 0.0
        lo, hi = self._kll.get_min_value(), self._kll.get_max_value()
        if hi > lo:
            edges = np.linspace(lo, hi, HIST_BINS + 1)
            pmf = self._kll.get_pmf(list(edges[1:-1]), True)
            counts = np.rint(np.asarray(pmf) * self._kll.n).astype(np.int64)
        else:
            edges = np.array([lo, hi])
            counts = np.array([self._kll.n], np.int64)
        out["histogram_edges"] = [float(e) for e in edges]
        out["histogram_counts"] = [int(c) for c in counts]
        return out

    def _top(self, valid: int, exact: bool) -> dict[str, Any]:
        items = self._freq.get_frequent_items(ds.frequent_items_error_type.NO_FALSE_NEGATIVES, 0)
        items.sort(key=lambda it: (-it[1], str(it[0])))
        top = [{"value": _render(it[0], self.type), "count": int(it[1])} for it in items[:TOP_N]]
        if exact:
            method = "exact"
        elif self._unique_like:
            method = f"frequent items, 1 chunk in {_SAMPLE_STRIDE} (mostly unique values)"
        else:
            method = f"frequent items (max error {self._freq.epsilon * max(valid, 1):.0f})"
        return {"top_values": top, "top_method": method}


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

    def update(self, batch: pa.RecordBatch) -> None:
        for col, arr in zip(self.columns, batch.columns, strict=True):
            col.update(arr)

    def table(self) -> pa.Table:
        return pa.Table.from_pylist([c.result() for c in self.columns], schema=COLUMNS_SCHEMA)
