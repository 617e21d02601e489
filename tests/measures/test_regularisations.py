"""Regularisations of claimed months: recorded by the service, listed per CPAS (page and API)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from measures import regularisations, services
from measures.models import MonthlySubsidy, Regularisation, RisAmount

from .factories import placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed_placement(alice, cpas_a, beneficiary_a):
    """A full-time placement from July 2026 whose July–September were claimed (1.811,57 € each)."""
    created = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2026, 7, 1),
                        planned_end=date(2026, 12, 31), gross_monthly_pay=D("2500.00"))
    services.placement_approve(acting_user=alice, placement=created)
    months = created.monthly_subsidies.filter(month__lte=date(2026, 9, 1))
    services.monthly_subsidies_freeze(acting_user=alice, lines=list(months), reference="92094-ART60-2026-T3-1v1")
    return created


def ris_row(effective_date, category_3):
    row, _created = RisAmount.objects.update_or_create(effective_date=effective_date, defaults={
        "category_1": D("900.00"), "category_2": D("1350.00"), "category_3": category_3, "source": "test"})
    return row


def table_changed(user, row, change=regularisations.ADDED):
    return regularisations.regularisations_after_table_change(
        acting_user=user, table=regularisations.RIS_TABLE, since=row.effective_date, change=change,
        rows=[regularisations.row(regularisations.RIS_TABLE, row, [row.category_3])])


def pending(created):
    return list(Regularisation.objects.filter(placement=created, claimed_at__isnull=True).order_by("month")
                .values_list("month", "claimed_amount", "recomputed_amount", "difference"))


def test_a_second_change_updates_the_pending_regularisation_and_a_zero_difference_leaves_none(
        alice, claimed_placement):
    row = ris_row(date(2026, 9, 1), D("1847.80"))
    recorded = table_changed(alice, row)
    assert [r.difference for r in recorded] == [D("36.23")]
    assert pending(claimed_placement) == [(date(2026, 9, 1), D("1811.57"), D("1847.80"), D("36.23"))]

    row.category_3 = D("1850.00")
    row.save()
    table_changed(alice, row, regularisations.CORRECTED)
    assert pending(claimed_placement) == [(date(2026, 9, 1), D("1811.57"), D("1850.00"), D("38.43"))]
    regularisation = Regularisation.objects.get()
    assert [reason["change"] for reason in regularisation.reasons] == ["added", "corrected"]

    row.category_3 = D("1811.57")
    row.save()
    table_changed(alice, row, regularisations.CORRECTED)
    assert pending(claimed_placement) == [] and not Regularisation.objects.exists()
    # The months not claimed took each new amount in turn.
    assert claimed_placement.monthly_subsidies.get(month=date(2026, 10, 1)).amount == D("1811.57")


def test_a_change_after_a_regularisation_was_claimed_regularises_what_is_left(alice, claimed_placement):
    row = ris_row(date(2026, 9, 1), D("1847.80"))
    first = table_changed(alice, row)[0]
    regularisations.regularisations_freeze(acting_user=alice, claimed={first.pk: first.difference},
                                           reference="92094-ART60-2026-10-1v1")
    row.category_3 = D("1850.00")
    row.save()
    table_changed(alice, row, regularisations.CORRECTED)
    # 1.811,57 € for the month + 36,23 € regularised already: 2,20 € are left to claim.
    assert pending(claimed_placement) == [(date(2026, 9, 1), D("1847.80"), D("1850.00"), D("2.20"))]


def test_a_freeze_refuses_a_regularisation_changed_since_the_claim_read_it(alice, claimed_placement):
    from django.core.exceptions import ValidationError

    first = table_changed(alice, ris_row(date(2026, 9, 1), D("1847.80")))[0]
    with pytest.raises(ValidationError):
        regularisations.regularisations_freeze(acting_user=alice, claimed={first.pk: D("30.00")}, reference="R")
    assert Regularisation.objects.get().claimed_at is None


def test_a_pay_period_entered_late_regularises_the_claimed_month(alice, cpas_a, beneficiary_a):
    created = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2026, 7, 1),
                        planned_end=date(2026, 9, 30), gross_monthly_pay=D("1500.00"))
    services.placement_approve(acting_user=alice, placement=created)
    july = created.monthly_subsidies.get(month=date(2026, 7, 1))
    assert july.amount == D("1500.00")  # capped at the gross pay
    services.monthly_subsidies_freeze(acting_user=alice, lines=[july], reference="92094-ART60-2026-07-1v1")

    services.placement_pay_set(acting_user=alice, placement=created, effective_date=date(2026, 7, 1),
                               gross_monthly_pay=D("1600.00"))

    assert pending(created) == [(date(2026, 7, 1), D("1500.00"), D("1600.00"), D("100.00"))]
    regularisation = Regularisation.objects.get()
    assert regularisation.reasons[0]["table"] == "pay" and regularisation.rows[0]["values"] == ["1600.00"]
    assert regularisation.created_by == alice
    july.refresh_from_db()
    assert july.amount == D("1500.00") and july.claim_reference == "92094-ART60-2026-07-1v1"
    assert created.monthly_subsidies.get(month=date(2026, 8, 1)).amount == D("1600.00")


def test_no_regularisation_for_months_not_claimed(alice, cpas_a, beneficiary_a):
    created = placement(alice, cpas=cpas_a, beneficiary=beneficiary_a, start=date(2026, 7, 1),
                        planned_end=date(2026, 9, 30), gross_monthly_pay=D("2500.00"))
    assert table_changed(alice, ris_row(date(2026, 8, 1), D("1847.80"))) == []
    assert not Regularisation.objects.exists()
    assert MonthlySubsidy.objects.get(placement=created, month=date(2026, 8, 1)).amount == D("1847.80")


def _many(user, cpas, beneficiary, count):
    created = placement(user, cpas=cpas, beneficiary=beneficiary, start=date(2025, 1, 1),
                        planned_end=date(2026, 12, 31), gross_monthly_pay=D("2500.00"))
    months = list(created.monthly_subsidies.order_by("month")[:count])
    services.monthly_subsidies_freeze(acting_user=user, lines=months, reference="REF")
    Regularisation.objects.bulk_create([
        Regularisation(cpas=cpas, placement=created, beneficiary=beneficiary, subsidy=month, month=month.month,
                       scheme="normal", claimed_amount=month.amount, recomputed_amount=month.amount + 1,
                       difference=D("1.00"), created_by=user,
                       reasons=[regularisations.reason(regularisations.RIS_TABLE, date(2025, 1, 1))],
                       rows=[{"table": "ris", "id": 1, "effective_date": "2025-01-01", "values": ["1.00"]}])
        for month in months])
    return created


@pytest.mark.parametrize("rows", [2, 20])
def test_the_regularisation_page_queries(client_for, alice, bob, cpas_a, beneficiary_a, rows,
                                         django_assert_max_num_queries):
    _many(alice, cpas_a, beneficiary_a, rows)
    client = client_for(bob)
    # session, user, membership+cpas (tenancy), totals, count, page rows with beneficiary and author.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("regularisation_list"))
    assert response.status_code == 200
    assert response.content.decode().count("<strong>1,00 €</strong>") == min(rows, 25)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_regularisation_api_list_queries(api_client_for, alice, bob, cpas_a, beneficiary_a, rows,
                                             django_assert_max_num_queries):
    _many(alice, cpas_a, beneficiary_a, rows)
    # membership+cpas (tenancy), count, page rows with beneficiary and author.
    with django_assert_max_num_queries(3):
        response = api_client_for(bob).get("/api/v1/regularisations/")
    assert response.json()["count"] == rows


def test_another_cpas_sees_none_of_them(api_client_for, client_for, alice, charlie, cpas_a, beneficiary_a):
    created = _many(alice, cpas_a, beneficiary_a, 2)
    one = created.regularisations.first()
    assert api_client_for(charlie).get(f"/api/v1/regularisations/{one.pk}/").status_code == 404
    assert api_client_for(charlie).get("/api/v1/regularisations/").json()["count"] == 0
    assert "1,00 €" not in client_for(charlie).get(reverse("regularisation_list")).content.decode()
    assert api_client_for(charlie).get("/api/v1/regularisations/?state=nonsense").status_code == 400
