"""Generate the claims of one measure and period for every CPAS (a Celery group), and follow it."""

import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reimbursements import selectors, services
from reimbursements.models import Measure, PeriodKind


class Command(BaseCommand):
    help = "Claims of a measure for a month (--month 2026-03) or a quarter (--quarter 2026-1) for every CPAS."

    def add_arguments(self, parser):
        parser.add_argument("--measure", required=True, choices=Measure.values)
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--month", help="YYYY-MM")
        period.add_argument("--quarter", help="YYYY-Q (Q from 1 to 4)")
        parser.add_argument("--user", required=True, help="Username of the administrator starting the batch.")
        parser.add_argument("--wait", action="store_true", help="Print the progress until every job ends.")
        parser.add_argument("--timeout", type=int, default=3600, help="Seconds to wait at most (with --wait).")

    def handle(self, *args, **options):
        kind, text = (PeriodKind.MONTH, options["month"]) if options["month"] else (PeriodKind.QUARTER,
                                                                                    options["quarter"])
        try:
            year, number = (int(part) for part in text.split("-"))
        except ValueError:
            raise CommandError(f"Write the period as YYYY-MM or YYYY-Q, not {text!r}.") from None
        user = get_user_model().objects.filter(username=options["user"], is_superuser=True).first()
        if user is None:
            raise CommandError("The batch is started by an administrator (superuser).")
        try:
            batch = services.claim_batch_start(acting_user=user, measure=options["measure"], period_kind=kind,
                                               year=year, number=number)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Batch {batch.pk}: {batch}")
        deadline = time.monotonic() + options["timeout"]
        while options["wait"]:
            progress = selectors.batch_progress(batch)
            self.stdout.write(f"{progress['percent']:3d} %  done {progress['done']}/{progress['total']}, "
                              f"failed {progress['failed']}")
            if not progress["active"]:
                break
            if time.monotonic() > deadline:
                raise CommandError("The batch is still running; follow it in the administration.")
            time.sleep(1)
