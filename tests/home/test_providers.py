"""The due providers: what they leave out, and the registry's audiences."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from cpas_portal import due
from measures.due import art61_windows_closing, part_time_credits_running_out, placements_ending
from measures.models import Art61Premium, FirmEmployment, Placement

from .world import person_with_items, today

pytestmark = pytest.mark.django_db


def window(on):
    return {"on": on, "until": on + timedelta(days=30)}


def test_an_art61_window_with_every_premium_granted_is_not_due(cpas_a, alice):
    on = today()
    person = person_with_items(cpas_a, alice)
    employment = FirmEmployment.objects.get(beneficiary=person)
    assert [item.key for item in art61_windows_closing(cpas=cpas_a, **window(on))] == [
        f"measures.art61_window:E{employment.pk}"]
    start = employment.start
    Art61Premium.objects.bulk_create([
        Art61Premium(cpas=cpas_a, firm_employment=employment, beneficiary=person,
                     month=(start.replace(day=1) + timedelta(days=31 * number)).replace(day=1),
                     granted_amount=Decimal("250.00"), grant_number=number + 1, legal_basis="test")
        for number in range(12)])
    assert list(art61_windows_closing(cpas=cpas_a, **window(on))) == []


def test_a_placement_past_its_end_is_overdue_until_ended(cpas_a, alice):
    on = today()
    person = person_with_items(cpas_a, alice)
    placement = Placement.objects.filter(beneficiary=person, counts_as_full_time=True).get()
    Placement.objects.filter(pk=placement.pk).update(planned_end=on - timedelta(days=3))
    with translation.override("en"):
        items = placements_ending(cpas=cpas_a, **window(on))
        [item] = [item for item in items if item.key.endswith(f":{placement.pk}")]
    assert item.is_overdue(on) and "record its end" in item.reason
    Placement.objects.filter(pk=placement.pk).update(status="ended", actual_end=on - timedelta(days=3))
    assert not [item for item in placements_ending(cpas=cpas_a, **window(on)) if item.key.endswith(f":{placement.pk}")]


def test_a_credit_of_a_contract_already_over_is_not_due(cpas_a, alice):
    on = today()
    person = person_with_items(cpas_a, alice)
    assert len(list(part_time_credits_running_out(cpas=cpas_a, **window(on)))) == 1
    Placement.objects.filter(beneficiary=person, counts_as_full_time=False).update(actual_end=on - timedelta(days=1))
    assert list(part_time_credits_running_out(cpas=cpas_a, **window(on))) == []


def test_other_referents_items_are_left_out(cpas_a, alice, charlie):
    on = today()
    person_with_items(cpas_a, alice)
    everything = due.due_items(cpas=cpas_a, referent_ids=[alice.pk], audiences={due.CASEWORKER}, **window(on))
    assert {item.referent_id for item in everything} == {alice.pk}
    assert due.due_items(cpas=cpas_a, referent_ids=[charlie.pk], audiences={due.CASEWORKER}, **window(on)) == []


def test_a_provider_for_other_roles_is_not_run(cpas_a, monkeypatch):
    calls = []

    def finance_only(**kwargs):
        calls.append(kwargs)
        return []

    monkeypatch.setattr(due, "_providers", {"test.finance": finance_only})
    monkeypatch.setattr(due, "_audiences", {"test.finance": frozenset({due.FINANCE})})
    due.due_items(cpas=cpas_a, audiences={due.CASEWORKER}, **window(today()))
    assert calls == []
    due.due_items(cpas=cpas_a, audiences={due.FINANCE}, **window(today()))
    assert len(calls) == 1
