"""Dated legal parameters: a value that changes on given dates, with its legal source.

A lookup before the first date, or after a repeal, raises :class:`NotInForce`; there is never a
silent default (CONVENTIONS.md, "Rules of the regulation").
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

REPEALED = object()
"""Marks a step from which the parameter no longer exists."""


class NotInForce(LookupError):
    """No value of a dated parameter is in force on the asked date."""

    def __init__(self, name, day, reason):
        self.name, self.day = name, day
        super().__init__(f"{name}: no value in force on {day.isoformat()} ({reason}).")


@dataclass(frozen=True)
class Step:
    start: date
    value: object
    source: str


@dataclass(frozen=True)
class InForce:
    """The value found for a day, with where it comes from (for "how was this computed")."""

    name: str
    value: object
    since: date
    source: str


class Dated:
    """A parameter whose value changes on dates.

    ``steps`` is a sequence of ``(start, value)`` or ``(start, value, source)``; ``source`` is
    the default citation. Use :data:`REPEALED` as value for a repeal.
    """

    def __init__(self, *, name, source, steps):
        self.name = name
        built = []
        for step in steps:
            start, value, *rest = step
            built.append(Step(start, value, rest[0] if rest else source))
        built.sort(key=lambda step: step.start)
        if len({step.start for step in built}) != len(built):
            raise ValueError(f"{name}: two values start on the same day.")
        if not built:
            raise ValueError(f"{name}: no value given.")
        self.steps = tuple(built)
        self._starts = [step.start for step in built]

    def in_force(self, day: date) -> InForce:
        index = bisect_right(self._starts, day) - 1
        if index < 0:
            raise NotInForce(self.name, day, f"first value from {self.steps[0].start.isoformat()}")
        step = self.steps[index]
        if step.value is REPEALED:
            raise NotInForce(self.name, day, f"repealed on {step.start.isoformat()}")
        return InForce(self.name, step.value, step.start, step.source)

    def at(self, day: date):
        return self.in_force(day).value

    def __repr__(self):
        return f"Dated({self.name!r}, {len(self.steps)} steps)"
