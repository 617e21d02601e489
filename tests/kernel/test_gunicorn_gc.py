"""The gunicorn settings move the long-lived objects out of the garbage collector's reach: once in the master
before the workers are forked, once in each worker when it is warm (``cpas_portal/gunicorn_conf.py``)."""

import gc
from types import SimpleNamespace

from gunicorn.config import Config

from cpas_portal import gunicorn_conf


def test_the_hooks_are_gunicorns(monkeypatch):
    config = Config()
    for name in ("when_ready", "post_request"):
        config.set(name, getattr(gunicorn_conf, name))
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *args: frozen.append("collect"))
    config.when_ready(SimpleNamespace())
    assert frozen == ["collect", "freeze"]
    worker = SimpleNamespace()
    for _request in range(gunicorn_conf.WARM_AFTER_REQUESTS * 3):
        config.post_request(worker, None, {}, None)
    # Once when the worker is warm, not on every request after it.
    assert frozen == ["collect", "freeze"] * 2


def test_freezing_leaves_fewer_objects_to_scan():
    before = gc.get_freeze_count()
    try:
        gunicorn_conf.when_ready(SimpleNamespace())
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
