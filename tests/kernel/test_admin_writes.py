"""The admin writes nothing its services own: every admin path of a service-written model is refused,
to a view-only staff member, a staff member holding every permission and a superuser alike; the history
pages of the other models revert only with the change permission."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from conventions.models import CoachingHours, Convention, ConventionPartner, PartnerClaim, Payment, PaymentStatus
from cpas_portal.models import Beneficiary, Cpas, Role
from cpas_portal.tenancy import HistoryAdmin, ServiceWrittenAdmin
from measures.activation.models import ActivationReport, ActivationYear
from measures.interventions.models import Hire, InterventionPayment
from measures.models import Art61Premium, MonthlySubsidy, Placement, SocialEconomyBudget
from measures.piis.models import Evaluation, Piis
from reimbursements.models import (
    Claim,
    ClaimBatch,
    ClaimLine,
    ClaimSignature,
    GenerationJob,
    StatementImport,
    StatementRecord,
)
from tests.factories import UserFactory, member

SERVICE_WRITTEN = [
    Convention, ConventionPartner, CoachingHours, Payment, PartnerClaim,
    Placement, MonthlySubsidy, SocialEconomyBudget, Art61Premium, Piis, Evaluation, Hire, InterventionPayment,
    Claim, ClaimLine, ClaimSignature, GenerationJob, StatementImport, StatementRecord,
    ActivationYear, ActivationReport,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data of Namur and Gent, made once through the services for this module, rolled back after."""
    from cpas_portal.demo import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(beneficiaries_per_cpas=25)
            namur = Cpas.objects.get(nis_code="92094")
            claim = Claim.objects.filter(cpas=namur).first()
            signer = UserFactory(username="demo-signer")
            ClaimSignature.objects.create(claim=claim, capacity="secretary", signer=signer, signer_name="Signer",
                                          signed_at=timezone.now())
            statement = StatementImport.objects.create(
                cpas=namur, file_name="statement.txt", sha256="0" * 64, year_month="2026-03", record_count=1,
                total=Decimal("100.00"), imported_by=signer, imported_at=timezone.now())
            StatementRecord.objects.create(
                statement=statement, cpas=namur, row=1, legislation="60", nis_code=namur.nis_code,
                year_month="2026-03", niss="85073003328", amount_type=1, first_day=date(2026, 3, 1),
                last_day=date(2026, 3, 31), amount=Decimal("100.00"), state="unmatched")
            ActivationReport.objects.create(activation=ActivationYear.objects.get(cpas=namur), cpas=namur,
                                            status="done", percent=100)
            _financial_intervention(namur, signer)
            yield namur
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _financial_intervention(cpas, user):
    """The demo seeds no intervention amount (the seeds give none): a test row, a hire and its first month."""
    from tests.interventions.factories import hire, pay, rate, right

    person = Beneficiary.objects.filter(cpas=cpas).order_by("pk").last()
    rate("activa")
    right(person)
    pay(user, hire(user, person, start=date(2026, 1, 1), end=date(2026, 6, 30)), date(2026, 1, 1))


def staff(cpas, username, codename_prefix=""):
    user = member(cpas, Role.MANAGER, username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith=codename_prefix))
    return user


@pytest.fixture(params=["view-only", "every-permission", "superuser"])
def admin_user(request, demo, db):
    if request.param == "view-only":
        return staff(demo, "viewer", "view_")
    if request.param == "every-permission":
        return staff(demo, "full-staff")
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def snapshot(obj):
    obj = type(obj)._default_manager.get(pk=obj.pk)
    return model_to_dict(obj, fields=[field.name for field in obj._meta.concrete_fields])


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def history_count(model):
    return model.history.count() if hasattr(model, "history") else None


