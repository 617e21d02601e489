"""The person's file: one page gathering every measure of a beneficiary.

Each app registers a section provider in its ``AppConfig.ready()``; the kernel never imports a
measure app. A provider is ``(*, beneficiary, user) -> FileSection | None``; it runs a fixed
number of queries, whatever the length of the person's history.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TimelineEvent:
    """A dated step of the person's path (a PIIS signed, a placement started, a claim sent…)."""

    day: date
    label: str
    url: str = ""


@dataclass(frozen=True)
class Action:
    """A button on the file: start a measure for this person."""

    label: str
    url: str


@dataclass(frozen=True)
class FileSection:
    """One block of the file: ``template`` is rendered with ``context`` (plus ``beneficiary``)."""

    key: str
    title: str
    template: str
    order: int = 100
    context: dict = field(default_factory=dict)
    events: tuple = ()
    actions: tuple = ()


_providers = {}


def register(name, provider):
    _providers[name] = provider


def sections_for(*, beneficiary, user):
    """The sections of ``beneficiary``'s file that ``user`` sees, in their display order."""
    sections = []
    for name in sorted(_providers):
        section = _providers[name](beneficiary=beneficiary, user=user)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda section: (section.order, section.key))
