#!/usr/bin/env python3
"""Set up and run wpsgraph from a fresh clone with Python 3.11+ and npm.

python3 dev.py demo    # create .venv, install, load data/, validate, print canned answers
python3 dev.py test    # the same setup, the query page's editor (npm ci) and Chromium for the
                       # browser test (apt-get, as root), then lint and run the whole test suite
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
# The query page's editor, from the npm registry (pinned by package-lock.json): the files the
# page loads are copied into the package, so that the built package serves them with no CDN.
PACKAGE_LOCK = ROOT / "package-lock.json"
VENDOR = ROOT / "src" / "wpsgraph" / "serve" / "static" / "vendor"
VENDOR_STAMP = VENDOR / ".installed"
VENDORED = {
    "yasgui": (
        ROOT / "node_modules" / "@zazuko" / "yasgui",
        ("build/yasgui.min.js", "build/yasgui.min.css", "package.json"),
    )
}
# The browser test drives Debian's Chromium through its WebDriver (no browser download).
BROWSER_PACKAGES = {"chromium": "chromium", "chromedriver": "chromium-driver"}


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


def vendor_assets(*, required: bool = True) -> None:
    """npm ci, then copy the files the query page loads into the package (again only when
    package-lock.json changed since the last copy). Without npm, a build that does not require
    them goes on: the page then says how to install the editor, and everything else works."""
    if VENDOR_STAMP.exists() and VENDOR_STAMP.stat().st_mtime >= PACKAGE_LOCK.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        message = "the query page's editor (Yasgui) needs npm (Node.js) to install"
        if required:
            sys.exit(f"wpsgraph: {message}")
        print(f"== warning: {message}; the page will say how to add it", file=sys.stderr)
        return
    print("== installing the query page's editor (npm ci)", file=sys.stderr)
    run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"])
    for name, (package, files) in VENDORED.items():
        target = VENDOR / name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for relative in files:
            shutil.copy2(package / relative, target / Path(relative).name)
    VENDOR_STAMP.touch()


def ensure_browser() -> None:
    """Debian's chromium and chromium-driver, installed with apt-get when missing (as root)."""
    missing = [package for tool, package in BROWSER_PACKAGES.items() if not shutil.which(tool)]
    if not missing:
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(
            f"the browser test needs {' and '.join(missing)}: "
            f"apt-get install {' '.join(missing)} (as root), then run this again"
        )
    print(f"== installing {', '.join(missing)} (apt-get)", file=sys.stderr)
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=quiet)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=quiet)


def run(command: list[str | Path], env: dict[str, str] | None = None) -> None:
    completed = subprocess.run([str(c) for c in command], cwd=ROOT, check=False, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("wpsgraph needs Python 3.11 or newer")
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    if task not in {"demo", "test"}:
        sys.exit(__doc__)
    if task == "test":  # the browser test needs the editor; the demo needs nothing but Python
        vendor_assets()
    ensure_environment()
    if task == "demo":
        run([BIN / "wpsgraph", "demo", *sys.argv[2:]])
    else:
        ensure_browser()
        run([BIN / "ruff", "check", "src", "tests", "bench", "dev.py", "setup.py"])
        run([BIN / "ruff", "format", "--check", "src", "tests", "bench", "dev.py", "setup.py"])
        # Here a missing browser fails the browser test instead of skipping it.
        tests_env = {**os.environ, "WPSGRAPH_REQUIRE_BROWSER": "1"}
        run([BIN / "python", "-m", "pytest", *sys.argv[2:]], env=tests_env)


if __name__ == "__main__":
    main()
