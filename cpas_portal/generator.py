"""A reproducible data set at the scale of Belgium, for benchmarks (``manage.py generate_data``).

The 565 CPAS of the directory; one very large CPAS (at scale 1: 50,000 beneficiaries with their rights over
time, 10,000 partnership conventions with partners and payments, 5,000 art. 60 §7 placements over three
years with their pay periods and monthly subsidies, PIIS and their evaluations, monthly art. 60 claims);
100 other CPAS with 2,000 beneficiaries each and the same mix. ``scale`` multiplies the people (and so
every count that follows them).

Rows are made directly from the models and bulk-inserted with their history rows
(``bulk_create_with_history``: one "created" record each, as the services would leave), never through
the services: a service call per row would take hours. The same seed and the same ``on`` give the same
rows. Models of the measure apps are looked up by label: the kernel never imports them.
"""

import random
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .cpas_directory import municipalities_as_cpas
from .demo import enterprise_number, national_number
from .models import Beneficiary, Cpas, Membership, Organisation, RightDecision, Role
from .months import add_months
from .person_search import save_name_words, search_columns

BATCH = 2000
LARGE_PEOPLE = 50_000
OTHER_PEOPLE = 2_000
OTHER_CPAS = 100
# Per person of a CPAS: one convention in five, one placement in ten (the large CPAS of the issue:
# 10,000 conventions and 5,000 placements for 50,000 people).
CONVENTION_EVERY = 5
PLACEMENT_EVERY = 10
# Liège: a large city CPAS. Any NIS code of the directory may be chosen instead.
LARGE_NIS = "62063"
FIRST_NAMES = [
    "Amélie", "Léa", "Noël", "Zoë", "Chloé", "Hélène", "Inès", "Maëlle", "Björn", "François", "Jérôme", "Loïc",
    "Anaïs", "Céline", "Émile", "Gaëtan", "Ilse", "Jan", "Koen", "Lotte", "Mohamed", "Fatima", "Youssef",
    "Aïcha", "Sophie", "Thomas", "Lucas", "Emma", "Nathalie", "Pieter", "Sven", "Ayşe", "Mehmet", "Olga",
]
LAST_NAMES = [
    "Dubois", "Lambert", "Dupont", "Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Van den Bossche", "Vandenberghe", "D'Hondt", "Müller", "Lefèvre", "Mertens",
    "Renard", "Cornélis", "El Amrani", "Benali", "Yılmaz", "Nowak", "Kowalski", "Da Silva", "Ferreira",
    "Van Damme", "Deprez", "Lejeune", "Gérard", "Noël", "Hermans", "Thiry", "Collignon", "Ngoy", "Mbuyi",
]


# Who the history records of the CPAS being generated name (its manager), as a service would.
_author = ContextVar("author", default=None)


def _save(rows, model):
    return bulk_create_with_history(rows, model, batch_size=BATCH, default_user=_author.get())


@dataclass
class Counts:
    """How many rows of each kind were written (history rows not counted)."""

    rows: dict = field(default_factory=dict)

    def add(self, label, number):
        self.rows[label] = self.rows.get(label, 0) + number


def plan(scale):
    """People per CPAS: the large one first, then the others (at least one person each)."""
    return max(1, round(LARGE_PEOPLE * scale)), max(1, round(OTHER_PEOPLE * scale))


def generate(*, seed, scale, on, large_nis=LARGE_NIS, others=OTHER_CPAS, password="benchmark", log=None):
    """Write the data set; return the large CPAS and the counts. The directory's CPAS must not hold data yet."""
    log = log or (lambda message: None)
    counts = Counts()
    directory = ensure_directory()
    if large_nis not in directory:
        raise ValueError(f"{large_nis} is not a NIS code of the directory.")
    large_people, other_people = plan(scale)
    rng = random.Random(seed)
    chosen = [directory[large_nis]]
    chosen += rng.sample(sorted((cpas for code, cpas in directory.items() if code != large_nis),
                                key=lambda cpas: cpas.nis_code), min(others, len(directory) - 1))
    busy = Beneficiary.objects.filter(cpas__in=chosen).values_list("cpas__nis_code", flat=True).first()
    if busy:
        raise ValueError(f"CPAS {busy} already has beneficiaries: generate into an empty database.")
    password_hash = make_password(password)
    for position, cpas in enumerate(chosen):
        people = large_people if position == 0 else other_people
        # One random stream per CPAS: the data of a CPAS do not depend on how many others are generated.
        populate(cpas=cpas, people=people, rng=random.Random(f"{seed}:{cpas.nis_code}"), on=on,
                 password_hash=password_hash, counts=counts, caseworkers=100 if position == 0 else 10)
        if position == 0 or position % 10 == 0:
            log(f"{position + 1}/{len(chosen)} CPAS ({cpas.nis_code}, {people} people)")
    return chosen[0], counts


