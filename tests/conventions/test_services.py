"""The life of a convention through its services: create, sign, hours, close, claims, payments, settled."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from conventions import selectors, services
from conventions.models import Convention, Payment, PaymentKind, PaymentStatus
from conventions.rules import ConventionStatus
from tests.factories import BeneficiaryFactory
from tests.helpers import requires_postgresql

from .factories import coaching_partner, make_convention, partner

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():
    """Messages in the source language (the pages and API tests check French and Dutch)."""
    with translation.override("en"):
        yield


def payment(convention, partner_row, kind):
    return Payment.objects.get(convention=convention, partner=partner_row, kind=kind)


def test_the_whole_life_of_a_convention(alice, bob, beneficiary_a, forem, jobin):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, planned_hours=100,
                                 partners=[partner(forem, "50"), partner(jobin, "30"), partner(None, "20")])
    assert convention.status == ConventionStatus.DRAFT and convention.agreed_amount is None
    convention = services.convention_sign(acting_user=alice, convention=convention)
    assert (convention.status, convention.rule_version, convention.form_b_tier) == ("signed", "v2012", 2)
    assert (convention.agreed_amount, convention.advance_amount) == (D("500.00"), D("250.00"))
    assert convention.explanation["results"] == {"form_b_tier": 2, "agreed": "500.00", "advance": "250.00"}
    p_forem, p_jobin, p_cpas = convention.partners.order_by("id")
    advances = {p.partner_id: p for p in convention.payments.filter(kind=PaymentKind.ADVANCE)}
    assert [advances[p.pk].amount for p in (p_forem, p_jobin, p_cpas)] == [D("125.00"), D("75.00"), D("50.00")]
    # The CPAS's own share is kept: recorded as paid on its due date, the conclusion date.
    assert (advances[p_cpas.pk].status, advances[p_cpas.pk].paid_date) == ("paid", date(2024, 3, 1))
    assert advances[p_forem.pk].status == "due" and advances[p_forem.pk].due_date == date(2024, 3, 1)

    services.coaching_hours_record(acting_user=alice, convention=convention, partner=p_forem, day=date(2024, 3, 5),
                                   hours=D("60"))
    with pytest.raises(ValidationError) as error:
        services.convention_close(acting_user=alice, convention=convention, outcome="completed",
                                  end_date=date(2024, 6, 1))
    assert "60 of the 100" in error.value.message_dict["outcome"][0]
    services.coaching_hours_record(acting_user=alice, convention=convention, partner=p_jobin, day=date(2024, 4, 5),
                                   hours=D("20"))
    services.coaching_hours_record(acting_user=alice, convention=convention, partner=p_cpas, day=date(2024, 4, 6),
                                   hours=D("20"))
    convention = services.convention_close(acting_user=alice, convention=convention, outcome="completed",
                                           end_date=date(2024, 6, 1))
    assert (convention.status, convention.final_amount, convention.balance_amount) == (
        "completed", D("500.00"), D("250.00"))
    balance_forem = payment(convention, p_forem, PaymentKind.BALANCE)
    assert (balance_forem.amount, balance_forem.status, balance_forem.due_date) == (
        D("125.00"), "awaiting_claim", date(2024, 7, 31))
    assert payment(convention, p_cpas, PaymentKind.BALANCE).status == "paid"

    with pytest.raises(ValidationError) as error:
        services.partner_claim_register(acting_user=bob, partner=p_forem, received_date=date(2024, 6, 10),
                                        reference="F-1", amount_claimed=D("125.01"))
    assert "above the balance" in error.value.message_dict["amount_claimed"][0]
    services.partner_claim_register(acting_user=bob, partner=p_forem, received_date=date(2024, 6, 10),
                                    reference="F-1", amount_claimed=D("125.00"))
    with pytest.raises(ValidationError):
        services.partner_claim_register(acting_user=bob, partner=p_forem, received_date=date(2024, 6, 10),
                                        reference="F-2", amount_claimed=D("1.00"))
    balance_forem.refresh_from_db()
    assert (balance_forem.status, balance_forem.due_date, balance_forem.reference) == (
        "due", date(2024, 7, 10), "F-1")
    services.partner_claim_register(acting_user=bob, partner=p_jobin, received_date=date(2024, 6, 12),
                                    reference="J-7", amount_claimed=D("75.00"))
    for row in Payment.objects.filter(convention=convention, status=PaymentStatus.DUE):
        services.payment_mark_paid(acting_user=bob, payment=row, paid_date=date(2024, 7, 1))
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.SETTLED
    paid = Payment.objects.filter(convention=convention)
    assert sum(row.amount for row in paid) == convention.final_amount
    assert all(row.status == "paid" for row in paid)

    # History: who did what.
    statuses = [(record.status, record.history_user) for record in convention.history.order_by("history_id")]
    assert ("signed", alice) in statuses and ("completed", alice) in statuses and ("settled", bob) in statuses
    assert balance_forem.history.filter(status="paid").get().history_user == bob
    assert balance_forem.history.filter(status="due").get().history_user == bob
    events = [event["label"] for event in selectors.timeline(convention)]
    assert events[0] == "Created as a draft" or events[0].startswith("Cré")
    assert len(events) >= 9


def test_signing_twice_is_refused(alice, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)], sign=True)
    with pytest.raises(ValidationError) as error:
        services.convention_sign(acting_user=alice, convention=convention)
    assert "already signed" in error.value.message_dict["status"][0]
    assert convention.payments.count() == 1


def test_closing_a_draft_is_refused(alice, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)])
    with pytest.raises(ValidationError) as error:
        services.convention_close(acting_user=alice, convention=convention, outcome="stopped",
                                  end_date=date(2024, 4, 1))
    assert "sign it first" in error.value.message_dict["status"][0]


def test_shares_not_adding_up_are_refused(alice, beneficiary_a, forem, jobin):
    with pytest.raises(ValidationError) as error:
        make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem, "60"), partner(jobin, "30")])
    assert "90" in error.value.message_dict["partners"][0]
    assert not Convention.objects.exists()


def test_errors_are_reported_together(alice, beneficiary_a, forem):
    with pytest.raises(ValidationError) as error:
        make_convention(user=alice, beneficiary=beneficiary_a, planned_hours=40, partners=[partner(None, "100")],
                        in_private_employment_measure=True)
    assert set(error.value.message_dict) >= {"planned_hours", "partners", "in_private_employment_measure"}


def test_a_partner_of_another_cpas_is_refused(alice, beneficiary_a, cpas_b):
    with pytest.raises(ValidationError) as error:
        make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(coaching_partner(cpas_b))])
    assert "partners" in error.value.message_dict


def test_signing_needs_the_five_plan_elements(alice, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)],
                                 plan_work_attitudes=False)
    with pytest.raises(ValidationError) as error:
        services.convention_sign(acting_user=alice, convention=convention)
    assert "plan" in error.value.message_dict


def test_employed_early_on_a_50_hour_plan_under_the_2012_rules(alice, bob, cpas_a, forem, jobin):
    person = BeneficiaryFactory(cpas=cpas_a, right_start=date(2012, 1, 1))
    convention = make_convention(user=alice, beneficiary=person, planned_hours=50, conclusion_date=date(2012, 11, 4),
                                 partners=[partner(forem, "60"), partner(jobin, "40")], sign=True)
    assert [row.amount for row in convention.payments.order_by("partner_id")] == [D("75.00"), D("50.00")]
    convention = services.convention_close(acting_user=alice, convention=convention, outcome="employed_early",
                                           end_date=date(2013, 1, 15))
    assert (convention.final_amount, convention.balance_amount) == (D("500.00"), D("375.00"))
    balances = convention.payments.filter(kind=PaymentKind.BALANCE).order_by("partner_id")
    assert [row.amount for row in balances] == [D("225.00"), D("150.00")]


def test_a_stopped_convention_has_no_balance_and_settles_when_the_advances_are_paid(alice, bob, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)], sign=True)
    convention = services.convention_close(acting_user=alice, convention=convention, outcome="stopped",
                                           end_date=date(2024, 4, 1), note="Moved away")
    assert (convention.final_amount, convention.balance_amount, convention.status) == (
        D("250.00"), D("0.00"), "stopped")
    assert not convention.payments.filter(kind=PaymentKind.BALANCE).exists()
    services.payment_mark_paid(acting_user=bob, payment=convention.payments.get(), paid_date=date(2024, 3, 5))
    convention.refresh_from_db()
    assert convention.status == "settled"


def test_hours_only_on_a_signed_convention_and_after_its_conclusion(alice, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)])
    row = convention.partners.get()
    with pytest.raises(ValidationError):
        services.coaching_hours_record(acting_user=alice, convention=convention, partner=row, day=date(2024, 3, 2),
                                       hours=D("2"))
    services.convention_sign(acting_user=alice, convention=convention)
    with pytest.raises(ValidationError) as error:
        services.coaching_hours_record(acting_user=alice, convention=convention, partner=row, day=date(2024, 2, 28),
                                       hours=D("2"))
    assert "day" in error.value.message_dict


def test_a_payment_is_paid_once(alice, bob, beneficiary_a, forem):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)], sign=True)
    advance = convention.payments.get()
    services.payment_mark_paid(acting_user=bob, payment=advance, paid_date=date(2024, 3, 2))
    with pytest.raises(ValidationError) as error:
        services.payment_mark_paid(acting_user=bob, payment=advance, paid_date=date(2024, 3, 3))
    assert "already paid" in error.value.message_dict["paid_date"][0]


def test_reimbursable_payments_in_a_period(alice, bob, cpas_a, cpas_b, beneficiary_a, forem, jobin,
                                           django_assert_num_queries):
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(forem, "40"), partner(jobin, "40"), partner(None, "20")], sign=True)
    forem_advance = convention.payments.get(partner__organisation=forem)
    services.payment_mark_paid(acting_user=bob, payment=forem_advance, paid_date=date(2024, 3, 20))
    rows = selectors.reimbursable_payments(cpas=cpas_a, start=date(2024, 3, 1), end=date(2024, 3, 31))
    # One query: the payments with their convention, CPAS, beneficiary, partner and organisation.
    with django_assert_num_queries(1):
        found = [(row.kind, row.amount, row.partner.is_cpas, row.organisation and row.organisation.name,
                  row.beneficiary.pk, row.cpas.pk, row.due_date, row.paid_date, row.status) for row in rows]
    assert found == [
        ("advance", D("50.00"), True, None, beneficiary_a.pk, cpas_a.pk, date(2024, 3, 1), date(2024, 3, 1), "paid"),
        ("advance", D("100.00"), False, "Forem", beneficiary_a.pk, cpas_a.pk, date(2024, 3, 1), date(2024, 3, 20),
         "paid"),
    ]
    assert not selectors.reimbursable_payments(cpas=cpas_a, start=date(2024, 3, 21), end=date(2024, 12, 31))
    assert not selectors.reimbursable_payments(cpas=cpas_b, start=date(2024, 1, 1), end=date(2024, 12, 31))


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signatures_create_one_set_of_advances(alice, beneficiary_a, forem, jobin):
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(forem, "60"), partner(jobin, "40")])
    barrier = threading.Barrier(2)
    outcomes = []

    def sign():
        try:
            barrier.wait()
            with translation.override("en"):
                services.convention_sign(acting_user=alice, convention=convention)
            outcomes.append("signed")
        except ValidationError as error:
            outcomes.append(error.message_dict["status"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This convention is already signed.", "signed"]
    assert Payment.objects.filter(convention=convention).count() == 2
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [D("100.00"), D("150.00")]
    assert Convention.objects.get().history.filter(status="signed").count() == 1


def test_a_smaller_claim_lowers_balance_and_final_amount_alike(alice, bob, beneficiary_a, forem, jobin):
    convention = make_convention(user=alice, beneficiary=beneficiary_a, planned_hours=100,
                                 partners=[partner(forem, "60"), partner(jobin, "40")])
    convention = services.convention_sign(acting_user=alice, convention=convention)
    p_forem, p_jobin = convention.partners.order_by("id")
    services.coaching_hours_record(acting_user=alice, convention=convention, partner=p_forem, day=date(2024, 3, 5),
                                   hours=D("100"))
    services.convention_close(acting_user=alice, convention=convention, outcome="completed", end_date=date(2024, 6, 1))
    services.partner_claim_register(acting_user=bob, partner=p_forem, received_date=date(2024, 6, 10),
                                    reference="F-1", amount_claimed=D("100.00"))  # 150.00 was due
    convention.refresh_from_db()
    assert (convention.advance_amount, convention.balance_amount, convention.final_amount) == (
        D("250.00"), D("200.00"), D("450.00"))
    paid_and_due = sum(convention.payments.values_list("amount", flat=True))
    assert convention.advance_amount + convention.balance_amount == convention.final_amount == paid_and_due
    assert convention.history.first().history_user == bob
