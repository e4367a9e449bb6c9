"""Distinct counts in bounded memory: a HyperLogLog fed from vectorized 64-bit hashes.

Apache DataSketches (checked with datasketches 5.2.0, the version installed) takes numpy arrays only in its KLL
sketches: ``hll_sketch.update``, ``cpc_sketch.update`` and ``update_theta_sketch.update`` accept one int, float or
str per Python call and raise TypeError on an array (~0.09 µs per call measured here, so ~6 CPU-s per GB of this
benchmark's CSV, more than parsing it). Hence a hand-written HLL: the registers and the estimator are the textbook
HLL (Flajolet et al. 2007, with linear counting for small cardinalities); the hashes are computed by numpy over
whole Arrow buffers (~0.01 s per 1.7 M numbers). Quantiles and top values do use DataSketches (KLL, frequent items).
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

LG_K = 14
_M = 1 << LG_K
RELATIVE_STD_ERROR = 1.04 / math.sqrt(_M)  # 0.81 %: one standard deviation
_ALPHA = 0.7213 / (1 + 1.079 / _M)
_U64 = np.uint64
_EMPTY = np.uint64(2**64 - 1)  # no hash yet (a real hash this value counts as absent: odds 2**-64)


def _mix(h: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on ``h`` (returned): every input bit reaches every output bit.

    In place with one scratch array: a fresh array per step costs more in allocation than in arithmetic.
    """
    tmp = np.empty_like(h)
    for shift, mult in ((30, _MIX1), (27, _MIX2)):
        np.right_shift(h, _U64(shift), out=tmp)
        h ^= tmp
        h *= mult
    np.right_shift(h, _U64(31), out=tmp)
    h ^= tmp
    return h


_MIX1, _MIX2 = _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB)


def hash_values(arr: pa.Array) -> np.ndarray:
    """64-bit hashes of the non-null values of ``arr``."""
    if isinstance(arr, pa.ChunkedArray):
        if arr.num_chunks == 1:
            arr = arr.chunk(0)
        else:
            return np.concatenate([hash_values(c) for c in arr.chunks] or [np.empty(0, np.uint64)])
    if len(arr) == 0:
        return np.empty(0, np.uint64)
    if pa.types.is_string(arr.type) or pa.types.is_binary(arr.type):
        return _hash_strings(arr)
    if arr.null_count:
        arr = pc.drop_null(arr)
    if pa.types.is_boolean(arr.type):
        arr = arr.cast(pa.int8())
    if pa.types.is_floating(arr.type):
        # -0.0 == 0.0: give both the same bits.
        values = (arr.to_numpy(zero_copy_only=False) + 0.0).view(np.uint64)
    elif pa.types.is_date32(arr.type) or pa.types.is_integer(arr.type):
        values = arr.to_numpy(zero_copy_only=False).astype(np.int64).view(np.uint64)
    else:  # timestamps and other 64-bit temporals
        values = arr.cast(pa.int64()).to_numpy(zero_copy_only=False).view(np.uint64)
    with np.errstate(over="ignore"):
        return _mix(values ^ _U64(0x9E3779B97F4A7C15))  # a new array: Arrow's buffer is never written


# Odd multipliers that fold each word into the running state (a bijection for a fixed word, so values differing
# in any one word never meet); one SplitMix finaliser at the end spreads every bit over the 64.
_FOLD = (_U64(0xD6E8FEB86659FD93), _U64(0xA0761D6478BD642F), _U64(0xE7037ED1A0B428DB))


def _hash_strings(arr: pa.Array) -> np.ndarray:
    """Hash of the length and three 8-byte words: the whole string up to 24 bytes, first/middle/last beyond.

    Reading three words per value keeps the cost per row, not per byte; two long texts of equal length that agree
    on all three words collide, which an estimate of distinct values can afford. Words are read in place from
    Arrow's buffer (only reads that would run past its end come from a padded copy of its last bytes), folded with
    a multiply each and finalised once: ~2.5x fewer passes than one finaliser per word.
    """
    bufs = arr.buffers()
    n = len(arr)
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4).astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.empty(0, np.uint8)
    size = len(data)
    # Words at every byte offset, without copying the text (unaligned loads are fine for numpy).
    words = (
        np.ndarray(shape=(size - 7,), dtype="<u8", buffer=data, strides=(1,)) if size >= 8 else np.empty(0, "<u8")
    )
    tail_from = max(0, size - 16)
    tail = np.zeros(32, np.uint8)
    tail[: size - tail_from] = data[tail_from:]
    tail_words = np.ndarray(shape=(25,), dtype="<u8", buffer=tail, strides=(1,))
    starts = offsets[:-1]
    lengths = offsets[1:] - starts
    last = np.maximum(lengths - 8, 0)
    long_ = lengths > 24
    with np.errstate(over="ignore"):
        h = lengths.astype(np.uint64) * _U64(0x9E3779B97F4A7C15)
        short = lengths < 8
        keep = None
        if short.any():
            # Bytes past a short value's end are not part of it: mask them off (8 * length bits kept).
            bits = (np.minimum(lengths, 7) * 8).astype(np.uint64)
            keep = np.where(short, (_U64(1) << bits) - _U64(1), ~_U64(0))
        for i in range(3):
            pos = starts if i == 0 else starts + np.where(long_, (last * i) // 2, np.minimum(8 * i, last))
            w = words[np.minimum(pos, size - 8)] if size >= 8 else np.zeros(n, np.uint64)
            over = pos > size - 8
            if over.any():
                w[over] = tail_words[pos[over] - tail_from]
            if keep is not None:
                w &= keep
            h ^= w
            h *= _FOLD[i]
        h = _mix(h)
    if arr.null_count:
        h = h[np.asarray(arr.is_valid())]
    return h


class HyperLogLog:
    """2**14 one-byte registers (16 KiB) per column, whatever the number of rows."""

    def __init__(self) -> None:
        self.registers = np.zeros(_M, np.uint8)

    def update_hashes(self, h: np.ndarray) -> None:
        if len(h) == 0:
            return
        idx = (h >> _U64(64 - LG_K)).view(np.int64)  # below 2**LG_K: the same bits as a signed index
        if len(h) > _M:
            # A register keeps the largest rank, which comes from its smallest hash (the register's bits are
            # equal, the rest decides): one pass keeps each register's smallest, and only 2**LG_K are ranked.
            smallest = np.full(_M, _EMPTY)
            np.minimum.at(smallest, idx, h)
            ranks = self._ranks(smallest)
            ranks[smallest == _EMPTY] = 0
            np.maximum(self.registers, ranks, out=self.registers)
        else:
            np.maximum.at(self.registers, idx, self._ranks(h))

    @staticmethod
    def _ranks(h: np.ndarray) -> np.ndarray:
        """1 + the leading zeros of the 64 - LG_K bits below the register's (at most 65 - LG_K when all are zero).

        Their highest set bit via the float exponent: exact, as 50 bits fit a double's 53-bit mantissa.
        """
        low = h & _U64((1 << (64 - LG_K)) - 1)
        _, exp = np.frexp(low.astype(np.float64))
        np.subtract(65 - LG_K, exp, out=exp)
        return exp.astype(np.uint8)

    def update(self, arr: pa.Array) -> None:
        self.update_hashes(hash_values(arr))

    def estimate(self) -> float:
        regs = self.registers.astype(np.float64)
        raw = _ALPHA * _M * _M / float(np.sum(np.exp2(-regs)))
        zeros = int(np.count_nonzero(self.registers == 0))
        if raw <= 2.5 * _M and zeros:
            return _M * math.log(_M / zeros)
        return raw
