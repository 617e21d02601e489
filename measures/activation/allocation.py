"""Reading the lines typed or pasted on the allocation page: ``nis_code;value`` per CPAS."""

from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cpas_portal.inputs import parse_decimal
from cpas_portal.models import Cpas


def _rows(text):
    for number, line in enumerate(text.strip().splitlines(), start=1):
        line = line.strip()
        if line:
            yield number, [part.strip() for part in line.split(";" if ";" in line else ",")]


def _amount(raw):
    """An amount as written in Belgium (``1.234,56``) or plainly (``1234.56``)."""
    raw = raw.replace(" ", "").replace("€", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    return parse_decimal(raw)


def parse_lines(text, *, field, integer):
    """``{Cpas: value}`` in the order given; an unknown code, a repeated CPAS or a bad value is an error."""
    values, errors, seen = {}, [], {}
    rows = list(_rows(text))
    codes = {parts[0] for _number, parts in rows}
    cpas_by_code = {cpas.nis_code: cpas for cpas in Cpas.objects.filter(nis_code__in=codes)}
    for number, parts in rows:
        if len(parts) != 2:
            errors.append(_("Line %(line)s: expected NIS code;value.") % {"line": number})
            continue
        code, raw = parts
        try:
            value = int(raw) if integer else _amount(raw)
        except (ValueError, InvalidOperation, ValidationError):
            errors.append(_("Line %(line)s: %(value)s is not a valid number.") % {"line": number, "value": raw[:20]})
            continue
        cpas = cpas_by_code.get(code)
        if cpas is None:
            errors.append(_("Line %(line)s: no CPAS with NIS code %(code)s.") % {"line": number, "code": code[:10]})
        elif cpas in seen:
            errors.append(_("Line %(line)s: the CPAS %(code)s is already on line %(first)s.")
                          % {"line": number, "code": code, "first": seen[cpas]})
        elif value < 0:
            errors.append(_("Line %(line)s: the value cannot be negative.") % {"line": number})
        else:
            seen[cpas] = number
            values[cpas] = value
    if errors:
        raise ValidationError({field: errors})
    if not values:
        raise ValidationError({field: _("No line was read.")})
    return values
