"""Parqueue's command line: the same engine as the window, headless, for scripts and servers."""
