"""The admin offers only the user's own CPAS's rows as choices (users, partners reached through a relation)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cpas_portal.models import Role
from tests.factories import member
from tests.helpers import right_decisions_inline

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_a(cpas_a):
    user = member(cpas_a, Role.MANAGER, username="marc", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="cpas_portal"))
    return user


def test_a_referent_of_another_cpas_is_refused_in_the_admin(client_for, manager_a, alice, charlie, beneficiary_a):
    client = client_for(manager_a)
    url = reverse("admin:cpas_portal_beneficiary_change", args=[beneficiary_a.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields["referent"].queryset) == {manager_a, alice}
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(referent=charlie.pk, birth_date=beneficiary_a.birth_date.isoformat())
    data.update(right_decisions_inline(beneficiary_a))
    response = client.post(url, data)
    assert response.status_code == 200 and "referent" in response.context["adminform"].form.errors
    beneficiary_a.refresh_from_db()
    assert beneficiary_a.referent == alice

