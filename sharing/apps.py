from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("资源共享")

    def ready(self) -> None:
        from enterprises.events import certifications_changed
        from sharing import access  # noqa: F401  (registers the access rules)

        certifications_changed.connect(
            _refresh_certification_facets, dispatch_uid="sharing-certification-facets"
        )


def _refresh_certification_facets(sender, *, enterprise_id: int, **kwargs) -> None:
    from sharing.services import refresh_certification_facets

    refresh_certification_facets(enterprise_id)
