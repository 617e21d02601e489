"""The consultation log seen from a request: who (the request's user) and from where (the client's address)."""

from . import services
from .models import ConsultationKind

__all__ = ["ConsultationKind", "record"]


def client_ip(request):
    # The peer's address only: X-Forwarded-For is whatever the client chose to send unless a proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def record(request, kind, *, cpas, beneficiary=None, claim_id=None, export=""):
    """Log that the request's user consulted ``beneficiary`` or took ``export`` (``ConsultationKind``)."""
    return services.consultation_record(acting_user=request.user, cpas=cpas, kind=kind, beneficiary=beneficiary,
                                        claim_id=claim_id, export=export, ip=client_ip(request))
