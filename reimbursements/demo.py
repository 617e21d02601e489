"""A demo reimbursement claim of one CPAS, made through the services as its finance officer would.

The claim of the partnership-conventions measure for the first quarter of 2026 (the advances paid
in that quarter), generated and reviewed, so the claim list, its detail and its PDF show something.
Skipped when the CPAS already has claims. For demonstration only.
"""

from cpas_portal.models import Role

from . import rules, services
from .models import Claim, Measure

DEMO_MEASURE, DEMO_YEAR, DEMO_QUARTER = Measure.CONVENTION, 2026, 1


def load_demo(cpas, users):
    """Create and review the demo claim of ``cpas``; ``users`` maps each role to the CPAS's demo user."""
    if Claim.objects.filter(cpas=cpas).exists():
        return None
    finance = users[Role.FINANCE]
    job = services.claim_generation_request(acting_user=finance, cpas=cpas, measure=DEMO_MEASURE,
                                            period_kind=rules.QUARTER, year=DEMO_YEAR, number=DEMO_QUARTER)
    # The request queues the task for after the commit; the demo runs its body now so that the claim
    # can be reviewed in the same run (the queued task then finds the job done and leaves it).
    job = services.run_generation_job(job.pk)
    if job.claim is None:
        return None
    return services.claim_review(acting_user=finance, claim=job.claim)
