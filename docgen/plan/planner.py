"""Planning: which documents a run makes, and where every valid input row ends up.

plan_documents reads people one at a time from the charge store and defers each document's view
model (LazySpecs) until it is rendered: memory does not grow with the charges.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docgen.model import NO_DOCUMENT_DETERMINATIONS, Person, Reject
from docgen.packs import Pack
from docgen.plan import bulk, viewmodel
from docgen.plan.admit import Admitted, admit
from docgen.plan.agency_directory import arresting_agencies, missing_agencies
from docgen.plan.case_counts import CASE, CONVICTION, CaseCounts
from docgen.plan.group import StoredGroups, group_stored
from docgen.plan.validate import ValidationResult
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.exhibit_layout import per_case_orders

# A document's spec, or how to build it when it is needed: (build, its arguments).
SpecOrDeferred = DocumentSpec | tuple[Callable[..., DocumentSpec], tuple[Any, ...]]


class LazySpecs:
    """The run's documents, in order; view models are built when iterated, not all at once.

    Holding every view model of a 50,000-case run costs gigabytes; a deferred entry is a function
    and the (already grouped) objects it reads. Indexing and slicing build the specs asked for.
    """

    def __init__(self) -> None:
        self._items: list[SpecOrDeferred] = []

    def append(self, spec: DocumentSpec) -> None:
        self._items.append(spec)

    def defer(self, build: Callable[..., DocumentSpec], *args: Any) -> None:
        self._items.append((build, args))

    @staticmethod
    def _built(item: SpecOrDeferred) -> DocumentSpec:
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
    # the cases with documents (a bulk run: Exhibit A's convictions) by year and by division,
    # for the run report (docgen.plan.case_counts)
    case_counts: CaseCounts = field(default_factory=CaseCounts)


class _StoredPeople:
    """The planned people, read back from the charge store when a document is built.

    Deferred documents name a person by id, not by object, so planning holds no charges; the last
    person read is kept (a person's motions, orders and letter are built one after another).
    Cases leave out the charges admit rejected as unfit for documents, as in planning.
    """

    def __init__(self, pack: Pack, groups: StoredGroups, admitted: Admitted) -> None:
        self.pack, self.groups, self.admitted = pack, groups, admitted
        self._last: Person | None = None

    def _fit(self, person: Person) -> Person:
        for case in person.cases:
            case.charges = self.admitted.fit_for_documents(case.charges)
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
    """Admit, group and plan a validation at once (a petition's check, tests, benchmarks)."""
    admitted = admit(pack, validation)
    return plan_people(pack, admitted, group_stored(admitted.store), run_date)


def plan_people(pack: Pack, admitted: Admitted, grouped: StoredGroups, run_date: date) -> Plan:
    """Decide every document of the run and account for every admitted row.

    People are read one at a time from the charge store (docgen.plan.group.group_stored) and the
    documents are deferred by person id: memory does not grow with the charges. Every reject was
    decided before (docgen.plan.admit); a charge it found unfit for documents is left out here.
    """
    people = _StoredPeople(pack, grouped, admitted)
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
    case_counts = CaseCounts(unit=CONVICTION if bulk_mode else CASE)
    # a bulk run's: its caption's, for every conviction in Exhibit A
    division = bulk.bulk_division(pack) if bulk_mode else ""
    for person in grouped.people():
        letter_cases = []
        for case_index, case in enumerate(person.cases):
            case.charges = admitted.fit_for_documents(case.charges)
            for charge in case.charges:
                if charge.determination in documents:
                    in_documents += 1
                elif charge.determination in NO_DOCUMENT_DETERMINATIONS:
                    counted[charge.determination] += 1
            review.extend(
                (c.row, c.person_id, c.full_name, c.case_number, c.statute, c.reason)
                for c in case.charges_with(("needs_review",))
            )
            with_documents = case.charges_with(tuple(documents))
            if with_documents:
                case_count += 1
                if bulk_mode:  # Exhibit A's rows: each conviction, its disposition year
                    for charge in with_documents:
                        case_counts.add(charge.disposition_date.year, division)
                else:
                    latest = max(c.disposition_date for c in with_documents)
                    case_counts.add(latest.year, viewmodel.caption_division(pack, case))
                for agency in missing_agencies(pack, arresting_agencies(case)):
                    not_in_directory[agency] += 1
                pid = person.person_id
                if not bulk_mode:
                    specs.defer(_case_document, people, viewmodel.motion, pid, case_index, run_date)
                    specs.defer(_case_document, people, viewmodel.order, pid, case_index, run_date)
                elif per_case_orders(pack):
                    specs.defer(_case_document, people, bulk.case_order, pid, case_index, run_date)
            if case.charges_with(tuple(letters)):
                letter_cases.append(case_index)
        if letter_cases:
            if person.has_address:
                specs.defer(_letter, people, person.person_id, tuple(letter_cases), run_date)
            else:
                cases = ", ".join(person.cases[i].case_number for i in letter_cases)
                without_address.append((person.person_id, person.full_name, cases))
    if bulk_mode:
        specs[0:0] = bulk.bulk_specs(pack, people, run_date)  # type: ignore[arg-type]
    return Plan(
        specs=specs,
        rejects=admitted.rejects,
        rows_in_documents=in_documents,
        rows_not_eligible=counted["not_eligible"],
        rows_needs_review=counted["needs_review"],
        rows_automatic=counted["automatic_expungement"],
        cases=case_count,
        people=grouped.people_count,
        people_without_address=without_address,
        review=review,
        agencies_not_in_directory=dict(sorted(not_in_directory.items())),
        case_counts=case_counts,
    )
