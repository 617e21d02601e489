"""Background work of claims: generation (gather, write, render) and re-rendering after a signature."""

from celery import shared_task

from . import services
from .models import Claim


# acks_late + reject_on_worker_lost: a worker that dies mid-way gives the message back, and the
# job, written in one transaction, is finished once by the next worker.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_claim(job_id):
    job = services.run_generation_job(job_id)
    return {"job": job.pk, "status": job.status, "claim": job.claim_id}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_pdf(claim_id):
    claim = Claim.objects.get(pk=claim_id)
    return services.claim_pdf_render(claim=claim).sha256
