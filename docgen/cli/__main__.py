"""python -m docgen.cli (the usual ways in are `docgen` and `python -m docgen`)."""

from docgen.cli.common import app

app()
