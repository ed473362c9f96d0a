"""The il-crta decision flow: one raw charge and its associated records -> one Determination.

Routes (each test is a function in this package; every limit is in rules/il-crta/rules.toml):

- not a charge under 720 ILCS 550/4 or 550/5 -> not_eligible (it is listed, and may exclude the
  cannabis charges of its case as an associated violent crime);
- a conviction -> vacate_expunge when it is a minor cannabis offense (not more than 30 g, before
  25 June 2019) or lies within the motion route (class, amount and window of 20 ILCS
  2630/5.2(i)(3) for its section), with no 550/7 enhancement and no associated violent crime;
- a non-conviction (dismissed, nolle, SOL, acquitted, completed supervision or qualified
  probation, released without charging) -> automatic_expungement when it is a minor cannabis
  offense of an adult, at least a year old: the State Police expunge it, no motion is filed;
- no disposition -> needs_review.

Any test decided against relief makes the charge not_eligible (its reason is the first such
test's); otherwise any test the record cannot decide sends it to needs_review (all such reasons).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from docgen.model import ALL_COLUMNS
from docgen.rules.core import Determination
from docgen.rules.il_crta.amounts import within_minor_amount, within_motion_amount
from docgen.rules.il_crta.association import no_associated_violent_crime
from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.dates import (
    adult_at_arrest,
    arrest_old_enough,
    automatic_due,
    long_date,
    offense_before,
    offense_in_motion_window,
)
from docgen.rules.il_crta.dispositions import (
    conviction_on_record,
    is_conviction,
    no_conviction_on_record,
)
from docgen.rules.il_crta.finding import Finding, combine
from docgen.rules.il_crta.offense_class import NOT_RECORDED, motion_class_allowed
from docgen.rules.il_crta.records import RawRecord
from docgen.rules.il_crta.statutes import cannabis_section, no_enhancement, normalise_statute


def judge(
    record: RawRecord,
    associated: Iterable[RawRecord],
    unreadable_rows: Iterable[int],
    config: RuleConfig,
    as_of: date,
) -> Determination:
    """Decide one charge. `associated`: the person's other charges of the same case or arrest."""
    associated = list(associated)
    section_check, section = cannabis_section(record, config)
    if section is None:
        outcome = "not_eligible" if section_check.failed else "needs_review"
        rule = "other_statute" if section_check.failed else "review_statute"
        return _decided(record, outcome, section_check.reason, [section_check], rule)

    common = [
        section_check,
        no_enhancement(record, associated, config),
        no_associated_violent_crime(associated, unreadable_rows, config),
    ]
    kind = is_conviction(record.disposition, config)
    if kind is None:
        return _pending(record, section, common, config)
    if kind:
        return _conviction(record, section, common, config)
    return _non_conviction(record, common, config, as_of)


def _conviction(
    record: RawRecord, section: str, common: list[Finding], config: RuleConfig
) -> Determination:
    law, arrest, dispo = config.law, record.arrest_date, record.disposition_date
    common = [*common, conviction_on_record(record.disposition, config)]
    minor = [
        within_minor_amount(record.amount_grams, config),
        offense_before(arrest, dispo, config.minor_offense.before, law.definition),
    ]
    motion = [
        motion_class_allowed(record.offense_class, section, config),
        within_motion_amount(record.amount_grams, section, config),
        offense_in_motion_window(arrest, dispo, section, config),
    ]
    enhancement, violent = common[1], common[2]
    # The exclusions bind the minor-offense route by definition; the motion route by policy.
    motion_common = [common[0], common[3]]
    if config.motion.exclude_enhanced:
        motion_common.append(enhancement)
    if config.motion.exclude_violent_associated:
        motion_common.append(violent)
    chain = [*common, *minor, *motion]
    minor_route = combine([*common, *minor])
    motion_route = combine([*motion_common, *motion])
    if minor_route == "pass":
        reason = (
            f"Minor cannabis offense conviction ({law.definition}): may be vacated and expunged "
            f"on motion under {law.relief}"
        )
        return _decided(record, "vacate_expunge", reason, chain, "minor_offense_conviction")
    if motion_route == "pass":
        reason = (
            f"Conviction within {law.relief} ({record.offense_class} under "
            f"{normalise_statute(record.statute)}): may be vacated and expunged on motion"
        )
        return _decided(record, "vacate_expunge", reason, chain, "motion_route_conviction")
    if "unknown" in (minor_route, motion_route):
        # Only what keeps a route open is worth a reviewer's time.
        still_open = [*common, *minor] if minor_route == "unknown" else []
        if motion_route == "unknown":
            still_open += [*motion_common, *motion]
            if minor[0].unknown and motion[1].unknown:
                # No amount: the motion test's reason states both limits.
                still_open = [c for c in still_open if c is not minor[0]]
        unknowns = list({id(c): c for c in still_open if c.unknown}.values())
        return _review(record, unknowns, chain)
    # Both routes closed: say why for each (once when one test closed both).
    minor_fail = next(c for c in [*common, *minor] if c.failed)
    motion_fail = next(c for c in [*motion_common, *motion] if c.failed)
    reasons = dict.fromkeys((minor_fail.reason, motion_fail.reason))
    return _decided(
        record, "not_eligible", "; ".join(reasons), chain, f"excluded_{motion_fail.test}"
    )


