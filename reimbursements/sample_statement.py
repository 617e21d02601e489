"""A sample monthly statement of SPP IS for a CPAS, made from its own sent claims.

For trying the reconciliation (demo CPAS, training): each line of a claim sent to SPP IS and not
yet paid becomes one record paying it exactly, in the layout the importer reads
(``statement.py``), so importing the sample marks those claims paid. It is made when asked, from
the claims as they are, rather than stored with the demo data: the claims a user generates and
sends (their lines, national numbers, periods and form references) are only known then.

Never a real statement: its file name says "sample".
"""

from . import rules, statement

# The claim line's legislation (law of 2002 / 1965) as the statement's first field writes it.
STATEMENT_LEGISLATION = {rules.LAW_2002: statement.LAW_2002, rules.LAW_1965: statement.LAW_1965}
# Integration income is paid under budget article 102 (the seeded budget-article row, DOMAIN.md §10).
SAMPLE_BUDGET_ARTICLE = "102"


def sample_records(*, nis_code, lines, year_month):
    """One record per claim line (each with its claim preloaded), paying it as claimed.

    Lines of the CPAS itself (no national number) are left out: a statement record always names a
    person. A recovery (a negative line) is paid back as a recovery (amount type 3, sign −).
    """
    records = []
    for line in lines:
        if not line.niss:
            continue
        amount = line.signed_amount
        records.append({
            "legislation": STATEMENT_LEGISLATION.get(line.legislation, statement.LAW_2002),
            "nis_code": nis_code, "year_month": year_month, "niss": line.niss,
            "form_reference": line.form_reference,
            "amount_type": statement.RECOVERY if amount < 0 else statement.GRANT,
            "first_day": line.covered_start, "last_day": line.covered_end,
            "budget_article": SAMPLE_BUDGET_ARTICLE, "amount": amount,
            "name": line.beneficiary_name.upper()[:30],
        })
    return records


def sample_txt(*, nis_code, lines, year_month):
    """The fixed-width TXT statement of :func:`sample_records` (one record a line)."""
    return "".join(statement.format_record(**fields) + "\n"
                   for fields in sample_records(nis_code=nis_code, lines=lines, year_month=year_month))


def file_name(*, nis_code, year_month):
    return f"sample-statement-{nis_code}-{year_month.replace('-', '')}.txt"
