"""The language scan: every page a user can reach, rendered in French, Dutch and German, shows no text
from another language's catalogue and no common English word.

The pages are found by walking the URL patterns of every app: a new URL is scanned as soon as it exists.
A URL with parameters is filled from ``FILLERS`` (route name → its keyword arguments, made from the demo
data and a few factory objects); a new parameterised URL without an entry there fails
``test_every_url_can_be_filled`` with the line to add. Visible text is the text of the page without
scripts and styles, plus the attributes a user sees or hears (title, placeholder, aria-label, alt,
the confirmation texts of ``data-confirm``, button values).
"""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from cpas_portal.models import Cpas, Membership, Notification, Role
from tests.kernel.test_german import CATALOGUE_DIRS, entries, translations

ROOT = Path(settings.BASE_DIR)
SCANNED = ["fr", "nl", "de"]

# Pages outside the scan, with why: the Django admin (administrators; Django's own catalogues), the API and
# its documentation (developers; messages follow Accept-Language and are tested with the API), the
# language switch and logout (POST only, no page), static media.
NOT_PAGES = ("admin/", "api/", "media/", "i18n/setlang/", "logout/")

# Fragments of a translation shorter than this (or of one word shorter than LONE_WORD) are too ambiguous to
# tell a language by: "Total", "Type", "Nr.", "Activa"…
MIN_FRAGMENT = 10
LONE_WORD = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{\w*\}|<[^>]*>|&\w+;|\s+[-–—:/(),.]\s+|[\n:;()«»\"“”]")

# Common English words of a user interface that are not words of the scanned language (so "Date" and "Total"
# are left out for French, "Status", "Filter", "Details" for Dutch and German, and "in", "of", "is", "on",
# "or", "not", "will", "die", "all", "no" everywhere: each is a word of French, Dutch or German).
ENGLISH = {
    "Account", "Add", "Amount", "Amounts", "and", "Approved", "Auditor", "Back", "been", "Beneficiaries",
    "Beneficiary", "Birth date", "Cancel", "Cancelled", "Caseworker", "Claim", "Claims", "Close", "Confirm", "Date",
    "days", "Delete", "Description", "Details", "Download", "Draft", "each", "Edit", "Employer", "Ended", "every",
    "Filter", "Finance", "First name", "Forbidden", "from", "Hide", "Hours", "Inbox", "Language", "Last name",
    "Legal basis", "Loading", "Log out", "Logout", "Manager", "Missing", "Month", "months", "must", "Name",
    "National number", "Next", "None", "Not Found", "Nothing", "Number", "Overdue", "Paid", "Password", "Payment",
    "Payments", "Pending", "per", "Period", "please", "Previous", "Reason", "reasons", "Reference", "Remove",
    "Required", "Save", "Search", "Sent", "Server Error", "Settings", "should", "Show", "Sign in", "Signed",
    "since", "Statement", "Statements", "Status", "Submit", "that", "the", "there", "this", "Today", "Total",
    "Unknown", "until", "Upload", "Week", "what", "when", "where", "which", "with", "Year", "Yes", "yet", "you",
    "your",
}
VALID_HERE = {
    "fr": {"Date", "Total", "Description", "Sent", "Finance", "Manager"},
    "nl": {"Status", "Filter", "Details", "Total", "Manager", "Finance", "Auditor", "per", "Week", "Download", "Upload",
           "Inbox", "Account"},
    "de": {"Status", "Filter", "Details", "Total", "Manager", "Finance", "Auditor", "per", "Name", "Download",
           "Upload"},
}


def english_words(language):
    return {word for word in ENGLISH if word not in VALID_HERE[language]}


# ---------------------------------------------------------------------------------------------------------
# Catalogues


def _catalogue(language):
    """{msgid: translation} of every catalogue of ``language`` (fuzzy and empty entries left out)."""
    found = {}
    for directory in CATALOGUE_DIRS:
        path = ROOT / directory / language / "LC_MESSAGES" / "django.po"
        for entry in entries(path):
            if "fuzzy" in entry["flags"]:
                continue
            for source, translated in translations(entry):
                if translated:
                    found[(entry.get("msgctxt"), source)] = translated
    return found