def ensure_directory():
    """The 565 CPAS (created when missing; existing ones kept as they are), by NIS code."""
    existing = {cpas.nis_code: cpas for cpas in Cpas.objects.all()}
    missing = [Cpas(**row) for row in municipalities_as_cpas() if row["nis_code"] not in existing]
    if missing:
        bulk_create_with_history(missing, Cpas, batch_size=BATCH)  # no author: the directory
    return {cpas.nis_code: cpas for cpas in Cpas.objects.all()}


@transaction.atomic
def populate(*, cpas, people, rng, on, password_hash, counts, caseworkers):
    staff = _staff(cpas, caseworkers, password_hash, counts)
    _author.set(staff[Role.MANAGER][0])
    firm, partner = _organisations(cpas)
    persons = _people(cpas, people, rng, staff[Role.CASEWORKER], counts)
    _rights(cpas, persons, rng, on, counts)
    _conventions(cpas, persons[::CONVENTION_EVERY], rng, on, partner, counts)
    placements = _placements(cpas, persons[1::PLACEMENT_EVERY], rng, on, firm, staff[Role.MANAGER][0], counts)
    _piis(cpas, persons, rng, on, staff[Role.CASEWORKER], counts)
    _art60_claims(cpas, placements, on, staff[Role.FINANCE][0], counts)


def _organisations(cpas):
    """A private firm (placements) and an approved coaching partner (conventions)."""
    return _save([
        Organisation(cpas=cpas, name=f"Entreprise {cpas.name_fr}", kind="private_firm",
                     enterprise_number=enterprise_number(int(cpas.nis_code) * 10 + 1)),
        Organisation(cpas=cpas, name=f"Partenaire {cpas.name_fr}", kind="coaching_partner",
                     approved_by_employment_service=True,
                     enterprise_number=enterprise_number(int(cpas.nis_code) * 10 + 2)),
    ], Organisation)


