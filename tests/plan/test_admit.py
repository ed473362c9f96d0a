"""docgen.plan.admit: validating against the pack is the one step that decides every reject;
planning makes none of its own."""

from __future__ import annotations

from datetime import date

from docgen.model import Reject
from docgen.packs import load_pack
from docgen.plan.admit import admit
from docgen.plan.group import group_stored
from docgen.plan.planner import plan_people
from docgen.plan.validate import ValidationResult
from tests.plan.test_group import charge

RUN_DATE = date(2026, 12, 1)


def _validation() -> ValidationResult:
    rows = [
        charge(2, "P1", "C-1"),  # kept: a document
        charge(3, "P2", "C-2", determination="dismiss_seal"),  # Cook makes nothing for it
        charge(4, "P3", "C-3", statute="625 ILCS 5/11-501"),  # not a statute Cook files for
        charge(5, "P4", "C-4"),  # the same case under two people
        charge(6, "P5", "C-4"),
        charge(7, "P6", "C-6", determination="not_eligible"),  # counted, no document, no reject
    ]
    earlier = Reject(file="in.csv", row=9, column="amount", reason="validated before")
    return ValidationResult(
        file="in.csv", input_rows=7, charges=rows, rejects=[earlier], blank_rows=0
    )


def test_admit_decides_every_reject_of_the_run() -> None:
    pack = load_pack("il-cook")
    raw = Reject(file="raw.csv", row=1, column="statute", reason="the rule set's")
    admitted = admit(pack, _validation(), [raw])
    assert [(r.row, r.column) for r in admitted.rejects] == [
        (1, "statute"),
        (3, "determination"),
        (4, "statute"),
        (5, "person_id"),
        (6, "person_id"),
        (9, "amount"),
    ]
    assert admitted.unfit_rows == {4}


def test_planning_rejects_nothing_and_leaves_unfit_charges_out() -> None:
    pack = load_pack("il-cook")
    admitted = admit(pack, _validation())
    decided = list(admitted.rejects)
    plan = plan_people(pack, admitted, group_stored(admitted.store), RUN_DATE)
    assert plan.rejects == decided
    assert plan.rows_in_documents == 1 and plan.rows_not_eligible == 1
    # P1's motion and order (no address, so no letter), of row 2 only.
    assert sorted(spec.kind for spec in plan.specs) == ["motion", "order"]
    assert all(list(spec.rows) == [2] for spec in plan.specs)
