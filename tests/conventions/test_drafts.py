"""A draft convention is edited (same checks as creation, stale saves refused) or cancelled (record kept,
history with who, when and why); the sign button lists what is missing before anyone clicks."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions import services
from conventions.models import Convention, ConventionPartner
from cpas_portal.concurrency import StaleVersion

from .factories import make_convention, partner
from .test_pages import create_data

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def draft(alice, beneficiary_a, forem, jobin):
    """A draft missing two plan elements (work attitudes, prospection)."""
    return make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem, "60"), partner(jobin, "40")],
                           plan_work_attitudes=False, plan_prospection=False)


# Services --------------------------------------------------------------------------------------------------------

def test_editing_a_draft_completes_its_plan_and_replaces_its_partners(alice, draft, forem):
    version = draft.version
    saved = services.convention_update(acting_user=alice, convention=draft, version=version, planned_hours=60,
                                       plan_work_attitudes=True, plan_prospection=True,
                                       partners=[partner(forem, "70"), partner(None, "30")])
    assert (saved.planned_hours, saved.plan_work_attitudes, saved.plan_prospection) == (60, True, True)
    assert saved.version == version + 1
    assert sorted((row.is_cpas, row.share) for row in saved.partners.all()) == [(False, D("70")), (True, D("30"))]
    # The removed partner stays in the history, with who removed it.
    removed = ConventionPartner.history.filter(convention_id=draft.pk, history_type="-")
    assert removed.count() == 2 and {record.history_user for record in removed} == {alice}
    signed = services.convention_sign(acting_user=alice, convention=saved)
    assert (signed.agreed_amount, signed.form_b_tier) == (D("250.00"), 1)


def test_an_edit_passes_the_same_checks_as_creation(alice, draft, forem, jobin):
    with pytest.raises(ValidationError) as error:
        services.convention_update(acting_user=alice, convention=draft, planned_hours=30,
                                   partners=[partner(forem, "60"), partner(jobin, "30")])
    assert set(error.value.message_dict) == {"planned_hours", "partners"}
    draft.refresh_from_db()
    assert draft.planned_hours == 100 and draft.partners.count() == 2


def test_a_stale_edit_is_refused(alice, draft):
    loaded = draft.version
    services.convention_update(acting_user=alice, convention=draft, version=loaded, planned_hours=120)
    with pytest.raises(StaleVersion) as error:
        services.convention_update(acting_user=alice, convention=draft, version=loaded, planned_hours=80)
    assert [name for name, *_ in error.value.changes] == ["planned_hours"]
    draft.refresh_from_db()
    assert draft.planned_hours == 120


def test_a_signed_convention_cannot_be_edited_nor_cancelled(alice, draft):
    services.convention_update(acting_user=alice, convention=draft, plan_work_attitudes=True, plan_prospection=True)
    services.convention_sign(acting_user=alice, convention=draft)
    with pytest.raises(ValidationError):
        services.convention_update(acting_user=alice, convention=draft, planned_hours=50)
    with pytest.raises(ValidationError) as error:
        services.convention_cancel(acting_user=alice, convention=draft, reason="no longer needed")
    assert "status" in error.value.message_dict


def test_cancelling_keeps_the_record_with_who_when_and_why(alice, draft):
    with pytest.raises(ValidationError) as error:
        services.convention_cancel(acting_user=alice, convention=draft, reason="  ")
    assert "reason" in error.value.message_dict
    cancelled = services.convention_cancel(acting_user=alice, convention=draft, reason="The person moved away")
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert Convention.objects.filter(pk=draft.pk).exists()
    last = cancelled.history.order_by("-history_date", "-history_id").first()
    assert (last.status, last.history_user, last.history_change_reason) == ("cancelled", alice,
                                                                            "The person moved away")
    for write in (lambda: services.convention_sign(acting_user=alice, convention=draft),
                  lambda: services.convention_update(acting_user=alice, convention=draft, planned_hours=60),
                  lambda: services.convention_cancel(acting_user=alice, convention=draft, reason="again")):
        with pytest.raises(ValidationError):
            write()


def test_signing_with_missing_elements_is_refused_on_the_plan_field_naming_them(alice, draft):
    with pytest.raises(ValidationError) as error:
        services.convention_sign(acting_user=alice, convention=draft)
    message = error.value.message_dict["plan"][0]
    assert "AR du 23/09/2004" in message
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.payments.exists()


# Pages -----------------------------------------------------------------------------------------------------------

def test_the_sign_button_is_disabled_and_lists_the_missing_elements(client_for, alice, draft):
    page = client_for(alice).get(reverse("convention_detail", args=[draft.pk])).content.decode()
    assert 'id="sign-button" disabled' in page
    assert 'data-missing="plan_work_attitudes"' in page and 'data-missing="plan_prospection"' in page
    assert 'data-missing="plan_assessment"' not in page
    assert "AR du 23/09/2004" in page
    assert "data-confirm=" in page.split('id="sign-form"')[1].split(">")[0]


def test_a_complete_draft_has_an_enabled_sign_button_behind_a_confirmation(client_for, alice, draft):
    services.convention_update(acting_user=alice, convention=draft, plan_work_attitudes=True, plan_prospection=True)
    page = client_for(alice).get(reverse("convention_detail", args=[draft.pk])).content.decode()
    assert 'id="sign-button">' in page and 'id="sign-blockers"' not in page


def edit_data(convention, **overrides):
    data = {key: value for key, value in create_data(convention.beneficiary, *[
        row.organisation for row in convention.partners.order_by("id")]).items()}
    data.update({"version": str(convention.version), "plan_work_attitudes": "on", "plan_prospection": "on",
                 "partners-0-share": "60", "partners-1-share": "40", **overrides})
    return data


def test_the_edit_page_saves_a_draft_and_refuses_a_stale_save(client_for, alice, draft):
    client = client_for(alice)
    url = reverse("convention_edit", args=[draft.pk])
    form = client.get(url).content.decode()
    assert f'name="version" value="{draft.version}"' in form and 'value="60' in form
    stale = edit_data(draft)
    assert client.post(url, edit_data(draft, planned_hours="80")).status_code == 302
    draft.refresh_from_db()
    assert (draft.planned_hours, draft.plan_prospection) == (80, True)
    refused = client.post(url, {**stale, "planned_hours": "120"})
    assert refused.status_code == 409
    assert "120" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.planned_hours == 80


def test_the_edit_page_shows_the_services_errors(client_for, alice, draft):
    response = client_for(alice).post(reverse("convention_edit", args=[draft.pk]),
                                      edit_data(draft, **{"partners-1-share": "30", "planned_hours": "20"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "90" in body and "50" in body
    draft.refresh_from_db()
    assert draft.planned_hours == 100


def test_a_signed_convention_has_no_edit_page(client_for, alice, draft):
    services.convention_update(acting_user=alice, convention=draft, plan_work_attitudes=True, plan_prospection=True)
    services.convention_sign(acting_user=alice, convention=draft)
    client = client_for(alice)
    assert client.get(reverse("convention_edit", args=[draft.pk])).status_code == 302
    assert client.post(reverse("convention_edit", args=[draft.pk]), edit_data(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "signed"


def test_cancel_from_the_page_asks_a_reason(client_for, alice, draft):
    client = client_for(alice)
    url = reverse("convention_cancel", args=[draft.pk])
    assert client.post(url, {"cancel-reason": "", "cancel-version": draft.version}).status_code == 400
    assert client.post(url, {"cancel-reason": "Duplicate of another draft",
                             "cancel-version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.cancel_reason) == ("cancelled", "Duplicate of another draft")
    page = client.get(reverse("convention_detail", args=[draft.pk])).content.decode()
    assert "Duplicate of another draft" in page and 'id="sign-button"' not in page and 'id="cancel-form"' not in page


def test_the_auditor_sees_no_edit_nor_cancel_and_gets_403(client_for, auditor_a, draft):
    client = client_for(auditor_a)
    page = client.get(reverse("convention_detail", args=[draft.pk])).content.decode()
    assert 'id="edit-button"' not in page and 'id="cancel-form"' not in page
    assert client.get(reverse("convention_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("convention_cancel", args=[draft.pk]), {"cancel-reason": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


# API -------------------------------------------------------------------------------------------------------------

def test_the_api_edits_a_draft_with_etag_and_if_match(api_client_for, alice, draft, forem):
    api = api_client_for(alice)
    read = api.get(f"/api/v1/conventions/{draft.pk}/")
    body = read.json()
    assert [item["field"] for item in body["missing_for_signing"]] == ["plan_work_attitudes", "plan_prospection"]
    etag = read["ETag"]
    patched = api.patch(f"/api/v1/conventions/{draft.pk}/", {"plan_work_attitudes": True, "plan_prospection": True},
                        format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 200, patched.json()
    assert patched.json()["missing_for_signing"] == []
    again = api.patch(f"/api/v1/conventions/{draft.pk}/", {"planned_hours": 60}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412
    replaced = api.patch(f"/api/v1/conventions/{draft.pk}/", {"partners": [
        {"organisation": forem.pk, "share": "50"}, {"is_cpas": True, "share": "50"}]}, format="json")
    assert replaced.status_code == 200
    assert sorted(row["share"] for row in replaced.json()["partners"]) == ["50.00", "50.00"]
    bad = api.patch(f"/api/v1/conventions/{draft.pk}/", {"planned_hours": 10}, format="json")
    assert bad.status_code == 400 and "planned_hours" in bad.json()
    stale = api.patch(f"/api/v1/conventions/{draft.pk}/", {"planned_hours": 60, "version": 1}, format="json")
    assert stale.status_code == 409 and "version" in stale.json()


def test_the_api_refuses_signing_an_incomplete_draft_with_a_field_message(api_client_for, alice, draft):
    response = api_client_for(alice).post(f"/api/v1/conventions/{draft.pk}/sign/", {}, format="json")
    assert response.status_code == 400 and "plan" in response.json()


def test_the_api_cancels_a_draft_with_a_reason(api_client_for, alice, draft):
    api = api_client_for(alice)
    assert api.post(f"/api/v1/conventions/{draft.pk}/cancel/", {}, format="json").status_code == 400
    response = api.post(f"/api/v1/conventions/{draft.pk}/cancel/", {"reason": "Person moved"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "Person moved")
    assert api.post(f"/api/v1/conventions/{draft.pk}/cancel/", {"reason": "again"},
                    format="json").status_code == 400
    assert api.patch(f"/api/v1/conventions/{draft.pk}/", {"planned_hours": 60}, format="json").status_code == 400


def test_cancelled_conventions_are_listed_and_filtered(client_for, alice, draft, beneficiary_a, forem):
    services.convention_cancel(acting_user=alice, convention=draft, reason="Duplicate")
    other = make_convention(user=alice, beneficiary=beneficiary_a, partners=[partner(forem)],
                            conclusion_date=date(2024, 4, 1))
    body = client_for(alice).get(reverse("convention_list"), {"status": "cancelled"}).content.decode()
    assert f'data-convention="{draft.pk}"' in body and f'data-convention="{other.pk}"' not in body
    assert "badge--danger" in body
