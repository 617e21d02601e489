"""Template filters: amounts and national numbers shown the way a Belgian reader expects."""

from decimal import Decimal

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.formats import localize, number_format
from django.utils.html import format_html
from django.utils.translation import gettext

from .. import citations
from ..identifiers import niss_display, niss_masked

register = template.Library()


@register.filter
def eur(value):
    """``1234.5`` → ``1.234,50 €`` in French and Dutch, ``1,234.50 €`` in English."""
    if value in (None, ""):
        return "—"
    return f"{number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)} €"


@register.filter
def cite(value):
    """A legal citation in the reader's language (cpas_portal/citations.py)."""
    return citations.cite(value)


@register.filter
def masked_niss(value):
    return niss_masked(value)


@register.filter
def formatted_niss(value):
    return niss_display(value)


@register.filter
def right_type_label(value):
    """The label of a right type code (``ris`` → "Integration income"), empty for none."""
    from cpas_portal.models import RightType

    return RightType(value).label if value in RightType.values else ""


@register.simple_tag(takes_context=True)
def file_section(context, section):
    """Render a section of the person's file with its ``context`` (plus ``section`` and what the page has, such
    as ``beneficiary``), as ``cpas_portal.person_file`` promises its providers."""
    section_template = context.template.engine.get_template(section.template)
    with context.push(**section.context, section=section):
        return section_template.render(context)


@register.simple_tag
def sort_header(sorting, key, label, css_class=""):
    """A ``<th>`` whose label sorts the list on ``key`` (see ``cpas_portal/listing.py``); written in Python, as
    a list has up to ten of them (``tests/kernel/test_table_rows.py`` compares it with its former template)."""
    aria = sorting.aria(key) if sorting is not None else ""
    attributes = format_html(' aria-sort="{}"', aria) if aria else ""
    if css_class:
        attributes = format_html('{} class="{}"', attributes, css_class)
    if sorting is None:
        return format_html('<th scope="col"{}>{}</th>\n', attributes, label)
    mark = {"ascending": " ▲", "descending": " ▼"}.get(aria, "")
    return format_html('<th scope="col"{}><a class="sort" href="{}">{}<span class="sort-mark" aria-hidden="true">{}'
                       '</span></a></th>\n', attributes, sorting.link(key), label, mark)


# Status → badge tone. A badge always shows its text: colour only repeats what the word says.
BADGE_TONES = {
    "success": {"signed", "approved", "paid", "active", "running", "done", "closed", "sent", "matched",
                "granted", "concluded", "held", "valid", "settled", "employed_early"},
    "warning": {"draft", "to_review", "reviewed", "pending", "awaiting", "planned", "partially_paid",
                "waiting", "unmatched", "to_sign", "signed_once", "due", "awaiting_claim", "partly_paid",
                "differs", "ending"},
    "danger": {"cancelled", "rejected", "failed", "refused", "overdue", "stuck", "ended_early", "error"},
    "info": {"ended", "completed", "corrected", "replaced", "queued", "stopped", "superseded", "empty",
             "not_ours"},
}


@register.filter
def badge_tone(status):
    """The tone (``success``, ``warning``, ``danger``, ``info`` or ``neutral``) of a status code."""
    for tone, statuses in BADGE_TONES.items():
        if str(status) in statuses:
            return tone
    return "neutral"


@register.simple_tag
def status_badge(status, label, element_id=""):
    """A coloured badge with its text: ``{% status_badge obj.status obj.get_status_display %}`` (written in Python:
    a list shows one a row)."""
    if element_id:
        return format_html('<span class="badge badge--{}" id="{}">{}</span>\n', badge_tone(status), element_id, label)
    return format_html('<span class="badge badge--{}">{}</span>\n', badge_tone(status), label)


