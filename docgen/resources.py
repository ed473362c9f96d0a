"""Where docgen's data folders are: packs (templates/), fonts/ and rules/.

In a checkout they are the repository's top-level folders; an installed wheel carries copies of
them as package data in docgen/_data/ (setup.py's build step puts them there), found through
importlib.resources. An environment variable (DOCGEN_PACKS_DIR, DOCGEN_FONTS_DIR,
DOCGEN_RULES_DIR) overrides either.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTALLED_DATA = "_data"  # docgen/_data/<folder> in a wheel; setup.py names the same folder


def data_dir(folder: str, override_variable: str) -> Path:
    """The folder named `folder` (templates, fonts or rules) this docgen reads."""
    override = os.environ.get(override_variable)
    if override:
        return Path(override)
    installed = files("docgen").joinpath(INSTALLED_DATA, folder)
    if installed.is_dir():
        return Path(str(installed))
    return REPO_ROOT / folder
