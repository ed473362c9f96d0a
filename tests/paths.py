"""Where the tests' shared folders are, for a test at any depth under tests/.

A test never finds a folder from its own file's location (Path(__file__).parent): tests live in
tests/<stage>/ and may move; these names stay.
"""

from __future__ import annotations

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
FIXTURES = TESTS_DIR / "fixtures"
BADINPUT = TESTS_DIR / "badinput"
DATA = TESTS_DIR / "data"
# gogen's own fixtures, beside the clone in the workplace (absent in a user's fresh clone).
SHARED_GOGEN = REPO_ROOT.parent / "shared" / "data" / "gogen"
