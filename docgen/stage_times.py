"""How long each stage of a run took: measured in the pipeline, shown in `docgen generate`'s
closing summary and the service's job summary, never written to a run's files (they must be the
same bytes on every rerun).

StageClock is the pipeline's `stage` callback (docgen.pipeline.Stage) in front of the caller's
own: it notes when each stage begins and ends, so the times are there with --quiet and without
a terminal too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# The first entry: reading, validating and planning the input, before the first stage
# (docgen.pipeline.STAGES). Not shown on the progress bar; timed from the run's start.
READING = "Reading and planning"

# What each stage counts (docgen.pipeline.STAGES): the bar's count and rate, the summary's count.
UNITS = {"Rendering": "documents", "Letters print file": "volumes", "Judge's batch": "volumes"}


@dataclass(frozen=True, slots=True)
class StageTime:
    stage: str  # READING or one of docgen.pipeline.STAGES
    seconds: float
    done: int | None = None  # the stage's last count (documents, volumes), if it counts any


class StageClock:
    """A `stage(label, done, total)` callback that times each stage and passes every call on to
    `forward` (the progress bar, the service's job row) unchanged. `now`: the clock read (a
    test's own)."""

    def __init__(
        self,
        forward: Callable[[str, int, int | None], None] | None = None,
        now: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.forward = forward
        self.now = now
        self.started = now()
        self._times: list[StageTime] = []
        self._current: str | None = None
        self._began = 0.0
        self._done: int | None = None
        self._step_began: float | None = None
        self._ended = self.started  # when the last recorded stage ended

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if label != self._current:
            self.end()
            self._current = label
            # Inside a step, a stage that reports late (after counting its volumes) began with
            # the step: that work is the stage's too.
            self._began = self._step_began if self._step_began is not None else self.now()
            self._step_began = None
        self._done = done
        if self.forward:
            self.forward(label, done, total)

    def lap(self, label: str) -> None:
        """Record `label` as a stage from the clock's start (or the end of the last stage) until
        now, without showing it on the bar: the reading and planning before the first stage."""
        now = self.now()
        self._times.append(StageTime(label, max(now - self._ended, 0.0)))
        self._ended = now

    @contextmanager
    def step(self) -> Iterator[None]:
        """One step of the run that may report a stage (a step with nothing to do, such as the
        letters of a run without letters, reports none and is not listed): the stage it reports
        is timed from the step's start to its end."""
        self.end()
        self._step_began = self.now()
        try:
            yield
        finally:
            self.end()
            self._step_began = None

    def end(self) -> None:
        """The current stage is over; the time until the next one is nobody's."""
        if self._current is None:
            return
        seconds = max(self.now() - self._began, 0.0)
        self._times.append(StageTime(self._current, seconds, self._done))
        self._ended = self._began + seconds
        self._current = None
        self._done = None

    def times(self) -> tuple[StageTime, ...]:
        """The stages that ran, in the order they ran (a stage still going is not included)."""
        return tuple(self._times)


def summary_line(times: tuple[StageTime, ...], documents_reused: int = 0) -> str:
    """One line for a person: "Stages: reading and planning 0.4 s, rendering 332.5 s (12,345
    documents, 37.1 docs/s), letters print file 3.7 s, ...". The rate counts the documents
    rendered: those a resumed run reused are named apart."""
    parts = []
    for entry in times:
        part = f"{entry.stage.lower()} {entry.seconds:,.1f} s"
        unit = UNITS.get(entry.stage)
        if unit == "documents" and entry.done is not None:
            rendered = max(entry.done - documents_reused, 0)
            counts = _count(rendered, unit)
            if documents_reused:
                counts += f" rendered, {documents_reused:,} reused"
            if rendered and entry.seconds > 0:
                counts += f", {rendered / entry.seconds:,.1f} docs/s"
            part += f" ({counts})"
        elif unit and entry.done is not None and entry.done > 1:
            part += f" ({_count(entry.done, unit)})"
        parts.append(part)
    return "Stages: " + ", ".join(parts) if parts else ""


def _count(number: int, unit: str) -> str:
    return f"{number:,} {unit if number != 1 else unit.removesuffix('s')}"
