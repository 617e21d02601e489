"""A demo reimbursement claim of one CPAS, made through the services as its finance officer would.

The claim of the partnership-conventions measure for the first quarter of 2026 (the advances paid
in that quarter), generated and left as a draft, so that a new user can take it through the whole
path: review (``<cpas>-finance``), the two signatures (``<cpas>-manager`` as secretary/director,
``<cpas>-president`` as president), sending, then the sample statement of the statements page,
whose import marks it paid. Skipped when the CPAS already has claims. For demonstration only.
"""

from cpas_portal.models import Role

from . import rules, services
from .models import Claim, Measure

DEMO_MEASURE, DEMO_YEAR, DEMO_QUARTER = Measure.CONVENTION, 2026, 1


def load_demo(cpas, users):
    """Create the demo claim of ``cpas``; ``users`` maps each role to the CPAS's demo user."""
    if Claim.objects.filter(cpas=cpas).exists():
        return None
    finance = users[Role.FINANCE]
    job = services.claim_generation_request(acting_user=finance, cpas=cpas, measure=DEMO_MEASURE,
                                            period_kind=rules.QUARTER, year=DEMO_YEAR, number=DEMO_QUARTER)
    # The request queues the task for after the commit; the demo runs its body now so that the claim
    # exists when the command ends (the queued task then finds the job done and leaves it).
    return services.run_generation_job(job.pk).claim
