"""A uniform random sample of rows over the whole file, reproducible from a seed.

Bottom-k sampling: every row gets a random key from a seeded generator and the k rows with the smallest keys
are kept. Unlike the classic per-row reservoir loop it works a chunk at a time with numpy, and the result does
not depend on the chunk sizes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

SAMPLE_ROWS = 1000
SEED = 20240917


class Sample:
    def __init__(self, schema: pa.Schema, k: int = SAMPLE_ROWS, seed: int = SEED) -> None:
        self.schema = schema
        self.k = k
        self._rng = np.random.default_rng(seed)
        self._keys = np.empty(0, np.float64)
        self._rows: pa.Table = schema.empty_table()

    def offer(self, batch: pa.RecordBatch) -> None:
        keys = self._rng.random(batch.num_rows)
        if len(self._keys) >= self.k:
            threshold = self._keys.max()
            picked = np.flatnonzero(keys < threshold)
            if len(picked) == 0:
                return
        else:
            picked = np.arange(batch.num_rows)
        if len(picked) > self.k:
            picked = picked[np.argpartition(keys[picked], self.k)[: self.k]]
        candidates = pa.Table.from_batches([batch.take(pa.array(picked))])
        all_keys = np.concatenate([self._keys, keys[picked]])
        all_rows = pa.concat_tables([self._rows, candidates])
        if len(all_keys) > self.k:
            keep = np.argpartition(all_keys, self.k)[: self.k]
            keep.sort()
            all_keys = all_keys[keep]
            all_rows = all_rows.take(pa.array(keep))
        self._keys = all_keys
        self._rows = all_rows.combine_chunks()

    def retype(self, schema: pa.Schema) -> None:
        """Columns widened to ``schema`` (a lossless cast, see :func:`jobs.tables.report.write_data`)."""
        self.schema = schema
        self._rows = self._rows.cast(schema)

    def table(self) -> pa.Table:
        """The sampled rows in file order of their keys' arrival (stable for a given seed and input)."""
        return self._rows
