"""All settings, read from the environment.

Embedded default (nothing set): SQLite, Celery tasks run in-process, DEBUG on.
PostgreSQL when ``DATABASE_URL`` or ``POSTGRES_DB`` is set; Celery on Redis when
``CELERY_BROKER_URL`` is set. ``DJANGO_ENV=production`` turns on every deployment
safeguard (``manage.py check --deploy`` reports nothing).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = os.environ.get


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(env(name, str(default)))


PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = not PRODUCTION and env("DJANGO_DEBUG", "1") == "1"

if PRODUCTION:
    SECRET_KEY = env("DJANGO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must hold at least 50 characters in production.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the served host names in production.")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", "development-only-key-never-used-in-production-0123456789")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "cpas_portal",
    "measures",
    "measures.piis",
    "measures.activation",
    "measures.interventions",
    "conventions",
    "reimbursements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cpas_portal.inputs.RejectNulInQueryString",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language stored on the user's profile wins over the browser's (cpas_portal/accounts/language.py).
    "cpas_portal.accounts.language.UserLanguageMiddleware",
    # A request that may write makes its CPAS's home pages read afresh (cpas_portal/due_cache.py).
    "cpas_portal.due_cache.WrittenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: an ended session leaves a message for the login page.
    "cpas_portal.accounts.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cpas_portal.accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cpas_portal.outage.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The benchmark suite's own server adds the bare view it measures the floor with (cpas_portal/benchmark_urls.py).
ROOT_URLCONF = "cpas_portal.benchmark_urls" if env("CPAS_BENCHMARK_FLOOR") == "1" else "cpas_portal.urls"
WSGI_APPLICATION = "cpas_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cpas_portal.tenancy.tenancy_context",
            ],
        },
    },
]
# Django's form renderer with <select> written in Python (cpas_portal/form_renderer.py: a filter bar's
# options cost more than the rest of a list page through the widget templates).
FORM_RENDERER = "cpas_portal.form_renderer.FormRenderer"

# Database: PostgreSQL in production, SQLite as the embedded default.
# Connections are kept for a minute and checked before each request reuses one, so the application
# recovers by itself after a database restart (CONN_HEALTH_CHECKS).
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
elif env("POSTGRES_DB"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env("POSTGRES_DB"),
            "USER": env("POSTGRES_USER", "postgres"),
            "PASSWORD": env("POSTGRES_PASSWORD", ""),
            "HOST": env("POSTGRES_HOST", "127.0.0.1"),
            "PORT": env("POSTGRES_PORT", "5432"),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' queries run in milliseconds, but a correlated subquery over thousands of
    # rows is estimated costly enough for PostgreSQL to spend seconds compiling it (measured on the home pages).
    # Random reads priced close to sequential ones (PostgreSQL's advice for solid-state or cached storage; the
    # default of 4 assumes spinning disks): otherwise counting a few thousand rows joined to the people scans
    # every person of every CPAS rather than reading the few it needs by key (measured: 137 ms → 36 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost={}".format(
        env("POSTGRES_RANDOM_PAGE_COST", "1.1"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out user or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): after CPAS_LOGIN_FAILURE_LIMIT failures for one username, or from one
# address, both are refused for CPAS_LOGIN_COOLOFF_MINUTES; on the login page, the admin and the API.
AXES_FAILURE_LIMIT = env_int("CPAS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CPAS_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "cpas_portal.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# Behind N reverse proxies the client address is the N-th from the right of X-Forwarded-For.
if env("CPAS_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = env_int("CPAS_PROXY_COUNT", 1)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"

# Sessions end after SESSION_IDLE_TIMEOUT minutes without a request, and SESSION_MAX_AGE hours after
# the login whatever the activity (cpas_portal.accounts.sessions).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_TIMEOUT", 30))
SESSION_MAX_AGE = timedelta(hours=env_int("SESSION_MAX_AGE_HOURS", 10))
SESSION_COOKIE_AGE = int(SESSION_MAX_AGE.total_seconds())

# API tokens (django-rest-knox): stored hashed, expire after CPAS_API_TOKEN_TTL_HOURS, deleted when
# their user's password changes or the account is deactivated.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("CPAS_API_TOKEN_TTL_HOURS", 10)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
CPAS_TOKEN_THROTTLE_RATE = env("CPAS_TOKEN_THROTTLE_RATE", "10/min")

# Second factor (django-otp, TOTP). In production, these roles must enrol before anything else.
OTP_TOTP_ISSUER = "CPAS Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
CPAS_REQUIRE_2FA_ROLES = env_list("CPAS_REQUIRE_2FA_ROLES", "manager,finance" if PRODUCTION else "")

# Language: French, Dutch and German (German-speaking Community) complete, English as the fallback
# of the source strings.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Belgian formats: 17/05/1990 and 1.234,56 in French, Dutch and German alike.
FORMAT_MODULE_PATH = ["cpas_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Documents kept on a person's file: a private directory, never under MEDIA_ROOT (no public URL; served
# by a view that checks the CPAS and the role), one sub-directory per CPAS.
CPAS_DOCUMENTS_ROOT = Path(env("CPAS_DOCUMENTS_ROOT", str(BASE_DIR / "private_documents")))
CPAS_DOCUMENT_MAX_BYTES = env_int("CPAS_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    # Token first: a missing or expired token is then a 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cpas_portal.tenancy.IsCpasMember"],
    # Counted up to 1,000 rows (or the page asked for), as the HTML lists: a 50,000-person CPAS is not counted
    # on every page of its list.
    "DEFAULT_PAGINATION_CLASS": "cpas_portal.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "cpas_portal.api_filters.CpasFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "cpas_portal.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CPAS Portal API",
    "DESCRIPTION": "Beneficiaries and employment measures of one CPAS/OCMW, and their reimbursement by SPP IS.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field name other models use too (``kind``, ``outcome``…): named once here so the
    # schema's enums stay stable.
    "ENUM_NAME_OVERRIDES": {
        "ActivationSubsidyKindEnum": "measures.activation.models.SubsidyKind",
        "JobStatusEnum": "measures.activation.models.ReportStatus",  # the same set as the claim jobs
        "PersonDocumentKindEnum": "cpas_portal.models.DocumentKind",
        "PiisKindEnum": "measures.piis.models.PiisKind",
        "PiisOutcomeEnum": "measures.piis.models.PiisOutcome",
    },
}

# Celery: Redis when a broker is configured, otherwise tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL:
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True

# A cache shared by every worker process (Redis, database 2 of the broker unless CPAS_CACHE_URL says
# otherwise): sessions are then read from it rather than from the database on every request
# ("cached_db": still written through to the database, at most once a minute by the idle clock of
# accounts/sessions.py, so a Redis restart loses no session), and throttling counts hold across the
# processes. Signed-cookie sessions would spare even that read, but a logged-out or stolen cookie would
# stay valid until it expires: the server could not end it. A per-process memory cache would serve a
# session logged out in another process: it is never used for sessions. Short timeouts: a Redis outage
# falls back to the database (cached_db reads and writes through it) instead of hanging requests.
CACHE_URL = env("CPAS_CACHE_URL", "")
if not CACHE_URL and PRODUCTION and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CACHE_URL = urlunsplit(urlsplit(CELERY_BROKER_URL)._replace(path="/2"))
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "cpas_portal.redis_cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "cpas",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The home pages keep their due items in the cache until the next write (cpas_portal/due_cache.py): only
# with a cache every process shares (a per-process memory cache would keep serving what another process's
# write made stale), or when asked for one process doing everything (scripts/dev).
HOME_CACHE = env("CPAS_HOME_CACHE", "1" if CACHE_URL else "0") == "1"
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TIMEZONE = TIME_ZONE
# The longest job (the largest CPAS's month, 5,000 lines: ~8 s, README "Benchmarks") is bounded by
# the time limit; Redis gives an unacknowledged message to another worker only after the visibility
# timeout, which must outlast that limit or a job still under way would be delivered twice.
CELERY_TASK_SOFT_TIME_LIMIT = 20 * 60
CELERY_TASK_TIME_LIMIT = 25 * 60
# A dead broker fails fast: a request saves its job and answers at once; the job watcher below sends
# it when the queue is back (no retry loop inside a request).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0,
                                                            "interval_step": 0.2, "interval_max": 0.5}}

# Claim generation jobs: the job row is the source of truth. A running job writes a heartbeat; the
# watcher (Celery beat) sends again the jobs the queue never took or whose worker died, and fails a
# job whose worker died CLAIM_JOB_MAX_ATTEMPTS times (a job that kills its worker is not retried forever).
CLAIM_JOB_HEARTBEAT_SECONDS = float(env("CPAS_JOB_HEARTBEAT_SECONDS", "10"))
CLAIM_JOB_STALE_SECONDS = float(env("CPAS_JOB_STALE_SECONDS", "60"))
CLAIM_JOB_UNPICKED_SECONDS = float(env("CPAS_JOB_UNPICKED_SECONDS", "900"))
CLAIM_JOB_WATCH_SECONDS = float(env("CPAS_JOB_WATCH_SECONDS", "30"))
CLAIM_JOB_MAX_ATTEMPTS = 3
CELERY_BEAT_SCHEDULE = {
    "claim-jobs-watch": {"task": "reimbursements.tasks.watch_jobs", "schedule": CLAIM_JOB_WATCH_SECONDS},
    # An hour before the notifications: the evaluation meetings of PIIS and placements are planned (idempotent),
    # so the day's due items include them.
    "evaluations-plan": {"task": "measures.piis.tasks.plan_evaluations",
                         "schedule": crontab(hour=max(env_int("CPAS_NOTIFY_HOUR", 6) - 1, 0), minute=0)},
    # Every morning before office hours: each user's due items become notifications (and the digest leaves).
    "due-items-notify": {"task": "cpas_portal.tasks.notify_due_items",
                         "schedule": crontab(hour=env_int("CPAS_NOTIFY_HOUR", 6), minute=0)},
}

# Notifications: the daily e-mail digest is optional (off unless CPAS_NOTIFICATION_DIGEST=1); it goes through
# Django's mail settings (MAILERS, below). CPAS_BASE_URL makes its links absolute (e.g. https://cpas.example.be).
CPAS_NOTIFICATION_DIGEST = env("CPAS_NOTIFICATION_DIGEST", "0") == "1"
CPAS_BASE_URL = env("CPAS_BASE_URL", "").rstrip("/")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "cpas-portal@localhost")
# The mail server the digest leaves through (Django's MAILERS; the tests replace it with an outbox in memory).
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
    "host": env("CPAS_SMTP_HOST", "localhost"), "port": env_int("CPAS_SMTP_PORT", 25),
    "username": env("CPAS_SMTP_USER", ""), "password": env("CPAS_SMTP_PASSWORD", ""),
    "use_tls": env("CPAS_SMTP_TLS", "0") == "1"}}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_niss": {"()": "cpas_portal.logfilters.MaskNationalNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_niss"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # Request lines carry query strings (a search may be a national number): through the same filter.
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Libraries that narrate their work at INFO/DEBUG: only their warnings and errors.
        **{name: {"level": "WARNING"} for name in (
            "weasyprint", "fontTools", "PIL", "asyncio", "urllib3", "faker", "factory", "kombu", "amqp",
            "django.utils.autoreload", "django.db.backends", "django.template", "multipart", "hypothesis",
        )},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # The in-process "memory://" broker has no host by design: kombu's "No hostname was supplied" is noise.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# A failed CSRF check is a page in the layout saying what to do, not Django's English "403 Forbidden".
CSRF_FAILURE_VIEW = "cpas_portal.error_pages.csrf_failure"

# Content Security Policy (Django's built-in): scripts only from this site or with the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if PRODUCTION:
    # Static files served by the application server itself (collected into STATIC_ROOT).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    SECURE_SSL_REDIRECT = env("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # The API schema and its documentation describe what exists: for signed-in users only.
    SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