def _non_conviction(
    record: RawRecord, common: list[Finding], config: RuleConfig, as_of: date
) -> Determination:
    law, arrest = config.law, record.arrest_date
    chain = [
        *common,
        no_conviction_on_record(record.disposition, config),
        within_minor_amount(record.amount_grams, config),
        offense_before(
            arrest, record.disposition_date, config.minor_offense.before, law.definition
        ),
        adult_at_arrest(record.date_of_birth, arrest, record.disposition_date, config),
        arrest_old_enough(arrest, as_of, config),
    ]
    outcome = combine(chain)
    if outcome == "pass":
        assert arrest is not None  # arrest_old_enough passed
        due = automatic_due(arrest, config)
        reason = (
            f"Arrest-only minor cannabis offense record: the Illinois State Police and the "
            f"arresting agency expunge it without a motion, due by {long_date(due)} "
            f"({law.automatic}); no motion is filed. Court records are not covered: the person "
            f"may still petition the court"
        )
        return _decided(record, "automatic_expungement", reason, chain, "arrest_only_minor_offense")
    if outcome == "unknown":
        return _review(record, [c for c in chain if c.unknown], chain)
    failed = next(c for c in chain if c.failed)
    return _decided(record, "not_eligible", failed.reason, chain, f"excluded_{failed.test}")


def _pending(
    record: RawRecord, section: str, common: list[Finding], config: RuleConfig
) -> Determination:
    """No disposition: decided only when every route is closed whatever the disposition is."""
    minor = within_minor_amount(record.amount_grams, config)
    motion = within_motion_amount(record.amount_grams, section, config)
    chain = [*common, conviction_on_record(record.disposition, config), minor, motion]
    failed = next((c for c in common if c.failed), None)
    if failed is None and minor.failed and motion.failed:
        failed = motion  # too much for any route
    if failed is not None:
        return _decided(record, "not_eligible", failed.reason, chain, f"excluded_{failed.test}")
    return _review(record, [c for c in chain[: len(common) + 1] if c.unknown], chain)


def _review(record: RawRecord, unknowns: list[Finding], chain: list[Finding]) -> Determination:
    reason = "; ".join(c.reason for c in unknowns)
    return _decided(record, "needs_review", reason, chain, f"review_{unknowns[0].test}")


def _decided(
    record: RawRecord, outcome: str, reason: str, chain: list[Finding], rule: str
) -> Determination:
    return Determination(
        row=record.row,
        person_id=record.person_id,
        case_number=record.case_number,
        outcome=outcome,
        reason=reason,
        checks=tuple(chain),
        needs_review=outcome == "needs_review",
        rule=rule,  # the route or the deciding test, for counts per rule
        statute=normalise_statute(record.statute),
    )


def canonical_row(record: RawRecord, decision: Determination, config: RuleConfig) -> dict[str, str]:
    """The charge in docgen's canonical input format (docgen.model.ALL_COLUMNS)."""
    row = {
        "person_id": record.person_id,
        "last_name": record.last_name,
        "first_name": record.first_name,
        "middle_name": record.middle_name,
        "name_suffix": record.name_suffix,
        "date_of_birth": record.date_of_birth.isoformat(),
        "address_line1": record.address_line1,
        "address_line2": record.address_line2,
        "city": record.city,
        "state": record.state,
        "postal_code": record.postal_code,
        "language": record.language,
        "case_number": record.case_number,
        "court_division": record.court_division,
        "arrest_date": record.arrest_date.isoformat() if record.arrest_date else "",
        "arresting_agency": record.arresting_agency,
        "statute": normalise_statute(record.statute),
        "offense_description": record.offense_description,
        "offense_class": record.offense_class or NOT_RECORDED,
        "disposition": config.dispositions[record.disposition].label,
        # Released without charging and unrecorded dispositions have no date of their own.
        "disposition_date": record.last_known_date.isoformat(),
        "determination": decision.outcome,
        "reason": decision.reason,
    }
    return {col: row.get(col, "") for col in ALL_COLUMNS}
