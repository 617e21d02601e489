"""Reads of reimbursement claims, always starting from the user's CPAS."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Sum

from cpas_portal.aggregates import built_once, child_count
from cpas_portal.compiled import compiled
from cpas_portal.money import eur
from cpas_portal.months import add_months
from cpas_portal.tenancy import compiled_get_or_404, get_in_cpas_or_404, scoped

from . import parameters, rules, sources
from .models import (
    Claim,
    ClaimDocument,
    ClaimLine,
    ClaimSignature,
    GenerationJob,
    JobStatus,
    Measure,
    StatementImport,
    StatementJob,
    StatementRecord,
)


def claim_list(*, cpas, measure="", status="", period_from=None, period_until=None):
    """The CPAS's claims; ``period_from``/``period_until`` keep the claims whose period overlaps them."""
    queryset = scoped(Claim.objects.select_related("cpas"), cpas)
    if measure:
        queryset = queryset.filter(measure=measure)
    if status:
        queryset = queryset.filter(status=status)
    if period_from:
        queryset = queryset.filter(period_end__gte=period_from)
    if period_until:
        queryset = queryset.filter(period_start__lte=period_until)
    return queryset.order_by("-period_start", "measure", "-sequence", "-version", "-id")


# The columns a user may sort the claim list on, each with the fields that break ties.
CLAIM_SORT_COLUMNS = {
    "reference": ("measure", "period_start", "sequence", "version", "id"),
    "measure": ("measure", "-period_start", "-id"),
    "period": ("period_start", "measure", "sequence", "version", "id"),
    "version": ("version", "-period_start", "-id"),
    "status": ("status", "-period_start", "-id"),
    "lines": ("line_count", "-period_start", "-id"),
    "total": ("total", "-period_start", "-id"),
}
CLAIM_DEFAULT_SORT = "-period"


@built_once
def _unconfirmed_lines():
    return child_count(ClaimLine.objects.filter(live=True, unconfirmed=True), "claim")


@compiled
def _claim_in(cpas_id, pk):
    return Claim.objects.select_related("cpas", "supersedes", "generated_by").prefetch_related(
        Prefetch("signatures", queryset=ClaimSignature.objects.order_by("capacity"))
    ).annotate(unconfirmed_lines=_unconfirmed_lines()).filter(cpas_id=cpas_id, pk=pk)


def claim_get(*, cpas, pk):
    # The count of lines marked "not confirmed" comes in the claim's own query.
    return compiled_get_or_404(_claim_in, cpas, pk)


@built_once
def _has_document():
    return Exists(ClaimDocument.objects.filter(claim=OuterRef("pk")))


@compiled
def _claim_page_in(cpas_id, pk):
    return Claim.objects.select_related("cpas", "generated_by").annotate(has_document=_has_document()).filter(
        cpas_id=cpas_id, pk=pk)


def claim_page_get(*, cpas, pk):
    """The claim of its page: with its CPAS, who generated it and whether its PDF is stored (``has_document``) in
    one query; the claim it replaces and the one replacing it (``supersedes``, ``superseded_by``) in one more, only
    for a correction or a claim replaced by one. Its signatures and its lines' counts are read by
    :func:`claim_signatures` and :func:`claim_line_facts`."""
    claim = compiled_get_or_404(_claim_page_in, cpas, pk)
    replacing = None
    # A claim is replaced only when its correction is made: ``services`` marks it superseded in the transaction
    # that writes the new version (the one way to that status, ``rules.ALLOWED_TRANSITIONS``).
    if claim.supersedes_id or claim.status == rules.SUPERSEDED:
        for other in Claim.objects.filter(Q(pk=claim.supersedes_id or 0) | Q(supersedes_id=claim.pk)):
            # A correction is made in the claim's own CPAS, whose code and language its reference reads.
            other.cpas = claim.cpas
            if other.pk == claim.supersedes_id:
                claim.supersedes = other
            else:
                replacing = other
    Claim._meta.get_field("superseded_by").set_cached_value(claim, replacing)
    return claim


@compiled
def _signatures_of(claim_id):
    return ClaimSignature.objects.filter(claim_id=claim_id).order_by("capacity")


def claim_signatures(*, claim):
    return _signatures_of(claim.pk)


