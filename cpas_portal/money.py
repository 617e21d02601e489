"""Money: Decimal only, rounded once, half-up to the cent; splits that always add up."""

from decimal import ROUND_HALF_UP, Decimal

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
