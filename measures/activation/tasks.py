"""Background work of the social-activation subsidies: the final report's PDF."""

from celery import shared_task

from . import services


# As the claim jobs: a worker child that dies gives the message back; the job row makes a second
# delivery harmless.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def make_report(report_id):
    report = services.report_run(report_id)
    return {"report": report_id, "status": report.status if report else "missing"}
