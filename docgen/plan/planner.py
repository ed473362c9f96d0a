"""Planning: which documents a run makes, and where every valid input row ends up.

plan_documents reads people one at a time from the charge store and defers each document's view
model (LazySpecs) until it is rendered: memory does not grow with the charges.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docgen.model import NO_DOCUMENT_DETERMINATIONS, ChargeRow, Person, Reject
from docgen.packs import Pack, unprintable
from docgen.plan import viewmodel
from docgen.plan.agency_directory import arresting_agencies, missing_agencies
from docgen.plan.charge_store import ChargeStore
from docgen.plan.grounds import unfit_reason
from docgen.plan.group import StoredGroups, group_store
from docgen.plan.validate import ValidationResult
from docgen.plan.viewmodel import DocumentSpec


class LazySpecs:
    """The run's documents, in order; view models are built when iterated, not all at once.

    Holding every view model of a 50,000-case run costs gigabytes; a deferred entry is a function
    and the (already grouped) objects it reads. Indexing and slicing build the specs asked for.
    """

    def __init__(self) -> None:
        self._items: list[DocumentSpec | tuple[Callable[..., DocumentSpec], tuple[Any, ...]]] = []

    def append(self, spec: DocumentSpec) -> None:
        self._items.append(spec)

    def defer(self, build: Callable[..., DocumentSpec], *args: Any) -> None:
        self._items.append((build, args))

    @staticmethod
    def _built(item: Any) -> DocumentSpec:
        if isinstance(item, tuple):
            build, args = item
            return build(*args)
        return item

    def __setitem__(self, index: slice, specs: list[DocumentSpec]) -> None:
        self._items[index] = list(specs)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._built(item) for item in self._items[index]]
        return self._built(self._items[index])

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[DocumentSpec]:
        for item in self._items:
            yield self._built(item)


@dataclass(slots=True)
class Plan:
    specs: LazySpecs
    rejects: list[Reject]
    rows_in_documents: int
    rows_not_eligible: int
    rows_needs_review: int
    cases: int
    people: int
    # (person_id, name, case numbers with letters): compact, one per person without an address
    people_without_address: list[tuple[str, str, str]]
    # needs_review rows (never in court documents), compact: (row, person_id, name, case_number,
    # statute, reason)
    review: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    rows_automatic: int = 0  # automatic_expungement rows (no document)
    # arresting agency -> cases in documents that name it, for agencies the pack's
    # [agency_directory] has no address for: to fix before filing
    agencies_not_in_directory: dict[str, int] = field(default_factory=dict)


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


def _unfit_for_documents(
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


class _StoredPeople:
    """The planned people, read back from the charge store when a document is built.

    Deferred documents name a person by id, not by object, so planning holds no charges; the last
    person read is kept (a person's motions, orders and letter are built one after another).
    Cases get the same `_unfit_for_documents` filter as in planning (same input, same result).
    """

    def __init__(self, pack: Pack, groups: StoredGroups, file: str) -> None:
        self.pack, self.groups, self.file = pack, groups, file
        self._last: Person | None = None

    def _fit(self, person: Person) -> Person:
        for case in person.cases:
            case.charges = _unfit_for_documents(self.pack, case.charges, self.file, [])
        return person

    def get(self, person_id: str) -> Person:
        if self._last is None or self._last.person_id != person_id:
            self._last = self._fit(self.groups.person(person_id))
        return self._last

    def __iter__(self) -> Iterator[Person]:  # every person, as planning saw them (bulk mode)
        for person in self.groups.people():
            yield self._fit(person)


def _case_document(
    people: _StoredPeople, build: Callable[..., DocumentSpec], person_id: str, case: int, day: date
) -> DocumentSpec:
    person = people.get(person_id)
    return build(people.pack, person, person.cases[case], day)


def _letter(
    people: _StoredPeople, person_id: str, cases: tuple[int, ...], day: date
) -> DocumentSpec:
    person = people.get(person_id)
    return viewmodel.letter(people.pack, person, [person.cases[i] for i in cases], day)


def plan_documents(pack: Pack, validation: ValidationResult, run_date: date) -> Plan:
    """Decide every document of the run and account for every valid row.

    People are read one at a time from the charge store (docgen.plan.group.group_store) and the
    documents are deferred by person id: memory does not grow with the charges.
    """
    store = validation.charges
    if not isinstance(store, ChargeStore):  # a list (tests, --addresses): stored the same way
        store = ChargeStore(store)
    grouped = group_store(store, validation.file)
    people = _StoredPeople(pack, grouped, validation.file)
    rejects = [*validation.rejects, *grouped.rejects]
    documents = set(pack.config.determinations.documents)
    letters = set(pack.config.determinations.letters)
    specs = LazySpecs()
    counted: Counter[str] = Counter()
    in_documents = 0
    case_count = 0
    without_address: list[tuple[str, str, str]] = []
    review: list[tuple[int, str, str, str, str, str]] = []
    not_in_directory: Counter[str] = Counter()
    bulk_mode = pack.config.pack.filing_mode == "bulk"
    if bulk_mode:
        from docgen.plan import bulk
    for person in grouped.people():
        letter_cases = []
        for case_index, case in enumerate(person.cases):
            case.charges = _unfit_for_documents(pack, case.charges, validation.file, rejects)
            for charge in case.charges:
                if charge.determination in documents:
                    in_documents += 1
                elif charge.determination in NO_DOCUMENT_DETERMINATIONS:
                    counted[charge.determination] += 1
                else:
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
            review.extend(
                (c.row, c.person_id, c.full_name, c.case_number, c.statute, c.reason)
                for c in case.charges_with(("needs_review",))
            )
            if case.charges_with(tuple(documents)):
                case_count += 1
                for agency in missing_agencies(pack, arresting_agencies(case)):
                    not_in_directory[agency] += 1
                pid = person.person_id
                if not bulk_mode:
                    specs.defer(_case_document, people, viewmodel.motion, pid, case_index, run_date)
                    specs.defer(_case_document, people, viewmodel.order, pid, case_index, run_date)
                elif bulk.per_case_orders(pack):
                    specs.defer(_case_document, people, bulk.case_order, pid, case_index, run_date)
            if case.charges_with(tuple(letters)):
                letter_cases.append(case_index)
        if letter_cases:
            if person.has_address:
                specs.defer(_letter, people, person.person_id, tuple(letter_cases), run_date)
            else:
                cases = ", ".join(person.cases[i].case_number for i in letter_cases)
                without_address.append((person.person_id, person.full_name, cases))
    rejects.sort(key=lambda r: r.row)
    if bulk_mode:
        specs[0:0] = bulk.bulk_specs(pack, people, run_date)  # type: ignore[arg-type]
    return Plan(
        specs=specs,
        rejects=rejects,
        rows_in_documents=in_documents,
        rows_not_eligible=counted["not_eligible"],
        rows_needs_review=counted["needs_review"],
        rows_automatic=counted["automatic_expungement"],
        cases=case_count,
        people=grouped.people_count,
        people_without_address=without_address,
        review=review,
        agencies_not_in_directory=dict(sorted(not_in_directory.items())),
    )
