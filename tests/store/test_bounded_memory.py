"""Structures that must not grow with the run: the manifest is written piece by piece (same bytes
as one json.dumps), a resumed run reads the previous run key from the manifest's tail (never
parsing tens of MB), and the report PDF lists at most a fixed number of rows per list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen.store import resume
from docgen.store.manifest import json_pieces
from docgen.store.output import write_atomic
from tests import paths


def _manifest(files: int) -> dict:
    return {
        "docgen_manifest": 1,
        "run_id": "il-cook-2026-12-01-abc",
        "input": {"file": "résumé «données».csv", "rows": 3},
        "files": [
            {"path": f"cases/C-{i}/motion.pdf", "pages": 2, "rows": [i, i + 1], "language": "es"}
            for i in range(files)
        ],
        "accounting": {"balanced": True, "ratio": 0.5, "none": None},
        "resume_key": "ab" * 32,
    }


@pytest.mark.parametrize("piece_chars", [1, 7, 1 << 20])
def test_manifest_pieces_are_exactly_json_dumps(piece_chars: int) -> None:
    value = _manifest(50)
    pieces = list(json_pieces(value, piece_chars=piece_chars))
    assert b"".join(pieces) == (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()
    if piece_chars == 1:
        assert len(pieces) > 50  # really written piece by piece


def test_write_atomic_takes_pieces(tmp_path: Path) -> None:
    write_atomic(tmp_path / "f.json", (b"a", b"bc", b""))
    assert (tmp_path / "f.json").read_bytes() == b"abc"


def test_previous_key_read_from_the_manifest_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = _manifest(20_000)  # a few MB
    write_atomic(tmp_path / "manifest.json", json_pieces(value))

    def no_whole_read(*args: object, **kwargs: object) -> str:
        raise AssertionError("the whole manifest was read")

    monkeypatch.setattr(Path, "read_text", no_whole_read)
    assert resume.previous_key(tmp_path) == "ab" * 32


def test_previous_key_of_another_layout_is_still_found(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"resume_key": "k", "files": []}))
    assert resume.previous_key(tmp_path) == "k"
    (tmp_path / "manifest.json").write_text("{broken")
    assert resume.previous_key(tmp_path) is None


def test_report_pdf_lists_a_bounded_number_of_rows(golden_run) -> None:
    """report.html lists every row; the PDF's HTML the first PDF_LIST_ROWS and says so."""
    import dataclasses

    from docgen.packs import load_pack
    from docgen.pipeline import RunOptions
    from docgen.store.report import PDF_LIST_ROWS, _env, report_context
    from tests.conftest import RUN_DATE

    review = [
        {
            "row": str(i),
            "person_id": f"P{i}",
            "name": "N",
            "case_number": f"C-{i}",
            "statute": "S",
            "reason": "",
        }
        for i in range(PDF_LIST_ROWS + 25)
    ]
    result = dataclasses.replace(golden_run, review=review)
    options = RunOptions(Path("in.csv"), "il-cook", RUN_DATE, Path("out"))
    context = report_context(result, load_pack("il-cook"), options)
    template = _env().get_template("report.html")
    full = template.render(context, list_limit=None, pdf=False)
    short = template.render(context, list_limit=PDF_LIST_ROWS, pdf=True)
    total = len(review)
    assert all(f">C-{i}<" in full for i in range(total))
    assert f">C-{PDF_LIST_ROWS - 1}<" in short and f">C-{PDF_LIST_ROWS}<" not in short
    assert f"The first {PDF_LIST_ROWS} of {total} are listed here" in short
    assert "are listed here" not in full


# ---------------------------------------------------------------- charges on disk, not in memory


def _validated(path: Path):
    from docgen.errors import DocgenError
    from docgen.pipeline import RunOptions, validate_input
    from tests.conftest import RUN_DATE

    try:
        return validate_input(RunOptions(path, "il-cook", RUN_DATE, Path("out")))
    except DocgenError:  # a file the readers refuse as a whole: nothing to group
        return None


