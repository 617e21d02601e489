"""How a benchmark command states a target, so ``manage.py benchmark_suite`` can gather every result in one table.

A benchmark prints, besides its own detail, one line per target of issue "speed at scale"::

    TARGET | search "ines", PostgreSQL | 12.3 ms | ≤ 20 ms | met

:func:`target` writes that line and returns whether the target is met; :func:`parse` reads such lines back from a
command's output. ``higher_is_better`` is for throughput (requests/s), where the measure must reach the limit.
"""

from dataclasses import dataclass

PREFIX = "TARGET | "


@dataclass(frozen=True)
class Result:
    name: str
    measured: str
    limit: str
    met: bool


def _number(value):
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def target(write, name, measured, limit, unit, *, higher_is_better=False):
    """Print the target line through ``write`` (a command's ``self.stdout.write``); return whether it is met."""
    met = measured >= limit if higher_is_better else measured <= limit
    sign = "≥" if higher_is_better else "≤"
    write(f"{PREFIX}{name} | {_number(measured)} {unit} | {sign} {_number(limit)} {unit} | "
          f"{'met' if met else 'MISSED'}")
    return met


def parse(output):
    """The :class:`Result` of each target line in a command's output, in order."""
    results = []
    for line in output.splitlines():
        if not line.startswith(PREFIX):
            continue
        name, measured, limit, verdict = (part.strip() for part in line[len(PREFIX):].split(" | "))
        results.append(Result(name, measured, limit, verdict == "met"))
    return results
