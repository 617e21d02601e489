"""The home pages' due items, kept between requests until something is written in the CPAS; the lists' filter
choices that every list page reads (the caseworkers, the employers: ``selectors.caseworker_labels``,
``measures.selectors.employer_choices``) are kept the same way.

A home page gathers what falls due from every provider (:mod:`cpas_portal.due`): for a caseworker following
thousands of people, or a manager counting per caseworker, that is a dozen queries over tens of thousands of
rows. Yet the answer changes only when something is written — a decision, a PIIS, a payment, a claim — or when
the day turns. So the home pages keep what they read in the shared cache under a key made of:

- what was asked (page, CPAS, user, day, language, how many items shown): another CPAS, another user, another
  day or language is another key — a cached answer never crosses a tenant;
- the CPAS's *write token* and the *global write token*. Every write replaces a token with a new random one,
  so the next home page of that CPAS reads afresh; the former entries are never read again and expire.

What replaces the tokens (:func:`written`): every request that may write (POST, PUT, PATCH, DELETE) by a
member replaces their CPAS's token — whatever the view wrote, in bulk or not; by staff (the admin reaches
every CPAS) or anyone without a membership, the global one. Every Celery task that ends replaces the global
token (claims, imports, reminders run there). A write from outside both (a shell, a management command such
as ``generate_data``) calls :func:`written` itself; and an entry lives :data:`TIMEOUT` at most in any case.

The token is read before the rows: a write that commits while a page reads leaves, at worst, an entry under
the token it replaced — never read again. When the cache is down, pages read the database as before.

The cache must be shared by every process that serves or writes (Redis in production, see the settings):
``settings.HOME_CACHE`` is on only then (``CPAS_CACHE_URL``, or the broker's Redis in production), or when
asked for a single process that does everything (``scripts/dev``: the development server running its tasks
in-process). A migration marks every CPAS: a deployment may change the data or the items' code.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

logger = logging.getLogger(__name__)

TIMEOUT = 600
"""Seconds an entry lives at most: the bound on staleness after a write outside requests and tasks."""

GLOBAL = "due:written"


def _cpas_key(cpas_id):
    return f"due:written:{cpas_id}"


def enabled():
    return getattr(settings, "HOME_CACHE", False)


def written(cpas_id=None):
    """Something was written in ``cpas_id`` (``None``: anywhere): its home pages read afresh."""
    if not enabled():
        return
    try:
        cache.set(GLOBAL if cpas_id is None else _cpas_key(cpas_id), secrets.token_hex(8), None)
    except Exception:  # A cache outage must not fail the write that was just committed.
        logger.warning("Could not mark the due items of CPAS %s as changed", cpas_id or "(all)", exc_info=True)


def _tokens(cpas_id):
    keys = [GLOBAL, _cpas_key(cpas_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # First page since the cache started (or lost the token): any fresh token will do.
            cache.add(key, secrets.token_hex(8), None)
            found[key] = cache.get(key)
    if None in found.values():
        return None
    return found[GLOBAL], found[keys[1]]


def remembered(*, page, cpas_id, parts, read):
    """``read()``, or what it returned for the same ``page``, CPAS, ``parts`` and language since the last write
    in that CPAS."""
    if not enabled():
        return read()
    try:
        tokens = _tokens(cpas_id)
    except Exception:
        logger.warning("Cache unavailable: the home page reads the database", exc_info=True)
        return read()
    if tokens is None:
        return read()
    asked = repr((page, cpas_id, tuple(parts), translation.get_language(), tokens))
    key = "due:page:" + hashlib.sha256(asked.encode()).hexdigest()
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable: the home page reads the database", exc_info=True)
        return read()
    if value is None:
        value = read()
        try:
            cache.set(key, value, TIMEOUT)
        except Exception:
            logger.warning("Could not keep a home page's due items", exc_info=True)
    return value


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Posted pages that write nothing a home page shows (signing in and out, the language, a notification read):
# a morning's logins must not make every caseworker's home read afresh.
# Searches posted so that a national number stays out of the URL read only (the person picker posts on every
# keystroke).
WRITES_NOTHING_DUE = frozenset({"login", "logout", "two_factor_verify", "set_language", "api_logout",
                                "api_logout_all", "inbox_read", "inbox_read_all", "beneficiary_list",
                                "person_picker_options", "beneficiary-search"})


class WrittenMiddleware:
    """After a request that may have written, its CPAS's home pages read afresh (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (request.method in UNSAFE_METHODS and enabled()
                and (match is None or match.url_name not in WRITES_NOTHING_DUE)):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from .tenancy import current_membership

                membership = current_membership(request)
                # Staff (the admin) and superusers (the allocations of every CPAS) may write anywhere.
                anywhere = membership is None or user.is_staff or user.is_superuser
                written(None if anywhere else membership.cpas_id)
        return response


def task_ended(**_kwargs):
    """Celery's ``task_postrun``: a task may have written anywhere."""
    written()


def migrated(**_kwargs):
    """``post_migrate``: a deployment may have changed data or the code of the items kept."""
    written()
