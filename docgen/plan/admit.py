"""Validating against the pack: the one step that decides every reject of a run.

After the input is read and each row validated (docgen.plan.validate: columns, values, the
court's `[accepts]`), `admit` decides the rest, in this order:

- rows whose identity conflicts (docgen.plan.group.identity_conflicts): a case under two people,
  a charge with two determinations, a person with two birth dates;
- charges that would produce documents but cannot be printed truly (`unfit_for_documents`);
- charges whose determination produces no documents in the pack.

Planning (docgen.plan.planner) then only plans: it makes no reject of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from docgen.model import NO_DOCUMENT_DETERMINATIONS, ChargeRow, Reject
from docgen.packs import Pack, unprintable
from docgen.plan.charge_store import ChargeStore
from docgen.plan.grounds import unfit_reason
from docgen.plan.group import group_stored, identity_conflicts
from docgen.plan.validate import ValidationResult


@dataclass(slots=True)
class Admitted:
    """What validating against the pack decided: the stored charges, every reject (by row)."""

    validation: ValidationResult
    store: ChargeStore
    rejects: list[Reject]
    # Rows rejected as unfit for documents: their charges stay in the store, out of documents.
    unfit_rows: frozenset[int]

    @property
    def file(self) -> str:
        return self.validation.file

    def fit_for_documents(self, charges: list[ChargeRow]) -> list[ChargeRow]:
        return [c for c in charges if c.row not in self.unfit_rows]


# Columns that end up printed in a document (person_id, language and reason never are).
PRINTED_COLUMNS = (
    "last_name",
    "first_name",
    "middle_name",
    "name_suffix",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "case_number",
    "court_division",
    "arresting_agency",
    "statute",
    "offense_description",
    "offense_class",
    "disposition",
)


def unfit_for_documents(
    pack: Pack, charges: list[ChargeRow], file: str, rejects: list[Reject]
) -> list[ChargeRow]:
    """Drop (into `rejects`) charges that would produce documents but cannot be printed truly.

    - a statute the pack does not file for (`[law] document_statutes`, prefixes; when the pack
      lists them): the motion would assert a ground of relief that does not apply;
    - a statute and class that fit none of the pack's `[[law.grounds]]` (docgen.plan.grounds): a
      determination problem, since the motion would claim a ground that does not cover it;
    - characters no bundled font can draw: the filing would show empty boxes instead of a name.
    """
    makes = {*pack.config.determinations.documents, *pack.config.determinations.letters}
    prefixes = [str(p) for p in pack.config.law.get("document_statutes", [])]
    patterns = [re.compile(re.escape(p) + r"(?![0-9])", re.IGNORECASE) for p in prefixes]
    kept = []
    for charge in charges:
        if charge.determination not in makes:
            kept.append(charge)
            continue
        problems: list[tuple[str, str]] = []
        statute = " ".join(charge.statute.split())
        if (
            patterns
            and charge.determination in pack.config.determinations.documents
            and not any(p.match(statute) for p in patterns)
        ):
            problems.append(
                (
                    "statute",
                    f"statute {statute} is not one pack {pack.name} files for "
                    f"(it files for: {', '.join(prefixes)})",
                )
            )
        statute_filed = all(column != "statute" for column, _ in problems)
        # A statute the pack does not file is the reason; its ground would only repeat it.
        if statute_filed and charge.determination in pack.config.determinations.documents:
            unfit = unfit_reason(pack, charge)
            if unfit:
                problems.append(("offense_class", unfit))
        for col in PRINTED_COLUMNS:
            codes = unprintable(str(getattr(charge, col)))
            if codes:
                shown = ", ".join(codes[:5]) + (" ..." if len(codes) > 5 else "")
                problems.append((col, f"has characters the document fonts cannot print ({shown})"))
        if not problems:
            kept.append(charge)
            continue
        rejects.append(
            Reject(
                file=file,
                row=charge.row,
                column=problems[0][0],
                reason="; ".join(f"{c}: {m}" for c, m in problems),
                case_number=charge.case_number,
            )
        )
    return kept


def admit(pack: Pack, validation: ValidationResult, earlier: Iterable[Reject] = ()) -> Admitted:
    """Decide every reject of the run; `earlier` are rejects decided before the input was read
    (`generate --rules`: the raw rows the rule set rejected), listed with the rest by row."""
    store = validation.charges
    if not isinstance(store, ChargeStore):  # a list (tests, --addresses): stored the same way
        store = ChargeStore(store)
    rejects = [*validation.rejects, *identity_conflicts(store, validation.file)]
    documents = set(pack.config.determinations.documents)
    unfit: set[int] = set()
    for person in group_stored(store).people():
        for case in person.cases:
            before = len(rejects)
            kept = unfit_for_documents(pack, case.charges, validation.file, rejects)
            unfit.update(r.row for r in rejects[before:])
            for charge in kept:
                if charge.determination in documents:
                    continue
                if charge.determination not in NO_DOCUMENT_DETERMINATIONS:
                    rejects.append(
                        Reject(
                            file=validation.file,
                            row=charge.row,
                            column="determination",
                            reason=f"determination {charge.determination} produces no documents "
                            f"in pack {pack.name} (it produces: {', '.join(sorted(documents))})",
                            case_number=charge.case_number,
                        )
                    )
    rejects.sort(key=lambda r: r.row)
    earlier = list(earlier)
    if earlier:
        rejects = sorted([*earlier, *rejects], key=lambda r: r.row)
    return Admitted(validation, store, rejects, frozenset(unfit))
