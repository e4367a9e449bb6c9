"""Shared parts of the table processors (CSV and spreadsheets): sniffing, type inference, profiling, sampling.

Nothing here imports Qt or Huey; every module has one job and is tested on its own in ``tests/tables``.
"""
