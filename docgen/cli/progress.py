"""The progress bar of `docgen generate`, imported only when a terminal shows it.

rich.progress is slow to import, and `docgen --help` should start fast.
"""

from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

# UNITS: what each stage counts, shown after the count and in the rate.
from docgen.stage_times import UNITS


class RateColumn(ProgressColumn):
    """Documents (or volumes) per second (rich's own speed column counts bytes)."""

    def render(self, task: Any) -> Text:
        unit = task.fields.get("unit", "")
        if not unit:  # a one-step stage (report, manifest): no rate
            return Text("")
        speed = task.finished_speed or task.speed
        short = "docs" if unit == "documents" else unit
        return Text(
            f"{speed:,.1f} {short}/s" if speed else f"- {short}/s", style="progress.data.speed"
        )


def progress_columns() -> tuple[ProgressColumn, ...]:
    return (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )


class StageBar:
    """The `stage` callback of docgen.pipeline.run on one rich bar: a new stage restarts the
    bar (its description, count, total, rate and ETA follow the stage)."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.stage: str | None = None
        self.task = bar.add_task("Starting", total=None, unit="")

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if label != self.stage:
            self.stage = label
            self.bar.reset(
                self.task, total=total, completed=done, description=label, unit=UNITS.get(label, "")
            )
        else:
            self.bar.update(self.task, completed=done, total=total)
