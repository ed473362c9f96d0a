"""Build step only (the project's metadata is in pyproject.toml).

The packs (templates/), fonts/ and rules/ live at the repository's top level; a wheel carries them
as package data in docgen/_data/, where docgen.resources finds them when installed. An editable
install reads the repository's folders instead, so nothing is copied then.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("templates", "fonts", "rules")
INSTALLED_DATA = "_data"  # docgen.resources.INSTALLED_DATA


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for folder in DATA_FOLDERS:
            shutil.copytree(
                folder,
                Path(self.build_lib) / "docgen" / INSTALLED_DATA / folder,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildPyWithData})
