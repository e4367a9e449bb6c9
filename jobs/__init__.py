"""Parqueue's engine: job store, queue, worker pool and processors.

Nothing in this package imports Qt; the desktop window and the command line both drive it.
"""

__version__ = "0.1.0"
APP_NAME = "Parqueue"
APP_ID = "org.parqueue.Parqueue"
