"""The ca-prop64 rule set's configuration (rules/ca-prop64/rules.toml), validated with pydantic.

A mode (`gogen`, `statute`) is a set of flags plus county flows. A flow is an ordered list of
steps; a step names legal tests (`"felony"`, or `"not felony"`) that must all pass and the
outcome it then gives; the last step has no tests. Outcomes are one table: our determination
and reason (citing the law) and the label gogen printed for the same outcome.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docgen.rules.ca_prop64.checks import CHECKS
from docgen.rules.ca_prop64.facts import Flags

DeterminationValue = Literal["dismiss_seal", "reduce", "not_eligible", "needs_review"]


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    when: list[str] = Field(default_factory=list)
    then: str


class Flow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    applies_to: list[Literal["prop64", "related"]]
    params: dict[str, Any] = Field(default_factory=dict)
    steps: list[Step]


class Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid")
    determination: DeterminationValue
    reason: str
    gogen: str = ""  # gogen's Eligibility Reason for this outcome ("" = gogen had none)


class Mode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    flags: Flags
    counties: dict[str, str]
    default_flow: str | None = None  # for counties not listed
    flows: dict[str, Flow]


class Lists(BaseModel):
    model_config = ConfigDict(extra="forbid")
    superstrike: list[str]
    pc290: list[str]


class RuleSetInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    module: str
    title: str
    state: str
    default_mode: str
    cutoff: date  # Prop 64's effective date: relief is for offenses before it
    counties: list[str] = []  # the counties --county may name (empty: any)


class CaProp64Config(BaseModel):
    model_config = ConfigDict(extra="ignore")
    rule_set: RuleSetInfo
    mode: str | None = None  # set by the engine from --mode
    outcomes: dict[str, Outcome]
    lists: Lists
    modes: dict[str, Mode]

    @model_validator(mode="after")
    def _references(self) -> CaProp64Config:
        problems: list[str] = []
        for mode_name, mode in self.modes.items():
            for county, flow_named in mode.counties.items():
                if flow_named not in mode.flows:
                    problems.append(f"modes.{mode_name}.counties.{county}: no flow {flow_named!r}")
            if mode.default_flow and mode.default_flow not in mode.flows:
                problems.append(f"modes.{mode_name}.default_flow: no flow {mode.default_flow!r}")
            for flow_name, flow in mode.flows.items():
                where = f"modes.{mode_name}.flows.{flow_name}"
                if not flow.steps or flow.steps[-1].when:
                    problems.append(f"{where}: the last step must have no tests (when = [])")
                for i, step in enumerate(flow.steps, 1):
                    if step.then not in self.outcomes:
                        problems.append(f"{where}, step {i}: unknown outcome {step.then!r}")
                    for test in step.when:
                        if test.removeprefix("not ") not in CHECKS:
                            problems.append(f"{where}, step {i}: unknown test {test!r}")
        known = {" ".join(c.split()).upper() for c in self.rule_set.counties}
        for mode_name, mode in self.modes.items():
            for county in mode.counties:
                if known and " ".join(county.split()).upper() not in known:
                    problems.append(f"modes.{mode_name}.counties: {county!r} is not in counties")
        if self.rule_set.default_mode not in self.modes:
            problems.append(f"rule_set.default_mode: no mode {self.rule_set.default_mode!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def name(self) -> str:
        return self.rule_set.name

    @property
    def cutoff(self) -> date:
        return self.rule_set.cutoff

    def active_mode(self) -> tuple[str, Mode, Flags]:
        name = self.mode or self.rule_set.default_mode
        if name not in self.modes:
            raise KeyError(name)
        mode = self.modes[name]
        flags = mode.flags.model_copy(
            update={
                "superstrike_sections": tuple(self.lists.superstrike),
                "pc290_sections": tuple(self.lists.pc290),
            }
        )
        return name, mode, flags
