"""Parqueue's engine: job store, queue, worker pool and processors.

Nothing in this package imports Qt; the desktop window and the command line both drive it.
"""

import os

__version__ = "0.1.0"
APP_NAME = "Parqueue"
APP_ID = "org.parqueue.Parqueue"

# Both are read once, when the library loads, so they are set before any engine module imports numpy or pyarrow.
# numpy's OpenBLAS starts a thread per core that spins for a while after the import (~0.07 CPU-s a process,
# taken from the job on a 2-core machine), and nothing here does linear algebra.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Arrow's allocator (mimalloc 3) asks for transparent huge pages: every block it touches again after a purge
# is then zeroed 2 MB at a time. Without them the 1 GB benchmark CSV peaks 20-30 MB lower, in the same time.
os.environ.setdefault("MIMALLOC_ALLOW_THP", "0")
