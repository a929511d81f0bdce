from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("资源共享")

    def ready(self) -> None:
        from sharing import access  # noqa: F401  (registers the access rules)