def _synth_csv(tmp_path: Path, cases: int, seed: int = 5) -> Path:
    from docgen.demo.synth import synth_rows, write_csv

    path = tmp_path / f"synth-{cases}-{seed}.csv"
    write_csv(synth_rows(cases, seed=seed), path)
    return path


# ---- the in-memory grouping the store must reproduce (an independent oracle) --------------


def _reject_conflicts_in_memory(
    charges, bad_rows: set[int], file: str, key, value, column: str, problem: str, advice: str
) -> list:
    from collections import defaultdict

    from docgen.model import Reject
    from docgen.plan.group import _rows_text

    groups: dict = defaultdict(list)
    for charge in charges:
        if charge.row not in bad_rows:
            groups[key(charge)].append(charge)
    rejects = []
    for same in groups.values():
        if len({value(c) for c in same}) > 1:
            rows = [c.row for c in same]
            for charge in same:
                bad_rows.add(charge.row)
                rejects.append(
                    Reject(
                        file=file,
                        row=charge.row,
                        column=column,
                        reason=f"{problem} (rows {_rows_text(rows)}); {advice}",
                        case_number=charge.case_number,
                    )
                )
    return rejects


def _group_in_memory(charges, file: str):
    """Grouping as docgen did it before the store: every charge held, dicts of lists."""
    from docgen.model import Case, Person
    from docgen.plan.group import Grouped

    bad_rows: set[int] = set()
    rejects = [
        *_reject_conflicts_in_memory(
            charges,
            bad_rows,
            file,
            key=lambda c: c.case_number,
            value=lambda c: c.person_id,
            column="person_id",
            problem="the same case_number appears under more than one person_id",
            advice="fix the input so each case has one person",
        ),
        *_reject_conflicts_in_memory(
            charges,
            bad_rows,
            file,
            key=lambda c: (
                c.person_id,
                c.case_number,
                c.statute,
                c.offense_description,
                c.offense_class,
                c.disposition,
                c.disposition_date,
            ),
            value=lambda c: c.determination,
            column="determination",
            problem="the same charge has conflicting determinations",
            advice="keep one row with the right determination",
        ),
        *_reject_conflicts_in_memory(
            charges,
            bad_rows,
            file,
            key=lambda c: c.person_id,
            value=lambda c: c.date_of_birth,
            column="date_of_birth",
            problem="rows of the same person_id have different dates of birth",
            advice="check that they are the same person",
        ),
    ]
    people: dict = {}
    cases: dict = {}
    for charge in charges:
        if charge.row in bad_rows:
            continue
        person = people.get(charge.person_id)
        if person is None:
            person = people[charge.person_id] = Person(person_id=charge.person_id, first=charge)
        case = cases.get((charge.person_id, charge.case_number))
        if case is None:
            case = cases[charge.person_id, charge.case_number] = Case(
                case_number=charge.case_number, court_division=charge.court_division
            )
            person.cases.append(case)
        case.charges.append(charge)
    rejects.sort(key=lambda r: r.row)
    return Grouped(people=list(people.values()), rejects=rejects)


def _conflicting_charges() -> list:
    """Rows that trip each identity check of the grouping, mixed with good ones."""
    from datetime import date

    from docgen.model import ChargeRow

    base = {
        "last_name": "Doe",
        "first_name": "Jo",
        "date_of_birth": date(1980, 1, 2),
        "statute": "720 ILCS 550/4(a)",
        "offense_description": "Possession",
        "offense_class": "Class C misdemeanor",
        "disposition": "Guilty",
        "disposition_date": date(2001, 3, 4),
        "determination": "vacate_expunge",
    }
    rows = []
    for i in range(40):
        person = f"P{i % 7}"
        case = f"C-{i % 11}"  # cases shared across people: case_number conflicts
        extra: dict = {}
        if i % 5 == 0:
            extra["determination"] = "not_eligible"  # same charge, other determination
        if i % 13 == 0:
            extra["date_of_birth"] = date(1981, 1, 2)  # same person, other birth date
        if i % 3 == 0:
            case = f"OWN-{person}-{i % 2}"  # a case that belongs to one person only
        rows.append(ChargeRow(row=i + 2, person_id=person, case_number=case, **(base | extra)))
    # One charge of its own person and case, three times, with three determinations.
    for row, determination in ((50, "vacate_expunge"), (51, "dismiss_seal"), (52, "reduce")):
        other = base | {"determination": determination}
        rows.append(ChargeRow(row=row, person_id="Q", case_number="OWN-Q", **other))
    return rows