def claim_line_facts(*, claims):
    """Per claim id, one pass over its lines: how many it has (``lines``: the pages of its line table), how many
    it holds (``held``: live), how many of these are not confirmed (``held_unconfirmed``), and the range of their
    keys (``first_key``, ``last_key``: see :func:`_records_of`). One query for all the claims.

    Plain SQL of integers only: built with the ORM (an aggregate with filters per claim), the query took longer
    to compile than the database took to answer it for a claim of 2,500 lines."""
    facts = {claim.pk: {"lines": 0, "held": 0, "held_unconfirmed": 0, "first_key": None, "last_key": None}
             for claim in claims}
    if not facts:
        return facts
    table, quote = ClaimLine._meta.db_table, connection.ops.quote_name
    held = f"{quote('live')} = %s"
    sql = (f"SELECT {quote('claim_id')}, COUNT(*), SUM(CASE WHEN {held} THEN 1 ELSE 0 END), "
           f"SUM(CASE WHEN {held} AND {quote('unconfirmed')} = %s THEN 1 ELSE 0 END), MIN({quote('id')}), "
           f"MAX({quote('id')}) FROM {quote(table)} WHERE {quote('claim_id')} IN "
           f"({', '.join(['%s'] * len(facts))}) GROUP BY {quote('claim_id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, True, True, *facts])
        for claim_id, lines, held_lines, held_unconfirmed, first_key, last_key in cursor.fetchall():
            facts[claim_id] = {"lines": lines, "held": held_lines, "held_unconfirmed": held_unconfirmed,
                               "first_key": first_key, "last_key": last_key}
    return facts


def _records_of(claim_id, first_key, last_key):
    """The statement records that pay lines of the claim (its lines' keys from ``first_key`` to ``last_key``:
    :func:`claim_line_facts`). The range of the keys adds nothing to the join, but lets the database read these
    records alone through their line index: without it, as soon as a few thousand records exist (of every CPAS),
    it reads them all to join them to the claim's lines (measured with 50,000 records: 15–50 ms rather than about
    1 ms)."""
    return StatementRecord.objects.filter(line__claim_id=claim_id, line_id__gte=first_key, line_id__lte=last_key)


def sign_off(*, claim, signatures):
    """Who signed the claim and who still must: per capacity (secretary/director, president) the
    signature given, or the CPAS's managers who may still give it (not someone who already signed:
    the two signatures are two people's — ``services.claim_sign``). One query, none once the claim is
    signed."""
    from django.contrib.auth import get_user_model

    from .models import SignerCapacity
    from .services import SIGNING_ROLES

    given = {signature.capacity: signature for signature in signatures}
    signed_by = {signature.signer_id for signature in signatures}
    signers = []
    # Who may still sign is shown while the claim awaits its signatures (draft or reviewed) only.
    if len(given) < len(rules.SIGNER_CAPACITIES) and claim.status in (rules.DRAFT, rules.REVIEWED):
        signers = [user for user in get_user_model().objects.filter(
            membership__cpas_id=claim.cpas_id, membership__role__in=SIGNING_ROLES, is_active=True,
        ).order_by("last_name", "first_name", "username") if user.pk not in signed_by]
    return [{"capacity": value, "label": label, "signature": given.get(value),
             "signers": [] if value in given else signers} for value, label in SignerCapacity.choices]


def claim_reviewer(*, claim):
    """Who marked the claim reviewed (from its change history), or None. One query."""
    row = (claim.history.filter(status=rules.REVIEWED, history_user__isnull=False).order_by("-history_date")
           .select_related("history_user").first())
    return row.history_user if row else None


def claim_payments(*, claim, facts):
    """The statements of SPP IS that paid lines of the claim: each with its month, file (the payment's
    reference), number of records and amount. One query (none for a claim without lines); ``facts``: the claim's
    :func:`claim_line_facts`."""
    if not facts["lines"]:
        return []
    return _payments_of(claim.pk, facts["first_key"], facts["last_key"])


@compiled
def _payments_of(claim_id, first_key, last_key):
    return _records_of(claim_id, first_key, last_key).values(
        "statement_id", "statement__year_month", "statement__file_name", "statement__imported_at",
    ).annotate(records=Count("id"), amount=Sum("amount")).order_by("statement__imported_at", "statement_id")


def open_capacities(*, claim, signatures):
    """The capacities (value, label) still to sign, from the claim's signatures already loaded."""
    from .models import SignerCapacity

    given = {signature.capacity for signature in signatures}
    return [(value, label) for value, label in SignerCapacity.choices if value not in given]


def _lines_of(claim_id):
    return ClaimLine.objects.filter(claim_id=claim_id).order_by("position")


def claim_lines(*, claim):
    return _lines_of(claim.pk)


@compiled
def _first_lines(claim_id, *, fields, size):
    return _lines_of(claim_id).values_list(*fields, named=True)[:size]


def claim_first_lines(*, claim, fields, size):
    """The first ``size`` lines of the claim as named rows of ``fields`` (its page's first page): one query
    compiled once per process."""
    return _first_lines(claim.pk, fields=tuple(fields), size=size)


def claim_document(*, claim):
    """The stored PDF of the claim, or None while it is being rendered."""
    return ClaimDocument.objects.filter(claim=claim).first()


def claim_has_document(*, claim):
    return ClaimDocument.objects.filter(claim=claim).exists()


def lines_of_claims(*, cpas, claims=None):
    queryset = scoped(ClaimLine.objects.select_related("claim__cpas"), cpas).order_by("claim_id", "position")
    if claims is not None:
        queryset = queryset.filter(claim__in=claims)
    return queryset


def job_list(*, cpas, active_only=False):
    queryset = scoped(GenerationJob.objects.select_related("claim", "claim__cpas"), cpas)
    if active_only:
        queryset = queryset.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return queryset.order_by("-created_at", "-id")


def correction_jobs(*, claim):
    """The correction of the claim under way (its job, queued or running), as its page shows it."""
    return list(GenerationJob.objects.filter(cpas_id=claim.cpas_id, corrects_id=claim.pk,
                                             status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
                .order_by("-created_at", "-id"))


def job_get(*, cpas, pk):
    return get_in_cpas_or_404(GenerationJob.objects.select_related("claim", "claim__cpas", "corrects"), cpas, pk=pk)


def batch_progress(batch):
    """Average progress of a batch's jobs, and how many are done, failed, under way."""
    counts = batch.jobs.aggregate(
        total=Count("id"), percent_sum=Sum("percent"),
        done=Count("id", filter=Q(status__in=[JobStatus.DONE, JobStatus.EMPTY])),
        failed=Count("id", filter=Q(status=JobStatus.FAILED)),
        active=Count("id", filter=Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])),
    )
    total = counts["total"]
    return {
        "percent": round((counts["percent_sum"] or 0) / total) if total else 100,
        "total": total, "done": counts["done"], "failed": counts["failed"], "active": counts["active"],
    }


