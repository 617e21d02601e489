"""The claim page says who must still sign and in which capacity; every irreversible action asks for
confirmation; the sample statement pays the sent claims; the claim list sorts, filters and guides."""

import re
from datetime import date

import pytest

from reimbursements import statement, statements
from reimbursements.models import Claim

from .test_pages import _claims

pytestmark = pytest.mark.django_db


def _step(page, name):
    match = re.search(rf'<li data-step="{name}" data-done="(yes|no)">(.*?)</li>', page, re.S)
    assert match, name
    return match.group(1), match.group(2)


def test_the_page_names_who_must_still_sign_and_in_which_capacity(
        client_for, bob, director_a, president_a, cpas_a, fake_source, generate, django_capture_on_commit_callbacks):
    from reimbursements import services

    claim = generate(bob, cpas_a).claim
    page = client_for(bob).get(f"/claims/{claim.pk}/").content.decode()
    assert _step(page, "review")[0] == "no"
    done, text = _step(page, "sign-secretary")
    # Both managers of the CPAS may still give either signature.
    assert done == "no" and "Diane Leroy" in text and "Paul Moreau" in text
    services.claim_review(acting_user=bob, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=director_a, claim=claim, capacity="secretary")
    page = client_for(bob).get(f"/claims/{claim.pk}/").content.decode()
    done, text = _step(page, "review")
    assert done == "yes" and bob.get_full_name() in text
    done, text = _step(page, "sign-secretary")
    assert done == "yes" and "Diane Leroy" in text and "Paul Moreau" not in text
    done, text = _step(page, "sign-president")
    # The director signed already: only the other manager may give the president's signature.
    assert done == "no" and "Paul Moreau" in text and "Diane Leroy" not in text
    assert _step(page, "send")[0] == "no"
    director_page = client_for(director_a).get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="signed-already"' in director_page


ACTIONS = {
    "draft": ["review", "cancel"],
    "reviewed": ["cancel"],
    "sent": ["reject", "correct"],
}


def test_every_irreversible_action_asks_for_confirmation(client_for, bob, director_a, president_a, cpas_a,
                                                         fake_source, generate, django_capture_on_commit_callbacks):
    from reimbursements import services

    claim = generate(bob, cpas_a).claim

    def forms(user):
        page = client_for(user).get(f"/claims/{claim.pk}/").content.decode()
        return {match.group(2): match.group(1) for match in re.finditer(
            r'<form method="post" action="[^"]+" data-confirm="([^"]+)"[^>]*>.*?name="action" value="([a-z-]+)"', page,
            re.S)}

    draft = forms(bob)
    assert set(draft) == {"review", "cancel"} and all(draft.values())
    assert draft["review"] != draft["cancel"]  # each says what it does
    services.claim_review(acting_user=bob, claim=claim)
    signing = forms(director_a)
    assert {"sign-secretary", "sign-president", "cancel"} <= set(signing)
    assert "2.316,07 €" in signing["sign-secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=director_a, claim=claim, capacity="secretary")
    second = forms(president_a)
    # The second signature's confirmation says more: the claim is then ready to send.
    assert set(second) >= {"sign-president"} and len(second["sign-president"]) > len(signing["sign-president"])
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_sign(acting_user=president_a, claim=claim, capacity="president")
    assert set(forms(bob)) == {"send"}
    services.claim_send(acting_user=bob, claim=claim)
    assert set(forms(bob)) == {"reject", "correct"}


def test_the_sample_statement_pays_the_sent_claims_when_imported(client_for, bob, cpas_a, sent_claim):
    client = client_for(bob)
    assert 'id="sample-statement-link"' in client.get("/claims/statements/").content.decode()
    response = client.get("/claims/statements/sample.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    content = response.content
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert name.startswith("sample-statement-92094-") and name.endswith(".txt")
    records = statement.parse(content, file_name=name)
    # One record per line of the sent claim, the recovery paid back as a recovery.
    assert sorted(record.amount for record in records) == sorted(
        line.signed_amount for line in sent_claim.lines.all())
    assert {record.reference for record in records} == {line.form_reference for line in sent_claim.lines.all()}
    imported, created = statements.statement_import(acting_user=bob, cpas=cpas_a, file_name=name, content=content)
    assert created and set(imported.records.values_list("state", flat=True)) == {"matched"}
    sent_claim.refresh_from_db()
    assert sent_claim.status == "paid"
    page = client.get(f"/claims/{sent_claim.pk}/").content.decode()
    assert 'id="claim-payments"' in page and name in page
    assert _step(page, "payment")[0] == "yes"
    # Nothing left to pay: the link says so instead of an empty file.
    empty = client.get("/claims/statements/sample.txt", follow=True)
    assert empty.redirect_chain == [("/claims/statements/", 302)]
    assert 'class="messages"' in empty.content.decode() or "warning" in empty.content.decode()


def test_the_sample_statement_holds_full_national_numbers_so_is_for_finance_and_managers(
        client_for, alice, auditor_a, sent_claim):
    for user in (alice, auditor_a):
        client = client_for(user)
        assert client.get("/claims/statements/sample.txt").status_code == 403
        assert 'id="sample-statement-link"' not in client.get("/claims/statements/").content.decode()


def test_the_sample_statement_is_of_the_users_own_cpas(client_for, finance_b, sent_claim):
    response = client_for(finance_b).get("/claims/statements/sample.txt", follow=True)
    assert response.status_code == 200 and response.redirect_chain  # nothing of CPAS A: no file


def test_the_claim_list_sorts_filters_and_shows_badges(client_for, bob, cpas_a):
    claims = _claims(cpas_a, bob, 14)
    Claim.objects.filter(pk=claims[0].pk).update(total=900, status="sent")
    Claim.objects.filter(pk=claims[1].pk).update(total=50)
    client = client_for(bob)
    page = client.get("/claims/?sort=-total").content.decode()
    rows = re.findall(r'<tr data-claim="(\d+)">', page)
    assert rows[:2] == [str(claims[0].pk), str(claims[1].pk)]
    assert 'aria-sort="descending"' in page and "badge--success" in page and "badge--warning" in page
    ascending = re.findall(r'<tr data-claim="(\d+)">', client.get("/claims/?sort=total").content.decode())
    assert ascending[-2:] == [str(claims[1].pk), str(claims[0].pk)]
    sent = re.findall(r'<tr data-claim="(\d+)">', client.get("/claims/?status=sent").content.decode())
    assert sent == [str(claims[0].pk)]
    # Period: the claims of February and March 2026 (the 14 claims cover each month, January and
    # February twice).
    period = client.get("/claims/?from=2026-02&until=03/2026").content.decode()
    found = {Claim.objects.get(pk=pk).period_start for pk in re.findall(r'<tr data-claim="(\d+)">', period)}
    assert found == {date(2026, 2, 1), date(2026, 3, 1)}
    # A filter and a sort survive the pages: the links keep them.
    assert "sort=" in client.get("/claims/?status=draft&sort=total").content.decode()


def test_the_empty_claim_list_says_what_to_do(client_for, bob, auditor_a):
    page = client_for(bob).get("/claims/").content.decode()
    assert 'id="claims-empty"' in page and 'href="/claims/new/"' in page
    filtered = client_for(bob).get("/claims/?status=paid").content.decode()
    assert 'id="claims-empty"' in filtered and 'href="/claims/"' in filtered
    read_only = client_for(auditor_a).get("/claims/").content.decode()
    assert 'id="claims-empty"' in read_only and 'href="/claims/new/"' not in read_only.split('id="claims-empty"')[1]
