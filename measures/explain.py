"""The "how was this computed" sentences of the measures rules, rendered in the reader's language.

Rules return :class:`Reason` values (a code and plain-string parameters); records store them as
JSON, so a line computed today reads in French or Dutch tomorrow, with amounts in the reader's
locale. A reason marked ``interpretation`` is this project's reading where the texts are silent.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from cpas_portal.citations import cite
from cpas_portal.models import Region

MESSAGES = {
    "rule_set": _("Rule set %(rule_set)s in force in %(region)s since %(since)s (%(source)s)."),
    "ris": _("Full-time: the category-%(category)s integration income in force from %(since)s, "
             "%(amount)s (%(source)s; %(state)s)."),
    "under_25": _("Under 25 at the start of the contract (%(start)s): increased by %(rate)s to %(amount)s, "
                  "kept for the whole contract (%(source)s)."),
    "part_time": _("Part-time: flat monthly subsidy of %(amount)s (%(source)s)."),
    "part_time_under_25": _("Part-time, under 25 at the start of the contract (%(start)s): flat monthly subsidy of "
                            "%(amount)s, kept for the whole contract (%(source)s)."),
    # part_time_credit, combined_lead, combined_other and pay_prorated explain lines computed before the
    # credit was counted in days; claimed lines keep their stored reasons, so their sentences stay.
    "part_time_credit": _("Part-time credit of this CPAS for this person: month %(used)s of %(limit)s."),
    "part_time_credit_exhausted": _("No subsidy: the part-time credit of %(limit)s months of this CPAS for "
                                    "this person is used up (%(source)s)."),
    "combined_lead": _("Two part-time placements of this person at this CPAS are subsidised as one full-time "
                       "placement (%(source)s); the part-time credit is not used."),
    "combined_other": _("No separate subsidy: subsidised together with placement %(other)s as one full-time "
                        "placement (%(source)s)."),
    "part_time_credit_days": _("Part-time credit of this CPAS for this person: %(credited)s days this month; "
                               "%(used)s of %(length)s days used (%(months)s months of contract time counted in "
                               "days from %(since)s; interruptions use none)."),
    "part_time_credit_end": _("The part-time credit ran out on %(day)s: the %(refused)s days after it are not "
                              "subsidised."),
    "combined_days": _("%(covered)s days on which two part-time placements of this person at this CPAS overlap are "
                       "subsidised as one full-time placement (%(source)s); they use no part-time credit."),
    "combined_other_days": _("%(covered)s days subsidised together with placement %(other)s as one full-time "
                             "placement (%(source)s)."),
    "se_part_time_credit": _("Part-time increased subsidy: %(credited)s days this month; %(used)s of %(length)s days "
                             "used (%(months)s months of contract time counted in days from %(since)s; %(source)s)."),
    "se_part_time_credit_end": _("The %(refused)s days after %(day)s are beyond the six months of contract time: "
                                 "not subsidised."),
    "pay_period": _("Pay period from %(start)s to %(until)s: gross monthly pay %(amount)s for %(covered)s of "
                    "%(days)s days."),
    "unpaid_days": _("%(unpaid)s days without pay (unpaid absence) are not covered."),
    "month_pay": _("Gross pay of the month, the sum of its pay periods pro rata of their days: %(amount)s."),
    "days_pay_cap": _("Capped at the gross pay of the %(covered)s subsidised days: %(amount)s."),
    "wage_cost": _("Under 25 the increase runs up to the gross wage cost (%(source)s); gross wage cost of the days "
                   "covered: %(amount)s."),
    "wage_cost_cap": _("Capped at the gross wage cost: %(amount)s."),
    "wage_cost_cap_default": _("Under 25 the increase runs up to the gross wage cost; none is recorded, so the gross "
                               "pay stands for it: capped at %(amount)s."),
    "social_economy": _("Increased subsidy (social economy): the gross pay of the month, %(amount)s (%(source)s)."),
    "minimum_wage": _("Guaranteed average minimum monthly wage in force from %(since)s: %(amount)s (%(source)s; "
                      "%(state)s)."),
    "minimum_wage_band": _("Row of the workers from %(age)s years with %(seniority)s months of seniority: the highest "
                           "row reached by the person's age on the month and seniority since the contract start."),
    "minimum_wage_cap": _("Capped at the guaranteed average minimum monthly wage: %(amount)s."),
    "social_economy_part_time_limit": _("No subsidy: a part-time placement gets the increased subsidy for at most "
                                        "%(limit)s months (%(source)s)."),
    "regime": _("Part-time regime %(regime)s: the cap is proportional, %(amount)s."),
    "before_2013": _("Contract concluded before %(day)s: it keeps the increased subsidy to its end, outside the "
                     "annual budget (%(source)s)."),
    "prorated": _("Incomplete month: %(covered)s of %(days)s days covered, %(amount)s."),
    "pay_prorated": _("Gross pay for the days covered: %(amount)s."),
    "gross_pay_cap": _("Capped at the gross pay of the month: %(amount)s."),
    "no_pay": _("No subsidy: no gross pay this month (unpaid absence or interruption)."),
    "no_ris": _("No integration income amount is in force on %(day)s: an administrator must add it. "
                "The subsidy of this month cannot be computed."),
    "no_minimum_wage": _("No guaranteed average minimum monthly wage is in force on %(day)s: an administrator must "
                         "add it. The subsidy of this month cannot be computed."),
    "not_confirmed": _("Not confirmed: this month is past the date up to which the %(table)s table is confirmed; "
                       "computed with its last row, from %(since)s. A claim holding this line cannot be signed "
                       "until an administrator confirms the table."),
    "no_rule_set": _("No rule set is in force in %(region)s on %(day)s."),
    "art61_cap": _("Art. 61 premium: at most %(cap)s per calendar month of full-time work (%(source)s)."),
    "art61_part_time": _("Part-time regime %(regime)s: the monthly maximum is reduced to %(amount)s."),
    "art61_costs": _("Real costs: supervision %(supervision)s, training %(training)s, training costs carried over "
                     "from earlier months %(carried_in)s."),
    "art61_granted": _("Grant %(number)s of %(limit)s, calendar month %(month_number)s of %(window)s: "
                       "%(amount)s granted."),
    "art61_carried": _("Training costs above the cap carried over to a later month: %(amount)s."),
    "art61_lost": _("Supervision costs above the cap are not carried over: %(amount)s."),
    "allocation": _("Budget = envelope %(envelope)s × average %(average)s / sum of averages %(total)s, "
                    "rounded to the cent so that the budgets add up to the envelope (%(source)s)."),
}

INTERPRETATION_NOTE = _("interpretation, configurable")
INTERPRETATIONS = {"minimum_wage_band", "prorated", "pay_prorated", "art61_lost", "combined_lead", "combined_other",
                   "part_time_credit_days", "part_time_credit_end", "combined_days", "se_part_time_credit",
                   "se_part_time_credit_end", "month_pay", "days_pay_cap", "wage_cost", "wage_cost_cap_default"}
STATES = {"verified": _("verified"), "not verified": _("not yet verified")}
# Rule sets by their stored code, as users read them.
RULE_SETS = {"federal-2002": _("federal 2002 (law of 26 May 2002 and its royal decrees of 11 July 2002)")}
TABLES = {"ris": _("integration income (RIS)"), "minimum_wage": _("guaranteed average minimum monthly wage")}
DATE_KEYS = {"since", "start", "day", "until"}
AMOUNT_KEYS = {"amount", "cap", "supervision", "training", "carried_in", "envelope", "average", "total"}


def money(value):
    return f"{number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)} €"


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def interpretation(self):
        return self.code in INTERPRETATIONS

    def as_json(self):
        return {"code": self.code, "params": {key: str(value) for key, value in self.params.items()}}

    def __str__(self):
        return render(self.as_json())


def render(reason):
    """One stored reason (``{"code", "params"}``) as a sentence in the active language."""
    params = {key: money(value) if key in AMOUNT_KEYS and value not in ("", "None") else value
              for key, value in reason.get("params", {}).items()}
    for key in DATE_KEYS & params.keys():
        try:
            params[key] = date_format(date.fromisoformat(params[key]), "SHORT_DATE_FORMAT")
        except ValueError:
            pass
    if params.get("region") in Region.values:
        params["region"] = Region(params["region"]).label
    if "table" in params:
        params["table"] = TABLES.get(params["table"], params["table"])
    if "state" in params:
        params["state"] = STATES.get(params["state"], params["state"])
    if "source" in params:
        params["source"] = cite(params["source"])
    if "rule_set" in params:
        params["rule_set"] = RULE_SETS.get(params["rule_set"], params["rule_set"])
    text = str(MESSAGES[reason["code"]]) % params
    if reason["code"] in INTERPRETATIONS:
        text = f"{text} [{INTERPRETATION_NOTE}]"
    return text


def render_all(reasons):
    return [render(reason) for reason in reasons or ()]


@dataclass(frozen=True)
class MonthRow:
    """One month of a table: the line itself and only the sentences that differ from the other months."""

    line: object
    own_lines: list


@dataclass(frozen=True)
class YearGroup:
    year: int
    rows: list
    total: Decimal


@dataclass(frozen=True)
class MonthTable:
    """A placement's months: the reasons shared by every month once, then per year the months and what differs."""

    common_lines: list
    years: list


def month_table(lines):
    """Group ``lines`` (with ``month``, ``amount`` and ``explanation_lines``) by year; a sentence every month
    shares (legal basis, rule set, tables in force …) is listed once in ``common_lines`` instead of on each row."""
    rendered = [(line, line.explanation_lines) for line in lines]
    shared = set(rendered[0][1]).intersection(*(set(sentences) for _line, sentences in rendered[1:])) \
        if len(rendered) > 1 else set()
    common = [sentence for sentence in rendered[0][1] if sentence in shared] if rendered else []
    years = {}
    for line, sentences in rendered:
        years.setdefault(line.month.year, []).append(
            MonthRow(line=line, own_lines=[sentence for sentence in sentences if sentence not in shared]))
    return MonthTable(common_lines=list(dict.fromkeys(common)), years=[
        YearGroup(year=year, rows=rows, total=sum((row.line.amount or Decimal(0) for row in rows), Decimal(0)))
        for year, rows in years.items()])
