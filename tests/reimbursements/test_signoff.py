import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reimbursements import services


@pytest.fixture
def reviewed(bob, cpas_a, fake_source, generate):
    claim = generate(bob, cpas_a).claim
    return services.claim_review(acting_user=bob, claim=claim)


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["alice", "bob", "auditor_a"])
def test_only_management_signs(request, reviewed, user):
    with pytest.raises(PermissionDenied):
        services.claim_sign(acting_user=request.getfixturevalue(user), claim=reviewed, capacity="secretary")
    assert not reviewed.signatures.exists()


@pytest.mark.django_db
def test_a_manager_of_another_cpas_cannot_sign(reviewed, cpas_b):
    from cpas_portal.models import Role
    from tests.factories import member

    with pytest.raises(PermissionDenied):
        services.claim_sign(acting_user=member(cpas_b, Role.MANAGER), claim=reviewed, capacity="president")


@pytest.mark.django_db
def test_the_same_person_cannot_sign_twice(reviewed, director_a):
    services.claim_sign(acting_user=director_a, claim=reviewed, capacity="secretary")
    with pytest.raises(ValidationError) as error:
        services.claim_sign(acting_user=director_a, claim=reviewed, capacity="president")
    assert "quelqu'un d'autre" in str(error.value.message_dict["capacity"])
    assert reviewed.signatures.count() == 1
    reviewed.refresh_from_db()
    assert reviewed.status == "reviewed"


@pytest.mark.django_db
def test_one_signature_per_capacity(reviewed, director_a, president_a):
    services.claim_sign(acting_user=director_a, claim=reviewed, capacity="secretary")
    with pytest.raises(ValidationError):
        services.claim_sign(acting_user=president_a, claim=reviewed, capacity="secretary")


@pytest.mark.django_db
def test_a_draft_is_reviewed_before_it_is_signed(bob, cpas_a, fake_source, generate, director_a):
    claim = generate(bob, cpas_a).claim
    with pytest.raises(ValidationError):
        services.claim_sign(acting_user=director_a, claim=claim, capacity="secretary")


@pytest.mark.django_db
def test_sending_needs_both_signatures(bob, reviewed, director_a, president_a, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        services.claim_send(acting_user=bob, claim=reviewed)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=director_a, claim=reviewed, capacity="secretary")
    with pytest.raises(ValidationError) as error:
        services.claim_send(acting_user=bob, claim=reviewed)
    assert "par le président" in str(error.value.message_dict["status"])
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=president_a, claim=reviewed, capacity="president")
    reviewed.refresh_from_db()
    assert reviewed.status == "signed"
    sent = services.claim_send(acting_user=bob, claim=reviewed)
    assert sent.status == "sent" and sent.sent_at is not None
    assert [record.history_user for record in sent.history.order_by("history_date")][-1] == bob


@pytest.mark.django_db
def test_a_sent_claim_is_never_edited(bob, sent_claim):
    for write in (services.claim_review, services.claim_cancel, services.claim_send):
        with pytest.raises(ValidationError):
            write(acting_user=bob, claim=sent_claim)
    sent_claim.refresh_from_db()
    assert sent_claim.status == "sent"


@pytest.mark.django_db
def test_a_rejected_claim_gives_its_items_back(bob, cpas_a, sent_claim, generate):
    services.claim_reject(acting_user=bob, claim=sent_claim)
    again = generate(bob, cpas_a).claim
    assert again.line_count == 3 and again.sequence == 2