# Reconciliation ----------------------------------------------------------------------------

def statement_list(*, cpas):
    return scoped(StatementImport.objects.select_related("imported_by"), cpas).order_by("-imported_at", "-id")


def statement_get(*, cpas, pk):
    return get_in_cpas_or_404(StatementImport.objects.all(), cpas, pk=pk)


def statement_job_list(*, cpas):
    """The CPAS's statement imports, newest first, without their files."""
    return StatementJob.objects.filter(cpas=cpas).defer("content").select_related("statement")


def statement_job_get(*, cpas, pk):
    return get_in_cpas_or_404(StatementJob.objects.defer("content").select_related("statement"), cpas, pk=pk)


def statement_records(*, statement):
    return statement.records.select_related("line", "line__claim", "line__claim__cpas").order_by("row")


def statement_records_of(*, cpas):
    return scoped(StatementRecord.objects.select_related("line", "line__claim", "line__claim__cpas"), cpas)


def statement_record_get(*, cpas, pk):
    return get_in_cpas_or_404(StatementRecord.objects.select_related("statement", "cpas"), cpas, pk=pk)


def lines_awaiting_payment(*, cpas):
    """The lines of the CPAS's claims sent to SPP IS that no statement record pays yet (for the sample
    statement), each with its claim."""
    return (scoped(ClaimLine.objects.select_related("claim"), cpas)
            .filter(live=True, claim__status__in=[rules.SENT, rules.PARTLY_PAID], payments__isnull=True)
            .exclude(niss="").order_by("claim_id", "position"))


def claim_line_get(*, cpas, pk):
    return get_in_cpas_or_404(ClaimLine.objects.select_related("claim"), cpas, pk=pk)


def match_candidates(*, cpas, records):
    """For the unmatched records: the open lines of sent claims with the same national number.

    One query for all the records (grouped here by national number), whatever their number.
    """
    nisses = {record.niss for record in records if record.state == rules.UNMATCHED}
    if not nisses:
        return {}
    lines = (scoped(ClaimLine.objects.select_related("claim", "claim__cpas"), cpas)
             .filter(live=True, claim__status__in=rules.RECONCILABLE_STATUSES, niss__in=nisses,
                     payments__isnull=True)
             .order_by("covered_start", "claim_id", "position"))
    found = defaultdict(list)
    for line in lines:
        found[line.niss].append(line)
    return {record.pk: found.get(record.niss, []) for record in records if record.state == rules.UNMATCHED}


