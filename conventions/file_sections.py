"""The conventions' section of a person's file: every partnership convention, its status and amounts."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.person_file import Action, FileSection, TimelineEvent
from cpas_portal.tenancy import can_write, user_membership
from cpas_portal.url_patterns import choice_labels, url_maker

from . import selectors
from .rules import ConventionStatus
from .views import CASEWORK_AREA


def conventions_section(*, beneficiary, user):
    """One query: the person's conventions with the total paid on each."""
    conventions = list(selectors.person_conventions(beneficiary=beneficiary))
    detail_url, status = url_maker("convention_detail"), choice_labels(ConventionStatus.choices)
    events = []
    for convention in conventions:
        convention.status_label = status.get(convention.status, convention.status)
        url = convention.file_url = detail_url(convention.pk)
        concluded = (_("Partnership convention drafted, then cancelled")
                     if convention.status == ConventionStatus.CANCELLED else _("Partnership convention concluded"))
        events.append(TimelineEvent(day=convention.conclusion_date, label=concluded, url=url))
        if convention.end_date:
            events.append(TimelineEvent(day=convention.end_date, label=_("Partnership convention ended: %(status)s")
                                        % {"status": convention.status_label}, url=url))
    actions = ()
    if can_write(user_membership(user), CASEWORK_AREA):
        actions = (Action(label=_("Start a convention"),
                          url=f"{reverse('convention_create')}?beneficiary={beneficiary.pk}"),)
    return FileSection(key="conventions", title=_("Partnership conventions"), order=30,
                       template="conventions/_file_section.html", context={"conventions": conventions},
                       events=tuple(events), actions=actions)
