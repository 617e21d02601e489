"""Coaching hours: no future date, never more than the plan fixes; a wrong entry is corrected or cancelled
(history with who, when and why) and the progress and tier follow; closed conventions keep their amounts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from conventions import parameters, rules, services
from conventions.models import CoachingHours
from conventions.selectors import hours_done
from tests.factories import member

from .factories import make_convention, partner

pytestmark = pytest.mark.django_db
D = Decimal
CONCLUDED = date(2024, 3, 1)
TODAY = date(2024, 6, 10)


@pytest.mark.parametrize(("day", "hours", "other", "error_field"), [
    (TODAY, D("2"), D("0"), None),
    (TODAY + timedelta(days=1), D("2"), D("0"), "day"),       # the day after today: not given yet
    (CONCLUDED, D("2"), D("0"), None),
    (CONCLUDED - timedelta(days=1), D("2"), D("0"), "day"),   # the day before the conclusion
    (TODAY, D("0"), D("0"), "hours"),
    (TODAY, D("100"), D("0"), None),                          # a partner's report of the whole plan at once
    (TODAY, D("10"), D("90"), None),                          # exactly the 100 planned hours
    (TODAY, D("10.01"), D("90"), "hours"),                    # one hundredth above the plan
])
def test_an_hours_entry(day, hours, other, error_field):
    check = lambda: rules.check_hours_entry(day=day, hours=hours, conclusion_date=CONCLUDED, today=TODAY,  # noqa: E731
                                            planned_hours=100, other_hours=other)
    if error_field is None:
        check()
        return
    with pytest.raises(ValidationError) as error:
        check()
    assert list(error.value.message_dict) == [error_field]


def test_the_plan_cap_message_says_how_many_are_left_and_cites_the_rule():
    with pytest.raises(ValidationError) as error:
        rules.check_hours_entry(day=TODAY, hours=D("12"), conclusion_date=CONCLUDED, today=TODAY, planned_hours=100,
                                other_hours=D("92.5"))
    message = error.value.message_dict["hours"][0]
    assert "104.5" in message and "7.5" in message and parameters.PLANNED_HOURS_SOURCE in message


@pytest.mark.parametrize(("done", "tier", "amount", "next_hours"), [
    (D("0"), 0, None, 50), (D("49.99"), 0, None, 50), (D("50"), 1, D("250.00"), 100),
    (D("99.99"), 1, D("250.00"), 100), (D("100"), 2, D("500.00"), None),
])
def test_the_tier_the_recorded_hours_reach(done, tier, amount, next_hours):
    assert rules.tier_reached(done, on=date(2024, 3, 1)) == {"tier": tier, "amount": amount,
                                                              "next_hours": next_hours}


@pytest.fixture
def signed(alice, beneficiary_a, forem, jobin):
    return make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem, "60"), partner(jobin, "40")],
                           sign=True)


def record(user, convention, hours, day=date(2024, 3, 5), row=0):
    return services.coaching_hours_record(acting_user=user, convention=convention,
                                          partner=convention.partners.order_by("id")[row], day=day, hours=D(hours))


def test_recording_refuses_a_future_date_and_more_than_the_plan(alice, signed):
    with pytest.raises(ValidationError) as error:
        record(alice, signed, "2", day=timezone.localdate() + timedelta(days=1))
    assert "day" in error.value.message_dict
    for day in range(5):
        record(alice, signed, "20", day=date(2024, 3, 4 + day))
    with pytest.raises(ValidationError) as error:
        record(alice, signed, "0.5")
    assert "hours" in error.value.message_dict
    assert hours_done(signed) == D("100")


def test_a_correction_is_recorded_with_who_when_and_why_and_the_progress_follows(alice, signed, forem, jobin):
    entry = record(alice, signed, "10")
    corrected = services.coaching_hours_correct(acting_user=alice, entry=entry, hours=D("1"),
                                                partner=signed.partners.get(organisation=jobin),
                                                reason="Typed 10 instead of 1")
    assert (corrected.status, corrected.hours, corrected.partner.organisation) == ("corrected", D("1"), jobin)
    assert hours_done(signed) == D("1")
    last = corrected.history.order_by("-history_date", "-history_id").first()
    previous = last.prev_record
    assert (last.history_user, last.history_change_reason, previous.hours) == (alice, "Typed 10 instead of 1", D("10"))
    with pytest.raises(ValidationError) as error:
        services.coaching_hours_correct(acting_user=alice, entry=entry, hours=D("2"), reason="")
    assert "reason" in error.value.message_dict


def test_a_correction_keeps_to_the_plan_and_to_past_dates(alice, signed):
    first = record(alice, signed, "20")
    record(alice, signed, "80", day=date(2024, 3, 6))
    with pytest.raises(ValidationError) as error:
        services.coaching_hours_correct(acting_user=alice, entry=first, hours=D("20.5"), reason="more")
    assert "hours" in error.value.message_dict
    # The entry's own hours do not count twice: the same total is accepted.
    services.coaching_hours_correct(acting_user=alice, entry=first, hours=D("20"), day=date(2024, 3, 7),
                                    reason="wrong day")
    with pytest.raises(ValidationError) as error:
        services.coaching_hours_correct(acting_user=alice, entry=first, day=timezone.localdate() + timedelta(days=2),
                                        reason="typo")
    assert "day" in error.value.message_dict


def test_a_cancelled_entry_counts_for_nothing_and_frees_room_in_the_plan(alice, signed):
    wrong = record(alice, signed, "60")
    record(alice, signed, "40", day=date(2024, 3, 6))
    services.coaching_hours_cancel(acting_user=alice, entry=wrong, reason="Recorded on the wrong convention")
    assert hours_done(signed) == D("40")
    assert CoachingHours.objects.filter(pk=wrong.pk, status="cancelled").exists()
    record(alice, signed, "60", day=date(2024, 3, 7))
    assert hours_done(signed) == D("100")
    for write in (lambda: services.coaching_hours_cancel(acting_user=alice, entry=wrong, reason="again"),
                  lambda: services.coaching_hours_correct(acting_user=alice, entry=wrong, hours=D("1"), reason="x")):
        with pytest.raises(ValidationError):
            write()


def test_a_correction_after_closing_keeps_the_amounts_and_their_split(alice, signed):
    entry = record(alice, signed, "30")
    closed = services.convention_close(acting_user=alice, convention=signed, outcome="employed_early",
                                       end_date=date(2024, 4, 1))
    before = sorted((row.partner_id, row.kind, row.amount) for row in closed.payments.all())
    services.coaching_hours_correct(acting_user=alice, entry=entry, hours=D("3"), reason="Typed 30 instead of 3")
    closed.refresh_from_db()
    assert hours_done(closed) == D("3")
    assert sorted((row.partner_id, row.kind, row.amount) for row in closed.payments.all()) == before
    assert closed.advance_amount + closed.balance_amount == closed.final_amount == D("500.00")
    balances = closed.payments.filter(kind="balance")
    assert sum(row.amount for row in balances) == closed.balance_amount


def test_a_plan_closed_as_completed_keeps_all_its_hours(alice, signed):
    entries = [record(alice, signed, "50"), record(alice, signed, "50", day=date(2024, 3, 6))]
    services.convention_close(acting_user=alice, convention=signed, outcome="completed", end_date=date(2024, 4, 1))
    with pytest.raises(ValidationError) as error:
        services.coaching_hours_cancel(acting_user=alice, entry=entries[0], reason="duplicate")
    assert "50" in error.value.message_dict["hours"][0]
    # Moving the hours to the right day keeps the plan completed.
    services.coaching_hours_correct(acting_user=alice, entry=entries[0], day=date(2024, 3, 8), reason="wrong day")


def test_once_a_partner_claimed_its_balance_the_hours_no_longer_change(alice, bob, signed, forem):
    entry = record(alice, signed, "30")
    closed = services.convention_close(acting_user=alice, convention=signed, outcome="employed_early",
                                       end_date=date(2024, 4, 1))
    services.partner_claim_register(acting_user=bob, partner=closed.partners.get(organisation=forem),
                                    received_date=date(2024, 4, 5), reference="F-1", amount_claimed=D("150.00"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.coaching_hours_correct(acting_user=alice, entry=entry, hours=D("3"), reason="typo")
    assert "(circular of 31/01/2013 §3)" in error.value.message_dict["hours"][0]
    with pytest.raises(ValidationError):
        services.coaching_hours_cancel(acting_user=alice, entry=entry, reason="typo")
    entry.refresh_from_db()
    assert (entry.hours, entry.status) == (D("30"), "recorded")


# Pages -----------------------------------------------------------------------------------------------------------

def test_the_entry_page_corrects_and_cancels(client_for, alice, signed):
    entry = record(alice, signed, "10")
    client = client_for(alice)
    detail = client.get(reverse("convention_detail", args=[signed.pk])).content.decode()
    assert reverse("convention_hours_entry", args=[signed.pk, entry.pk]) in detail
    assert 'id="tier-reached"' in detail
    url = reverse("convention_hours_entry", args=[signed.pk, entry.pk])
    assert client.get(url).status_code == 200
    data = {"correct-partner": entry.partner_id, "correct-day": "2024-03-05", "correct-hours": "4",
            "correct-note": "", "correct-reason": "Typed 10 instead of 4"}
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert client.post(url, {**data, "correct-day": future}).status_code == 400
    assert client.post(url, {**data, "correct-reason": ""}).status_code == 400
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.hours, entry.status) == (D("4"), "corrected")
    page = client.get(url).content.decode()
    assert "Typed 10 instead of 4" in page and "alice" in page.lower()
    cancel = reverse("convention_hours_entry_cancel", args=[signed.pk, entry.pk])
    assert 'data-confirm="' in page.split('id="cancel-hours-form"')[1].split(">")[0]
    assert client.post(cancel, {"cancel-reason": "Not given after all"}).status_code == 302
    assert hours_done(signed) == 0
    timeline = client.get(reverse("convention_detail", args=[signed.pk])).content.decode()
    assert "Not given after all" in timeline


def test_the_entry_pages_are_403_for_the_auditor_and_404_for_another_cpas(client_for, alice, auditor_a, charlie,
                                                                           signed, cpas_b):
    entry = record(alice, signed, "10")
    url = reverse("convention_hours_entry", args=[signed.pk, entry.pk])
    cancel = reverse("convention_hours_entry_cancel", args=[signed.pk, entry.pk])
    reader = client_for(auditor_a)
    assert reader.get(url).status_code == 200
    assert 'id="correct-form"' not in reader.get(url).content.decode()
    assert reader.post(url, {"correct-reason": "x"}).status_code == 403
    assert reader.post(cancel, {"cancel-reason": "x"}).status_code == 403
    outsider = client_for(charlie)
    for address in (url, cancel):
        assert outsider.post(address, {"cancel-reason": "x", "correct-reason": "x"}).status_code == 404
    assert outsider.get(url).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "recorded"


# API -------------------------------------------------------------------------------------------------------------

def test_the_api_corrects_and_cancels_hours(api_client_for, alice, signed):
    entry = record(alice, signed, "10")
    api = api_client_for(alice)
    base = f"/api/v1/conventions/{signed.pk}/hours/{entry.pk}"
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert api.post(f"{base}/correct/", {"day": future, "reason": "x"}, format="json").status_code == 400
    assert api.post(f"{base}/correct/", {"hours": "4"}, format="json").json().keys() == {"reason"}
    corrected = api.post(f"{base}/correct/", {"hours": "4", "reason": "typo"}, format="json")
    assert corrected.status_code == 200
    assert (corrected.json()["hours"], corrected.json()["status"], corrected.json()["reason"]) == (
        "4.00", "corrected", "typo")
    assert api.get(f"/api/v1/conventions/{signed.pk}/").json()["hours_done"] == "4.00"
    cancelled = api.post(f"{base}/cancel/", {"reason": "not given"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.get(f"/api/v1/conventions/{signed.pk}/").json()["hours_done"] == "0.00"
    too_many = api.post(f"/api/v1/conventions/{signed.pk}/hours/", {
        "partner": entry.partner_id, "day": "2024-03-06", "hours": "100.5"}, format="json")
    assert too_many.status_code == 400 and "hours" in too_many.json()


def test_the_api_hours_actions_are_403_for_the_auditor_and_404_elsewhere(api_client_for, alice, auditor_a, charlie,
                                                                         signed, beneficiary_a, forem):
    entry = record(alice, signed, "10")
    other = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)], sign=True)
    for action in ("correct", "cancel"):
        body = {"hours": "2", "reason": "x"}
        url = f"/api/v1/conventions/{signed.pk}/hours/{entry.pk}/{action}/"
        assert api_client_for(auditor_a).post(url, body, format="json").status_code == 403
        assert api_client_for(charlie).post(url, body, format="json").status_code == 404
        # An entry reached through another convention of the same CPAS is not found either.
        assert api_client_for(alice).post(f"/api/v1/conventions/{other.pk}/hours/{entry.pk}/{action}/", body,
                                          format="json").status_code == 404
    entry.refresh_from_db()
    assert (entry.status, entry.hours) == ("recorded", D("10"))


def test_the_api_draft_actions_are_403_for_the_auditor_and_404_for_another_cpas(api_client_for, alice, auditor_a,
                                                                                charlie, cpas_b, beneficiary_a,
                                                                                forem):
    draft = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)])
    finance_b = member(cpas_b, "manager", username="manon-b")
    calls = [("patch", f"/api/v1/conventions/{draft.pk}/", {"planned_hours": 60}),
             ("put", f"/api/v1/conventions/{draft.pk}/", {"planned_hours": 60}),
             ("post", f"/api/v1/conventions/{draft.pk}/cancel/", {"reason": "x"}),
             ("post", f"/api/v1/conventions/{draft.pk}/sign/", {})]
    for method, url, body in calls:
        assert getattr(api_client_for(auditor_a), method)(url, body, format="json").status_code == 403, url
        for outsider in (charlie, finance_b):
            assert getattr(api_client_for(outsider), method)(url, body, format="json").status_code == 404, url
    draft.refresh_from_db()
    assert (draft.status, draft.planned_hours, draft.version) == ("draft", 100, 1)
