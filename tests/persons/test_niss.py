"""The national number against the birth date and sex it encodes (NN and BIS numbers), in the service and API."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cpas_portal import services
from cpas_portal.identifiers import niss_conflicts, niss_encoded

# Built by hand: YYMMDD + counter + 97 − (9 digits mod 97), "2" before the 9 digits when born from 2000.
ENCODED = [
    # number,       year, month, day, sex   — why
    ("85073003328", 1985, 7, 30, "M"),     # odd counter 033: a man
    ("85073003427", 1985, 7, 30, "F"),     # even counter 034: a woman
    ("01010100225", 2001, 1, 1, "F"),      # check digits with the "2" prefix: born in 2001, not 1901
    ("01010100126", 2001, 1, 1, "M"),
    ("98272899722", 1998, 7, 28, None),    # BIS, month + 20: sex unknown when the number was given
    ("98472899765", 1998, 7, 28, "M"),     # BIS, month + 40: sex known, odd counter
    ("98472899864", 1998, 7, 28, "F"),     # BIS, month + 40, even counter
    ("85070003355", 1985, 7, None, "M"),   # day 00: unknown day
    ("85003003376", 1985, None, None, "M"),  # month 00: month and day unknown
    ("00000100166", None, None, None, "M"),  # 00/00/01: birth date unknown, year included
]


@pytest.mark.parametrize(("number", "year", "month", "day", "sex"), ENCODED)
def test_what_a_number_encodes(number, year, month, day, sex):
    assert niss_encoded(number) == {"year": year, "month": month, "day": day, "sex": sex}


CONFLICTS = [
    ("85073003328", date(1985, 7, 30), "M", set()),
    ("85073003328", date(1985, 7, 29), "M", {"birth_date"}),       # the day before
    ("85073003328", date(1985, 7, 30), "F", {"sex"}),
    ("85073003328", date(1985, 6, 30), "F", {"birth_date", "sex"}),
    ("85073003328", date(1985, 7, 30), "X", set()),                # "other": no number encodes it
    ("01010100225", date(1901, 1, 1), "F", {"birth_date"}),       # the century comes from the check digits
    ("01010100225", date(2001, 1, 1), "F", set()),
    ("98272899722", date(1998, 7, 28), "F", set()),               # BIS + 20: any sex
    ("98272899722", date(1998, 7, 28), "M", set()),
    ("98472899765", date(1998, 7, 28), "F", {"sex"}),             # BIS + 40: the counter says a man
    ("98472899765", date(1998, 8, 28), "M", {"birth_date"}),
    ("85070003355", date(1985, 7, 12), "M", set()),               # unknown day: any day of July 1985
    ("85070003355", date(1985, 8, 12), "M", {"birth_date"}),
    ("85003003376", date(1985, 12, 31), "M", set()),              # unknown month: any day of 1985
    ("85003003376", date(1986, 1, 1), "M", {"birth_date"}),
    ("00000100166", date(1970, 3, 3), "M", set()),                # birth date unknown when given
]


@pytest.mark.parametrize(("number", "birth", "sex", "fields"), CONFLICTS)
def test_conflicts_between_number_birth_date_and_sex(number, birth, sex, fields):
    assert set(niss_conflicts(niss=number, birth_date=birth, sex=sex)) == fields


def test_the_message_says_what_the_number_encodes():
    message = str(niss_conflicts(niss="85070003355", birth_date=date(1985, 8, 12), sex="M")["birth_date"])
    assert "??/07/1985" in message and "12/08/1985" in message


NEW = {"niss": "85.07.30-033.28", "first_name": "Julien", "last_name": "Renard", "birth_date": date(1985, 7, 30),
       "sex": "M", "right_type": "ris", "category": 2, "right_start": date(2025, 1, 1)}


@pytest.mark.django_db
def test_the_service_refuses_a_birth_date_the_number_contradicts(alice, cpas_a):
    with pytest.raises(ValidationError) as refused:
        services.beneficiary_create(acting_user=alice, cpas=cpas_a, **{**NEW, "birth_date": date(1985, 3, 7),
                                                                         "sex": "F"})
    assert set(refused.value.message_dict) == {"birth_date", "sex"}
    created = services.beneficiary_create(acting_user=alice, cpas=cpas_a, **NEW)
    assert created.niss == "85073003328"


@pytest.mark.django_db
def test_an_edit_that_leaves_number_birth_and_sex_alone_is_not_refused(alice, beneficiary_a):
    # Records kept before the check (the factory's are not consistent) stay editable.
    beneficiary_a.sex = "M" if beneficiary_a.sex == "F" else "F"
    beneficiary_a.save()
    saved = services.beneficiary_update(acting_user=alice, beneficiary=beneficiary_a, city="Jambes")
    assert saved.city == "Jambes"


@pytest.mark.django_db
def test_the_api_answers_400_on_the_field(api_client_for, alice):
    payload = {**NEW, "birth_date": "1985-07-31", "right_start": "2025-01-01"}
    response = api_client_for(alice).post("/api/v1/beneficiaries/", payload, format="json")
    assert response.status_code == 400
    assert "30/07/1985" in response.json()["birth_date"][0]


@pytest.mark.django_db
def test_the_form_shows_the_message_under_the_sex(client_for, alice):
    from django.urls import reverse

    data = {**NEW, "birth_date": "1985-07-30", "sex": "F", "language": "fr", "right_start": "2025-01-01"}
    response = client_for(alice).post(reverse("beneficiary_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "odd counter" in response.content.decode()


@pytest.mark.django_db
def test_a_new_person_defaults_to_the_language_of_the_cpas(alice, cpas_a, client_for):
    from django.urls import reverse

    cpas_a.language = "nl"
    cpas_a.save()
    created = services.beneficiary_create(acting_user=alice, cpas=cpas_a, **NEW)
    assert created.language == "nl"
    form = client_for(alice).get(reverse("beneficiary_create")).content.decode()
    assert '<option value="nl" selected>' in form
