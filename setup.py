"""The build steps pyproject.toml cannot say, so that an installed wpsgraph (a wheel, not a
clone) has what a clone has:
- the query page's editor (Yasgui, from the npm registry, pinned by package-lock.json) is copied
  into the package, so that it is served with no CDN (a build without npm goes on without it,
  and the page says so); dev.py does the same for a clone;
- the vocabulary, shapes, canned queries and shipped data (ontology/, shapes/, queries/, data/)
  are copied into the package as wpsgraph/_project/, which wpsgraph.paths reads when it is there
  (a publisher who pip-installs wpsgraph validates against the same shapes)."""

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from dev import vendor_assets  # noqa: E402 (dev.py sits beside this file: found once on the path)

PROJECT_FOLDERS = ("ontology", "shapes", "queries", "data")


class BuildWithResources(build_py):
    def run(self) -> None:
        vendor_assets(required=False)
        super().run()
        if not getattr(self, "editable_mode", False):  # an editable install reads the clone
            self.copy_project_folders()

    def copy_project_folders(self) -> None:
        target = Path(self.build_lib) / "wpsgraph" / "_project"
        for folder in PROJECT_FOLDERS:
            shutil.rmtree(target / folder, ignore_errors=True)
            shutil.copytree(ROOT / folder, target / folder)


setup(cmdclass={"build_py": BuildWithResources})
