"""Rules of the social-activation subsidies (DOMAIN.md §9, seed 002): pure functions, plain values.

Deadlines of the e-convention procedure, the 50 % / 50 % advance and balance, the split of the
large-city envelope, the capped cluster grants, and the counting of the realised objectives from
plain PIIS rows. Each function returns its result with the parameters it used (``reasons``).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cpas_portal.money import eur, split_largest_remainder
from cpas_portal.months import add_months

from . import parameters as p

LARGE_CITY = "large_city"
CLUSTER = "cluster"

# The two instalments of the subsidy, each a claim source (seed 002: 50 % after signature, the balance
# after the final report's evaluation).
ADVANCE, BALANCE = "advance", "balance"
INSTALMENTS = (ADVANCE, BALANCE)

# PIIS kinds and outcomes as stored by measures.piis (values, so these rules stay free of the ORM).
SOCIO_PROFESSIONAL = "socio_professional"
SOCIAL_PARTICIPATION = "social_participation"
COMMUNITY_SERVICE = "community_service"
PIIS_KINDS = (SOCIO_PROFESSIONAL, SOCIAL_PARTICIPATION, COMMUNITY_SERVICE)
OUTCOME_AUTONOMY = "stronger_autonomy"
OUTCOME_PATH = "socio_professional_path"
OUTCOME_JOB = "job"
OUTCOME_COMMUNITY = "community_service"
OUTCOMES = (OUTCOME_AUTONOMY, OUTCOME_PATH, OUTCOME_JOB, OUTCOME_COMMUNITY)

# The e-convention steps, in the order they happen (seed 002, "Procédure e-convention").
STEPS = ("opened_on", "filed_on", "analysed_on", "decided_on", "signed_on")


@dataclass(frozen=True)
class Reason:
    name: str
    value: object
    source: str


def _reason(parameter, on):
    found = parameter.in_force(on)
    return Reason(found.name, found.value, found.source)


def year_day(year):
    """The legal date of the subsidised year's parameters: the subsidy covers 1 January–31 December."""
    return date(year, 12, 31)


@dataclass(frozen=True)
class Deadline:
    due: date
    reasons: tuple


def filing_deadline(opened_on):
    """The convention is filed in the e-convention application within one month of its opening."""
    reason = _reason(p.FILING_MONTHS, opened_on)
    return Deadline(add_months(opened_on, reason.value), (reason,))


def signature_deadline(decided_on):
    """After the Minister's decision the CPAS's president and secretary sign within a week."""
    reason = _reason(p.SIGNATURE_DAYS, decided_on)
    return Deadline(decided_on + timedelta(days=reason.value), (reason,))


def report_deadline(year):
    """The final report (financial and content) of ``year`` is due by 28 February of the next year."""
    reason = _reason(p.REPORT_DUE, year_day(year))
    month, day = reason.value
    return Deadline(date(year + 1, month, day), (reason,))


@dataclass(frozen=True)
class Instalments:
    advance: Decimal
    balance: Decimal
    reasons: tuple


def instalments(granted, *, year):
    """The advance (50 % after signature) and the balance (the rest, after the report's evaluation):
    the balance is the granted amount less the rounded advance, so both add up to the cent."""
    reason = _reason(p.ADVANCE_RATE, year_day(year))
    advance = eur(eur(granted) * reason.value)
    return Instalments(advance, eur(granted) - advance, (reason,))


def steps_in_order(dates):
    """The names of the steps dated before an earlier step (empty when the dates are in order).

    ``dates`` maps each step of :data:`STEPS` to a date or ``None``; a missing step is not compared.
    """
    wrong, latest = [], None
    for name in STEPS:
        day = dates.get(name)
        if day is None:
            continue
        if latest is not None and day < latest:
            wrong.append(name)
        else:
            latest = day
    return wrong


# Realised objectives ------------------------------------------------------------------------

@dataclass(frozen=True)
class PiisRow:
    """One PIIS as the report reads it. ``followed_by_placement``: the person started an art. 60 §7
    placement at the CPAS between the PIIS's start and the end of the year."""

    pk: int
    beneficiary_id: int
    kind: str
    outcome: str
    start: date
    end: date
    followed_by_placement: bool = False


def lasts_counted_months(start, end, *, year):
    """A PIIS counts for the report when it lasts from 6 to 12 months, both days included (seed 002:
    "Durée PIIS: max 1 an, min 6 mois"): 1 January–30 June is 6 months, 1 January–31 December is 12."""
    shortest, longest = p.PIIS_MONTHS.at(year_day(year))
    return add_months(start, shortest) - timedelta(days=1) <= end <= add_months(start, longest) - timedelta(days=1)