def _staff(cpas, caseworkers, password_hash, counts):
    """Caseworkers, finance officers, a manager and an auditor: ``gen<NIS>-<role><n>``, one shared password."""
    User = get_user_model()
    wanted = {Role.CASEWORKER: caseworkers, Role.FINANCE: max(1, caseworkers // 30), Role.MANAGER: 1,
              Role.AUDITOR: 1}
    users = User.objects.bulk_create([
        User(username=f"gen{cpas.nis_code}-{role}{index:03d}", first_name=f"{role.label}", last_name=f"{index:03d}",
             password=password_hash)
        for role, number in wanted.items() for index in range(number)])
    roles = [role for role, number in wanted.items() for _ in range(number)]
    bulk_create_with_history([Membership(user=user, cpas=cpas, role=role)
                              for user, role in zip(users, roles, strict=True)], Membership, batch_size=BATCH)
    counts.add("users", len(users))
    staff = {role: [] for role in wanted}
    for user, role in zip(users, roles, strict=True):
        staff[role].append(user)
    return staff


def _people(cpas, number, rng, caseworkers, counts):
    # A national number is a birth date and a counter: 20,000 birth dates (1950–2004) times 998 counters.
    born = date(1950, 1, 1)
    rows = []
    for index in range(number):
        birth = born + timedelta(days=index % 20_000)
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES) if index % 7 else f"{rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}"
        rows.append(Beneficiary(
            cpas=cpas, niss=national_number(birth, index // 20_000 + 1), first_name=first_name, last_name=last_name,
            # Bulk inserts skip save(): the search columns are filled here.
            **search_columns(first_name=first_name, last_name=last_name),
            birth_date=birth, sex=rng.choice("FMMF"), language=cpas.language if cpas.language != "de" else "de",
            postal_code=f"{rng.randint(1000, 9999)}", city=cpas.name_fr[:80],
            # One person in ten has no referent yet; the first caseworker follows three times as many people.
            referent=None if index % 10 == 9 else (caseworkers[0] if index % 4 == 0 else rng.choice(caseworkers))))
    persons = _save(rows, Beneficiary)
    # Bulk inserts skip save(): the name words a search reads are written here.
    save_name_words(persons)
    counts.add("beneficiaries", len(persons))
    return persons


def _rights(cpas, persons, rng, on, counts):
    """One to three consecutive decisions over the last three years; the last one open-ended or ending soon."""
    rows = []
    for person in persons:
        start = on - timedelta(days=rng.randint(30, 1100))
        for step in range(rng.randint(1, 3)):
            last = start + timedelta(days=rng.randint(90, 400))
            final = step == 2 or last >= on
            rows.append(RightDecision(
                cpas=cpas, beneficiary=person, right_type="equivalent_aid" if rng.random() < 0.15 else "ris",
                category=rng.choice((1, 2, 2, 3)), decided_on=start - timedelta(days=rng.randint(5, 30)), start=start,
                end=(None if rng.random() < 0.6 else on + timedelta(days=rng.randint(0, 120))) if final else last))
            if final:
                break
            start = last + timedelta(days=1)
    _save(rows, RightDecision)
    counts.add("right decisions", len(rows))


def _conventions(cpas, persons, rng, on, partner, counts):
    Convention = apps.get_model("conventions", "Convention")
    ConventionPartner = apps.get_model("conventions", "ConventionPartner")
    Payment = apps.get_model("conventions", "Payment")
    rows = []
    for person in persons:
        concluded = on - timedelta(days=rng.randint(0, 1000))
        status = ("draft" if concluded > on - timedelta(days=20) else "signed" if concluded > on - timedelta(days=200)
                  else rng.choice(("completed", "employed_early", "stopped", "settled")))
        rows.append(Convention(
            cpas=cpas, beneficiary=person, conclusion_date=concluded, planned_hours=rng.choice((60, 100, 150)),
            methodology=rng.choice(("job_search", "job_coaching", "both")), plan_assessment=True,
            plan_job_offers=True, plan_application_techniques=True, plan_work_attitudes=True, plan_prospection=True,
            status=status, rule_version="2024" if status != "draft" else "",
            end_date=concluded + timedelta(days=rng.randint(90, 180)) if status not in ("draft", "signed") else None,
            agreed_amount=Decimal("500.00") if status != "draft" else None,
            advance_amount=Decimal("250.00") if status != "draft" else None,
            final_amount=Decimal("500.00") if status in ("completed", "settled") else None,
            balance_amount=Decimal("250.00") if status in ("completed", "settled") else None,
            signed_at=timezone.now() if status != "draft" else None))
    conventions = _save(rows, Convention)
    shares = _save([ConventionPartner(convention=convention, organisation=partner, share=Decimal("100"))
                    for convention in conventions], ConventionPartner)
    payments = []
    for convention, share in zip(conventions, shares, strict=True):
        if convention.status == "draft":
            continue
        advance_due = convention.conclusion_date + timedelta(days=30)
        payments.append(Payment(convention=convention, partner=share, kind="advance", amount=Decimal("250.00"),
                                due_date=advance_due, status="paid" if advance_due < on else "due",
                                paid_date=advance_due if advance_due < on else None))
        if convention.balance_amount:
            balance_due = convention.end_date + timedelta(days=60)
            paid = convention.status == "settled"
            payments.append(Payment(convention=convention, partner=share, kind="balance", amount=Decimal("250.00"),
                                    due_date=balance_due, status="paid" if paid else "awaiting_claim",
                                    paid_date=balance_due if paid else None))
    _save(payments, Payment)
    counts.add("conventions", len(conventions))
    counts.add("convention payments", len(payments))


def _placements(cpas, persons, rng, on, firm, manager, counts, *, days=3 * 365):
    """Placements started over the last ``days`` (three years), their pay periods and a subsidy per month worked."""
    Placement = apps.get_model("measures", "Placement")
    PlacementPay = apps.get_model("measures", "PlacementPay")
    MonthlySubsidy = apps.get_model("measures", "MonthlySubsidy")
    rows = []
    for person in persons:
        start = (on - timedelta(days=rng.randint(0, days))).replace(day=1)
        at_firm = rng.random() < 0.1
        part_time = rng.random() < 0.2
        planned_end = add_months(start, rng.choice((12, 18, 24))) - timedelta(days=1)
        status = "draft" if start > on - timedelta(days=15) else ("ended" if planned_end < on else "approved")
        rows.append(Placement(
            cpas=cpas, beneficiary=person, workplace="private_firm" if at_firm else "cpas",
            organisation=firm if at_firm else None, cooperation_convention_date=start if at_firm else None,
            start=start, planned_end=planned_end, actual_end=planned_end if status == "ended" else None,
            regime=Decimal("0.500") if part_time else Decimal("1.000"), counts_as_full_time=not part_time,
            scheme="normal", status=status, approved_by=None if status == "draft" else manager,
            approved_at=None if status == "draft" else timezone.now()))
    placements = _save(rows, Placement)
    pays, subsidies = [], []
    for placement in placements:
        pays.append(PlacementPay(placement=placement, effective_date=placement.start,
                                 gross_monthly_pay=Decimal("2100.00")))
        if placement.planned_end > add_months(placement.start, 12):
            # Indexation after a year.
            pays.append(PlacementPay(placement=placement, effective_date=add_months(placement.start, 12),
                                     gross_monthly_pay=Decimal("2142.00")))
        if placement.status == "draft":
            continue
        month = placement.start
        while month <= min(placement.end, on):
            full = placement.counts_as_full_time
            subsidies.append(MonthlySubsidy(
                cpas=cpas, placement=placement, beneficiary_id=placement.beneficiary_id, month=month,
                amount=Decimal("1811.57") if full else Decimal("905.79"), scheme="normal",
                legal_basis="L. 08/07/1976 art. 60 §7; L. 26/05/2002 art. 39", rule_set="federal",
                days_covered=30, days_in_month=30, gross_pay=Decimal("2100.00") if full else Decimal("1050.00"),
                explanation=[]))
            month = add_months(month, 1)
    _save(pays, PlacementPay)
    _save(subsidies, MonthlySubsidy)
    counts.add("placements", len(placements))
    counts.add("monthly subsidies", len(subsidies))
    return placements


def _piis(cpas, persons, rng, on, caseworkers, counts):
    """A PIIS for two people in five (one in ten of them a draft), held evaluations and the next one planned."""
    Piis = apps.get_model("piis", "Piis")
    Evaluation = apps.get_model("piis", "Evaluation")
    rows = []
    for person in persons[2::5] + persons[4::5]:
        applied = on - timedelta(days=rng.randint(10, 900))
        draft = rng.random() < 0.1
        rows.append(Piis(
            cpas=cpas, beneficiary=person, kind=rng.choice(("socio_professional", "social_participation")),
            status="draft" if draft else ("ended" if applied < on - timedelta(days=500) else "signed"),
            applied_on=applied, decided_on=applied + timedelta(days=10),
            signed_on=None if draft else applied + timedelta(days=20), start=applied + timedelta(days=20),
            end=applied + timedelta(days=385), objectives="Recherche d'emploi, formation.",
            created_by=rng.choice(caseworkers)))
    piis = _save(rows, Piis)
    evaluations = []
    for row in piis:
        if row.status == "draft":
            continue
        meeting = row.start + timedelta(days=90)
        while meeting < min(row.end, on):
            evaluations.append(Evaluation(cpas=cpas, beneficiary_id=row.beneficiary_id, piis=row, planned_on=meeting,
                                          held_on=meeting, evaluator=rng.choice(caseworkers), notes="Suivi."))
            meeting += timedelta(days=120)
        if row.status == "signed":
            evaluations.append(Evaluation(cpas=cpas, beneficiary_id=row.beneficiary_id, piis=row,
                                          planned_on=meeting if meeting > on - timedelta(days=20) else on))
    _save(evaluations, Evaluation)
    counts.add("PIIS", len(piis))
    counts.add("evaluations", len(evaluations))


def _art60_claims(cpas, placements, on, finance, counts):
    """One sent monthly art. 60 §7 claim per past month of the last two years, holding that month's subsidies."""
    Claim = apps.get_model("reimbursements", "Claim")
    ClaimLine = apps.get_model("reimbursements", "ClaimLine")
    MonthlySubsidy = apps.get_model("measures", "MonthlySubsidy")
    first = add_months(on.replace(day=1), -24)
    subsidies = (MonthlySubsidy.objects.filter(cpas=cpas, month__gte=first, month__lt=on.replace(day=1))
                 .select_related("beneficiary").order_by("month", "id"))
    by_month = {}
    for subsidy in subsidies:
        by_month.setdefault(subsidy.month, []).append(subsidy)
    claims = _save([
        Claim(cpas=cpas, measure="art60", period_kind="month", period_start=month,
              period_end=add_months(month, 1) - timedelta(days=1), sequence=1, version=1, status="sent",
              legal_basis="Loi organique des CPAS 08/07/1976 art. 60 §7", line_count=len(lines),
              total=sum(line.amount for line in lines), generated_at=timezone.now(), generated_by=finance,
              sent_at=timezone.now())
        for month, lines in by_month.items()], Claim)
    lines = []
    for claim in claims:
        for position, subsidy in enumerate(by_month[claim.period_start], start=1):
            person = subsidy.beneficiary
            lines.append(ClaimLine(
                claim=claim, cpas=cpas, position=position, source_key=f"measures.subsidy:{subsidy.pk}",
                niss=person.niss, beneficiary_name=str(person),
                covered_start=claim.period_start, covered_end=claim.period_end, amount=subsidy.amount,
                legal_basis=subsidy.legal_basis, legislation="2002"))
    _save(lines, ClaimLine)
    claimed = [subsidy.pk for month_lines in by_month.values() for subsidy in month_lines]
    for start in range(0, len(claimed), BATCH):
        MonthlySubsidy.objects.filter(pk__in=claimed[start:start + BATCH]).update(
            claimed_at=timezone.now(), claim_reference="generated")
    counts.add("claims", len(claims))
    counts.add("claim lines", len(lines))


@transaction.atomic
def fill_lists(*, cpas, rows, on, seed=1):
    """Give every list of ``cpas`` at least ``rows`` rows (people, conventions, placements, PIIS, claims) and
    return its staff by role: the data of the query-count tests, which compare 10 rows with 1,000."""
    rng, counts = random.Random(seed), Counts()
    staff = _staff(cpas, 1, make_password(None), counts)
    _author.set(staff[Role.MANAGER][0])
    firm, partner = _organisations(cpas)
    persons = _people(cpas, rows, rng, staff[Role.CASEWORKER], counts)
    _rights(cpas, persons, rng, on, counts)
    _conventions(cpas, persons, rng, on, partner, counts)
    # Recent placements: a month or two of subsidies each, enough for the pages, quick to write.
    _placements(cpas, persons, rng, on, firm, staff[Role.MANAGER][0], counts, days=60)
    _piis(cpas, persons * 3, rng, on, staff[Role.CASEWORKER], counts)
    Claim = apps.get_model("reimbursements", "Claim")
    first = add_months(on.replace(day=1), -1)
    _save([Claim(cpas=cpas, measure="art60", period_kind="month", period_start=first,
                 period_end=add_months(first, 1) - timedelta(days=1), sequence=sequence, version=1,
                 status=("draft", "reviewed", "signed", "sent")[sequence % 4],
                 legal_basis="Loi organique des CPAS 08/07/1976 art. 60 §7", generated_at=timezone.now(),
                 generated_by=staff[Role.FINANCE][0]) for sequence in range(1, rows + 1)], Claim)
    return staff