def forged(obj):
    """A POST that sets every editable field to another value (where one is easy to make)."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, Decimal):
            data[field.name] = "9999999.00"
        elif isinstance(value, bool):
            data[field.name] = "" if value else "on"
        elif isinstance(value, int) and not field.primary_key and not field.is_relation:
            data[field.name] = str(value + 1)
        elif isinstance(value, str) and field.choices:
            others = [choice for choice, _ in field.choices if choice != value]
            data[field.name] = others[0] if others else value
        elif isinstance(value, str):
            data[field.name] = value + "x"
    return data


def test_every_service_written_model_has_a_read_only_admin():
    for model in SERVICE_WRITTEN:
        assert isinstance(admin.site._registry[model], ServiceWrittenAdmin), model.__name__


def test_every_history_admin_guards_its_revert():
    from simple_history.admin import SimpleHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, HistoryAdmin), model.__name__


@pytest.mark.parametrize("model", SERVICE_WRITTEN, ids=lambda model: model.__name__)
def test_no_admin_path_writes_a_service_written_model(client, admin_user, demo, model):
    model_admin = admin.site._registry[model]
    obj = model._default_manager.filter(**{model_admin.cpas_field: demo}).order_by("pk").first()
    assert obj is not None, f"the demo has no {model.__name__} of Namur"
    before, rows, history = snapshot(obj), model._default_manager.count(), history_count(model)
    logs = LogEntry.objects.count()
    client.force_login(admin_user)
    assert client.get(url(model, "change", obj.pk)).status_code == 200

    change = client.post(url(model, "change", obj.pk), forged(obj))
    add = client.post(url(model, "add"), forged(obj))
    delete = client.post(url(model, "delete", obj.pk), {"post": "yes"})
    bulk_delete = client.post(url(model, "changelist"),
                              {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert change.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    assert bulk_delete.status_code in (200, 302, 403)  # no such action: the list is shown again
    if hasattr(model, "history"):
        version = model.history.filter(**{model._meta.pk.attname: obj.pk}).order_by("history_id").first()
        revert = client.post(url(model, "simple_history", obj.pk, version.history_id),
                             forged(obj))
        assert revert.status_code == 403
        # The page itself still shows the version, without a way to save it.
        page = client.get(url(model, "simple_history", obj.pk, version.history_id))
        assert page.status_code == 200
        assert b'name="_save"' not in page.content

    assert snapshot(obj) == before
    assert model._default_manager.count() == rows
    assert history_count(model) == history
    assert LogEntry.objects.count() == logs


def test_a_paid_payment_is_not_reverted_to_due_by_a_viewer(client, demo, db):
    """The reported case: a view-only staff member posting the first version of a paid payment."""
    viewer = staff(demo, "viewer", "view_")
    payment = Payment.objects.filter(convention__cpas=demo, status=PaymentStatus.PAID).first()
    first = payment.history.order_by("history_id").first()
    assert first.status != PaymentStatus.PAID
    client.force_login(viewer)
    response = client.post(reverse("admin:conventions_payment_simple_history", args=[payment.pk, first.history_id]),
                           {"status": first.status, "amount": "99999.99"})
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_a_budget_is_read_only_even_for_a_superuser(client, demo, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    budget = SocialEconomyBudget.objects.get(cpas=demo, year=2026)
    response = client.post(reverse("admin:measures_socialeconomybudget_change", args=[budget.pk]),
                           {"cpas": demo.pk, "year": 2026, "granted_amount": "9999999.00", "source": "x"})
    assert response.status_code == 403
    budget.refresh_from_db()
    assert budget.granted_amount == Decimal("96000.00")
    page = client.get(reverse("admin:measures_socialeconomybudget_changelist"))
    assert page.status_code == 200
    assert reverse("admin:measures_socialeconomybudget_add").encode() not in page.content


def test_the_claim_batch_history_is_not_revertible(client, demo, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    batch = ClaimBatch.objects.create(measure="art60", period_kind="month", period_start=date(2026, 3, 1),
                                      period_end=date(2026, 3, 31), requested_by=root)
    version = batch.history.first()
    client.force_login(root)
    response = client.post(reverse("admin:reimbursements_claimbatch_simple_history",
                                   args=[batch.pk, version.history_id]), {"measure": "convention"})
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.measure == "art60"


# Models the admin edits: their history pages revert only with the change permission --------------

def test_a_viewer_cannot_revert_a_beneficiary(client, demo, db):
    viewer = staff(demo, "viewer", "view_")
    person = Beneficiary.objects.filter(cpas=demo).first()
    first = person.history.order_by("history_id").first()
    client.force_login(viewer)
    url = reverse("admin:cpas_portal_beneficiary_simple_history", args=[person.pk, first.history_id])
    data = {key: value for key, value in model_to_dict(person, exclude=["id", "cpas"]).items() if value is not None}
    response = client.post(url, {**data, "last_name": "Forged"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.last_name != "Forged"
    assert person.history.count() == 1


def test_a_staff_member_allowed_to_change_may_revert_a_beneficiary(client, demo, db):
    editor = staff(demo, "editor")
    person = Beneficiary.objects.filter(cpas=demo).first()
    original = person.last_name
    person.last_name = "Renamed"
    person.save()
    first = person.history.order_by("history_id").first()
    client.force_login(editor)
    url = reverse("admin:cpas_portal_beneficiary_simple_history", args=[person.pk, first.history_id])
    data = {key: value for key, value in model_to_dict(first.instance, exclude=["id", "cpas"]).items()
            if value is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    person.refresh_from_db()
    assert person.last_name == original


@pytest.mark.parametrize("model_name", ["ris_amount", "minimum_wage"])
def test_a_viewer_cannot_revert_a_national_table(client, demo, db, model_name):
    from measures.models import MinimumWage, RisAmount

    model = {"ris_amount": RisAmount, "minimum_wage": MinimumWage}[model_name]
    viewer = staff(demo, "viewer", "view_")
    row = model.objects.order_by("pk").first()
    row.save()  # a first version in the history (the data migration wrote none)
    before, versions = snapshot(row), row.history.count()
    version = row.history.first()
    client.force_login(viewer)
    response = client.post(url(model, "simple_history", row.pk, version.history_id),
                           forged(row))
    assert response.status_code == 403
    assert snapshot(row) == before and row.history.count() == versions
