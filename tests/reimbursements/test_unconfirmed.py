"""A month past an amount table's confirmed date: computed with the last row, marked on the claim line,
page and PDF, and the claim cannot be signed until an administrator confirms the table."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from measures import services as measures_services
from measures.models import TableConfirmation
from reimbursements import pdf, services
from tests.measures.factories import placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def april_2026_claim(alice, bob, cpas_a, beneficiary_a, generate):
    """A full-time placement of March–April 2026: the RIS table is confirmed up to 2026-03-31 (seeded)."""
    assert TableConfirmation.objects.get(table="ris").confirmed_up_to == date(2026, 3, 31)
    created = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2026, 3, 1),
                        planned_end=date(2026, 4, 30), gross_monthly_pay=D("2500.00"))
    measures_services.placement_approve(acting_user=alice, placement=created)
    lines = {line.month: line for line in created.monthly_subsidies.all()}
    # Both months use the last row (2026-03-01, category 3: 1.811,57); only April is past the confirmed date.
    assert lines[date(2026, 3, 1)].amount == lines[date(2026, 4, 1)].amount == D("1811.57")
    assert (lines[date(2026, 3, 1)].unconfirmed, lines[date(2026, 4, 1)].unconfirmed) == (False, True)
    assert lines[date(2026, 4, 1)].unconfirmed_rows == "ris@2026-03-01"
    with translation.override("en"):
        assert any("Not confirmed" in sentence for sentence in lines[date(2026, 4, 1)].explanation_lines)
    claim = generate(bob, cpas_a, month=4).claim
    return services.claim_review(acting_user=bob, claim=claim)


def test_the_claim_line_carries_the_flag_on_the_page_and_the_pdf(april_2026_claim, bob, client_for):
    line = april_2026_claim.lines.get()
    assert (line.unconfirmed, line.unconfirmed_rows, line.amount) == (True, "ris@2026-03-01", D("1811.57"))
    page = client_for(bob).get(f"/claims/{april_2026_claim.pk}/")
    assert page.status_code == 200
    assert b"unconfirmed-warning" in page.content
    with translation.override("en"):
        _header, rows = pdf.line_rows([line], is_correction=False)
    assert "NOT CONFIRMED" in rows[0]
    assert pdf.claim_context(april_2026_claim, "fr")["unconfirmed_count"] == 1


def test_the_claim_cannot_be_signed_until_the_table_is_confirmed(april_2026_claim, director_a, president_a,
                                                                 django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as error:
        services.claim_sign(acting_user=director_a, claim=april_2026_claim, capacity="secretary")
    assert "04/2026" in str(error.value.message_dict["status"])
    assert not april_2026_claim.signatures.exists()
    # An administrator confirms the RIS table up to the end of April: the same claim may now be signed.
    admin = director_a.__class__.objects.create_superuser("root", "root@example.org", "x-pass-2026")
    measures_services.table_confirm(acting_user=admin, table="ris", confirmed_up_to=date(2026, 4, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=director_a, claim=april_2026_claim, capacity="secretary")
        services.claim_sign(acting_user=president_a, claim=april_2026_claim, capacity="president")
    april_2026_claim.refresh_from_db()
    assert april_2026_claim.status == "signed"


def test_a_row_added_instead_of_confirmed_keeps_the_claim_blocked(april_2026_claim, director_a):
    from measures.models import RisAmount

    RisAmount.objects.create(effective_date=date(2026, 4, 1), category_1=D("900"), category_2=D("1350"),
                             category_3=D("1830"), source="test")
    measures_services.table_confirm(acting_user=director_a, table="ris", confirmed_up_to=date(2026, 4, 30))
    with pytest.raises(ValidationError, match="correction"):
        services.claim_sign(acting_user=director_a, claim=april_2026_claim, capacity="secretary")


def test_confirming_recomputes_the_open_lines(alice, cpas_a, beneficiary_a):
    created = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2026, 4, 1),
                        planned_end=date(2026, 5, 31))
    assert all(line.unconfirmed for line in created.monthly_subsidies.all())
    measures_services.table_confirm(acting_user=alice, table="ris", confirmed_up_to=date(2026, 4, 30))
    flags = dict(created.monthly_subsidies.values_list("month", "unconfirmed_rows"))
    assert flags == {date(2026, 4, 1): "", date(2026, 5, 1): "ris@2026-03-01"}
