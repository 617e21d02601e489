"""Adapters from the other apps' reimbursable records to claim items (see :mod:`reimbursements.sources`).

- partnership conventions: the payments of the CPAS (advances and balances, the CPAS's own share
  included), with the beneficiary, the partner and the form B tier code (1: ≥ 50 h, 2: ≥ 100 h);
- art. 60 §7: the monthly subsidies of the normal scheme, and the regularisations of its claimed months;
- social economy: the monthly subsidies of the increased scheme (subvention majorée), and theirs;
- art. 61: the tutoring premiums granted, for art. 60 §7 placements at a private firm and for
  people hired by the firm itself;
- financial interventions (Activa, intérim d'insertion, PTP, SINE): the months paid on their
  supporting documents, under the legislation of the person's right in force on the month.
- social activation: the advance and the balance of the CPAS's yearly subsidy (no person).
"""

from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, Sum
from django.db.models.functions import Greatest, TruncMonth
from django.utils.translation import gettext as _

from cpas_portal import rights
from cpas_portal.models import Beneficiary
from cpas_portal.money import eur
from cpas_portal.templatetags.cpas import eur as eur_text

from . import parameters, rules
from .rules import legislation_of
from .sources import ClaimItem, Unclaimed, claimed_filter, drop_claimed, register


