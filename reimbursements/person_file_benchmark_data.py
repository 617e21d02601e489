"""Data of the person's-file benchmark: one person with ten years of history in a CPAS of their own.

Rights, notes, documents, placements (with their monthly subsidies), conventions, firm employments and art. 61
premiums go through their services, as a caseworker would make them; the claim lines of the person are
bulk-inserted as the claims app stores them (one claim a year).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conventions import services as conventions_services
from cpas_portal import services as kernel_services
from cpas_portal.demo import enterprise_number, national_number
from cpas_portal.models import Cpas, Membership, Organisation, OrganisationKind, Role
from measures import services as measures_services

from .models import Claim, ClaimLine

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIRST_YEAR = 2016


def fresh_cpas():
    """A CPAS no one uses yet (NIS codes 99900–99989 are no municipality's)."""
    taken = set(Cpas.objects.filter(nis_code__startswith="999").values_list("nis_code", flat=True))
    code = next(f"{n:05d}" for n in range(99900, 99990) if f"{n:05d}" not in taken)
    return Cpas.objects.create(nis_code=code, name_fr=f"CPAS banc d'essai {code}", name_nl=f"OCMW test {code}",
                               region="wallonia", language="fr")


def create_person_with_history(*, years=10, notes_per_year=12, documents_per_year=4):
    from django.contrib.auth import get_user_model

    cpas = fresh_cpas()
    user = get_user_model().objects.create_user(username=f"bench-{cpas.nis_code}", first_name="Bench",
                                                last_name="Caseworker")
    Membership.objects.create(user=user, cpas=cpas, role=Role.CASEWORKER)
    forem = Organisation.objects.create(cpas=cpas, name="Forem", kind=OrganisationKind.EMPLOYMENT_OFFICE,
                                        enterprise_number=enterprise_number(int(cpas.nis_code) * 10 + 1))
    firm = Organisation.objects.create(cpas=cpas, name="Firme SA", kind=OrganisationKind.PRIVATE_FIRM,
                                       enterprise_number=enterprise_number(int(cpas.nis_code) * 10 + 2))
    person = kernel_services.beneficiary_create(
        acting_user=user, cpas=cpas, niss=national_number(date(1990, 5, 17), 11), first_name="Amélie",
        last_name="Dubois", birth_date=date(1990, 5, 17), sex="F", language="fr", referent=user,
        right_type="ris", category=2, right_start=date(FIRST_YEAR, 1, 1), right_end=date(FIRST_YEAR, 12, 31))
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        if year > FIRST_YEAR:
            kernel_services.right_decision_create(
                acting_user=user, beneficiary=person, right_type="ris" if year % 3 else "equivalent_aid",
                category=1 + year % 3, decided_on=date(year - 1, 12, 20), start=date(year, 1, 1),
                end=date(year, 12, 31) if year < FIRST_YEAR + years - 1 else None)
        for month in range(1, notes_per_year + 1):
            kernel_services.case_note_create(acting_user=user, beneficiary=person, day=date(year, month, 10),
                                             text=f"Meeting {year}-{month:02d}.", confidential=month % 6 == 0)
        for number in range(documents_per_year):
            kernel_services.document_upload(acting_user=user, beneficiary=person,
                                            kind=["payslip", "employer_form", "signed_piis", "other"][number % 4],
                                            upload=SimpleUploadedFile(f"document-{year}-{number}.pdf", PDF))
        placement = measures_services.placement_create(
            acting_user=user, cpas=cpas, beneficiary=person, workplace="cpas", start=date(year, 2, 1),
            planned_end=date(year, 7, 31), regime=Decimal("1.000"), counts_as_full_time=True, scheme="normal",
            gross_monthly_pay=Decimal("2000.00"))
        measures_services.placement_approve(acting_user=user, placement=placement)
        convention = conventions_services.convention_create(
            acting_user=user, cpas=cpas, beneficiary=person,
            partners=[{"organisation": forem, "is_cpas": False, "share": Decimal("100")}],
            conclusion_date=date(year, 9, 1), planned_hours=100, methodology="both", plan_assessment=True,
            plan_job_offers=True, plan_application_techniques=True, plan_work_attitudes=True, plan_prospection=True)
        conventions_services.convention_sign(acting_user=user, convention=convention)
        if year % 2 == 0:
            employment = measures_services.firm_employment_create(
                acting_user=user, cpas=cpas, beneficiary=person, organisation=firm,
                cooperation_convention_date=date(year, 9, 1), start=date(year, 10, 1), end=date(year, 12, 31),
                regime=Decimal("1.000"))
            for month in (10, 11, 12):
                measures_services.art61_premium_record(
                    acting_user=user, month=date(year, month, 1), supervision_costs=Decimal("200.00"),
                    training_costs=Decimal("100.00"), firm_employment=employment)
        _claim_of_year(cpas, user, person, year)
    return cpas, user, person


def _claim_of_year(cpas, user, person, year):
    """Four quarterly claims holding the person's twelve months of the year."""
    for quarter in range(4):
        first_month = 1 + 3 * quarter
        start = date(year, first_month, 1)
        end = (date(year, first_month + 2, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        claim = Claim.objects.create(
            cpas=cpas, measure="art60", period_kind="quarter", period_start=start, period_end=end, sequence=1,
            version=1, status="sent", legal_basis="Loi organique des CPAS 08/07/1976 art. 60 §7",
            generated_at=timezone.make_aware(datetime.combine(end + timedelta(days=10), datetime.min.time())),
            generated_by=user, sent_at=timezone.make_aware(datetime.combine(end + timedelta(days=15),
                                                                             datetime.min.time())),
            line_count=3, total=Decimal("5434.71"))
        ClaimLine.objects.bulk_create([
            ClaimLine(claim=claim, cpas=cpas, position=position, source_key=f"benchmark.person:{year}-{month}",
                      niss=person.niss, beneficiary_name=str(person),
                      covered_start=date(year, month, 1),
                      covered_end=(date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
                      amount=Decimal("1811.57"), legal_basis=claim.legal_basis, legislation="2002")
            for position, month in enumerate(range(first_month, first_month + 3), start=1)
        ])