def _shape(people) -> list:
    return [
        (p.person_id, p.first, [(c.case_number, c.court_division, c.charges) for c in p.cases])
        for p in people
    ]


def _grouping_cases(tmp_path: Path):
    from tests.conftest import GOLDEN_INPUT

    yield "conflicts", _conflicting_charges()
    for path in [GOLDEN_INPUT, _synth_csv(tmp_path, 300), *sorted(BADINPUT.iterdir())]:
        validation = _validated(path)
        if validation is not None:
            yield path.name, list(validation.charges)


BADINPUT = paths.BADINPUT


def test_store_groups_exactly_like_the_in_memory_grouping(tmp_path: Path) -> None:
    from docgen.plan.charge_store import ChargeStore
    from docgen.plan.group import group_charges, group_store

    checked = 0
    for name, charges in _grouping_cases(tmp_path):
        expected = _group_in_memory(charges, "in.csv")
        listed = group_charges(charges, "in.csv")  # the list form: the same grouping
        assert listed.rejects == expected.rejects, name
        assert _shape(listed.people) == _shape(expected.people), name
        stored = group_store(ChargeStore(charges), "in.csv")
        assert stored.rejects == expected.rejects, name
        assert _shape(stored.people()) == _shape(expected.people), name
        assert stored.people_count == len(expected.people), name
        for person in expected.people[:20]:
            assert _shape([stored.person(person.person_id)]) == _shape([person]), name
        checked += 1
    assert checked > 20  # the corpus was really read
    conflicts = group_store(ChargeStore(_conflicting_charges()), "in.csv")
    assert {r.column for r in conflicts.rejects} == {"person_id", "determination", "date_of_birth"}


def _in_memory_specs(pack, validation, run_date) -> list:
    """The documents as plan_documents decided them when every charge was held (per-case packs)."""
    from docgen.plan import viewmodel
    from docgen.plan.admit import unfit_for_documents

    documents = tuple(pack.config.determinations.documents)
    letters = tuple(pack.config.determinations.letters)
    specs = []
    for person in _group_in_memory(list(validation.charges), validation.file).people:
        letter_cases = []
        for case in person.cases:
            case.charges = unfit_for_documents(pack, case.charges, validation.file, [])
            if case.charges_with(documents):
                specs.append(viewmodel.motion(pack, person, case, run_date))
                specs.append(viewmodel.order(pack, person, case, run_date))
            if case.charges_with(letters):
                letter_cases.append(case)
        if letter_cases and person.has_address:
            specs.append(viewmodel.letter(pack, person, letter_cases, run_date))
    return specs


def test_plan_is_the_in_memory_plan(tmp_path: Path) -> None:
    from docgen.packs import load_pack
    from docgen.plan.planner import plan_documents
    from tests.conftest import GOLDEN_INPUT, RUN_DATE

    pack = load_pack("il-cook")
    for path in (GOLDEN_INPUT, _synth_csv(tmp_path, 200, seed=7)):
        validation = _validated(path)
        expected = _in_memory_specs(pack, validation, RUN_DATE)
        plan = plan_documents(pack, validation, RUN_DATE)
        assert len(plan.specs) == len(expected) > 10
        assert list(plan.specs) == expected  # kinds, paths, rows, view models
        assert plan.people == len(_group_in_memory(list(validation.charges), path.name).people)