def _reconciliation_state(records, differing):
    if not records:
        return rules.UNPAID
    return rules.MATCHED if not differing else rules.DIFFERS


def claim_reconciliation(*, claim, facts=None, payments=None, rows=False):
    """What SPP IS paid on the claim and the difference, and how many lines are paid as claimed, paid with a
    difference or not paid. ``facts``: the claim's :func:`claim_line_facts` (read here when not given);
    ``payments``: its :func:`claim_payments` when read already (none: no line is paid, nothing more to read).
    Otherwise one query,
    over the records that pay the claim's live lines: a line is paid with a difference when one of its records
    differs, paid as claimed when it has records and none differs, unpaid when it has none. With ``rows``, also
    per line (the line, what was paid on it, the difference and its state)."""
    if rows:
        per_line = (claim.lines.filter(live=True).order_by().values("pk")
                    .annotate(paid=Sum("payments__amount"), records=Count("payments"),
                              differing=Count("payments", filter=~Q(payments__state=rules.MATCHED))))
        return _reconciliation_by_line(claim, per_line)
    if facts is None:
        facts = claim_line_facts(claims=[claim])[claim.pk]
    summed = {"paid_total": Decimal("0.00"), "paid_lines": 0, "differs": 0}
    if facts["held"] and payments != []:
        summed = _records_of(claim.pk, facts["first_key"], facts["last_key"]).filter(line__live=True).aggregate(
            paid_total=Sum("amount", default=Decimal("0.00")), paid_lines=Count("line_id", distinct=True),
            differs=Count("line_id", distinct=True, filter=~Q(state=rules.MATCHED)))
    counts = {rules.UNPAID: facts["held"] - summed["paid_lines"],
              rules.MATCHED: summed["paid_lines"] - summed["differs"], rules.DIFFERS: summed["differs"]}
    return {"paid_total": eur(summed["paid_total"]), "claimed_total": claim.total,
            "difference_total": eur(summed["paid_total"] - claim.total),
            "counts": {state: count for state, count in counts.items() if count}}


def _reconciliation_by_line(claim, per_line):
    paid_total, counts, facts = Decimal("0.00"), defaultdict(int), {}
    for line in per_line:
        paid = line["paid"] or Decimal("0.00")
        state = _reconciliation_state(line["records"], line["differing"])
        counts[state] += 1
        paid_total += paid
        facts[line["pk"]] = (paid, state)
    return {"paid_total": eur(paid_total), "claimed_total": claim.total,
            "difference_total": eur(paid_total - claim.total), "counts": dict(counts),
            "rows": [{"line": line, "paid": eur(facts[line.pk][0]),
                      "difference": eur(facts[line.pk][0] - line.signed_amount), "state": facts[line.pk][1]}
                     for line in claim.lines.filter(live=True).order_by("position")]}


# Deadlines ---------------------------------------------------------------------------------

def _line_facts(*, cpas, claims):
    """Claim id → the legislations of its live lines, and → the first day their covered periods end
    (one query for all the claims)."""
    rows = (scoped(ClaimLine.objects, cpas).filter(claim__in=[claim.pk for claim in claims], live=True)
            .values_list("claim_id", "legislation").annotate(first_end=Min("covered_end")).order_by())
    legislations, first_end = defaultdict(set), {}
    for claim_id, legislation, ends in rows:
        legislations[claim_id].add(legislation)
        first_end[claim_id] = min(ends, first_end.get(claim_id, ends))
    return legislations, first_end


def claim_legislations(*, cpas, claims):
    """Claim id → the legislations of its live lines, as each line records it (one query for all the claims)."""
    return _line_facts(cpas=cpas, claims=claims)[0]


