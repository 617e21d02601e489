"""Geometry of the budget chart, drawn as inline SVG by the template (no script: the site's CSP forbids it)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 20, 40


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    consumed_y: float
    consumed_height: float
    forecast_y: float
    forecast_height: float
    cumulative: Decimal


def budget_chart(overview):
    """Bars of the cumulative amount by month (consumed, then forecast) against the budget line."""
    top_value = max([overview.granted or 0, overview.forecast, Decimal("1")])
    top_value = Decimal(top_value) * Decimal("1.1")
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(overview.months)

    def y(value):
        return round(TOP + plot_height * (1 - float(Decimal(value) / top_value)), 1)

    bars = []
    consumed_so_far = Decimal("0.00")
    for index, month in enumerate(overview.months):
        consumed_so_far += month.consumed
        consumed_top, total_top = y(consumed_so_far), y(month.cumulative)
        bars.append(Bar(
            label=month.month.strftime("%m"), x=round(LEFT + index * slot + slot * 0.15, 1), width=round(slot * 0.7, 1),
            consumed_y=consumed_top, consumed_height=round(HEIGHT - BOTTOM - consumed_top, 1),
            forecast_y=total_top, forecast_height=round(consumed_top - total_top, 1), cumulative=month.cumulative,
        ))
    ticks = [(number_format(round(top_value * share / 4), 0, use_l10n=True, force_grouping=True),
              y(top_value * share / 4)) for share in range(5)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18, "bars": bars, "ticks": ticks,
        "budget_y": y(overview.granted) if overview.granted is not None else None,
        "quarter_y": y(overview.quarter_limit) if overview.quarter_limit is not None else None,
    }