@register.simple_tag
def due_rows(items):
    """The table rows of due items (``home/_items.html``), written in Python (``cpas_portal/table_rows.py``): a
    day's list has up to 150 of them, and the template engine spent 0.4 ms a row. The markup is the template's
    (``tests/home/test_due_rows.py`` renders both); each legal source is cited once per list."""
    from ..table_rows import date_formatter, esc, safe

    cited = {}
    short_date = date_formatter()
    open_label = esc(gettext("Open"))
    rows = []
    for item in items:
        if item.source not in cited:
            cited[item.source] = esc(citations.cite(item.source))
        if item.beneficiary_name:
            person = esc(item.beneficiary_name) + (
                f' <span class="muted">{esc(item.beneficiary_niss_masked)}</span>' if item.beneficiary_niss_masked
                else "")
        else:
            person = "—"
        amount = (f' <span class="muted">({esc(localize(item.amount))} €)</span>' if item.amount is not None else "")
        rows.append(f'    <tr data-key="{esc(item.key)}">\n      <td>{short_date(item.due)}</td>\n'
                    f'      <td>{person}</td>\n      <td>{esc(item.reason)}{amount}</td>\n'
                    f'      <td class="muted small">{cited[item.source]}</td>\n'
                    f'      <td><a href="{esc(item.url)}">{open_label}</a></td>\n    </tr>\n')
    return safe(rows)


@register.simple_tag
def caseworker_count_rows(rows, selected=None):
    """The manager's rows per caseworker (``home/manager.html``): their counts of overdue / this week / within 30
    days, written in Python (a large CPAS has a hundred caseworkers; ``tests/home/test_manager_rows.py`` renders
    the former template too)."""
    from ..table_rows import esc, integer_formatter, safe

    count = integer_formatter()
    chosen = selected.pk if selected else None
    written = []
    for user, groups in rows:
        current = ' aria-current="true"' if chosen is not None and chosen == user.pk else ""
        counts = groups.counts
        written.append(
            f'    <tr{current}>\n      <td><a href="?caseworker={user.pk}">{esc(user.get_full_name() or user.username)}'
            f'</a></td>\n      <td>{count(counts["overdue"])}</td><td>{count(counts["week"])}</td>'
            f'<td>{count(counts["month"])}</td>\n    </tr>\n')
    return safe(written)


@register.simple_tag
def beneficiary_rows(people):
    """The rows of the beneficiary list (``beneficiaries/_results.html``), written in Python
    (``cpas_portal/table_rows.py``; compared with the template in ``tests/kernel/test_table_rows.py``)."""
    from ..models import RightType
    from ..table_rows import badge, date_formatter, esc, masked_niss, safe
    from ..url_patterns import choice_labels, url_maker

    detail_url, short_date = url_maker("beneficiary_detail"), date_formatter()
    right_labels = choice_labels(RightType.choices)
    rows = []
    for person in people:
        referent = person.referent.get_full_name() if person.referent_id else ""
        rows.append(
            f'    <tr>\n      <td><a href="{esc(detail_url(person.pk))}">{esc(person.last_name.upper())} '
            f'{esc(person.first_name)}</a></td>\n'
            f'      <td><code class="niss">{masked_niss(person.niss)}</code></td>\n'
            f'      <td>{short_date(person.birth_date)}</td>\n'
            f'      <td>{esc(right_labels.get(person.right_type_on_day) or "—")}</td>\n'
            f'      <td>{esc(person.category_label or "—")}</td>\n'
            f'      <td>{badge(person.status_on_day, person.status_label)}</td>\n'
            f'      <td>{esc(referent or "—")}</td>\n    </tr>\n')
    return safe(rows)


# Markup rendered once per process for each value of its key (``{% memo %}``); emptied when it grows past this.
_MEMO = {}
MEMO_SIZE = 4000


class MemoNode(template.Node):
    def __init__(self, name, key, nodelist):
        self.name, self.key, self.nodelist = name, key, nodelist

    def render(self, context):
        key = (self.name, translation.get_language(), get_urlconf(), get_script_prefix(),
               *(variable.resolve(context) for variable in self.key))
        markup = _MEMO.get(key)
        if markup is None:
            markup = self.nodelist.render(context)
            if len(_MEMO) >= MEMO_SIZE:
                _MEMO.clear()
            _MEMO[key] = markup
        return markup


@register.tag
def memo(parser, token):
    """``{% memo "name" variable … %}…{% endmemo %}``: the block's markup, rendered once per process for each
    value of the variables named (with the active language and URL configuration), then reused. For markup that
    depends on nothing else, such as the main menu: every page renders it, and it cost a fifth of a list page's
    own time. Never put in it anything that varies without appearing in its key (a CSRF token, a name)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} takes a name and the variables its markup depends on.")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
