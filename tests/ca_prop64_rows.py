"""Hand-written CA DOJ research rows (fictional people) for the ca-prop64 tests.

`event(...)` builds one 95-column DOJ row from the few fields a test cares about; `write_doj`
writes rows under the DOJ header. The people are invented for this project.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

from docgen.readers.gogen import DOJ_COLUMNS

RULES_TOML = Path(__file__).resolve().parent.parent / "rules" / "ca-prop64" / "rules.toml"


def rules_config(mode: str | None = None) -> dict[str, Any]:
    config = tomllib.loads(RULES_TOML.read_text(encoding="utf-8"))
    if mode:
        config["mode"] = mode
    return config


def event(
    subject: str,
    count: str,
    date: str,
    offense: str,
    *,
    disposition: str = "CONVICTED-PROBATION",
    level: str = "FELONY",
    county: str = "LOS ANGELES",
    kind: str = "COURT ACTION",
    sentence: str = "",
    unit: str = "",
    ofn: str = "",
    cycle_date: str = "",
    comment: str = "",
    conv_offense: str = "",
    dob: str = "19700101",
    name: str = "DOE,JANE Q",
) -> dict[str, str]:
    row = dict.fromkeys(DOJ_COLUMNS, "")
    row.update(
        SUBJECT_ID=subject,
        CII_NUMBER="A" + subject,
        PRI_NAME=name,
        PRI_DOB=dob,
        CNT_ORDER=count,
        STP_EVENT_DATE=date,
        CYC_DATE=cycle_date,
        OFFENSE_DESCR=offense,
        OFFENSE_TOC=level[:1],
        DISP_DESCR=disposition,
        CONV_STAT_DESCR=level,
        STP_ORI_CNTY_NAME=county,
        STP_TYPE_DESCR=kind,
        STP_ORI_DESCR="FICTIONAL PD",
        SENT_LENGTH=sentence,
        SENT_TIME_CODE=unit,
        OFN=ofn,
        COMMENT_TEXT=comment,
        CONV_OFFENSE_DESCR=conv_offense,
        END_OF_REC="X",
    )
    return row


def write_doj(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(DOJ_COLUMNS)
        for row in rows:
            writer.writerow([row[c] for c in DOJ_COLUMNS])
    return path
