"""Background work of claims: generation (gather, write, render), re-rendering after a signature, the
import of payment statements, and the watcher that Celery beat runs. The job rows say what is left to
do; these tasks are safe to run twice (a message delivered again, or sent again by the watcher, finishes a job once)."""

from celery import shared_task

from . import services
from .models import Claim


# acks_late + reject_on_worker_lost: a worker child that dies gives the message back. A whole worker
# killed keeps it unacknowledged until the visibility timeout: the heartbeat and the watcher cover that.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def generate_claim(self, job_id):
    job = services.run_generation_job(job_id, heartbeat=not self.request.is_eager)
    if job is None:
        return {"job": job_id, "status": "missing", "claim": None}
    return {"job": job.pk, "status": job.status, "claim": job.claim_id}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_pdf(claim_id):
    claim = Claim.objects.get(pk=claim_id)
    return services.claim_pdf_render(claim=claim).sha256


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def import_statement(self, job_id):
    from . import statements

    job = statements.run_statement_job(job_id, threaded=not self.request.is_eager)
    if job is None:
        return {"job": job_id, "status": "missing", "statement": None}
    return {"job": job.pk, "status": job.status, "statement": job.statement_id}


@shared_task(ignore_result=True)
def watch_jobs():
    from . import statements

    return {**services.jobs_watch(), "statements": statements.statement_jobs_watch()}
