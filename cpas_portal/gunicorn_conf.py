"""gunicorn settings (``gunicorn -c python:cpas_portal.gunicorn_conf cpas_portal.wsgi:application``).

The access log carries request lines, query strings included: it goes, like the error log, through the
filter that masks national numbers (``logfilters.MaskNationalNumbers``).
"""

import gc
import os

from gunicorn.glogging import Logger

from cpas_portal.logfilters import MaskNationalNumbers

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Tuned on 2 cores shared with PostgreSQL: one process per core plus one (a request spends part of
# its time waiting on the database); more processes only add context switches and memory. One request at a
# time per process: the pages spend most of their time in Python (templates, the ORM), so threads only queue
# on the interpreter lock (measured with 20 users and 1 s of think time: p95 332 ms with one thread against
# 477 ms with four).
# Sync workers, which answer each request on a connection of its own: a kept-alive connection (gthread) stays
# with the process that accepted it, so a user's next request waits behind that process's queue while another
# process may be idle. Measured with the benchmark's 20 users without think time, the two kinds in alternating
# runs, twice eight runs an hour apart: p95 203–235 and 267–294 ms with sync workers against 255–356 and
# 395–523 ms with gthread and keep-alive, for the same throughput (105–125 and 81–93 requests/s against
# 111–128 and 85–109; the machine's speed varied between the two series). Sync workers expect a proxy in
# front that buffers slow clients and keeps the browsers' connections alive; production has one anyway, for
# TLS (SECURE_PROXY_SSL_HEADER in the settings).
# GUNICORN_WORKERS overrides, e.g. for a larger machine (processes ≈ cores + 1); GUNICORN_THREADS above 1
# makes gunicorn use threaded workers instead.
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 2) + 1)))
worker_class = "sync"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Persistent database connections (CONN_MAX_AGE): one per process, kept between requests.
# Long-lived processes grow (WeasyPrint, large querysets): recycled after a while, not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# A sync worker still busy with one request after this many seconds is restarted. The longest request is an
# export: every claim line of the 50,000-person CPAS of the benchmark as a spreadsheet (55,202 lines) took 21 s;
# long work (claims, PDFs, statement imports) runs in Celery jobs.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Imports (Django, the apps, DRF) once in the master: workers start faster and share the pages.
preload_app = True
# The objects that live as long as the process (modules, settings, templates, URL patterns, compiled queries) are
# moved out of the garbage collector's reach: a full collection then scans only what requests leave behind
# (measured: 115 ms → 32 ms for the pause of a full collection, once every few hundred requests), and the
# processes share the preloaded application's memory pages instead of copying them when the collector touches
# them. Once in the master before the workers are forked, once in each worker when it is warm.
WARM_AFTER_REQUESTS = 200


def when_ready(server):
    gc.collect()
    gc.freeze()


def post_request(worker, request, environ, response):
    served = getattr(worker, "cpas_served", 0) + 1
    worker.cpas_served = served
    if served == WARM_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
accesslog = "-"
errorlog = "-"


class MaskedLogger(Logger):
    """gunicorn's logger with national numbers masked in every access and error line."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, MaskNationalNumbers) for existing in log.filters):
                log.addFilter(MaskNationalNumbers())


logger_class = MaskedLogger