def claim_deadlines(*, cpas, claims, today):
    """The deadline of each claim not yet sent: the earliest of its lines' legislations (DOMAIN.md §10).

    A social-activation claim takes the day of its subsidy year's final report, from the year its
    lines cover rather than the claim's period (seed 002).
    """
    claims = list(claims)
    by_claim, first_end = _line_facts(cpas=cpas, claims=claims)
    rows = []
    for claim in claims:
        kinds = by_claim.get(claim.pk) or {rules.LAW_2002}
        period_end = claim.period_end
        if claim.measure == rules.ACTIVATION:
            period_end = first_end.get(claim.pk, period_end)
        deadline = rules.earliest_deadline(period_end, kinds, on=today, measure=claim.measure)
        state, days_left = rules.deadline_state(deadline.due, on=today, lost_from=deadline.lost_from)
        rows.append({"claim": claim, "deadline": deadline, "state": state, "days_left": days_left,
                     "legislations": sorted(kinds)})
    return rows


def deadlines(*, cpas, today, months_back=15):
    """Claims not yet sent and items not yet claimed, with the deadline of their own legislation,
    most urgent first.

    Items are looked for in the last ``months_back`` months (the longest deadline is 12 months
    after the end of a quarter). Items are grouped by measure, month and legislation.
    """
    open_claims = claim_deadlines(
        cpas=cpas, claims=claim_list(cpas=cpas).filter(status__in=[rules.DRAFT, rules.REVIEWED, rules.SIGNED]),
        today=today)
    start = add_months(rules.month_period(today.year, today.month)[0], -months_back)
    end = rules.month_period(today.year, today.month)[1]
    # Lines of live claims hold the items already claimed: each source leaves them out in the database and
    # computes only the others (``sources.unclaimed``), so a CPAS whose past months are claimed costs little.
    claimed = scoped(ClaimLine.objects.filter(live=True, covered_end__gte=start), cpas)
    # A month is listed once it has ended: the items of the current month (all unclaimed) are not even counted.
    covered_until = rules.month_period(today.year, today.month)[0] - timedelta(days=1)
    unclaimed = []
    for measure, label in Measure.choices:
        try:
            items = sources.unclaimed(measure=measure, cpas=cpas, start=start, end=end, claimed=claimed,
                                      covered_until=covered_until)
        except LookupError:
            continue
        groups = defaultdict(lambda: [0, Decimal("0.00")])
        for item in items:
            month = rules.month_period(item.covered_end.year, item.covered_end.month)
            groups[(month, item.legislation)][0] += item.count
            groups[(month, item.legislation)][1] += item.amount
        for ((month_start, month_end), legislation), (count, total) in groups.items():
            if month_end >= today:
                continue
            deadline = rules.claim_deadline(month_end, on=today, legislation=legislation, measure=measure)
            state, days_left = rules.deadline_state(deadline.due, on=today, lost_from=deadline.lost_from)
            unclaimed.append({"measure": measure, "measure_label": label, "period_start": month_start,
                              "count": count, "total": eur(total), "deadline": deadline, "state": state,
                              "days_left": days_left, "legislation": legislation})
    open_claims.sort(key=lambda row: row["deadline"].due)
    unclaimed.sort(key=lambda row: (row["deadline"].due, row["measure"], row["period_start"], row["legislation"]))
    return {"claims": open_claims, "items": unclaimed, "warning_days": parameters.DEADLINE_WARNING_DAYS}


def deadline_warnings(*, cpas, today):
    """What the claims page warns about: claims not yet sent that are due soon, overdue or lost."""
    rows = claim_deadlines(
        cpas=cpas, claims=claim_list(cpas=cpas).filter(status__in=[rules.DRAFT, rules.REVIEWED, rules.SIGNED]),
        today=today)
    counts = defaultdict(int)
    for row in rows:
        counts[row["state"]] += 1
    return {state: counts[state] for state in ("lost", "overdue", "soon") if counts[state]}


@compiled
def _person_line_totals(cpas_id, niss):
    return (ClaimLine.objects.filter(cpas_id=cpas_id, niss=niss, live=True).order_by()
            .values("claim_id").annotate(lines=Count("pk"), total=Sum(F("amount") * F("sign"))))


def person_claims(*, beneficiary):
    """The claims holding lines of ``beneficiary`` (matched by national number in their CPAS), newest first, each
    with the person's number of lines and signed total on it: two queries, the first reading only the person's
    lines (index on CPAS and national number) rather than every line of every claim of the CPAS."""
    totals = {row["claim_id"]: row for row in _person_line_totals(beneficiary.cpas_id, beneficiary.niss)}
    claims = list(Claim.objects.filter(cpas_id=beneficiary.cpas_id, pk__in=list(totals))
                  .order_by("-period_start", "-id"))
    for claim in claims:
        claim.person_lines, claim.person_total = totals[claim.pk]["lines"], totals[claim.pk]["total"]
    return claims
