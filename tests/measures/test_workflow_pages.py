"""Placement pages as whole workflows: who reaches the budget allocation (and sees it in the menu), confirmations
before irreversible actions, the month table, the placement and firm-employment lists, constraint messages."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext

from cpas_portal.models import Membership, Role
from measures import services
from measures.models import MonthlySubsidy, PlacementPay
from tests.factories import BeneficiaryFactory, member

from .factories import placement, private_firm

pytestmark = pytest.mark.django_db

CSV = "nis_code;year;amount\n92094;2023;100\n92094;2024;100\n92094;2025;100\n44021;2025;600"


def _superuser(cpas=None):
    user = get_user_model().objects.create_superuser("root", password="x")
    if cpas is not None:
        Membership.objects.create(user=user, cpas=cpas, role=Role.MANAGER)
    return user


# Budget allocation: who reaches it ----------------------------------------------------------------

def test_menu_shows_the_allocation_only_to_an_administrator(client_for, cpas_a):
    manager = member(cpas_a, Role.MANAGER, username="manager-a")
    page = client_for(manager).get(reverse("placement_list"))
    assert page.status_code == 200 and 'id="nav-budget-allocation"' not in page.text
    assert 'id="nav-activation-allocation"' not in page.text
    admin_page = client_for(_superuser(cpas_a)).get(reverse("placement_list"))
    assert 'id="nav-budget-allocation"' in admin_page.text and 'id="nav-activation-allocation"' in admin_page.text


def test_a_manager_is_refused_with_a_reason_and_no_link(client_for, cpas_a):
    manager = member(cpas_a, Role.MANAGER, username="manager-a")
    client = client_for(manager)
    budget_page = client.get(reverse("budget_overview"))
    assert budget_page.status_code == 200 and reverse("budget_allocation") not in budget_page.text
    assert client.get(reverse("budget_allocation")).status_code == 403


def test_a_superuser_without_a_cpas_reaches_the_allocation(client, cpas_a, cpas_b):
    client.force_login(_superuser())
    assert client.get(reverse("budget_allocation")).status_code == 200
    changelist = client.get(reverse("admin:measures_socialeconomybudget_changelist"))
    assert changelist.status_code == 200 and reverse("budget_allocation") in changelist.text


def test_a_staff_account_with_the_permission_allocates(client, cpas_a, cpas_b):
    staff = get_user_model().objects.create_user("federal", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("budget_allocation")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="allocate_budgets"))
    client.force_login(get_user_model().objects.get(pk=staff.pk))
    preview = client.post(reverse("budget_allocation"),
                          {"year": "2026", "envelope": "1000", "reimbursed_csv": CSV, "preview": "1"})
    assert preview.status_code == 200
    # The apply button asks for confirmation, naming how many CPAS and the total.
    button = preview.text[preview.text.index('id="apply"'):]
    button = button[:button.index(">")]
    assert "data-confirm=" in button and "2026" in button and "1.000,00" in button


# Confirmations before irreversible actions --------------------------------------------------------

def _form_tag(html, marker):
    start = html.rindex("<form", 0, html.index(marker))
    return html[start:html.index(">", start)]


def test_placement_actions_ask_for_confirmation(client_for, alice, cpas_a):
    draft = placement(alice, cpas=cpas_a)
    page = client_for(alice).get(reverse("placement_detail", args=[draft.pk])).text
    assert "data-confirm=" in _form_tag(page, reverse("placement_approve", args=[draft.pk]))
    assert "data-confirm=" in _form_tag(page, reverse("placement_cancel", args=[draft.pk]))
    services.placement_pay_set(acting_user=alice, placement=draft, effective_date=date(2019, 9, 1),
                               gross_monthly_pay=D("2100"))
    approved = services.placement_approve(acting_user=alice, placement=draft)
    page = client_for(alice).get(reverse("placement_detail", args=[approved.pk])).text
    assert "data-confirm=" in _form_tag(page, reverse("placement_end", args=[approved.pk]))
    pay = PlacementPay.objects.get(placement=approved, effective_date=date(2019, 9, 1))
    assert "data-confirm=" in _form_tag(page, reverse("placement_pay_delete", args=[approved.pk, pay.pk]))
    assert reverse("placement_approve", args=[approved.pk]) not in page


def test_piis_actions_ask_for_confirmation(client_for, alice, beneficiary_a):
    from tests.piis.factories import make_piis

    draft = make_piis(alice, beneficiary=beneficiary_a)
    page = client_for(alice).get(reverse("piis_detail", args=[draft.pk])).text
    assert "data-confirm=" in _form_tag(page, 'id="sign-form"')
    assert "data-confirm=" in _form_tag(page, reverse("piis_cancel", args=[draft.pk]))
    signed = make_piis(alice, beneficiary=BeneficiaryFactory(cpas=beneficiary_a.cpas), sign=True)
    page = client_for(alice).get(reverse("piis_detail", args=[signed.pk])).text
    assert "data-confirm=" in _form_tag(page, 'id="end-form"')


# The month table -------------------------------------------------------------------------------------

def test_month_table_groups_years_and_shows_the_claim(client_for, alice, cpas_a):
    approved = services.placement_approve(acting_user=alice, placement=placement(
        alice, cpas=cpas_a, start=date(2019, 11, 1), planned_end=date(2020, 2, 29)))
    first = MonthlySubsidy.objects.get(placement=approved, month=date(2019, 11, 1))
    services.monthly_subsidies_freeze(acting_user=alice, lines=[first], reference="CLAIM-2019-11")
    page = client_for(alice).get(reverse("placement_detail", args=[approved.pk])).text
    assert 'id="subsidy-year-2019"' in page and 'id="subsidy-year-2020"' in page
    table = page[page.index('id="subsidy-months"'):]
    assert table.count("CLAIM-2019-11") == 1
    assert table.count('class="claim-state"><span class="badge badge--warning">') == 3  # the three months to claim
    rules = page[page.index('id="subsidy-rules"'):page.index('id="subsidy-months"')]
    # The rule set in force for every month is explained once, above the table, not on each row, named in
    # words in the reader's language (never its stored code).
    with translation.override("fr"):
        rule_set = escape(gettext("federal 2002 (law of 26 May 2002 and its royal decrees of 11 July 2002)"))
    assert rule_set.startswith("fédéral 2002")
    assert rules.count(rule_set) == 1 and table.count(rule_set) == 0 and "position:sticky" in table
    assert "federal-2002" not in page


def test_month_table_shows_per_month_only_what_differs(alice, cpas_a):
    from measures.explain import month_table

    class Line:
        def __init__(self, month, amount, lines):
            self.month, self.amount, self.explanation_lines = month, amount, lines

    table = month_table([Line(date(2019, 12, 1), D("10"), ["law", "ris 1", "full"]),
                         Line(date(2020, 1, 1), D("20"), ["law", "ris 2", "full"]),
                         Line(date(2020, 2, 1), None, ["law", "missing"])])
    assert table.common_lines == ["law"]
    assert [[row.own_lines for row in year.rows] for year in table.years] == [
        [["ris 1", "full"]], [["ris 2", "full"], ["missing"]]]
    assert [(year.year, year.total) for year in table.years] == [(2019, D("10")), (2020, D("20"))]
    single = month_table([Line(date(2019, 12, 1), D("10"), ["law"])])
    assert single.common_lines == [] and single.years[0].rows[0].own_lines == ["law"]
    assert month_table([]).years == []


# Lists ---------------------------------------------------------------------------------------------

@pytest.fixture
def three_placements(alice, cpas_a):
    firm = private_firm(cpas_a, name="Zeta SA")
    made = {
        "early": placement(alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(cpas=cpas_a, last_name="Alpha"),
                           start=date(2019, 1, 1), planned_end=date(2019, 3, 31)),
        "late": placement(alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(cpas=cpas_a, last_name="Omega"),
                          start=date(2021, 1, 1), planned_end=date(2021, 6, 30)),
        "firm": placement(alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(cpas=cpas_a, last_name="Mu"),
                          workplace="private_firm", organisation=firm, cooperation_convention_date=date(2019, 6, 1),
                          start=date(2020, 1, 1), planned_end=date(2020, 6, 30)),
    }
    services.placement_approve(acting_user=alice, placement=made["late"])
    return made, firm


def _names(html):
    """The people of the placement table, in the order shown (none when the table is not shown)."""
    if 'id="placement-table"' not in html:
        return []
    body = html[html.index('id="placement-table"'):]
    return sorted((name for name in ("ALPHA", "MU", "OMEGA") if name in body), key=body.index)


def test_placement_list_sorts_and_filters(client_for, alice, three_placements):
    made, firm = three_placements
    client = client_for(alice)
    url = reverse("placement_list")
    assert _names(client.get(url).text) == ["OMEGA", "MU", "ALPHA"]  # newest first by default
    assert _names(client.get(url, {"sort": "beneficiary"}).text) == ["ALPHA", "MU", "OMEGA"]
    assert _names(client.get(url, {"sort": "-beneficiary"}).text) == ["OMEGA", "MU", "ALPHA"]
    assert _names(client.get(url, {"sort": "id; drop table"}).text) == ["OMEGA", "MU", "ALPHA"]
    assert _names(client.get(url, {"status": "approved"}).text) == ["OMEGA"]
    assert _names(client.get(url, {"organisation": firm.pk}).text) == ["MU"]
    assert _names(client.get(url, {"period_from": "2020-03-01", "period_until": "2020-12-31"}).text) == ["MU"]
    assert _names(client.get(url, {"period_until": "2019-12-31", "sort": "start"}).text) == ["ALPHA"]
    page = client.get(url, {"sort": "beneficiary"}).text
    assert 'aria-sort="ascending"' in page and "badge--success" in page and "badge--warning" in page


def test_placement_list_empty_states(client_for, alice, auditor_a, cpas_a):
    empty = client_for(alice).get(reverse("placement_list")).text
    assert 'id="placements-empty"' in empty and reverse("placement_create") in empty[empty.index("placements-empty"):]
    read_only = client_for(auditor_a).get(reverse("placement_list")).text
    assert reverse("placement_create") not in read_only
    placement(alice, cpas=cpas_a)
    filtered = client_for(alice).get(reverse("placement_list"), {"status": "ended"}).text
    assert 'id="placements-empty"' in filtered and 'id="placement-table"' not in filtered


def test_another_cpas_employer_is_not_a_filter_choice(client_for, alice, charlie, cpas_b, three_placements):
    _made, firm = three_placements
    page = client_for(charlie).get(reverse("placement_list"), {"organisation": firm.pk}).text
    assert "Zeta SA" not in page and 'id="placement-table"' not in page


def test_firm_employment_list_sorts_and_filters(client_for, alice, cpas_a):
    firm_a, firm_b = private_firm(cpas_a, name="Firm A"), private_firm(cpas_a, name="Firm B")
    for name, firm, start in (("Alpha", firm_b, date(2020, 1, 1)), ("Omega", firm_a, date(2021, 1, 1))):
        services.firm_employment_create(acting_user=alice, cpas=cpas_a,
                                        beneficiary=BeneficiaryFactory(cpas=cpas_a, last_name=name),
                                        organisation=firm, cooperation_convention_date=date(2019, 1, 1),
                                        start=start, end=None, regime=D("1"))
    client = client_for(alice)
    url = reverse("firm_employment_list")
    page = client.get(url, {"sort": "beneficiary"}).text
    assert page.index("ALPHA") < page.index("OMEGA")
    page = client.get(url, {"sort": "-beneficiary"}).text
    assert page.index("OMEGA") < page.index("ALPHA")
    filtered = client.get(url, {"organisation": firm_a.pk}).text
    assert "OMEGA" in filtered and "ALPHA" not in filtered
    assert 'id="firm-employments-empty"' in client.get(url, {"period_until": "2019-06-30"}).text


# Constraint messages ------------------------------------------------------------------------------

MEASURE_APPS = ("measures", "piis", "activation", "interventions")


def test_every_constraint_of_the_measures_has_a_translated_message():
    missing = []
    for label in MEASURE_APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                if not isinstance(constraint.violation_error_message, Promise):
                    missing.append(constraint.name)
    assert missing == []


def test_a_constraint_speaks_to_the_user_not_in_database_names(alice, cpas_a):
    approved = placement(alice, cpas=cpas_a)
    pay = PlacementPay(placement=approved, effective_date=approved.start, gross_monthly_pay=D("-1"))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        pay.validate_constraints()
    text = " ".join(refused.value.messages)
    assert "placement_pay" not in text and "already starts on this day" in text and "cannot be negative" in text


@pytest.mark.parametrize("rows", [3, 30])
def test_firm_employment_list_queries(client_for, alice, cpas_a, rows, django_assert_max_num_queries):
    firm = private_firm(cpas_a)
    for _ in range(rows):
        services.firm_employment_create(acting_user=alice, cpas=cpas_a, beneficiary=BeneficiaryFactory(cpas=cpas_a),
                                        organisation=firm, cooperation_convention_date=date(2019, 1, 1),
                                        start=date(2020, 1, 1), end=None, regime=D("1"))
    client = client_for(alice)
    # session, user, membership+cpas, count, page rows, the employers of the filter.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("firm_employment_list"), {"sort": "-premiums"}).status_code == 200
