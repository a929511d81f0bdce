"""Getting a long-running process ready to serve: load what the first request would load,
then freeze what is loaded out of the garbage collector's reach.

A web worker holds about 150,000 objects once Django, the URLs, the templates and jieba's
dictionary are loaded, and they live as long as the process. Python's oldest generation is
collected when enough objects have survived since the last full collection, and each full
collection walks every one of them: 75–145 ms on the 2-core benchmark machine, once every
100–150 search requests, which made the searches' slowest calls (benchmark, issue 7).
``gc.freeze()`` moves them to a permanent generation that no collection walks; a full
collection then walks only what requests left behind (25 ms at most over 300 searches).
"""

from __future__ import annotations

import gc


def ready_to_serve() -> None:
    """Load jieba's dictionary and the URL resolver, then :func:`freeze_loaded`.

    Called once per process: by the WSGI module (each gunicorn worker imports it) and by
    the benchmark before it measures in its own process."""
    from django.urls import get_resolver

    from sharing.search import _tokenizer

    _tokenizer().initialize()
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    freeze_loaded()


def freeze_loaded() -> None:
    """Collect once, then freeze the survivors. Each Celery worker process calls only this
    when it starts: its parent waits a few seconds at most for it to come up, too short to
    load jieba on a busy machine (its first task loads it, as before)."""
    gc.collect()
    gc.freeze()
