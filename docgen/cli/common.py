"""What every command of the command line shares: the Typer `app`, the consoles, and running a
command body (guard) so that errors become one readable line.

Exit codes: 0 the run finished and every row is accounted for (rejects included, unless --strict);
1 the input or pack cannot be used; 2 usage errors (Typer's own).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from docgen.errors import DocgenError

app = typer.Typer(
    name="docgen",
    help="Turn eligibility results for criminal-record relief into court-ready paperwork.",
    no_args_is_help=True,
    add_completion=False,
    # Locals in a traceback would print people's records.
    pretty_exceptions_show_locals=False,
)
# soft_wrap: a long path or message stays on one line, so it can be copied and grepped.
err = Console(stderr=True, soft_wrap=True)
# markup=False: what goes to stdout is data (paths, rule names like "[rules.letters] greeting",
# reasons), printed as it is; rich would take "[...]" for a style and drop it.
out = Console(soft_wrap=True, markup=False)


def _fail(exc: DocgenError) -> None:
    # escape: a message may hold "[motion.intro]" or a path with brackets, which is not markup.
    err.print(f"[bold red]Error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
    if exc.hint:
        err.print(f"Hint: {escape(exc.hint)}", highlight=False)
    raise typer.Exit(1)


def guard(action: Callable[[], Any]) -> Any:
    """Run a command body: named errors become one line; anything else hides its details."""
    try:
        return action()
    except DocgenError as exc:
        _fail(exc)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err.print("Interrupted; files already written are complete, nothing partial is left.")
        raise typer.Exit(130) from None
    except Exception as exc:
        err.print(
            f"[bold red]Internal error[/] ({type(exc).__name__}). This is a bug in docgen; "
            "set DOCGEN_DEBUG=1 to see where it happened."
        )
        if os.environ.get("DOCGEN_DEBUG"):
            # The stack only: exception messages can quote input values.
            traceback.print_tb(exc.__traceback__, file=sys.stderr)
        raise typer.Exit(1) from None


def parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint="--date"
        ) from None


def title_rows_note(rows: Sequence[int]) -> str:
    """The line `generate` and `determine` print for one-cell rows above the column names."""
    one = len(rows) == 1
    return (
        f"Above the column names, {'row' if one else 'rows'} {', '.join(map(str, rows))} held a "
        f"single cell (a title or a note) and {'was' if one else 'were'} not read as "
        f"{'an input row' if one else 'input rows'}."
    )
