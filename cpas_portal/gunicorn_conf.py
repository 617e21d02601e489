"""gunicorn settings (``gunicorn -c python:cpas_portal.gunicorn_conf cpas_portal.wsgi:application``).

The access log carries request lines, query strings included: it goes, like the error log, through the
filter that masks national numbers (``logfilters.MaskNationalNumbers``).
"""

import os

from gunicorn.glogging import Logger

from cpas_portal.logfilters import MaskNationalNumbers

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
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