def fragments(text):
    """The literal runs of a translation (placeholders, tags and punctuation cut out) long enough to tell
    its language."""
    for part in PLACEHOLDER.split(text):
        part = " ".join(part.split()).strip(" .,!?'’")
        if len(part) >= MIN_FRAGMENT and (" " in part or len(part) >= LONE_WORD):
            yield part


def foreign_fragments(language, catalogues):
    """Fragments of the other languages' translations that are neither this language's translation of the
    same message, nor its English source, nor anywhere in this language's own translations."""
    own = catalogues[language]
    own_text = "\n".join(own.values()).casefold()
    sources = "\n".join(source for _context, source in own).casefold()
    found = {}
    for other in SCANNED:
        if other == language:
            continue
        for key, translated in catalogues[other].items():
            if translated == own.get(key) or translated == key[1]:
                continue
            for fragment in fragments(translated):
                folded = fragment.casefold()
                if folded in own_text or folded in sources:
                    continue
                found.setdefault(fragment, (other, key[1]))
    return found


@pytest.fixture(scope="module")
def catalogues():
    return {language: _catalogue(language) for language in SCANNED}


# ---------------------------------------------------------------------------------------------------------
# Visible text


class VisibleText(HTMLParser):
    """Text nodes and spoken attributes, without scripts and styles, technical identifiers (``<code>``,
    ``<kbd>``, ``<samp>``) and what the page marks ``translate="no"`` (data that is not in the user's language
    by nature: a file name, a document sent to SPP IS in the CPAS's language)."""

    HIDDEN = {"script", "style", "noscript", "code", "kbd", "samp"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SPOKEN = {"title", "placeholder", "aria-label", "alt", "data-confirm", "data-confirm-label", "aria-description"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], []

    @property
    def hidden(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = tag in self.HIDDEN or attributes.get("translate") == "no"
        if not self.hidden and not skipped:
            for name, value in attrs:
                if name in self.SPOKEN and value:
                    self.parts.append(value)
            if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def _word_pattern(words):
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w'’-])")


# Interface strings marked for translation in the templates but not yet in the catalogues (the catalogues are
# merged centrally): not reported while a language's catalogue lacks them. Keep this list short.
AWAITING_UI: set[str] = set()

PARAMETER_MODULES = ["conventions.parameters", "measures.parameters", "measures.piis.parameters",
                     "measures.activation.parameters", "measures.interventions.parameters", "reimbursements.parameters"]


def marked_citations():
    """The legal citations and parameter names marked for translation where they are defined (every dated
    parameter's sources and name, the English wordings of French citations, the rule-set names)."""
    import importlib

    from cpas_portal import citations
    from cpas_portal.dated import Dated
    from measures.explain import RULE_SETS

    found = {citations.INTERPRETATION, *citations.FRENCH.values(), *citations.SEEDED,
             *(str(name) for name in RULE_SETS.values()), *AWAITING_UI}
    for module_name in PARAMETER_MODULES:
        for value in vars(importlib.import_module(module_name)).values():
            dated = value.values() if isinstance(value, dict) else [value]
            for parameter in dated:
                if isinstance(parameter, Dated):
                    found |= {parameter.name, *(step.source for step in parameter.steps)}
                elif isinstance(parameter, str) and parameter and parameter[0].isupper() and " " in parameter:
                    found.add(parameter)
    # A citation written in French is shown through its English wording to other readers: never exempt.
    return {text for text in found if isinstance(text, str) and len(text) > 3} - set(citations.FRENCH)


def awaiting_translation(language, catalogues):
    """Marked citations the catalogue of ``language`` does not translate yet: they show in English until the
    catalogues are merged, and are not reported meanwhile. Once translated, a page showing the English is
    reported again."""
    return {text for text in marked_citations() if (None, text) not in catalogues[language]}


class Detector:
    """Finds, in the visible text of a page in ``language``, another language's text or English words."""

    def __init__(self, language, catalogues, awaiting=()):
        self.language = language
        self.awaiting = sorted(awaiting, key=len, reverse=True)
        self.foreign = foreign_fragments(language, catalogues)
        self.foreign_pattern = _word_pattern(self.foreign)
        words = english_words(language)
        self.english = _word_pattern(words | {word.lower() for word in words if " " not in word}
                                     | {word.capitalize() for word in words if word.islower()})
        # The language menu names each language in its own language ("Nederlands", "Deutsch").
        self.allowed = {"English", "Français", "Nederlands", "Deutsch"}

    def problems(self, parts):
        found = []
        for part in parts:
            if part in self.allowed:
                continue
            for text in self.awaiting:
                part = part.replace(text, " ")
            for match in self.foreign_pattern.finditer(part):
                other, source = self.foreign[match.group(0)]
                found.append((f"{other} text {match.group(0)!r} (a translation of {source!r})", part))
            for match in self.english.finditer(part):
                found.append((f"English word {match.group(0)!r}", part))
        return found


# ---------------------------------------------------------------------------------------------------------
# The pages


def url_patterns(patterns=None, prefix="", namespace=None):
    """(route, name, pattern) of every URL pattern of the project's pages."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), namespace)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not route.lstrip("^").startswith(NOT_PAGES):
                yield route, pattern.name, pattern


def parameters(pattern):
    return sorted(pattern.pattern.regex.groupindex)


def _first(model, **filters):
    found = model.objects.filter(**filters).order_by("pk").first()
    assert found is not None, f"the scan world has no {model.__name__} matching {filters}"
    return found.pk


def _pk(path, **filters):
    def fill(world):
        module, _, name = path.rpartition(".")
        model = getattr(__import__(module, fromlist=[name]), name)
        return {"pk": _first(model, **{"cpas": world.cpas, **filters})}

    return fill


def _beneficiary(world):
    return {"pk": world.beneficiary.pk}


# Route name → its keyword arguments. A new URL with parameters needs a line here.
FILLERS = {
    "inbox_read": lambda world: {"pk": _first(Notification, user=world.users[Role.CASEWORKER])},
    "beneficiary_detail": _beneficiary,
    "beneficiary_edit": _beneficiary,
    "right_decision_create": _beneficiary,
    "right_decision_edit": lambda world: {"pk": world.beneficiary.pk,
                                          "decision_pk": world.beneficiary.right_decisions.first().pk},
    "case_note_create": _beneficiary,
    "case_note_edit": lambda world: {"pk": world.beneficiary.pk, "note_pk": world.note.pk},
    "document_upload": _beneficiary,
    "document_download": lambda world: {"pk": world.beneficiary.pk, "document_pk": world.document.pk},
    **{name: _pk("measures.models.Placement") for name in (
        "placement_detail", "placement_edit", "placement_approve", "placement_cancel", "placement_end",
        "placement_pay", "art61_premium_create")},
    **{name: lambda world: {"pk": world.pay.placement_id, "pay_pk": world.pay.pk}
       for name in ("placement_pay_edit", "placement_pay_delete")},
    **{name: _pk("measures.models.FirmEmployment") for name in ("firm_employment_detail", "firm_employment_edit")},
    "budget_year": lambda world: {"year": world.budget_year},
    **{name: _pk("measures.piis.models.Piis") for name in (
        "piis_detail", "piis_edit", "piis_sign", "piis_end", "piis_cancel", "piis_evaluation_add", "piis_pdf")},
    "piis_evaluation_record": _pk("measures.piis.models.Evaluation", held_on__isnull=True),
    **{name: _pk("measures.activation.models.ActivationYear") for name in (
        "activation_detail", "activation_edit", "activation_report_request")},
    **{name: lambda world: {"pk": world.report.pk} for name in (
        "activation_report_progress", "activation_report_retry", "activation_report_pdf")},
    **{name: _pk("measures.interventions.models.Hire") for name in ("intervention_detail", "intervention_edit")},
    **{name: _pk("conventions.models.Convention") for name in (
        "convention_detail", "convention_sign", "convention_hours", "convention_close", "convention_edit",
        "convention_cancel")},
    **{name: lambda world: {"pk": world.hours.convention_id, "entry_pk": world.hours.pk}
       for name in ("convention_hours_entry", "convention_hours_entry_cancel")},
    "convention_partner_claim": lambda world: {"pk": world.partner.convention_id, "partner_pk": world.partner.pk},
    "convention_payment_paid": lambda world: {"pk": world.payment.convention_id, "payment_pk": world.payment.pk},
    "claims_export": lambda world: {"fmt": "csv"},
    **{name: _pk("reimbursements.models.GenerationJob") for name in ("claim_job", "claim_job_retry")},
    "statement_detail": lambda world: {"pk": world.statement.pk},
    **{name: lambda world: {"pk": world.statement_job.pk} for name in ("statement_job", "statement_job_retry")},
    "statement_record_action": lambda world: {"pk": world.statement.records.first().pk, "action": "match"},
    "claim_batch": lambda world: {"pk": world.batch.pk},
    **{name: _pk("reimbursements.models.Claim") for name in (
        "claim_detail", "claim_pdf", "claim_review", "claim_sign", "claim_send", "claim_reject", "claim_cancel",
        "claim_correct")},
    "claim_lines_export": lambda world: {"pk": _first(__import__("reimbursements.models").models.Claim,
                                                      cpas=world.cpas), "fmt": "csv"},
}


def test_every_url_can_be_filled():
    """A new page with parameters is scanned only once the scan knows how to fill them."""
    missing = [f"{name or route!r} ({route}, parameters {', '.join(parameters(pattern))})"
               for route, name, pattern in url_patterns() if parameters(pattern) and name not in FILLERS]
    assert not missing, (
        "The language scan cannot fill the parameters of these URL patterns; add each route name to FILLERS in "
        "tests/kernel/test_language_scan.py with a function returning its keyword arguments from the scan world:\n  "
        + "\n  ".join(missing))


def test_every_filler_names_an_existing_route():
    names = {name for _route, name, _pattern in url_patterns()}
    assert not set(FILLERS) - names, f"FILLERS names routes that no longer exist: {sorted(set(FILLERS) - names)}"


# ---------------------------------------------------------------------------------------------------------
# The world: the demo data of both demo CPAS, plus one object of each kind the demo leaves out.


class World:
    pass


def build_world():
    from cpas_portal import services as kernel_services
    from cpas_portal.demo import ADMIN_USERNAME, load_demo
    from measures.activation import services as activation_services
    from measures.activation.models import ActivationYear
    from measures.models import PlacementPay
    from reimbursements import services as claim_services
    from tests.interventions.factories import hire, rate

    load_demo(beneficiaries_per_cpas=14)
    world = World()
    world.cpas = Cpas.objects.get(nis_code="92094")
    world.users = {membership.role: membership.user
                   for membership in Membership.objects.filter(cpas=world.cpas).select_related("user")}
    caseworker, finance = world.users[Role.CASEWORKER], world.users[Role.FINANCE]
    world.beneficiary = world.cpas.beneficiaries.order_by("pk").first()
    world.note = kernel_services.case_note_create(acting_user=caseworker, beneficiary=world.beneficiary,
                                                  day=date(2026, 3, 2), text="Entretien de suivi.")
    world.document = kernel_services.document_upload(
        acting_user=caseworker, beneficiary=world.beneficiary, kind="payslip",
        upload=SimpleUploadedFile("fiche.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    world.pay = PlacementPay.objects.filter(placement__cpas=world.cpas).order_by("pk").first()
    budgets = world.cpas.social_economy_budgets.order_by("year")
    world.budget_year = budgets.values_list("year", flat=True).first() or 2026
    rate("activa")
    hire(caseworker, world.cpas.beneficiaries.order_by("pk")[1])
    activation = ActivationYear.objects.filter(cpas=world.cpas).first()
    world.report = activation_services.report_request(acting_user=world.users[Role.MANAGER], activation=activation)
    statement = ROOT / "tests" / "reimbursements" / "data" / "statement_92094_2026_04.txt"
    world.statement, _created = claim_services.statement_import(
        acting_user=finance, cpas=world.cpas, file_name=statement.name, content=statement.read_bytes())
    from conventions.models import CoachingHours, ConventionPartner, Payment
    from reimbursements.models import StatementJob, StatementJobStatus

    world.partner = ConventionPartner.objects.filter(convention__cpas=world.cpas).order_by("pk").first()
    world.payment = Payment.objects.filter(convention__cpas=world.cpas).order_by("pk").first()
    world.hours = CoachingHours.objects.filter(convention__cpas=world.cpas).order_by("pk").first()
    # A statement import waiting for the worker: its page shows its progress.
    world.statement_job = StatementJob.objects.create(
        cpas=world.cpas, file_name="extrait.txt", content=b"x", sha256="0" * 64, requested_by=finance,
        status=StatementJobStatus.QUEUED)
    world.users[ADMINISTRATOR] = get_user_model().objects.get(username=ADMIN_USERNAME)
    world.batch = claim_services.claim_batch_start(acting_user=world.users[ADMINISTRATOR], measure="art60",
                                                   period_kind="month", year=2026, number=4, cpas_list=[world.cpas])
    notify_in(world, "fr")
    return world


def notify_in(world, language):
    """Notifications are recorded in the language of their CPAS by the daily job (cpas_portal/notifications.py):
    the world's are recorded again as for a CPAS of ``language``."""
    from cpas_portal.notifications import notifications_record_due

    Notification.objects.filter(cpas=world.cpas).delete()
    with translation.override(language):
        notifications_record_due(cpas=world.cpas, on=date.today())
    caseworker = world.users[Role.CASEWORKER]
    if not Notification.objects.filter(user=caseworker).exists():
        Notification.objects.create(user=caseworker, cpas=world.cpas, key="scan", due=date(2026, 3, 2),
                                    kind="rights.ending", text="—", url="/")


def speak(client, language):
    """The client asks for pages in ``language`` (the language cookie, as the language menu sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language


# Pages that differ by role: scanned as every role. Every other page is scanned as the first role it opens
# for (or, opening for none, as the refusal page the first role gets).
EVERY_ROLE = {"home", "inbox", "account", "files_handover"}
# The superuser (administrator across CPAS) last: the pages only they open (batches, allocations).
ADMINISTRATOR = "administrator"
ROLES = [Role.CASEWORKER, Role.FINANCE, Role.MANAGER, Role.AUDITOR, ADMINISTRATOR]


def _urls(world):
    """(route name, url) of every page to scan."""
    for route, name, pattern in url_patterns():
        yield name or route, reverse(name, kwargs=FILLERS[name](world)) if parameters(pattern) else reverse(name)


def _is_page(response):
    return response.status_code not in (301, 302, 405) and "text/html" in response.get("Content-Type", "")


def rendered_pages(client, world, language):
    """(where, html) of every page in ``language``: each page as the first role it opens for; a page opening for
    no role as the refusal the first role gets."""
    clients = {}
    for role in ROLES:
        clients[role] = client_class = type(client)()
        client_class.force_login(world.users[role])
        speak(client_class, language)
    for name, url in _urls(world):
        fallback = None
        for role in ROLES:
            response = clients[role].get(url)
            if not _is_page(response):
                continue
            where = f"{url} ({role})"
            if response.status_code == 200 or name in EVERY_ROLE:
                yield where, response.content.decode()
                if name not in EVERY_ROLE:
                    break
            elif fallback is None:
                fallback = where, response.content.decode()
        else:
            if fallback and name not in EVERY_ROLE:
                yield fallback


def scan_html(html, where, language, detector, found):
    """Adds to ``found`` {problem: [(text, where), …]}."""
    if "<html" in html and f'<html lang="{language}"' not in html:  # a whole page, not an HTMX fragment
        found.setdefault(f"the page is not in {language} (<html lang> differs)", []).append(("", where))
    for problem, part in detector.problems(visible_text(html)):
        found.setdefault(problem, []).append((part, where))


def scan(client, world, language, detector):
    found = {}
    for where, html in rendered_pages(client, world, language):
        scan_html(html, where, language, detector, found)
    return found


def report(found, language):
    lines = []
    for problem, seen in sorted(found.items()):
        texts = sorted({text for text, _where in seen if text})
        places = sorted({where for _text, where in seen})
        lines.append(f"{problem}" + (f" in {texts[0][:140]!r}" if texts else "")
                     + (f" (and {len(texts) - 1} other text(s))" if len(texts) > 1 else "")
                     + f"\n      on {', '.join(places[:3])}"
                     + (f" and {len(places) - 3} more" if len(places) > 3 else ""))
    return f"{len(found)} problem(s) on pages in {language}:\n  " + "\n  ".join(lines)


@pytest.mark.django_db
def test_every_page_speaks_the_users_language(client, catalogues):
    """French, Dutch and German in turn over one world (building it is the slow part)."""
    world = build_world()
    reports = []
    for language in SCANNED:
        notify_in(world, language)
        found = scan(client, world, language,
                     Detector(language, catalogues, awaiting_translation(language, catalogues)))
        if found:
            reports.append(report(found, language))
    assert not reports, "\n\n".join(reports)


def test_the_detector_finds_another_catalogue_and_english(catalogues):
    """What the scan fails on: a Dutch or German translation on a French page, an English UI word."""
    french = Detector("fr", catalogues)
    dutch_fragment, (language, source) = next(
        (fragment, origin) for fragment, origin in french.foreign.items() if origin[0] == "nl")
    assert language == "nl" and catalogues["nl"]
    assert french.problems([f"Bonjour. {dutch_fragment}."]), (dutch_fragment, source)
    assert french.problems(["Save the changes"]) and french.problems(["Annuler", "Cancel"])
    assert not french.problems(["Date de naissance", "Total", "Enregistrer les modifications"])
    german = Detector("de", catalogues)
    assert german.problems(["Date"]) and not german.problems(["Status", "Details", "Name"])
    assert german.problems(["Speichern", "Enregistrer les modifications"]) or not any(
        "Enregistrer les modifications" in fragment for fragment in german.foreign)


def test_visible_text_counts_what_users_see_and_hear():
    parts = visible_text('<html><head><style>.x{}</style><script>var Save = 1;</script></head><body>'
                         '<p>Bonjour <b>Amélie</b></p><input type="submit" value="Envoyer">'
                         '<button aria-label="Fermer" title="Fermer la fenêtre">×</button>'
                         '<input placeholder="Rechercher"><form data-confirm="Signer ?"></form></body></html>')
    assert parts == ["Bonjour", "Amélie", "Envoyer", "Fermer", "Fermer la fenêtre", "×", "Rechercher", "Signer ?"]


@pytest.mark.django_db
def test_error_pages_speak_the_users_language(client, catalogues, alice, beneficiary_b):
    """A refused page, a page of another CPAS (404) and a server error, in each language."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.utils.module_loading import import_string

    from cpas_portal.urls import handler500

    reports = []
    for language in SCANNED:
        detector, found = Detector(language, catalogues, awaiting_translation(language, catalogues)), {}
        client.force_login(alice)
        speak(client, language)
        for url, status in [(reverse("beneficiary_detail", args=[beneficiary_b.pk]), 404),
                            (reverse("budget_allocation"), 403), ("/no-such-page/", 404)]:
            response = client.get(url)
            assert response.status_code == status, url
            scan_html(response.content.decode(), f"{url} ({status})", language, detector, found)
        request = RequestFactory().get("/")
        request.user, request.LANGUAGE_CODE = alice, language
        with translation.override(language):
            response = import_string(handler500)(request)
        scan_html(response.content.decode(), "500", language, detector, found)
        if found:
            reports.append(report(found, language))
    assert not reports, "\n\n".join(reports)


def test_citations_awaiting_translation_are_only_the_untranslated_ones(catalogues):
    from conventions import parameters

    marked = marked_citations()
    assert parameters.INTERPRETATION in marked and "Circular of 21 October 2002, §4.3" in marked
    assert parameters.AR_2004 not in marked  # French: shown through its English wording, never exempt
    translated = {"fr": {**catalogues["fr"], (None, parameters.INTERPRETATION): "Interprétation"}}
    assert parameters.INTERPRETATION not in awaiting_translation("fr", translated)
    assert Detector("fr", catalogues, {"Where the law is silent"}).problems(["Where the law is silent"]) == []
    assert Detector("fr", catalogues).problems(["Where the law is silent"])
