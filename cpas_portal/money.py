"""Money: Decimal only, rounded once, half-up to the cent; splits that always add up."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def eur(value) -> Decimal:
    """Round to the cent, half-up (the rounding of every amount in this project)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_by_shares(total, shares):
    """Split ``total`` by ``shares`` (any positive Decimals, e.g. percentages) to the cent.

    Each part is rounded half-up; the cents left over (or taken back) by rounding go to the
    largest share, the first one on a tie, so the parts always add up to ``total`` exactly
    (DOMAIN.md §5, interpretation).
    """
    total = eur(total)
    shares = [Decimal(share) for share in shares]
    if not shares:
        raise ValueError("At least one share is needed to split an amount.")
    if any(share < 0 for share in shares) or sum(shares) <= 0:
        raise ValueError("Shares must be positive.")
    whole = sum(shares)
    parts = [eur(total * share / whole) for share in shares]
    largest = max(range(len(shares)), key=lambda index: (shares[index], -index))
    parts[largest] += total - sum(parts)
    return parts


def split_largest_remainder(total, weights):
    """Split ``total`` in proportion to ``weights`` (non-negative numbers) to the cent, by largest remainder.

    Each part gets the whole cents of its exact quota; the cents left go one by one to the parts with the
    largest remainders (the first one on a tie), so the parts add up to ``total`` exactly and no part is
    more than a cent away from its exact quota. A weight of 0 gets 0.
    """
    cents = int(eur(total) * 100)
    weights = [Fraction(str(weight)) if isinstance(weight, Decimal) else Fraction(weight) for weight in weights]
    if not weights:
        raise ValueError("At least one weight is needed to split an amount.")
    if cents < 0 or any(weight < 0 for weight in weights) or sum(weights) <= 0:
        raise ValueError("The total must be positive and the weights positive.")
    whole = sum(weights)
    quotas = [cents * weight / whole for weight in weights]
    parts = [int(quota) for quota in quotas]
    order = sorted(range(len(weights)), key=lambda index: (-(quotas[index] - parts[index]), index))
    for index in order[:cents - sum(parts)]:
        parts[index] += 1
    return [(Decimal(part) / 100).quantize(CENT) for part in parts]
