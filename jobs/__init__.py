"""Parqueue's engine: job store, queue, worker pool and processors.

Nothing in this package imports Qt; the desktop window and the command line both drive it.
"""

import os

__version__ = "0.1.0"
APP_NAME = "Parqueue"
APP_ID = "org.parqueue.Parqueue"

# numpy's OpenBLAS starts a thread per core that spins for a while after the import (~0.07 CPU-s a process,
# taken from the job on a 2-core machine), and nothing here does linear algebra. It is read once, when numpy
# loads, so it is set before any engine module imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
