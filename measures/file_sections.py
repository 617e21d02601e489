"""The measures' section of a person's file: art. 60 §7 placements with their subsidies, art. 61 premiums and
employments by a private firm, each with its status and amounts."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.person_file import Action, FileSection, TimelineEvent
from cpas_portal.tenancy import can_write, user_membership
from cpas_portal.url_patterns import choice_labels, url_maker

from . import selectors
from .models import PlacementStatus, Scheme, Workplace


def _label_rows(placements):
    status, workplace = choice_labels(PlacementStatus.choices), choice_labels(Workplace.choices)
    scheme = choice_labels(Scheme.choices)
    for placement in placements:
        placement.status_label = status.get(placement.status, placement.status)
        placement.workplace_label = workplace.get(placement.workplace, placement.workplace)
        placement.scheme_label = scheme.get(placement.scheme, placement.scheme)


def _events(placements, employments):
    placement_url, employment_url = url_maker("placement_detail"), url_maker("firm_employment_detail")
    for placement in placements:
        url = placement.file_url = placement_url(placement.pk)
        yield TimelineEvent(day=placement.start, label=_("Art. 60 §7 placement started (%(status)s)") % {
            "status": placement.status_label}, url=url)
        if placement.actual_end:
            yield TimelineEvent(day=placement.actual_end, label=_("Art. 60 §7 placement ended"), url=url)
    for employment in employments:
        url = employment.file_url = employment_url(employment.pk)
        yield TimelineEvent(day=employment.start, label=_("Hired by %(firm)s") % {
            "firm": employment.organisation.name}, url=url)
        if employment.end:
            yield TimelineEvent(day=employment.end, label=_("Employment by %(firm)s ended") % {
                "firm": employment.organisation.name}, url=url)


def measures_section(*, beneficiary, user):
    """Two queries: the placements (with subsidy and premium totals) and the firm employments (with theirs)."""
    placements = list(selectors.person_placements(beneficiary=beneficiary))
    employments = list(selectors.person_firm_employments(beneficiary=beneficiary))
    actions = ()
    if can_write(user_membership(user), "measures"):
        actions = (
            Action(label=_("Start a placement"), url=f"{reverse('placement_create')}?beneficiary={beneficiary.pk}"),
        )
    _label_rows(placements)
    events = tuple(_events(placements, employments))
    return FileSection(
        key="measures", title=_("Art. 60 §7 placements and art. 61 premiums"), order=40,
        template="measures/_file_section.html",
        context={"placements": placements, "employments": employments,
                 "subsidy_total": sum(p.subsidy_total for p in placements),
                 "premium_total": sum(p.premium_total for p in placements) + sum(e.premium_total for e in employments)},
        events=events, actions=actions,
    )
