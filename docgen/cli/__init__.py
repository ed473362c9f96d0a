"""The command line: a thin shell over the pipeline, one module per group of commands.

Exit codes: 0 the run finished and every row is accounted for (rejects included, unless --strict);
1 the input or pack cannot be used; 2 usage errors (Typer's own).

The Typer `app` (the console entry point `docgen.cli:app`), the consoles and the helpers every
command shares are in docgen.cli.common; the commands live in run, service, judge, rules and
petition.
"""

# Importing the command modules registers their commands on `app`. Their order is the order of
# `docgen --help`.
from docgen.cli.common import app

# isort: off
from docgen.cli import run, service, judge, rules, petition
# isort: on

__all__ = ["app", "judge", "petition", "rules", "run", "service"]