def counts_in_year(row, *, year):
    return (row.start <= date(year, 12, 31) and row.end >= date(year, 1, 1)
            and lasts_counted_months(row.start, row.end, year=year))


def path_outcome(row):
    """The outcome a path is counted under: a path followed by an art. 60 §7 placement led to a job
    (the CPAS is the employer); otherwise the outcome recorded on the PIIS (none when not recorded)."""
    if row.followed_by_placement or row.outcome == OUTCOME_JOB:
        return OUTCOME_JOB
    return row.outcome if row.outcome in OUTCOMES else ""


@dataclass(frozen=True)
class Realised:
    """The realised figures of the report's table (seed 002, "Objectifs fixés vs. réalisés") and the
    outcomes of the paths. Beneficiaries are counted once per row; outcomes count paths (PIIS)."""

    social_assessments: int
    piis_total: int
    piis_by_kind: dict
    outcomes: dict
    paths_counted: int
    reasons: tuple = field(default=())

    def as_dict(self):
        return {"social_assessments": self.social_assessments, "piis_total": self.piis_total,
                **{f"piis_{kind}": count for kind, count in self.piis_by_kind.items()},
                **{f"outcome_{outcome}": count for outcome, count in self.outcomes.items()},
                "paths_counted": self.paths_counted}


def count_realised(rows, *, year, social_assessments):
    """Count the realised objectives of ``year`` from PIIS rows (signed or ended, of the CPAS).

    ``social_assessments`` is the number of beneficiaries assessed in the year, counted by the selector.
    """
    counted = [row for row in rows if counts_in_year(row, year=year)]
    by_kind = {kind: len({row.beneficiary_id for row in counted if row.kind == kind}) for kind in PIIS_KINDS}
    outcomes = dict.fromkeys(OUTCOMES, 0)
    for row in counted:
        outcome = path_outcome(row)
        if outcome:
            outcomes[outcome] += 1
    return Realised(
        social_assessments=social_assessments,
        piis_total=len({row.beneficiary_id for row in counted}),
        piis_by_kind=by_kind, outcomes=outcomes, paths_counted=len(counted),
        reasons=(_reason(p.PIIS_MONTHS, year_day(year)),),
    )


# Allocation across CPAS ---------------------------------------------------------------------

@dataclass(frozen=True)
class Allocated:
    key: object
    weight: Decimal
    requested: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Allocation:
    rows: list
    total: Decimal
    reasons: tuple


def split_large_city(envelope, workers, *, year):
    """The large-city envelope split by each CPAS's number of art. 60 §7 workers on the reference day
    (1 January 2013 for 2015), to the cent by largest remainder: the grants add up to the envelope."""
    if not workers:
        raise ValueError("At least one CPAS with art. 60 §7 workers is needed.")
    keys = list(workers)
    counts = [int(workers[key]) for key in keys]
    if any(count < 0 for count in counts) or sum(counts) <= 0:
        raise ValueError("The numbers of workers must be positive.")
    amounts = split_largest_remainder(envelope, counts)
    rows = [Allocated(key, Decimal(count), None, amount)
            for key, count, amount in zip(keys, counts, amounts, strict=True)]
    on = year_day(year)
    reasons = (_reason(p.LARGE_CITY_ENVELOPE, on), _reason(p.LARGE_CITY_REFERENCE_DAY, on))
    return Allocation(rows, sum(amounts, Decimal("0.00")), reasons)


def cluster_grants(requests, *, year):
    """Cluster grants: each request capped at €10,000; when the capped requests exceed the €200,000
    total, each is reduced in proportion to its capped request, to the cent (largest remainder), so
    the grants add up to the total and none exceeds its cap or its request. At most 20 clusters."""
    on = year_day(year)
    cap, envelope, most = p.CLUSTER_CAP.at(on), p.CLUSTER_ENVELOPE.at(on), p.MAX_CLUSTERS.at(on)
    if not requests:
        raise ValueError("At least one cluster is needed.")
    if len(requests) > most:
        raise ValueError(f"At most {most} clusters may be granted ({len(requests)} given).")
    keys = list(requests)
    asked = [eur(requests[key]) for key in keys]
    if any(amount <= 0 for amount in asked):
        raise ValueError("Each cluster's request must be positive.")
    capped = [min(amount, cap) for amount in asked]
    amounts = capped if sum(capped) <= envelope else split_largest_remainder(envelope, capped)
    rows = [Allocated(key, weight, request, amount)
            for key, weight, request, amount in zip(keys, capped, asked, amounts, strict=True)]
    reasons = (_reason(p.CLUSTER_CAP, on), _reason(p.CLUSTER_ENVELOPE, on), _reason(p.MAX_CLUSTERS, on))
    return Allocation(rows, sum(amounts, Decimal("0.00")), reasons)
