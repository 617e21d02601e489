"""The claims' section of a person's file: every claim to SPP IS holding lines of the person, with its status
and the person's amount on it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cpas_portal.person_file import FileSection, TimelineEvent
from cpas_portal.url_patterns import choice_labels, url_maker

from . import selectors
from .models import ClaimStatus


def claims_section(*, beneficiary, user):
    """One query: the claims with the person's lines counted and summed."""
    claims = list(selectors.person_claims(beneficiary=beneficiary))
    detail_url, status = url_maker("claim_detail"), choice_labels(ClaimStatus.choices)
    for claim in claims:
        claim.status_label = status.get(claim.status, claim.status)
        claim.cpas = beneficiary.cpas  # the person's own CPAS: its references need no query of their own
        claim.file_url, claim.reference_text = detail_url(claim.pk), claim.reference
    events = tuple(
        TimelineEvent(day=timezone.localdate(claim.sent_at), label=_("Claim %(reference)s sent to SPP IS") % {
            "reference": claim.reference_text}, url=claim.file_url)
        for claim in claims if claim.sent_at
    )
    return FileSection(key="claims", title=_("Reimbursement claims"), order=80,
                       template="reimbursements/_file_section.html",
                       context={"claims": claims, "total": sum(claim.person_total or 0 for claim in claims)},
                       events=events)
