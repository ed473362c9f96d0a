from __future__ import annotations

from datetime import date

from docgen.model import ChargeRow
from docgen.plan.group import group_charges


def charge(row: int, person_id: str, case_number: str, **kw) -> ChargeRow:
    base = dict(
        row=row,
        person_id=person_id,
        last_name="Doe",
        first_name="Jane",
        date_of_birth=date(1980, 1, 1),
        case_number=case_number,
        statute="720 ILCS 550/4(a)",
        offense_description="Possession of cannabis",
        offense_class="Class C misdemeanor",
        disposition="Conviction",
        disposition_date=date(2005, 5, 5),
        determination="vacate_expunge",
    )
    base.update(kw)
    return ChargeRow(**base)


def test_groups_people_and_cases_in_input_order() -> None:
    rows = [
        charge(2, "P2", "C-2"),
        charge(3, "P1", "C-1"),
        charge(4, "P2", "C-3"),
        charge(5, "P2", "C-2"),
    ]
    grouped = group_charges(rows, "in.csv")
    assert [p.person_id for p in grouped.people] == ["P2", "P1"]
    p2 = grouped.people[0]
    assert [c.case_number for c in p2.cases] == ["C-2", "C-3"]
    assert p2.cases[0].rows == [2, 5]
    assert grouped.rejects == []


def test_case_under_two_people_rejects_every_row_of_that_case() -> None:
    rows = [charge(2, "P1", "C-1"), charge(3, "P2", "C-1"), charge(4, "P2", "C-9")]
    grouped = group_charges(rows, "in.csv")
    assert [r.row for r in grouped.rejects] == [2, 3]
    assert all("more than one person_id" in r.reason for r in grouped.rejects)
    assert all(r.column == "person_id" for r in grouped.rejects)
    # The person's other case survives.
    assert [c.case_number for p in grouped.people for c in p.cases] == ["C-9"]


def test_person_with_two_birth_dates_is_rejected_not_guessed() -> None:
    rows = [
        charge(2, "P1", "C-1"),
        charge(3, "P1", "C-2", date_of_birth=date(1981, 1, 1)),
        charge(4, "P3", "C-3"),
    ]
    grouped = group_charges(rows, "in.csv")
    assert [r.row for r in grouped.rejects] == [2, 3]
    assert [p.person_id for p in grouped.people] == ["P3"]
    # No personal data (the birth dates) in the reason.
    assert all("1980" not in r.reason and "1981" not in r.reason for r in grouped.rejects)


def test_every_row_is_grouped_or_rejected() -> None:
    rows = [charge(i, f"P{i % 5}", f"C-{i % 7}") for i in range(2, 60)]
    grouped = group_charges(rows, "in.csv")
    grouped_rows = [r for p in grouped.people for c in p.cases for r in c.rows]
    assert sorted(grouped_rows + [r.row for r in grouped.rejects]) == list(range(2, 60))


def test_cjk_names_are_written_family_name_first() -> None:
    assert charge(2, "P", "C", last_name="李", first_name="小龍").full_name == "李小龍"
    western = charge(2, "P", "C", last_name="Nguyễn", first_name="Thị Minh Khai")
    assert western.full_name == "Thị Minh Khai Nguyễn"
    suffixed = charge(2, "P", "C", last_name="O'Brien", first_name="Patrick", name_suffix="Jr.")
    assert suffixed.full_name == "Patrick O'Brien, Jr."
