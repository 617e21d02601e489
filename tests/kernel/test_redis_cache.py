"""The Redis cache keeps one client per connection pool (``cpas_portal/redis_cache.py``), against the test
services' real Redis (its broker URL, database 3: nothing else of the tests uses it)."""

import os
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from cpas_portal.redis_cache import RedisCache


@pytest.fixture
def cache():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.fail("The test services set CELERY_BROKER_URL to their Redis (scripts/test).")
    backend = RedisCache(urlunsplit(urlsplit(broker)._replace(path="/3")), {"KEY_PREFIX": "redis-cache-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_one_client_serves_every_call(cache, monkeypatch):
    """The fixture's ``clear`` made the client; no call after it makes another (Django's makes one a call)."""
    made = []
    real = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    cache.set("a", {"amount": "12.34"}, 30)
    assert cache.get("a") == {"amount": "12.34"}
    assert cache.get_many(["a", "missing"]) == {"a": {"amount": "12.34"}}
    assert cache.add("a", 1, 30) is False
    assert cache.add("n", 0, 30) is True and cache.incr("n", 2) == 2
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"
    assert made == []
    assert cache._cache.get_client(write=True) is cache._cache.get_client()


def test_the_shared_client_serves_threads_at_once(cache):
    failures = []

    def work(number):
        try:
            for round_ in range(50):
                cache.set(f"t{number}", round_, 30)
                if cache.get(f"t{number}") != round_:
                    failures.append((number, round_))
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert cache.get_many([f"t{number}" for number in range(8)]) == {f"t{number}": 49 for number in range(8)}
