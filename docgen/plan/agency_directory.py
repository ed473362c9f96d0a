"""Who is served with a motion and ordered to comply with an order: the pack's standing agencies
(`[[agencies]]`), then each arresting agency of the case with its address and the chief legal
officer of its unit of local government, looked up in the pack's `[agency_directory]`.

The directory is keyed by the arresting agency exactly as the input spells it:

    [agency_directory."Chicago Police Department"]
    address = "3510 South Michigan Avenue, Chicago, Illinois 60653"
    legal_officer = "Corporation Counsel of the City of Chicago"
    legal_officer_address = "121 North LaSalle Street, Room 600, Chicago, Illinois 60602"

    [agency_directory."Illinois State Police"]
    served_as = "Illinois State Police, Bureau of Identification"   # already on the list

An arresting agency the directory does not hold is never dressed up as a served party: its line
is the pack's `[service] agency_not_in_directory` wording (the agency's name and a notice that its
address is missing), the run report lists it as a problem to fix before filing, and
`docgen check` fails the filing (the pack's `[rules.court_wording]`).
"""

from __future__ import annotations

from collections.abc import Iterable

from docgen.model import Case
from docgen.packs import Pack

MISSING_WORDING = "{{ agency }} (NOT IN THE PACK'S AGENCY DIRECTORY: add its address and its chief legal officer before filing)"


def entry_line(name: str, address: str) -> str:
    return f"{name}, {address}" if address else name


def arresting_agencies(case: Case) -> list[str]:
    return sorted({c.arresting_agency for c in case.charges if c.arresting_agency})


def missing_agencies(pack: Pack, agencies: Iterable[str]) -> list[str]:
    """The agencies (of `agencies`) the pack's directory has no address for; none in a pack whose
    documents serve no agency (no [[agencies]], no [agency_directory]: California's motions and
    orders go to the court and the Department of Justice, never to an arresting agency)."""
    directory = pack.config.agency_directory
    if not directory and not pack.config.agencies:
        return []
    missing = []
    for agency in agencies:
        entry = directory.get(agency)
        if entry is None or not (entry.served_as or entry.address):
            missing.append(agency)
    return missing


def agency_lines(pack: Pack, case: Case, purpose: str) -> list[str]:
    """Agencies to serve (purpose "serve") or ordered to comply ("comply"), as display lines:
    the standing agencies, then each arresting agency with its address, then (served only)
    the chief legal officers of their units of local government (each line once). An order
    orders the agencies that hold records; it is served on the officers (`officer_lines`)."""
    lines, officers = _agencies_and_officers(pack, case, purpose)
    return [*lines, *officers] if purpose == "serve" else lines


def officer_lines(pack: Pack, case: Case) -> list[str]:
    """The chief legal officers of the arresting agencies' units of local government, with
    their addresses (20 ILCS 2630/5.2(d): served with the motion and the order)."""
    return _agencies_and_officers(pack, case, "serve")[1]


def _agencies_and_officers(pack: Pack, case: Case, purpose: str) -> tuple[list[str], list[str]]:
    lines = [entry_line(a.name, a.address) for a in pack.config.agencies if getattr(a, purpose)]
    standing = {a.name for a in pack.config.agencies}
    directory = pack.config.agency_directory
    officers: list[str] = []
    for agency in arresting_agencies(case):
        entry = directory.get(agency)
        if entry is not None and entry.served_as in standing:
            continue  # e.g. the State Police: already listed
        if entry is None or not entry.address:
            wording = pack.config.model_extra.get("service", {}) if pack.config.model_extra else {}
            template = wording.get("agency_not_in_directory", MISSING_WORDING)
            line = pack.render_text(template, {"agency": agency}, "service.agency_not_in_directory")
        else:
            line = entry_line(agency, entry.address)
        if line not in lines:
            lines.append(line)
        if entry is not None and entry.legal_officer:
            officer = entry_line(entry.legal_officer, entry.legal_officer_address)
            if officer not in lines and officer not in officers:
                officers.append(officer)
    return lines, officers
