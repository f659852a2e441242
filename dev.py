#!/usr/bin/env python3
"""Set up and run wpsgraph from a fresh clone with nothing but Python 3.11+.

python3 dev.py demo    # create .venv, install, load data/, validate, print canned answers
python3 dev.py test    # create .venv, install, lint and run the whole test suite
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_environment() -> None:
    """(Re)install when the venv is missing or pyproject.toml changed since the last install."""
    if STAMP.exists() and STAMP.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime:
        return
    if not (BIN / "python").exists():
        print(f"== creating {VENV}", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    print("== installing wpsgraph and its test tools", file=sys.stderr)
    run(
        [
            BIN / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[test]",
        ]
    )
    STAMP.touch()


def run(command: list[str | Path]) -> None:
    completed = subprocess.run([str(c) for c in command], cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("wpsgraph needs Python 3.11 or newer")
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    if task not in {"demo", "test"}:
        sys.exit(__doc__)
    ensure_environment()
    if task == "demo":
        run([BIN / "wpsgraph", "demo", *sys.argv[2:]])
    else:
        run([BIN / "ruff", "check", "src", "tests", "bench", "dev.py"])
        run([BIN / "ruff", "format", "--check", "src", "tests", "bench", "dev.py"])
        run([BIN / "python", "-m", "pytest", *sys.argv[2:]])


if __name__ == "__main__":
    main()
