"""PIIS made through the services, as a caseworker would."""

from datetime import date

from measures.piis import services


def make_piis(user, *, beneficiary, kind="social_participation", sign=False, applied_on=date(2026, 1, 5),
              start=date(2026, 2, 1), end=date(2027, 1, 31), signed_on=date(2026, 1, 28), **fields):
    piis = services.piis_create(acting_user=user, cpas=beneficiary.cpas, beneficiary=beneficiary, kind=kind,
                                applied_on=applied_on, objectives="Rebuild a daily rhythm; French course.",
                                **fields)
    if sign:
        piis = services.piis_sign(acting_user=user, piis=piis, signed_on=signed_on, start=start, end=end)
    return piis
