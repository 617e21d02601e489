"""The project's URLs plus the floor of the benchmark: a bare view through the same middleware.

Used by ``manage.py benchmark`` (``ROOT_URLCONF`` is overridden for its run) and by the server that
``manage.py benchmark_suite`` starts (``CPAS_BENCHMARK_FLOOR=1``); a deployed server never sets it.
"""

from django.http import HttpResponse
from django.urls import path

from .urls import handler500  # noqa: F401 (handler500 is read by Django)
from .urls import urlpatterns as project_urlpatterns


def floor(request):
    """What any page costs at least: the request, the session, the user and the middleware, no work."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__benchmark_floor__/", floor, name="benchmark_floor"), *project_urlpatterns]