def _month_end(first_day):
    return (first_day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _last_month_end(end, covered_until):
    """The last day of the last whole month a monthly item may cover to end by ``covered_until`` (and ``end``):
    a month's item covers it to its last day."""
    if covered_until is None or covered_until >= end:
        return end
    return covered_until if covered_until == _month_end(covered_until) else covered_until.replace(day=1) - timedelta(
        days=1)


def _legislation_finder(records):
    """``legislation(beneficiary_id, start, end)`` for the people of ``records``: the legislation of the right
    the person held in the period a line covers (DOMAIN.md §3, §10), read in one query for all of them."""
    return _legislation_finder_of({record.beneficiary_id for record in records})


def _legislation_finder_of(beneficiary_ids):
    decisions = rights.periods_by_person(beneficiary_ids=beneficiary_ids)

    def legislation(beneficiary_id, start, end):
        decision = rights.covering(decisions.get(beneficiary_id, ()), start=start, end=end)
        return legislation_of(decision.right_type if decision is not None else None)

    return legislation


def _pks(keys):
    return [int(key.rsplit(":", 1)[1]) for key in keys]


# Partnership conventions -------------------------------------------------------------------

def convention_payments(*, cpas, start, end):
    from conventions.selectors import reimbursable_payments

    payments = list(reimbursable_payments(cpas=cpas, start=start, end=end))
    legislation = _legislation_finder([payment.convention for payment in payments])
    for payment in payments:
        convention = payment.convention
        partner = payment.partner
        yield ClaimItem(
            source_key=f"conventions.payment:{payment.pk}",
            niss=convention.beneficiary.niss,
            beneficiary_name=str(convention.beneficiary),
            covered_start=payment.paid_date,
            covered_end=payment.paid_date,
            amount=payment.amount,
            legal_basis=parameters.LEGAL_BASIS["convention"].at(convention.conclusion_date),
            # The right held when the convention was concluded, else the latest one until the payment.
            legislation=legislation(convention.beneficiary_id, convention.conclusion_date,
                                    max(convention.conclusion_date, payment.paid_date)),
            description=payment.get_kind_display(),
            tier_code=str(convention.form_b_tier or ""),
            partner=partner.organisation.name if partner.organisation_id else _("the CPAS itself (own share)"),
        )


def unclaimed_convention_payments(*, cpas, start, end, claimed, covered_until=None):
    """What :func:`convention_payments` gives of the payments no line of ``claimed`` holds (paid by
    ``covered_until`` when given), counted and summed by month and right type in the database (one query)."""
    from conventions.selectors import reimbursable_payments

    rows = (reimbursable_payments(cpas=cpas, start=start, end=min(end, covered_until or end))
            .filter(claimed_filter(claimed, "conventions.payment:"))
            .annotate(person=F("convention__beneficiary_id"), concluded=F("convention__conclusion_date"))
            .annotate(right=rights.covering_right_type(beneficiary=OuterRef("person"), start=OuterRef("concluded"),
                                                       end=Greatest(OuterRef("concluded"), OuterRef("paid_date"))))
            .annotate(paid_month=TruncMonth("paid_date"))
            .order_by().values("paid_month", "right").annotate(count=Count("pk"), total=Sum("amount")))
    for row in rows:
        yield Unclaimed(_month_end(row["paid_month"]), legislation_of(row["right"]), eur(row["total"]), row["count"])


register("convention", convention_payments, unclaimed_amounts=unclaimed_convention_payments)


# Art. 60 §7 and the increased social-economy subsidy ---------------------------------------

# What a claim line copies from a monthly subsidy: read as plain values (a model instance per subsidy, its
# placement, person and partner were most of the time of gathering 5,000 lines).
SUBSIDY_COLUMNS = ("pk", "beneficiary_id", "beneficiary__niss", "beneficiary__last_name", "beneficiary__first_name",
                   "month", "amount", "legal_basis", "days_covered", "days_in_month", "placement__organisation__name",
                   "unconfirmed_rows")


def _subsidy_items(*, cpas, start, end, scheme):
    from measures.selectors import reimbursable_subsidy_lines

    lines = list(reimbursable_subsidy_lines(cpas=cpas, start=start, end=end, include_claimed=True)
                 .filter(scheme=scheme).values_list(*SUBSIDY_COLUMNS, named=True))
    legislation = _legislation_finder(lines)
    days = _("%(days)s of %(total)s days")
    for line in lines:
        month_end = _month_end(line.month)
        yield ClaimItem(
            source_key=f"measures.subsidy:{line.pk}",
            niss=line.beneficiary__niss,
            beneficiary_name=Beneficiary.display_name(line.beneficiary__last_name, line.beneficiary__first_name),
            covered_start=line.month,
            covered_end=month_end,
            amount=line.amount,
            legal_basis=line.legal_basis,
            legislation=legislation(line.beneficiary_id, line.month, month_end),
            description=days % {"days": line.days_covered, "total": line.days_in_month},
            partner=line.placement__organisation__name or "",
            unconfirmed_rows=line.unconfirmed_rows,
        )


def _unclaimed_by_month(queryset, amount):
    """``queryset`` of monthly rows (``month``, ``beneficiary``, ``amount``), counted and
    summed by month and right type in the database, as :class:`Unclaimed` facts (one query)."""
    rows = (queryset.annotate(right=rights.covering_right_type(beneficiary=OuterRef("beneficiary_id"),
                                                               month=OuterRef("month")))
            .order_by().values("month", "right").annotate(count=Count("pk"), total=Sum(amount)))
    for row in rows:
        yield Unclaimed(_month_end(row["month"]), legislation_of(row["right"]), eur(row["total"]), row["count"])


def _unclaimed_subsidies(*, cpas, start, end, scheme, claimed, covered_until=None):
    """What :func:`_subsidy_items` gives of the lines no line of ``claimed`` holds (of the months ended by
    ``covered_until`` when given)."""
    from measures.selectors import reimbursable_subsidy_lines

    lines = (reimbursable_subsidy_lines(cpas=cpas, start=start, end=_last_month_end(end, covered_until),
                                        include_claimed=True)
             .filter(scheme=scheme).filter(claimed_filter(claimed, "measures.subsidy:")))
    return _unclaimed_by_month(lines, "amount")


def freeze_subsidies(*, keys, reference, acting_user):
    from measures.services import monthly_subsidies_freeze

    # One call whatever the number of months: the service locks the open ones, updates them and records their
    # history set-based (the months claimed or gone in between are left out, as the claim holds what it read).
    monthly_subsidies_freeze(acting_user=acting_user, lines=_pks(keys), reference=reference, only_open=True)


def release_subsidies(*, keys, acting_user):
    from measures.services import monthly_subsidies_release

    monthly_subsidies_release(acting_user=acting_user, lines=_pks(keys))


def still_unconfirmed_subsidy(line):
    from measures.confirmation import still_unconfirmed

    return still_unconfirmed(line.unconfirmed_rows, line.covered_start)


# Regularisations of months already claimed (a table row or a pay period changed after the fact) go on
# the next claim of their scheme: pending ones, and those a live claim of this period already holds
# (so that a corrected version keeps them).
REGULARISATION_PREFIX = "measures.regularisation:"
MEASURE_OF_SCHEME = {"normal": "art60", "social_economy": "social_economy"}


def _regularisation_items(*, cpas, start, end, scheme):
    from measures.models import Regularisation
    from measures.regularisations import render_reason, render_row

    from .models import ClaimLine

    measure = MEASURE_OF_SCHEME[scheme]
    held = ClaimLine.objects.filter(
        cpas=cpas, live=True, source_key__startswith=REGULARISATION_PREFIX, claim__measure=measure,
        claim__period_start__lte=end, claim__period_end__gte=start,
    ).values_list("source_key", flat=True)
    regularisations = list(
        Regularisation.objects.filter(cpas=cpas, scheme=scheme)
        .filter(Q(claimed_at__isnull=True) | Q(pk__in=_pks(list(held))))
        .select_related("beneficiary", "subsidy").order_by("month", "pk")
    )
    # How each month was first claimed decides the amount type of its regularisation.
    first_claims = dict(ClaimLine.objects.filter(
        cpas=cpas, source_key__in=[f"measures.subsidy:{r.subsidy_id}" for r in regularisations],
    ).exclude(claim__status__in=[rules.CANCELLED, rules.REJECTED]).order_by("-claim_id")
        .values_list("source_key", "claim__period_start"))
    legislation = _legislation_finder(regularisations)
    for regularisation in regularisations:
        claimed_in = first_claims.get(f"measures.subsidy:{regularisation.subsidy_id}", regularisation.month)
        amount_type = rules.regularisation_amount_type(month=regularisation.month, claimed_in_period=claimed_in,
                                                       claimed_amount=regularisation.claimed_amount)
        reasons = " ".join(render_reason(reason) for reason in regularisation.reasons)
        rows = "; ".join(render_row(row) for row in regularisation.rows)
        yield ClaimItem(
            source_key=f"{REGULARISATION_PREFIX}{regularisation.pk}",
            niss=regularisation.beneficiary.niss,
            beneficiary_name=str(regularisation.beneficiary),
            covered_start=regularisation.month,
            covered_end=_month_end(regularisation.month),
            amount=regularisation.difference,
            legal_basis=regularisation.subsidy.legal_basis,
            legislation=legislation(regularisation.beneficiary_id, regularisation.month,
                                    _month_end(regularisation.month)),
            description=_("Regularisation (amount type %(type)s): %(claimed)s claimed, %(recomputed)s due. "
                          "%(reasons)s Rows: %(rows)s.") % {
                "type": amount_type, "claimed": eur_text(regularisation.claimed_amount),
                "recomputed": eur_text(regularisation.recomputed_amount), "reasons": reasons, "rows": rows},
        )


def art60_subsidies(*, cpas, start, end):
    yield from _subsidy_items(cpas=cpas, start=start, end=end, scheme="normal")
    yield from _regularisation_items(cpas=cpas, start=start, end=end, scheme="normal")


def social_economy_subsidies(*, cpas, start, end):
    yield from _subsidy_items(cpas=cpas, start=start, end=end, scheme="social_economy")
    yield from _regularisation_items(cpas=cpas, start=start, end=end, scheme="social_economy")


def unclaimed_art60(*, cpas, start, end, claimed, covered_until=None):
    yield from _unclaimed_subsidies(cpas=cpas, start=start, end=end, scheme="normal", claimed=claimed,
                                    covered_until=covered_until)
    yield from drop_claimed(_regularisation_items(cpas=cpas, start=start, end=end, scheme="normal"), claimed)


def unclaimed_social_economy(*, cpas, start, end, claimed, covered_until=None):
    yield from _unclaimed_subsidies(cpas=cpas, start=start, end=end, scheme="social_economy", claimed=claimed,
                                    covered_until=covered_until)
    yield from drop_claimed(_regularisation_items(cpas=cpas, start=start, end=end, scheme="social_economy"),
                                claimed)


def _split(keys):
    regularisations = [key for key in keys if key.startswith(REGULARISATION_PREFIX)]
    return [key for key in keys if not key.startswith(REGULARISATION_PREFIX)], regularisations


def freeze_subsidies_and_regularisations(*, keys, reference, acting_user):
    from measures.regularisations import regularisations_freeze

    from .models import ClaimLine

    subsidies, regularisations = _split(keys)
    freeze_subsidies(keys=subsidies, reference=reference, acting_user=acting_user)
    if regularisations:
        lines = ClaimLine.objects.filter(source_key__in=regularisations, live=True)
        claimed = {int(line.source_key.rsplit(":", 1)[1]): line.signed_amount for line in lines}
        regularisations_freeze(acting_user=acting_user, claimed=claimed, reference=reference)


def release_subsidies_and_regularisations(*, keys, acting_user):
    from measures.regularisations import regularisations_release

    subsidies, regularisations = _split(keys)
    release_subsidies(keys=subsidies, acting_user=acting_user)
    if regularisations:
        regularisations_release(acting_user=acting_user, regularisations=_pks(regularisations))


register("art60", art60_subsidies, freeze=freeze_subsidies_and_regularisations,
         release=release_subsidies_and_regularisations, still_unconfirmed=still_unconfirmed_subsidy,
         unclaimed_amounts=unclaimed_art60)
register("social_economy", social_economy_subsidies, freeze=freeze_subsidies_and_regularisations,
         release=release_subsidies_and_regularisations, still_unconfirmed=still_unconfirmed_subsidy,
         unclaimed_amounts=unclaimed_social_economy)


# Art. 61 tutoring premiums -----------------------------------------------------------------

def art61_premiums(*, cpas, start, end):
    from measures.selectors import reimbursable_art61_premiums

    premiums = list(reimbursable_art61_premiums(cpas=cpas, start=start, end=end, include_claimed=True))
    legislation = _legislation_finder(premiums)
    for premium in premiums:
        organisation = premium.employment.organisation
        yield ClaimItem(
            source_key=f"measures.art61:{premium.pk}",
            niss=premium.beneficiary.niss,
            beneficiary_name=str(premium.beneficiary),
            covered_start=premium.month,
            covered_end=_month_end(premium.month),
            amount=premium.granted_amount,
            legal_basis=premium.legal_basis,
            legislation=legislation(premium.beneficiary_id, premium.month, _month_end(premium.month)),
            description=_("grant %(number)s") % {"number": premium.grant_number},
            partner=organisation.name if organisation else "",
        )


def freeze_premiums(*, keys, reference, acting_user):
    from measures.services import art61_premiums_freeze

    art61_premiums_freeze(acting_user=acting_user, premiums=_pks(keys), reference=reference, only_open=True)


def release_premiums(*, keys, acting_user):
    from measures.services import art61_premiums_release

    art61_premiums_release(acting_user=acting_user, premiums=_pks(keys))


def unclaimed_art61_premiums(*, cpas, start, end, claimed, covered_until=None):
    """What :func:`art61_premiums` gives of the premiums no line of ``claimed`` holds (of the months ended by
    ``covered_until`` when given)."""
    from measures.selectors import reimbursable_art61_premiums

    premiums = (reimbursable_art61_premiums(cpas=cpas, start=start, end=_last_month_end(end, covered_until),
                                            include_claimed=True)
                .filter(claimed_filter(claimed, "measures.art61:")))
    return _unclaimed_by_month(premiums, "granted_amount")


register("art61", art61_premiums, freeze=freeze_premiums, release=release_premiums,
         unclaimed_amounts=unclaimed_art61_premiums)


# Financial interventions (Activa, intérim d'insertion, PTP, SINE) -----------------------------------

def intervention_payments(*, cpas, start, end):
    from measures.interventions.selectors import reimbursable_payments

    for payment in reimbursable_payments(cpas=cpas, start=start, end=end, include_claimed=True):
        hire = payment.hire
        yield ClaimItem(
            source_key=f"interventions.payment:{payment.pk}",
            niss=payment.beneficiary.niss,
            beneficiary_name=str(payment.beneficiary),
            covered_start=payment.month,
            covered_end=_month_end(payment.month),
            amount=payment.amount,
            legal_basis=payment.legal_basis,
            legislation=payment.current_legislation,
            description=_("%(programme)s, %(days)s of %(total)s days, %(document)s %(reference)s") % {
                "programme": hire.get_programme_display(), "days": payment.days_covered,
                "total": payment.days_in_month, "document": payment.get_document_kind_display(),
                "reference": payment.document_reference},
            partner=hire.employer.name,
            unconfirmed_rows=payment.unconfirmed_rows,
        )


def freeze_interventions(*, keys, reference, acting_user):
    from measures.interventions.services import payments_freeze

    # The service freezes only the open ones, under their locks.
    payments_freeze(acting_user=acting_user, payments=_pks(keys), reference=reference)


def release_interventions(*, keys, acting_user):
    from measures.interventions.services import payments_release

    payments_release(acting_user=acting_user, payments=_pks(keys))


def still_unconfirmed_intervention(line):
    from measures.interventions.confirmation import still_unconfirmed

    return still_unconfirmed(line.unconfirmed_rows, line.covered_start)


register("intervention", intervention_payments, freeze=freeze_interventions, release=release_interventions,
         still_unconfirmed=still_unconfirmed_intervention)
# Social activation: the advance and the balance of the yearly subsidy ----------------------

ACTIVATION_PREFIX = "activation."


def _instalment_of(key):
    """``activation.advance:7`` → ``("advance", 7)``."""
    name, pk = key[len(ACTIVATION_PREFIX):].split(":", 1)
    return name, int(pk)


def activation_instalments(*, cpas, start, end):
    """The advance once the e-convention is signed, the balance once the final report is sent (seed 002).

    Each covers the subsidy year (seed 002: "Période de subventionnement du 1er janvier au 31 décembre")
    and goes on the first claim of a period ending on or after its step; once claimed, only a claim of
    that period (its correction) sees it again. A line of the CPAS itself: no national number.
    Two queries whatever the number of years.
    """
    from measures.activation import parameters as activation_parameters
    from measures.activation import rules as activation_rules
    from measures.activation.selectors import claimable_instalments, source_key

    from .models import ClaimLine

    held = set(ClaimLine.objects.filter(
        cpas=cpas, live=True, source_key__startswith=ACTIVATION_PREFIX, claim__measure=rules.ACTIVATION,
        claim__period_start__lte=end, claim__period_end__gte=start,
    ).values_list("source_key", flat=True))
    held_ids = {_instalment_of(key)[1] for key in held}
    for activation in claimable_instalments(cpas=cpas, until=end, held_ids=held_ids):
        year_start = date(activation.year, 1, 1)
        amounts = activation_rules.instalments(activation.granted_amount, year=activation.year)
        steps = {activation_rules.ADVANCE: (activation.signed_on, activation.advance_claimed_at, amounts.advance,
                                            _("Social activation %(year)s — advance")),
                 activation_rules.BALANCE: (activation.report_sent_on, activation.balance_claimed_at, amounts.balance,
                                            _("Social activation %(year)s — balance"))}
        for instalment, (step_on, claimed_at, amount, label) in steps.items():
            key = source_key(instalment, activation.pk)
            if step_on is None or step_on > end or (claimed_at is not None and key not in held) or not amount:
                continue
            yield ClaimItem(
                source_key=key,
                niss="",
                beneficiary_name=label % {"year": activation.year},
                covered_start=year_start,
                covered_end=activation_rules.year_day(activation.year),
                amount=amount,
                legal_basis=activation_parameters.LEGAL_BASIS[activation.kind].at(year_start),
                # The subsidy is a measure of social integration under the law of 26 May 2002 (seed 002).
                legislation=rules.LAW_2002,
                description=activation.get_kind_display(),
            )


def freeze_instalments(*, keys, reference, acting_user):
    from measures.activation.services import instalments_freeze

    instalments_freeze(acting_user=acting_user, instalments=[_instalment_of(key) for key in keys],
                       reference=reference)


def release_instalments(*, keys, acting_user):
    from measures.activation.services import instalments_release

    instalments_release(acting_user=acting_user, instalments=[_instalment_of(key) for key in keys])


register(rules.ACTIVATION, activation_instalments, freeze=freeze_instalments, release=release_instalments)
