"""The person's file: their hires with a financial intervention (registered in ``cpas_portal.person_file``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.person_file import Action, FileSection, TimelineEvent
from cpas_portal.tenancy import can_write, user_membership

from .selectors import person_hires


def interventions_section(*, beneficiary, user):
    """One query for the hires (with their payments' totals), one for the user's role."""
    hires = list(person_hires(beneficiary=beneficiary))
    membership = user_membership(user)
    if membership is None or membership.cpas_id != beneficiary.cpas_id:
        return None
    events = []
    for hire in hires:
        url = reverse("intervention_detail", args=[hire.pk])
        label = {"programme": hire.get_programme_display(), "employer": hire.employer.name}
        events.append(TimelineEvent(hire.start, _("%(programme)s at %(employer)s starts") % label, url))
        if hire.end:
            events.append(TimelineEvent(hire.end, _("%(programme)s at %(employer)s ends") % label, url))
    actions = ()
    if can_write(membership, "measures"):
        actions = (Action(_("Record a hire with a financial intervention"),
                          f"{reverse('intervention_create')}?beneficiary={beneficiary.pk}"),)
    return FileSection(key="interventions", title=_("Financial interventions"),
                       template="interventions/_file_section.html", order=60, context={"hires": hires},
                       events=tuple(events), actions=actions)
