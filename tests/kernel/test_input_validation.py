"""Strange input is a message (400), never a server error: NUL bytes, huge or non-finite numbers,
dates before the rules existed or past any plausible end, format suffixes on API actions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cpas_portal.inputs import parse_decimal
from cpas_portal.models import Role
from measures import services as measures_services
from measures.allocation import parse_reimbursed
from reimbursements import services as claims_services
from reimbursements.statement import format_record
from tests.conventions.factories import FULL_PLAN, coaching_partner
from tests.factories import CpasFactory, member
from tests.measures.factories import placement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "1E+999999",
                                  "1e-999999", "10000000000", "1" * 10_000, "", "0.001", "abc"])
def test_parse_decimal_refuses_what_is_not_a_storable_amount(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(("text", "value"), [("0", "0"), ("9999999999.99", "9999999999.99"), ("-1.5", "-1.5"),
                                             ("1E+3", "1000"), ("12.30", "12.30")])
def test_parse_decimal_reads_amounts(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1E+999999", "123456789012345"])
def test_an_allocation_file_with_a_non_finite_or_huge_amount_is_refused_per_line(cpas_a, amount):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_reimbursed(f"nis_code;year;amount\n92094;2023;{amount}\n", year=2026)
    assert refused.value.message_dict["reimbursed_csv"] == ["Line 1: expected nis_code;year;amount."]


def test_the_allocation_page_answers_400_for_a_nan(admin_client, cpas_a):
    member_of_a = admin_client
    response = member_of_a.post(reverse("budget_allocation"), {
        "year": "2026", "envelope": "1000000", "reimbursed_csv": "92094;2023;NaN\n92094;2024;sNaN"})
    assert response.status_code == 400  # an administrator without a CPAS reaches the page; the NaN is refused


@pytest.fixture
def finance_member(cpas_a):
    return member(cpas_a, Role.FINANCE, username="fiona")


def _statement(*lines):
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def _record(**fields):
    return format_record(nis_code="92094", year_month="2026-03", niss="90051700165", first_day=date(2026, 3, 1),
                         last_day=date(2026, 3, 31), **fields)


def test_a_statement_line_with_a_nul_byte_is_refused(finance_member, cpas_a):
    line = _record(amount="10.00", dossier="AB\x00CD")
    with pytest.raises(ValidationError) as refused:
        claims_services.statement_import(acting_user=finance_member, cpas=cpas_a, file_name="s.txt",
                                         content=_statement(line))
    assert "NUL" in str(refused.value) or "Row 1" in str(refused.value) or "ligne 1" in str(refused.value).lower()


def test_statement_totals_beyond_the_database_precision_are_refused(finance_member, cpas_a):
    lines = [_record(amount="999999999.99", form_reference=f"F{index}") for index in range(12)]
    with pytest.raises(ValidationError) as refused:
        claims_services.statement_import(acting_user=finance_member, cpas=cpas_a, file_name="s.txt",
                                         content=_statement(*lines))
    assert "file" in refused.value.message_dict


def test_a_10000_digit_national_number_is_a_field_error(client_for, alice):
    response = client_for(alice).post(reverse("beneficiary_create"), {
        "niss": "8" * 10_000, "last_name": "X", "first_name": "Y", "birth_date": "1985-07-30", "sex": "M",
        "language": "fr", "right_type": "ris", "category": "2", "right_start": "2025-01-01"})
    assert response.status_code == 400 and "niss" in response.context["form"].errors


def test_a_10000_digit_national_number_is_a_field_error_in_the_api(api_client_for, alice):
    response = api_client_for(alice).post("/api/v1/beneficiaries/", {"niss": "8" * 10_000}, format="json")
    assert response.status_code == 400 and "niss" in response.json()


LIST_PAGES = ["beneficiary_list", "placement_list", "convention_list", "claim_list", "claim_deadlines",
              "statement_list", "budget_overview"]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("query", ["q=%00", "status=%00", "page=%00", "year=%00&measure=%00", "%00=1"])
def test_a_nul_byte_in_a_list_filter_is_a_400(client_for, alice, name, query):
    response = client_for(alice).get(f"{reverse(name)}?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/beneficiaries/?search=%00", "/api/v1/placements/?status=%00",
                                  "/api/v1/conventions/?ordering=%00", "/api/v1/claims/?measure=a%00b"])
def test_a_nul_byte_in_an_api_filter_is_a_400(api_client_for, alice, path):
    assert api_client_for(alice).get(path).status_code == 400


def test_huge_ids_in_api_filters_are_a_400_not_an_overflow(api_client_for, alice):
    response = api_client_for(alice).get("/api/v1/placements/?beneficiary=-15393874360883433472")
    assert response.status_code == 400


def test_a_convention_concluded_before_the_first_rule_version_is_a_field_error(api_client_for, client_for, alice,
                                                                               beneficiary_a, cpas_a):
    jobin = coaching_partner(cpas_a)
    api = api_client_for(alice).post("/api/v1/conventions/", {
        "beneficiary": beneficiary_a.pk, "conclusion_date": "2000-01-01", "planned_hours": 100,
        "methodology": "job_coaching", **FULL_PLAN, "partners": [{"organisation": jobin.pk, "share": "100"}]},
        format="json")
    assert api.status_code == 400 and "conclusion_date" in api.json()
    page = client_for(alice).post(reverse("convention_create"), {
        "beneficiary": beneficiary_a.pk, "conclusion_date": "0001-01-01", "planned_hours": "100",
        "methodology": "both", **{name: "on" for name in FULL_PLAN},
        "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0", "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "6", "partners-0-partner": str(jobin.pk), "partners-0-share": "100"})
    assert page.status_code == 400 and "conclusion_date" in page.context["form"].errors


@pytest.mark.parametrize(("start", "planned_end", "field"), [
    (date(1, 1, 1), date(1, 6, 30), "start"),
    (date(2002, 9, 30), date(2003, 3, 31), "start"),
    (date(2020, 1, 1), date(9999, 12, 31), "planned_end"),
    (date(2020, 1, 1), date(2094, 12, 31), "planned_end"),
    (date(9999, 1, 1), date(9999, 12, 31), "start"),
])
def test_placement_dates_out_of_bounds_are_field_errors(alice, cpas_a, start, planned_end, field):
    with pytest.raises(ValidationError) as refused:
        placement(alice, cpas=cpas_a, start=start, planned_end=planned_end)
    assert field in refused.value.message_dict


def test_a_placement_lasts_at_most_42_months(alice, cpas_a):
    longest = placement(alice, cpas=cpas_a, start=date(2020, 1, 1), planned_end=date(2023, 6, 30))
    assert longest.monthly_subsidies.count() == 42
    with pytest.raises(ValidationError):
        measures_services.placement_update(acting_user=alice, placement=longest, planned_end=date(2023, 7, 1))


def test_the_placement_page_refuses_year_one_with_a_400(client_for, alice, beneficiary_a):
    response = client_for(alice).post(reverse("placement_create"), {
        "beneficiary": beneficiary_a.pk, "workplace": "cpas", "start": "0001-01-01", "planned_end": "9999-12-31",
        "regime": "1", "counts_as_full_time": "on", "scheme": "normal", "gross_monthly_pay": "2000"})
    assert response.status_code == 400 and "start" in response.context["form"].errors


def test_custom_api_actions_accept_a_format_suffix(api_client_for, alice, cpas_a):
    created = placement(alice, cpas=cpas_a)
    api = api_client_for(alice)
    subsidies = api.get(f"/api/v1/placements/{created.pk}/subsidies.json")
    assert subsidies.status_code == 200 and len(subsidies.json()) == 6
    approved = api.post(f"/api/v1/placements/{created.pk}/approve.json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api.get("/api/v1/social-economy-budgets/overview.json").status_code == 200
    assert api.get(f"/api/v1/placements/{created.pk}.json").status_code == 200


def test_another_cpas_is_still_a_404_with_a_suffix(api_client_for, alice):
    other = CpasFactory()
    stranger = member(other, Role.CASEWORKER, username="stranger")
    created = placement(stranger, cpas=other)
    assert api_client_for(alice).get(f"/api/v1/placements/{created.pk}/subsidies.json").status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "9999-01-01", "9998-06-30"])
def test_far_future_dates_of_a_piis_or_a_hire_are_field_errors(api_client_for, alice, beneficiary_a, cpas_a, day):
    """The rules count months past these dates (deadlines, meetings, the 24-month limit): a 400 on the field,
    never an overflow (500)."""
    from tests.factories import OrganisationFactory

    api = api_client_for(alice)
    piis = api.post("/api/v1/piis/", {"beneficiary": beneficiary_a.pk, "kind": "socio_professional",
                                      "applied_on": day, "start": day}, format="json")
    assert piis.status_code == 400 and {"applied_on", "start"} <= set(piis.json())
    employer = OrganisationFactory(cpas=cpas_a, kind="private_firm")
    hire = api.post("/api/v1/intervention-hires/", {
        "beneficiary": beneficiary_a.pk, "employer": employer.pk, "programme": "interim", "start": day, "end": day,
        "regime": "1"}, format="json")
    assert hire.status_code == 400 and "start" in hire.json()


@pytest.mark.parametrize("key", ["²", "٣", "1²", "9" * 19])
def test_a_key_of_other_digits_is_a_404_never_a_500(key, cpas_a, api_client_for, client_for):
    """``str.isdigit`` takes superscripts and other scripts' digits, which ``int`` or the database refuse."""
    manager = member(cpas_a, Role.MANAGER)
    api = api_client_for(manager)
    for prefix in ("beneficiaries", "organisations", "placements", "claims", "conventions", "piis"):
        assert api.get(f"/api/v1/{prefix}/{key}/").status_code == 404, prefix
    assert client_for(manager).get(f"/?caseworker={key}").status_code == 404
