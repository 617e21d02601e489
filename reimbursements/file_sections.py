"""The claims' section of a person's file: every claim to SPP IS holding lines of the person, with its status
and the person's amount on it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.person_file import FileSection, TimelineEvent

from . import selectors


def claims_section(*, beneficiary, user):
    """One query: the claims with the person's lines counted and summed."""
    claims = list(selectors.person_claims(beneficiary=beneficiary))
    events = tuple(
        TimelineEvent(day=claim.sent_at.date(), label=_("Claim %(reference)s sent to SPP IS") % {
            "reference": claim.reference}, url=reverse("claim_detail", args=[claim.pk]))
        for claim in claims if claim.sent_at
    )
    return FileSection(key="claims", title=_("Reimbursement claims"), order=80,
                       template="reimbursements/_file_section.html",
                       context={"claims": claims, "total": sum(claim.person_total or 0 for claim in claims)},
                       events=events)
