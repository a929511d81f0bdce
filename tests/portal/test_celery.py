"""portal.celery: the reliability settings reach the Celery application."""

from portal.celery import app


def test_celery_accepts_and_sends_only_json():
    assert list(app.conf.accept_content) == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"


def test_celery_acknowledges_late_and_requeues_when_a_worker_is_lost():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_celery_visibility_timeout_outlasts_the_hard_time_limit():
    visibility_timeout = app.conf.broker_transport_options["visibility_timeout"]

    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert visibility_timeout > app.conf.task_time_limit


def test_celery_uses_the_portal_queue_and_shanghai_time():
    assert app.conf.task_default_queue == "portal"
    assert app.conf.timezone == "Asia/Shanghai"
    assert app.main == "portal"