def _live_charge_rows_while_planning(
    monkeypatch: pytest.MonkeyPatch, path: Path
) -> tuple[int, int]:
    """The most ChargeRow objects alive at once during read -> validate -> plan -> every view
    model, and how many were made in all."""
    import weakref

    from docgen.model import ChargeRow
    from docgen.packs import load_pack
    from docgen.plan import charge_store, group, validate
    from docgen.plan.planner import plan_documents
    from tests.conftest import RUN_DATE

    live: weakref.WeakSet = weakref.WeakSet()
    seen = {"max": 0, "made": 0}

    def tracked(make):
        def wrapper(*args, **kwargs):
            charge = make(*args, **kwargs)
            if isinstance(charge, ChargeRow):
                live.add(charge)
                seen["made"] += 1
                seen["max"] = max(seen["max"], len(live))
            return charge

        if hasattr(make, "model_validate"):  # validate builds rows with ChargeRow.model_validate
            wrapper.model_validate = tracked(make.model_validate)  # type: ignore[attr-defined]
        return wrapper

    monkeypatch.setattr(validate, "ChargeRow", tracked(ChargeRow))
    monkeypatch.setattr(group, "load_charge", tracked(charge_store.load_charge))
    monkeypatch.setattr(charge_store, "load_charge", tracked(charge_store.load_charge))
    validation = _validated(path)
    plan = plan_documents(load_pack("il-cook"), validation, RUN_DATE)
    assert sum(1 for _ in plan.specs) > 0
    return seen["max"], seen["made"]


def test_live_charge_rows_do_not_grow_with_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_max, _ = _live_charge_rows_while_planning(monkeypatch, _synth_csv(tmp_path, 150))
    large_max, large_made = _live_charge_rows_while_planning(
        monkeypatch, _synth_csv(tmp_path, 1500)
    )
    assert large_made > 10 * 150  # the rows were really made (and tracked)
    # At most a person's rows (and a validated row) at a time, whatever the size of the input.
    assert large_max <= 30 and small_max <= 30


def test_planning_memory_per_case_is_small(tmp_path: Path) -> None:
    """Traced memory held by a plan grows by well under a kilobyte and a half per case (it was
    about 6 KB when every validated row was held)."""
    import gc
    import tracemalloc

    from docgen.packs import load_pack
    from docgen.plan.planner import plan_documents
    from tests.conftest import RUN_DATE

    pack = load_pack("il-cook")
    held = {}
    for cases in (300, 3000):
        path = _synth_csv(tmp_path, cases)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            plan = plan_documents(pack, _validated(path), RUN_DATE)
            gc.collect()
            held[cases] = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert len(plan.specs) > cases
        del plan
    assert (held[3000] - held[300]) / 2700 < 1500, held


# ---------------------------------------------------------------- render workers are replaced


def test_render_workers_are_replaced_and_the_files_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool renders at most WORKER_DOCUMENTS per worker, then a fresh pool takes over: the
    run's files are byte for byte those of a run with one pool."""
    import hashlib

    from docgen.render import pool as render_pool
    from tests.conftest import run_pipeline

    def tree(run_dir: Path) -> dict[str, str]:
        return {
            str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(run_dir.rglob("*"))
            if p.is_file() and p.name != "manifest.json"  # its resume key holds the code digest
        }

    pools: list[object] = []

    class CountedPool(render_pool.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    path = _synth_csv(tmp_path, 20)
    options = {"workers": 2, "formats": ("docx",)}
    monkeypatch.setattr(render_pool, "ProcessPoolExecutor", CountedPool)
    one_pool = run_pipeline(path, tmp_path / "one", **options)
    assert len(pools) == 1
    documents = sum(one_pool.documents.values())
    assert documents > render_pool.PARALLEL_THRESHOLD  # rendered by worker processes
    pools.clear()
    monkeypatch.setattr(render_pool, "WORKER_DOCUMENTS", 2)
    recycled = run_pipeline(path, tmp_path / "recycled", **options)
    assert len(pools) >= documents // (2 * 2 * 2)  # chunks of up to 2 documents, 2 workers
    assert tree(recycled.run_dir) == tree(one_pool.run_dir)
    manifest = json.loads((recycled.run_dir / "manifest.json").read_text())
    assert len(manifest["files"]) == len(tree(recycled.run_dir))
