"""The Redis cache backend keeps one client per connection pool (cms/cache.py)."""

import uuid

import pytest
import redis

from cms.cache import ReusedClientRedisCache

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail("Redis does not answer on 127.0.0.1:6379")
    return ReusedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_reads_and_writes_share_one_client_built_once(redis_cache):
    client = redis_cache._cache.get_client(write=True)

    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client("page-cache:version", write=True) is client


def test_values_round_trip_through_the_shared_client(redis_cache):
    redis_cache.set("page-cache:version", "a1", timeout=None)
    redis_cache.set("other", {"places": 3}, timeout=60)

    assert redis_cache.get("page-cache:version") == "a1"
    assert redis_cache.get("other") == {"places": 3}
    assert redis_cache.get_many(["page-cache:version", "missing"]) == {"page-cache:version": "a1"}
    redis_cache.delete("other")
    assert redis_cache.get("other") is None
    redis_cache.delete("page-cache:version")


def test_each_server_of_several_gets_a_client_of_its_own():
    cache = ReusedClientRedisCache(f"{REDIS_URL},{REDIS_URL}", {})

    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()

    assert writer is not reader
    assert cache._cache.get_client(write=True) is writer
