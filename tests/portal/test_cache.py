"""portal.cache: one redis client per connection pool, reused by every operation."""

from django.core.cache import caches

from portal.cache import FailOpenRedisCache
from tests.policy import missing


def test_every_operation_goes_through_the_same_redis_client(redis_url):
    cache = caches["default"]
    if not isinstance(cache, FailOpenRedisCache):
        missing("needs the Redis cache (REDIS_URL)")
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client  # one server: one pool for reads and writes
    cache.set("portal-test-cache", 1, 30)
    cache.incr("portal-test-cache")
    assert cache.get_many(["portal-test-cache", "absent"]) == {"portal-test-cache": 2}
    assert cache._cache.get_client(write=True) is client
