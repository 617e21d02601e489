"""Legal citations in the reader's language.

The dated parameters cite their source as written when the rule was entered, and the explanations of past
computations keep that text. A citation is shown to readers of its own language as written (the official
wording of a Belgian text in French stays the one a French reader knows), and to every other reader through
the translation catalogue, from its English wording. A citation made of parts (``"A; B"``) is translated
part by part. Text the catalogue does not know is shown as stored: a citation is never lost.

Source strings are marked with ``gettext_noop`` where they are defined, so the catalogues carry them.
"""

from django.utils.translation import get_language, gettext, gettext_noop

# The project's own choices where the texts are silent, as users read them (never a project document).
INTERPRETATION = gettext_noop("Interpretation of CPAS Portal where the texts are silent, configurable")

# Citations written in French: their English wording, through which other languages translate them.
FRENCH = {
    "AR du 23/09/2004 (guidance et accompagnement vers l'emploi en entreprise)":
        gettext_noop("Royal Decree of 23/09/2004 (guidance and coaching towards employment in a firm)"),
    "AR du 08/10/2012 modifiant l'AR du 23/09/2004, circulaire du 31/01/2013 §2":
        gettext_noop("Royal Decree of 08/10/2012 amending the Royal Decree of 23/09/2004, circular of 31/01/2013 §2"),
    "Circulaire du 31/01/2013 §3 (avance de la moitié, solde sur déclaration de créance)":
        gettext_noop("Circular of 31/01/2013 §3 (half paid in advance, the balance on the partner's claim)"),
    "SPP IS, formulaire B, zone « convention de partenariat » (0 / 1 / 2)":
        gettext_noop("SPP IS, form B, field “partnership convention” (0 / 1 / 2)"),
    "Loi du 26/05/2002 concernant le droit à l'intégration sociale, art. 36 §1 et 37":
        gettext_noop("Law of 26/05/2002 on the right to social integration, art. 36 §1 and 37"),
    "AR du 11/07/2002 (occupation à temps partiel, art. 60 §7), circulaire du 21/10/2002 §4.1.2":
        gettext_noop("Royal Decree of 11/07/2002 (part-time employment, art. 60 §7), circular of 21/10/2002 §4.1.2"),
    "AR du 04/09/2002 (mise à disposition d'une entreprise privée), circulaire du 21/10/2002 §4.1.3":
        gettext_noop("Royal Decree of 04/09/2002 (placement with a private firm), circular of 21/10/2002 §4.1.3"),
    "AR du 11/07/2002 (subvention majorée, économie sociale), circulaire du 21/10/2002 §4.1.4":
        gettext_noop("Royal Decree of 11/07/2002 (increased subsidy, social economy), circular of 21/10/2002 §4.1.4"),
    "Circulaire du 15/03/2013, art. 60 §7 subvention majorée de l'État 2013":
        gettext_noop("Circular of 15/03/2013, art. 60 §7 increased State subsidy 2013"),
    "AR du 11/07/2002 (encadrement et formation, art. 61), circulaire du 21/10/2002 §4.2":
        gettext_noop("Royal Decree of 11/07/2002 (supervision and training, art. 61), circular of 21/10/2002 §4.2"),
    "Loi organique des CPAS du 08/07/1976, art. 60 §7; AR du 25/11/1991 portant réglementation du chômage, art. 30 "
    "(période de référence la plus longue : 42 mois)":
        gettext_noop("Organic law of the CPAS of 08/07/1976, art. 60 §7; Royal Decree of 25/11/1991 on "
                     "unemployment, art. 30 (longest reference period: 42 months)"),
    "AR du 11/07/2002, circulaire du 21/10/2002 §4.1.4":
        gettext_noop("Royal Decree of 11/07/2002, circular of 21/10/2002 §4.1.4"),
    # Sources of the national tables as seeded (the administrators edit them in the admin).
    "SPP IS, montants du revenu d'intégration (Primabook) — loi du 26/05/2002, art. 14":
        gettext_noop("SPP IS, integration income amounts (Primabook) — law of 26/05/2002, art. 14"),
    "CNT, CCT n° 43 (montant avec ancienneté), indexé; à rapprocher d'une table publiée":
        gettext_noop("CNT, collective agreement no. 43 (amount with seniority), indexed; to check against a "
                     "published table"),
    "CNT, CCT n° 43, indexé (indice-pivot); à rapprocher d'une table publiée":
        gettext_noop("CNT, collective agreement no. 43, indexed (pivot index); to check against a published table"),
    "CNT, CCT n° 43/16: RMMMG unique dès 18 ans au 01/04/2022":
        gettext_noop("CNT, collective agreement no. 43/16: a single guaranteed minimum wage from 18 years on "
                     "01/04/2022"),
    "CNT, CCT n° 43/17, indexé de 2 % (dépassement de l'indice-pivot)":
        gettext_noop("CNT, collective agreement no. 43/17, indexed by 2 % (pivot index exceeded)"),
    "CNT, convention collective de travail n° 43/17 (RMMMG au 01/04/2024)":
        gettext_noop("CNT, collective agreement no. 43/17 (guaranteed minimum wage on 01/04/2024)"),
}
# English sources seeded in the tables, marked here so the catalogues carry them.
SEEDED = (
    gettext_noop("Derived from the base amounts and the index coefficient (loi du 26/05/2002, art. 14)"),
)
# Wordings stored by earlier versions, shown as today's.
LEGACY = {
    "CNT, CCT n° 43/16: RMMMG unique dès 18 ans au 01/04/2022 (DOMAIN.md §6)":
        "CNT, CCT n° 43/16: RMMMG unique dès 18 ans au 01/04/2022",
    "CPAS Portal interpretation (DOMAIN.md §5), configurable": INTERPRETATION,
    "CPAS Portal interpretation (DOMAIN.md §10), configurable": INTERPRETATION,
    "AR du 23/09/2004 (guidance et accompagnement vers l'emploi en entreprise) — DOMAIN.md §5":
        "AR du 23/09/2004 (guidance et accompagnement vers l'emploi en entreprise)",
}
SEPARATOR = "; "
QUOTE = ": "


def _language():
    return (get_language() or "").split("-")[0]


def _known(text):
    text = LEGACY.get(text, text)
    if text in FRENCH:
        return text if _language() == "fr" else gettext(FRENCH[text])
    return gettext(text)


def _one(text):
    """One citation; ``"<citation>: <quotation or comment>"`` translates the citation when the whole is unknown."""
    whole = _known(text)
    if whole != text or QUOTE not in text:
        return whole
    head, _sep, tail = text.partition(QUOTE)
    return f"{_known(head)}{QUOTE}{_known(tail)}"


def cite(source):
    """``source`` in the active language (see the module's description); "" for no source."""
    if not source:
        return ""
    text = str(source).strip()
    # The whole first; then its parts, before any "citation: comment" split (which would otherwise cut
    # the first part's comment from the other parts and leave them all untranslated).
    whole = _known(text)
    if whole != text or SEPARATOR not in text:
        return _one(text)
    return SEPARATOR.join(_one(part) for part in text.split(SEPARATOR))
