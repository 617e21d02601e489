"""The PIIS section of the person's file (``cpas_portal.person_file`` provider, registered in ``apps.py``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.person_file import Action, FileSection, TimelineEvent
from cpas_portal.tenancy import can_write, user_membership

from . import selectors


def piis_section(*, beneficiary, user):
    """The person's PIIS with their evaluations, and "Start a PIIS" for those who may (four queries)."""
    membership = user_membership(user)
    if membership is None or membership.cpas_id != beneficiary.cpas_id:
        return None
    rows = selectors.person_piis(beneficiary=beneficiary)
    events = []
    for piis in rows:
        url = reverse("piis_detail", args=[piis.pk])
        if piis.signed_on:
            events.append(TimelineEvent(piis.signed_on, _("PIIS signed (%(kind)s)") % {"kind": piis.get_kind_display()},
                                        url))
        if piis.status == "ended" and piis.end:
            events.append(TimelineEvent(piis.end, _("PIIS ended: %(outcome)s") % {
                "outcome": piis.get_outcome_display() or "—"}, url))
        for evaluation in piis.evaluations.all():
            if evaluation.held_on:
                events.append(TimelineEvent(evaluation.held_on, _("PIIS evaluation held"), url))
    actions = ()
    if can_write(membership, "measures"):
        actions = (Action(_("Start a PIIS"), reverse("piis_create") + f"?beneficiary={beneficiary.pk}"),)
    return FileSection(key="piis", title=_("Individualised social-integration projects (PIIS)"),
                       template="piis/_file_section.html", order=30, context={"piis_rows": rows},
                       events=tuple(events), actions=actions)
