"""The Celery application.

Reliability settings live in ``portal.settings`` (``CELERY_*``): JSON only, late
acknowledgement with reject-on-worker-lost, a visibility timeout longer than any task's hard
time limit, and bounded prefetch, so a killed worker's message is redelivered, not lost.
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _ready(**kwargs) -> None:
    """Each worker process freezes what it holds when it starts (portal/warm.py)."""
    from portal.warm import freeze_loaded

    freeze_loaded()
