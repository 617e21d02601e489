"""Every user-scoped read of the financial interventions, starting from the user's CPAS."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from cpas_portal import rights
from cpas_portal.aggregates import built_once
from cpas_portal.compiled import compiled
from cpas_portal.tenancy import get_in_cpas_or_404, scoped
from reimbursements.rules import legislation_of

from . import confirmation
from .models import Hire, InterventionPayment

RUNNING, ENDED = "running", "ended"


def hire_list(*, cpas, programme="", state="", search="", on=None, beneficiary=None):
    """Hires of ``cpas`` with their payments' count and total (two queries with a page: count, rows)."""
    hires = scoped(Hire.objects.all(), cpas).select_related("beneficiary", "employer").annotate(
        payment_count=Count("payments"), payment_total=Sum("payments__amount"))
    if programme:
        hires = hires.filter(programme=programme)
    if on is not None and state == RUNNING:
        hires = hires.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)
    elif on is not None and state == ENDED:
        hires = hires.filter(end__lt=on)
    if beneficiary is not None:
        hires = hires.filter(beneficiary=beneficiary)
    for term in search.split()[:5]:
        hires = hires.filter(Q(beneficiary__last_name__icontains=term) | Q(beneficiary__first_name__icontains=term)
                             | Q(employer__name__icontains=term))
    return hires.order_by("-start", "-id")


def hire_get(*, cpas, pk):
    """Another CPAS's hire is a 404."""
    return get_in_cpas_or_404(Hire.objects.select_related("beneficiary", "employer", "firm_employment"), cpas,
                              pk=pk)


def hire_payments(hire):
    return hire.payments.order_by("month")


def payment_list(*, cpas):
    return scoped(InterventionPayment.objects.all(), cpas).select_related("hire", "beneficiary").order_by(
        "-month", "hire_id")


def payment_get(*, cpas, pk):
    return get_in_cpas_or_404(InterventionPayment.objects.select_related("hire", "beneficiary"), cpas, pk=pk)


@built_once
def _person_hires():
    return (Hire.objects.select_related("employer")
            .annotate(payment_count=Count("payments"), payment_total=Sum("payments__amount")).order_by("-start", "-id"))


@compiled
def _hires_of(beneficiary_id):
    return _person_hires().filter(beneficiary_id=beneficiary_id)


def person_hires(*, beneficiary):
    """A person's hires (a list) with their payments' count and total, for their file: one query, compiled once per
    process."""
    return _hires_of(beneficiary.pk)


def reimbursable_payments(*, cpas, start, end, include_claimed=True):
    """Payments of ``cpas`` for the months of ``start``–``end``, each with ``current_legislation``: that of the
    person's right in force on the first day covered (read through the rights records), or, where none is
    any longer, the one recorded with the payment, and ``unconfirmed_rows`` when the month is past its
    programme's confirmed date. Two queries, plus one per distinct day."""
    payments = InterventionPayment.objects.filter(cpas=cpas, month__gte=start.replace(day=1), month__lte=end)
    if not include_claimed:
        payments = payments.filter(claimed_at__isnull=True)
    payments = list(payments.select_related("beneficiary", "hire", "hire__employer").order_by("month", "pk"))
    by_day = defaultdict(set)
    for payment in payments:
        by_day[max(payment.month, payment.hire.start)].add(payment.beneficiary_id)
    decisions = {day: rights.in_force_by_person(beneficiary_ids=ids, day=day) for day, ids in by_day.items()}
    confirmed = confirmation.confirmed_dates()
    for payment in payments:
        payment.unconfirmed_rows = confirmation.unconfirmed_rows(
            programme=payment.hire.programme, month=payment.month, rate_since=payment.rate_since, confirmed=confirmed)
        decision = decisions[max(payment.month, payment.hire.start)].get(payment.beneficiary_id)
        payment.current_legislation = legislation_of(decision.right_type) if decision else payment.legislation
    return payments
