"""What the application records about a person's employment measures on a given day.

The kernel never imports a measure app (arrows point down): each app that records employment
measures registers a provider in its ``AppConfig.ready()``; the conventions ask here, not the
placements' models (DOMAIN.md §5: eligibility is derived from what the application records).

A provider is ``(*, beneficiary, day) -> iterable of RecordedMeasure``: the measures of that
person running on ``day``.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RecordedMeasure:
    """One employment or insertion measure the application records, running on the asked day."""

    kind: str
    label: str
    start: date
    end: date
    at_private_firm: bool
    source_key: str


_providers = {}


def register(name, provider):
    _providers[name] = provider


def measures_on(*, beneficiary, day):
    """Every recorded measure of ``beneficiary`` running on ``day``, from every registered provider."""
    found = []
    for name in sorted(_providers):
        found.extend(_providers[name](beneficiary=beneficiary, day=day))
    return sorted(found, key=lambda measure: (measure.start, measure.source_key))
