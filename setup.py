"""The one build step pyproject.toml cannot say: the query page's editor (Yasgui, from the npm
registry, pinned by package-lock.json) is copied into the package before it is built, so that an
installed wpsgraph serves it with no CDN (a build without npm goes on without it, and the page says
so). dev.py does the same for a clone."""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev import vendor_assets  # dev.py sits beside this file


class BuildWithQueryPage(build_py):
    def run(self) -> None:
        vendor_assets(required=False)
        super().run()


setup(cmdclass={"build_py": BuildWithQueryPage})
