"""German (the German-speaking Community's ÖSHZ): the pages speak German, every catalogue is complete,
and no translation (German, French or Dutch) loses or invents a placeholder or an HTML tag."""

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.kernel.test_beneficiary_pages import VALID

ROOT = Path(settings.BASE_DIR)
CATALOGUE_DIRS = ["locale", "measures/locale", "conventions/locale", "reimbursements/locale"]
TRANSLATED = ["fr", "nl", "de"]
CATALOGUES = [ROOT / d / lang / "LC_MESSAGES" / "django.po" for d in CATALOGUE_DIRS for lang in TRANSLATED]
CATALOGUE_IDS = [str(path.relative_to(ROOT)) for path in CATALOGUES]
GERMAN = [path for path in CATALOGUES if path.parts[-3] == "de"]
GERMAN_IDS = [str(path.relative_to(ROOT)) for path in GERMAN]

# %(name)s, %s, %d, %% (python-format) and {0} / {name} (brace format).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _unquote(text):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1])


def entries(path):
    """The entries of a .po file (the header left out) as dicts: msgctxt, msgid, msgid_plural,
    msgstr or msgstr[n], and ``flags``."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, field = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += _unquote(line)
            else:
                field, _, value = line.partition(" ")
                entry[field] = _unquote(value)
        if entry.get("msgid"):
            found.append(entry)
    return found


def translations(entry):
    """(source, translation) pairs: the singular against msgid, every plural form against msgid_plural."""
    if "msgid_plural" not in entry:
        return [(entry["msgid"], entry["msgstr"])]
    forms = sorted(key for key in entry if key.startswith("msgstr["))
    return [(entry["msgid"] if form == "msgstr[0]" else entry["msgid_plural"], entry[form]) for form in forms]


def test_the_catalogue_list_covers_every_app_and_language():
    assert {code for code, _ in settings.LANGUAGES} == {"en", *TRANSLATED}
    assert all(path.exists() for path in CATALOGUES), [p for p in CATALOGUES if not p.exists()]
    on_disk = {*ROOT.glob("locale/*/LC_MESSAGES/django.po"), *ROOT.glob("*/locale/*/LC_MESSAGES/django.po")}
    assert on_disk == set(CATALOGUES)


@pytest.mark.parametrize("path", GERMAN, ids=GERMAN_IDS)
def test_every_german_entry_is_translated_and_none_is_fuzzy(path):
    found = entries(path)
    assert len(found) > 100
    untranslated = [e["msgid"] for e in found if not all(text for _, text in translations(e))]
    fuzzy = [e["msgid"] for e in found if "fuzzy" in e["flags"]]
    assert (untranslated, fuzzy) == ([], [])
    header = path.read_text(encoding="utf-8")
    assert '"Language: de\\n"' in header and '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is part of the image")
@pytest.mark.parametrize("path", GERMAN, ids=GERMAN_IDS)
def test_msgfmt_counts_no_untranslated_or_fuzzy_german_entry(path):
    stats = subprocess.run(["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True, check=True).stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", stats), stats


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is part of the image")
@pytest.mark.parametrize("path", GERMAN, ids=GERMAN_IDS)
def test_the_committed_german_mo_is_compiled_from_its_po(path):
    compiled = subprocess.run(["msgfmt", "-o", "-", str(path)], capture_output=True, check=True).stdout
    fresh = gettext.GNUTranslations(io.BytesIO(compiled))._catalog
    with path.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == fresh


@pytest.mark.parametrize("path", CATALOGUES, ids=CATALOGUE_IDS)
def test_translations_keep_the_placeholders_and_html_of_their_source(path):
    wrong = []
    for entry in entries(path):
        for source, text in translations(entry):
            if not text:
                continue  # untranslated: gettext falls back to the source (the completeness test decides)
            for pattern in (PLACEHOLDER, HTML_TAG):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                    wrong.append((source, text))
    assert wrong == []


@pytest.mark.parametrize(("source", "text"), [
    ("Page %(number)s of %(pages)s", "Seite %(number) von %(pages)s"),
    ("%(count)s lines", "Zeilen"),
    ("Shares add up to 100 %%.", "Die Anteile ergeben 100 %."),
    ("<strong>%(name)s</strong>", "%(name)s"),
])
def test_the_placeholder_check_catches_a_broken_translation(source, text):
    assert any(sorted(p.findall(source)) != sorted(p.findall(text)) for p in (PLACEHOLDER, HTML_TAG))


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["de", "de-BE,de;q=0.9,fr;q=0.8"])
def test_the_login_page_in_german_from_accept_language(client, accept):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page and "Benutzername" in page
    assert '<option value="de" selected>DE</option>' in page


@pytest.mark.django_db
def test_a_failed_login_says_so_in_german(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="de")
    assert "Ihr Benutzername und Passwort stimmen nicht überein." in response.content.decode()


@pytest.mark.django_db
def test_the_beneficiary_list_in_german_from_accept_language(client_for, alice, beneficiary_a):
    page = client_for(alice).get(reverse("beneficiary_list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1>Begünstigte</h1>" in page or ">Begünstigte<" in page
    assert "Nationalregisternummer" in page and "Neue(r) Begünstigte(r)" in page
    # Belgian formats in German too, not Germany's 17.05.1990.
    assert "17/05/1990" in page and "17.05.1990" not in page


@pytest.mark.django_db
def test_long_dates_in_german_take_the_ordinal_dot(client_for, alice, beneficiary_a):
    page = client_for(alice).get(reverse("beneficiary_detail", args=[beneficiary_a.pk]),
                                 HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "17. Mai 1990" in page


@pytest.mark.django_db
def test_the_language_switcher_offers_german_and_keeps_it(client_for, alice, beneficiary_a):
    client = client_for(alice)
    assert '<option value="de"' in client.get(reverse("beneficiary_list")).content.decode()
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    page = client.get(reverse("beneficiary_list")).content.decode()
    assert '<html lang="de">' in page and "Begünstigte" in page and "Bénéficiaires" not in page
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Bénéficiaires" in client.get(reverse("beneficiary_list")).content.decode()


@pytest.mark.django_db
def test_form_errors_in_german_after_choosing_german(client_for, alice):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    data = {**VALID, "niss": "85.07.30-033.29", "postal_code": "50", "last_name": ""}
    response = client.post(reverse("beneficiary_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Prüfziffern dieser Nationalregisternummer sind falsch" in page
    assert "Eine belgische Postleitzahl hat 4 Ziffern." in page
    assert "Bitte korrigieren Sie die unten stehenden Fehler." in page


@pytest.mark.django_db
def test_form_errors_in_german_from_accept_language(client_for, alice):
    response = client_for(alice).post(reverse("beneficiary_create"), {**VALID, "niss": "123"},
                                      HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Eine Nationalregisternummer hat 11 Ziffern." in response.content.decode()
