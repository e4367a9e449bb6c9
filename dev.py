#!/usr/bin/env python3
"""Set up Parqueue in a local virtual environment and start it, or run the whole test suite.

    python3 dev.py          # set up (first time, or when pyproject.toml changed) and open the app
    python3 dev.py test     # set up and run every test; pytest's summary is the last line
    python3 dev.py run ...  # any Parqueue command inside the environment, e.g. `run FILES --json`

Needs only Python 3.11+; works the same on Windows, macOS and Linux. The environment lives in
``.venv`` beside this file (``PARQUEUE_VENV`` chooses another folder).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("PARQUEUE_VENV", ROOT / ".venv"))


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_env() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under any python3 to say why it cannot
        sys.exit(f"Parqueue needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    python = venv_python()
    if not python.exists():
        print(f"creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".parqueue-installed"
    if not stamp.exists() or stamp.read_text().strip() != digest:
        print("installing Parqueue and its dependencies (first run takes a minute) ...", flush=True)
        quiet = ["-q"] if os.environ.get("CI") else []
        subprocess.run([str(python), "-m", "pip", "install", *quiet, "--upgrade", "pip"], check=True)
        subprocess.run([str(python), "-m", "pip", "install", *quiet, "-e", f"{ROOT}[dev]"], check=True)
        stamp.write_text(digest)
    return python


def run(cmd: list[str]) -> int:
    # A child process (not exec) so Ctrl-C and exit codes behave the same on Windows.
    try:
        return subprocess.call(cmd, cwd=ROOT)
    except KeyboardInterrupt:
        return 130


def main(argv: list[str]) -> int:
    python = ensure_env()
    if argv[:1] == ["test"]:
        env_args = argv[1:]
        return run([str(python), "-m", "pytest", *env_args])
    if argv[:1] == ["setup"]:
        return 0
    return run([str(python), str(ROOT / "main.py"), *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
