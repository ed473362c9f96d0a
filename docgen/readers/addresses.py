"""`--addresses addresses.csv`: mailing addresses for inputs that carry none (gogen, DOJ files).

The file has a header row with `person_id` and the canonical address columns (address_line1,
address_line2, city, state, postal_code; optional language). person_id matches the input's
person_id (for gogen results: SUBJECT_ID, or the CII number, see docgen.readers.gogen). An address given
here replaces the row's own; people not in the file keep theirs (or none: the report lists them).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from docgen.errors import InputFileError
from docgen.model import ChargeRow
from docgen.plan.validate import LANGUAGES
from docgen.readers import detect_encoding, normalise_column

ADDRESS_COLUMNS = ("address_line1", "address_line2", "city", "state", "postal_code")


def read_addresses(path: Path) -> dict[str, dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: address file not found")
    with path.open(encoding=detect_encoding(path), newline="") as fh:
        reader = csv.reader(fh)
        header = [normalise_column(h) for h in next(reader, [])]
        if "person_id" not in header or "address_line1" not in header:
            raise InputFileError(
                f"{path}: the address file needs columns person_id, address_line1, city, "
                "state, postal_code"
            )
        found: dict[str, dict[str, str]] = {}
        for values in reader:
            cells = {col: " ".join(v.split()) for col, v in zip(header, values, strict=False)}
            pid = cells.get("person_id", "")
            if not pid:
                continue
            entry = {col: cells.get(col, "") for col in ADDRESS_COLUMNS}
            lang = LANGUAGES.get(cells.get("language", "").casefold())
            if lang:
                entry["language"] = lang
            found[pid] = entry
    return found


def apply_addresses(charges: Iterable[ChargeRow], path: Path) -> list[ChargeRow]:
    """Charges with the address (and language, if given) of their person from the file."""
    book = read_addresses(path)
    return [c.model_copy(update=book[c.person_id]) if c.person_id in book else c for c in charges]
